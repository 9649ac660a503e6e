/**
 * Secret and ConfigMap validation (pkg/apis/core/validation/validation.go ValidateSecret, ValidateSecretUpdate,
 * ValidateConfigMap, ValidateConfigMapUpdate; k8s.io/apimachinery/pkg/util/validation IsConfigMapKey), with
 * upstream's paths and messages. Inputs are v1 objects as plain data; a Secret's `stringData` is merged first, as
 * the API server converts it before validating.
 * NOTE: upstream ranges over Go maps, so errors about several keys come in random order; k8sim sorts the keys.
 * NOTE: ValidateObjectMetaUpdate (name, namespace, uid changes) is not repeated here.
 */
import { compareStrings } from "../../engine/compare.js";
import { canonicalBase64, decodeBase64Go, mergeStringData, type ConfigMapObject, type SecretObject } from "../defaults/config.js";
import { fieldError, type FieldError, type PathSegment } from "./field-errors.js";
import { validateObjectMeta } from "./object-meta.js";

/** core.MaxSecretSize, also the ConfigMap limit: 1 MiB, in bytes. */
export const MAX_SECRET_SIZE = 1024 * 1024;
/** validation.DNS1123SubdomainMaxLength, the longest key, in bytes. */
export const MAX_CONFIG_KEY_LENGTH = 253;

/** Secret types with required content (pkg/apis/core/types.go) and their keys. */
export const SECRET_TYPE = {
  opaque: "Opaque",
  serviceAccountToken: "kubernetes.io/service-account-token",
  dockercfg: "kubernetes.io/dockercfg",
  dockerConfigJson: "kubernetes.io/dockerconfigjson",
  basicAuth: "kubernetes.io/basic-auth",
  sshAuth: "kubernetes.io/ssh-auth",
  tls: "kubernetes.io/tls",
} as const;
/** core.ServiceAccountNameKey. */
export const SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name";

const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MESSAGE = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const IMMUTABLE_MESSAGE = "field is immutable when `immutable` is set";
/** The value ValidateSecret prints instead of docker config contents. */
const REDACTED = "<secret contents redacted>";

/** IsConfigMapKey: the messages for a Secret or ConfigMap key, empty when valid. Length counts UTF-8 bytes. */
export function configMapKeyProblems(key: string): string[] {
  const out: string[] = [];
  if (Buffer.byteLength(key, "utf8") > MAX_CONFIG_KEY_LENGTH) out.push(`must be no more than ${MAX_CONFIG_KEY_LENGTH} characters`);
  if (!CONFIG_KEY_RE.test(key)) out.push(CONFIG_KEY_MESSAGE);
  if (key === ".") out.push("must not be '.'");
  else if (key === "..") out.push("must not be '..'");
  else if (key.startsWith("..")) out.push("must not start with '..'");
  return out;
}

/** field.TooLong(path, _, max): `Too long: must have at most N bytes`. */
function tooLong(path: readonly PathSegment[], max: number): FieldError {
  return { type: "TooLong", path, detail: `must have at most ${max} bytes` };
}

const sortedKeys = (m: Record<string, unknown> | undefined): string[] => Object.keys(m ?? {}).sort(compareStrings);

/** A base64 value's decoded bytes; a value that does not decode counts as its text (the server never gets here). */
function decoded(v: unknown): Uint8Array {
  if (typeof v !== "string") return new Uint8Array();
  const r = decodeBase64Go(v);
  return r.ok ? r.bytes : Buffer.from(v, "utf8");
}

/**
 * ValidateSecret on a v1 Secret (stringData merged first): metadata, each data key (IsConfigMapKey at
 * `data[key]`), the decoded total at most MAX_SECRET_SIZE bytes (`data: Too long: ...`), and per type:
 * service-account-token needs the service-account.name annotation; dockercfg / dockerconfigjson need their key
 * holding a JSON object (json.Unmarshal's error otherwise); basic-auth needs username or password; ssh-auth a
 * non-empty ssh-privatekey; tls both tls.crt and tls.key. Other types, and Opaque or none, need nothing.
 */
export function validateSecret(input: SecretObject): FieldError[] {
  return [...validateObjectMeta(input.metadata, true, "subdomain"), ...validateSecretContent(input)];
}

/** validateSecret without the metadata checks (the kind registry runs ValidateObjectMeta for every kind). */
export function validateSecretContent(input: SecretObject): FieldError[] {
  const secret = mergeStringData(input);
  const errs: FieldError[] = [];
  const data = secret.data ?? {};
  let total = 0;
  for (const key of sortedKeys(data)) {
    for (const m of configMapKeyProblems(key)) errs.push(fieldError.invalid(["data", { key }], key, m));
    total += decoded(data[key]).length;
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLong(["data"], MAX_SECRET_SIZE));
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(data, k);
  const dataKey = (key: string): PathSegment[] => ["data", { key }];
  switch (secret.type ?? "") {
    case SECRET_TYPE.serviceAccountToken:
      if (!secret.metadata.annotations?.[SERVICE_ACCOUNT_NAME_KEY]) errs.push(fieldError.required(["metadata", "annotations", { key: SERVICE_ACCOUNT_NAME_KEY }]));
      break;
    case SECRET_TYPE.dockercfg:
    case SECRET_TYPE.dockerConfigJson: {
      const key = secret.type === SECRET_TYPE.dockercfg ? ".dockercfg" : ".dockerconfigjson";
      if (!has(key)) {
        errs.push(fieldError.required(dataKey(key)));
        break;
      }
      const problem = goJsonObjectError(decoded(data[key]));
      if (problem) errs.push(fieldError.invalid(dataKey(key), REDACTED, problem));
      break;
    }
    case SECRET_TYPE.basicAuth:
      // Either may be empty, but one must be present.
      if (!has("username") && !has("password")) errs.push(fieldError.required(dataKey("username")), fieldError.required(dataKey("password")));
      break;
    case SECRET_TYPE.sshAuth:
      if (decoded(data["ssh-privatekey"]).length === 0) errs.push(fieldError.required(dataKey("ssh-privatekey")));
      break;
    case SECRET_TYPE.tls:
      if (!has("tls.crt")) errs.push(fieldError.required(dataKey("tls.crt")));
      if (!has("tls.key")) errs.push(fieldError.required(dataKey("tls.key")));
      break;
    default:
      break;
  }
  return errs;
}

/**
 * ValidateConfigMap: metadata; each data key (IsConfigMapKey) and not also in binaryData (`data[k]: Invalid
 * value: "k": duplicate of key present in binaryData`); each binaryData key; the total of data's UTF-8 bytes and
 * binaryData's decoded bytes at most MAX_SECRET_SIZE, reported at the empty path, which upstream prints `[]`
 * (`[]: Too long: must have at most 1048576 bytes`).
 */
export function validateConfigMap(cm: ConfigMapObject): FieldError[] {
  return [...validateObjectMeta(cm.metadata, true, "subdomain"), ...validateConfigMapContent(cm)];
}

/** validateConfigMap without the metadata checks (the kind registry runs ValidateObjectMeta for every kind). */
export function validateConfigMapContent(cm: ConfigMapObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = cm.data ?? {};
  const binary = cm.binaryData ?? {};
  let total = 0;
  for (const key of sortedKeys(data)) {
    for (const m of configMapKeyProblems(key)) errs.push(fieldError.invalid(["data", { key }], key, m));
    if (Object.prototype.hasOwnProperty.call(binary, key)) errs.push(fieldError.invalid(["data", { key }], key, "duplicate of key present in binaryData"));
    const v = data[key];
    total += typeof v === "string" ? Buffer.byteLength(v, "utf8") : 0;
  }
  for (const key of sortedKeys(binary)) {
    for (const m of configMapKeyProblems(key)) errs.push(fieldError.invalid(["binaryData", { key }], key, m));
    total += decoded(binary[key]).length;
  }
  // field.NewPath("") prints as "[]": a path element with neither name nor key.
  if (total > MAX_SECRET_SIZE) errs.push(tooLong([{ key: "" }], MAX_SECRET_SIZE));
  return errs;
}

/** reflect.DeepEqual of two decoded byte maps: an absent map differs from an empty one, values compare as bytes. */
function sameBytes(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ka = sortedKeys(a);
  const kb = sortedKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => (canonicalBase64(a[k]!) ?? a[k]) === (canonicalBase64(b[k]!) ?? b[k]));
}

/** reflect.DeepEqual of two string maps (absent differs from empty). */
function sameStrings(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const ka = sortedKeys(a);
  const kb = sortedKeys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/**
 * ValidateSecretUpdate on defaulted v1 Secrets (stringData merged first): the type cannot change (`type: Invalid
 * value: "kubernetes.io/tls": field is immutable`); once `immutable` is true it stays true and `data` cannot
 * change (`Forbidden: field is immutable when `immutable` is set`); then ValidateSecret of the new object.
 */
export function validateSecretUpdate(nextInput: SecretObject, oldInput: SecretObject): FieldError[] {
  const next = mergeStringData(nextInput);
  const old = mergeStringData(oldInput);
  const errs: FieldError[] = [];
  if ((next.type ?? "") !== (old.type ?? "")) errs.push(fieldError.invalid(["type"], next.type ?? "", "field is immutable"));
  if (old.immutable === true) {
    if (next.immutable !== true) errs.push(fieldError.forbidden(["immutable"], IMMUTABLE_MESSAGE));
    if (!sameBytes(next.data, old.data)) errs.push(fieldError.forbidden(["data"], IMMUTABLE_MESSAGE));
  }
  errs.push(...validateSecretContent(next));
  return errs;
}

/**
 * ValidateConfigMapUpdate: once `immutable` is true it stays true and neither `data` nor `binaryData` may change
 * (`Forbidden: field is immutable when `immutable` is set`); then ValidateConfigMap of the new object.
 */
export function validateConfigMapUpdate(next: ConfigMapObject, old: ConfigMapObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (next.immutable !== true) errs.push(fieldError.forbidden(["immutable"], IMMUTABLE_MESSAGE));
    if (!sameStrings(next.data, old.data)) errs.push(fieldError.forbidden(["data"], IMMUTABLE_MESSAGE));
    if (!sameBytes(next.binaryData, old.binaryData)) errs.push(fieldError.forbidden(["binaryData"], IMMUTABLE_MESSAGE));
  }
  errs.push(...validateConfigMapContent(next));
  return errs;
}

// ---- json.Unmarshal(bytes, &map[string]interface{}{}): Go's error text -------------------------------------------

/** Go's quoteChar (encoding/json scanner.go): a byte as `'x'`, with strconv.Quote's escapes. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const named: Record<number, string> = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 92: "\\\\" };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c >= 0x7f) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  return `'${String.fromCharCode(c)}'`;
}

class GoJsonSyntaxError extends Error {}

/**
 * The error json.Unmarshal returns for these bytes into a map[string]interface{}, or undefined: a syntax error
 * (`invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`, ...; Unmarshal checks
 * the whole input first) or, for valid JSON that is not an object or null, `json: cannot unmarshal array into Go
 * value of type map[string]interface {}`.
 * NOTE: the scanner's nesting limit (10000 levels) is not modelled.
 */
export function goJsonObjectError(bytes: Uint8Array): string | undefined {
  let i = 0;
  const n = bytes.length;
  const eof = (): never => {
    throw new GoJsonSyntaxError("unexpected end of JSON input");
  };
  const bad = (context: string): never => {
    throw new GoJsonSyntaxError(`invalid character ${quoteChar(bytes[i]!)} ${context}`);
  };
  const ws = (): void => {
    while (i < n && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  };
  const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
  const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
  const str = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= n) eof();
      const c = bytes[i]!;
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) bad("in string literal");
      if (c === 0x5c) {
        i++;
        if (i >= n) eof();
        const e = bytes[i]!;
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) eof();
            if (!isHex(bytes[i]!)) bad("in \\u hexadecimal character escape");
          }
        } else if (![0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74].includes(e)) bad("in string escape code");
      }
      i++;
    }
  };
  const literal = (word: string): void => {
    i++;
    for (let k = 1; k < word.length; k++) {
      if (i >= n) eof();
      if (bytes[i] !== word.charCodeAt(k)) bad(`in literal ${word} (expecting '${word[k]}')`);
      i++;
    }
  };
  const num = (): void => {
    if (bytes[i] === 0x2d) {
      i++;
      if (i >= n) eof();
      if (!isDigit(bytes[i])) bad("in numeric literal");
    }
    if (bytes[i] === 0x30) i++;
    else while (isDigit(bytes[i])) i++;
    if (bytes[i] === 0x2e) {
      i++;
      if (i >= n) eof();
      if (!isDigit(bytes[i])) bad("after decimal point in numeric literal");
      while (isDigit(bytes[i])) i++;
    }
    if (bytes[i] === 0x65 || bytes[i] === 0x45) {
      i++;
      if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
      if (i >= n) eof();
      if (!isDigit(bytes[i])) bad("in exponent of numeric literal");
      while (isDigit(bytes[i])) i++;
    }
  };
  /** One value; returns its JSON kind as Go's UnmarshalTypeError names it. */
  const value = (): string => {
    ws();
    if (i >= n) eof();
    const c = bytes[i]!;
    if (c === 0x7b) {
      i++;
      ws();
      if (i >= n) eof();
      if (bytes[i] === 0x7d) {
        i++;
        return "object";
      }
      for (;;) {
        if (bytes[i] !== 0x22) bad("looking for beginning of object key string");
        str();
        ws();
        if (i >= n) eof();
        if (bytes[i] !== 0x3a) bad("after object key");
        i++;
        value();
        ws();
        if (i >= n) eof();
        if (bytes[i] === 0x7d) {
          i++;
          return "object";
        }
        if (bytes[i] !== 0x2c) bad("after object key:value pair");
        i++;
        ws();
        if (i >= n) eof();
      }
    }
    if (c === 0x5b) {
      i++;
      ws();
      if (i >= n) eof();
      if (bytes[i] === 0x5d) {
        i++;
        return "array";
      }
      for (;;) {
        value();
        ws();
        if (i >= n) eof();
        if (bytes[i] === 0x5d) {
          i++;
          return "array";
        }
        if (bytes[i] !== 0x2c) bad("after array element");
        i++;
      }
    }
    if (c === 0x22) {
      str();
      return "string";
    }
    if (c === 0x74) return (literal("true"), "bool");
    if (c === 0x66) return (literal("false"), "bool");
    if (c === 0x6e) return (literal("null"), "null");
    if (c === 0x2d || isDigit(c)) return (num(), "number");
    return bad("looking for beginning of value");
  };
  try {
    const kind = value();
    ws();
    if (i < n) bad("after top-level value");
    return kind === "object" || kind === "null" ? undefined : `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) return e.message;
    throw e;
  }
}

import { describe, expect, it } from "vitest";
import {
  configMapDecodeError,
  decodeBase64Go,
  defaultSecret,
  mergeStringData,
  secretDecodeError,
  type ConfigMapObject,
  type SecretObject,
} from "../src/api/defaults/config.js";
import {
  configMapKeyProblems,
  goJsonObjectError,
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
} from "../src/api/validation/config.js";
import { fieldErrorText } from "../src/api/validation/field-errors.js";

/**
 * Secret and ConfigMap decoding and validation. Sources: pkg/apis/core/validation/validation.go (ValidateSecret,
 * ValidateSecretUpdate, ValidateConfigMap, ValidateConfigMapUpdate), k8s.io/apimachinery util/validation
 * IsConfigMapKey, pkg/apis/core/v1/conversion.go (stringData), Go encoding/base64 decodeQuantum and encoding/json
 * scanner (error texts).
 */

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
const KEY_MESSAGE = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const IMMUTABLE = "Forbidden: field is immutable when `immutable` is set";

/** A valid Opaque Secret with `edit` applied. */
function secret(edit: Partial<SecretObject> = {}): SecretObject {
  return { apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, type: "Opaque", data: { user: b64("admin") }, ...edit };
}

/** A valid ConfigMap with `edit` applied. */
function configMap(edit: Partial<ConfigMapObject> = {}): ConfigMapObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "conf", namespace: "default" }, data: { "app.properties": "a=1" }, ...edit };
}

const texts = (errs: { type: string }[]): string[] => errs.map((e) => fieldErrorText(e as Parameters<typeof fieldErrorText>[0]));

describe("Go base64 decoding (encoding/base64 StdEncoding)", () => {
  it.each([
    // "admi" is one quantum; "n" starts another that ends at byte 5: CorruptInputError(5 - 1).
    ["admin", 4],
    // '-' is not in the alphabet: the offset of the '-' itself.
    ["s3cr3t-not-for-production", 6],
    ["My-pass-123", 2],
    // A complete but unpadded short quantum: si - j = 3 - 3.
    ["abc", 0],
    // "=" where no padding can be.
    ["=", 0],
    // Padding after one symbol: the offset of that "=".
    ["Y===", 1],
    // "==" expected, the input ends after one "=": len(src).
    ["YQ=", 3],
    // Data after the padding.
    ["YQ==YQ==", 4],
    // Offsets count UTF-8 bytes: "é" is two bytes.
    ["YQ==é", 4],
    ["éé", 0],
  ])("%j fails at byte %i", (input, offset) => {
    expect(decodeBase64Go(input)).toEqual({ ok: false, offset, message: `illegal base64 data at input byte ${offset}` });
  });

  it.each([
    ["YWRtaW4=", "admin"],
    ["YWJj\nZGVm", "abcdef"],
    ["YWJjZA==\r\n", "abcd"],
    ["", ""],
  ])("%j decodes to %j (newlines skipped)", (input, text) => {
    const r = decodeBase64Go(input);
    expect(r.ok && Buffer.from(r.bytes).toString("utf8")).toBe(text);
  });

  it("a Secret whose data is plain text is refused while decoding, as kubectl shows it", () => {
    expect(secretDecodeError(secret({ data: { user: b64("admin"), password: "admin" } }))).toBe(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4',
    );
    expect(secretDecodeError(secret())).toBeUndefined();
    expect(configMapDecodeError(configMap({ binaryData: { blob: "not base64!" } }))).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 3',
    );
  });
});

describe("mergeStringData (Convert_v1_Secret_To_core_Secret)", () => {
  it("writes stringData over data, encoded, sorted by key, and drops stringData", () => {
    const merged = mergeStringData(secret({ data: { user: b64("admin"), host: "ZGI=" }, stringData: { user: "root", port: "5432" } }));
    expect(merged).toEqual({ apiVersion: "v1", kind: "Secret", metadata: { name: "creds", namespace: "default" }, type: "Opaque", data: { host: "ZGI=", port: b64("5432"), user: b64("root") } });
    expect(Object.keys(merged.data!)).toEqual(["host", "port", "user"]);
  });

  it("creates data from stringData alone and stores data in canonical base64", () => {
    expect(mergeStringData(secret({ data: undefined, stringData: { token: "t0k" } })).data).toEqual({ token: b64("t0k") });
    expect(mergeStringData(secret({ data: { a: "YWJj\nZGVm" } })).data).toEqual({ a: "YWJjZGVm" });
  });

  it("defaults the type to Opaque", () => {
    expect(defaultSecret(secret({ type: undefined })).type).toBe("Opaque");
  });
});

describe("IsConfigMapKey", () => {
  it.each<[string, string[]]>([
    ["key.name", []],
    ["KEY_NAME", []],
    ["bad key", [KEY_MESSAGE]],
    ["", [KEY_MESSAGE]],
    [".", ["must not be '.'"]],
    ["..", ["must not be '..'"]],
    ["..data", ["must not start with '..'"]],
    ["k".repeat(254), ["must be no more than 253 characters"]],
    ["a/b", [KEY_MESSAGE]],
  ])("%j", (key, messages) => {
    expect(configMapKeyProblems(key)).toEqual(messages);
  });
});

describe("validateSecret", () => {
  it.each<[string, Partial<SecretObject>, string[]]>([
    ["a valid Opaque secret", {}, []],
    ["no type (Opaque)", { type: undefined }, []],
    ["an unknown type needs nothing", { type: "example.com/custom" }, []],
    ["a bad key", { data: { "bad key": b64("x") } }, [`data[bad key]: Invalid value: "bad key": ${KEY_MESSAGE}`]],
    ["a key starting with ..", { stringData: { "..data": "x" } }, [`data[..data]: Invalid value: "..data": must not start with '..'`]],
    // 1 MiB + 1 decoded bytes; the base64 text is longer, but the limit is on bytes.
    ["over 1 MiB", { data: { big: Buffer.alloc(1024 * 1024 + 1).toString("base64") } }, ["data: Too long: must have at most 1048576 bytes"]],
    ["exactly 1 MiB", { data: { big: Buffer.alloc(1024 * 1024).toString("base64") } }, []],
    ["service-account-token without the annotation", { type: "kubernetes.io/service-account-token", data: {} }, ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]],
    ["service-account-token with it", { type: "kubernetes.io/service-account-token", metadata: { name: "t", namespace: "default", annotations: { "kubernetes.io/service-account.name": "default" } } }, []],
    ["dockercfg without .dockercfg", { type: "kubernetes.io/dockercfg" }, ["data[.dockercfg]: Required value"]],
    ["dockercfg with JSON", { type: "kubernetes.io/dockercfg", stringData: { ".dockercfg": '{"registry.example.com":{"auth":"eA=="}}' } }, []],
    ["dockerconfigjson without its key", { type: "kubernetes.io/dockerconfigjson" }, ["data[.dockerconfigjson]: Required value"]],
    ["dockerconfigjson not JSON", { type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": "auths: {}" } }, [`data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'a' looking for beginning of value`]],
    ["dockerconfigjson cut short", { type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": '{"auths": {' } }, [`data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input`]],
    ["dockerconfigjson a list", { type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": "[]" } }, [`data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}`]],
    ["basic-auth with neither", { type: "kubernetes.io/basic-auth" }, ["data[username]: Required value", "data[password]: Required value"]],
    ["basic-auth with an empty password", { type: "kubernetes.io/basic-auth", data: { password: "" } }, []],
    ["ssh-auth without the key", { type: "kubernetes.io/ssh-auth" }, ["data[ssh-privatekey]: Required value"]],
    ["ssh-auth with an empty key", { type: "kubernetes.io/ssh-auth", data: { "ssh-privatekey": "" } }, ["data[ssh-privatekey]: Required value"]],
    ["tls without the key", { type: "kubernetes.io/tls", stringData: { "tls.crt": "CERT" } }, ["data[tls.key]: Required value"]],
    ["tls without both", { type: "kubernetes.io/tls" }, ["data[tls.crt]: Required value", "data[tls.key]: Required value"]],
    ["tls with both (stringData counts)", { type: "kubernetes.io/tls", stringData: { "tls.crt": "CERT", "tls.key": "KEY" } }, []],
    ["a bad name", { metadata: { name: "Creds", namespace: "default" } }, [`metadata.name: Invalid value: "Creds": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`]],
  ])("%s", (_name, edit, expected) => {
    expect(texts(validateSecret(secret(edit)))).toEqual(expected);
  });
});

describe("validateConfigMap", () => {
  it.each<[string, Partial<ConfigMapObject>, string[]]>([
    ["a valid config map", {}, []],
    ["a bad key", { data: { "bad key": "v" } }, [`data[bad key]: Invalid value: "bad key": ${KEY_MESSAGE}`]],
    ["a bad binaryData key", { binaryData: { "..bin": b64("x") } }, [`binaryData[..bin]: Invalid value: "..bin": must not start with '..'`]],
    ["a key in both", { data: { k: "v" }, binaryData: { k: b64("v") } }, [`data[k]: Invalid value: "k": duplicate of key present in binaryData`]],
    // The whole object: field.NewPath("") prints as "[]".
    ["over 1 MiB across data and binaryData", { data: { a: "x".repeat(1024 * 1024) }, binaryData: { b: b64("y") } }, ["[]: Too long: must have at most 1048576 bytes"]],
    // "é" is 2 bytes: 524288 of them are 1 MiB exactly.
    ["exactly 1 MiB of UTF-8", { data: { a: "é".repeat(512 * 1024) } }, []],
    ["one byte over in UTF-8", { data: { a: "é".repeat(512 * 1024) + "x" } }, ["[]: Too long: must have at most 1048576 bytes"]],
  ])("%s", (_name, edit, expected) => {
    expect(texts(validateConfigMap(configMap(edit)))).toEqual(expected);
  });
});

describe("validateSecretUpdate", () => {
  it.each<[string, Partial<SecretObject>, Partial<SecretObject>, string[]]>([
    ["a data change on a mutable secret", {}, { data: { user: b64("root") } }, []],
    ["a type change", {}, { type: "kubernetes.io/tls", stringData: { "tls.crt": "C", "tls.key": "K" } }, [`type: Invalid value: "kubernetes.io/tls": field is immutable`]],
    ["an immutable secret's data", { immutable: true }, { immutable: true, data: { user: b64("root") } }, [`data: ${IMMUTABLE}`]],
    ["an immutable secret's data through stringData", { immutable: true }, { immutable: true, stringData: { user: "root" } }, [`data: ${IMMUTABLE}`]],
    ["the same bytes in another base64 layout", { immutable: true }, { immutable: true, data: { user: "YWRt\naW4=" } }, []],
    ["unsetting immutable", { immutable: true }, { immutable: false }, [`immutable: ${IMMUTABLE}`]],
    ["dropping immutable and changing data", { immutable: true }, { immutable: undefined, data: {} }, [`immutable: ${IMMUTABLE}`, `data: ${IMMUTABLE}`]],
    ["setting immutable", {}, { immutable: true }, []],
  ])("%s", (_name, oldEdit, nextEdit, expected) => {
    expect(texts(validateSecretUpdate(secret(nextEdit), secret(oldEdit)))).toEqual(expected);
  });

  it("validates the new object too", () => {
    expect(texts(validateSecretUpdate(secret({ data: { "bad key": "" } }), secret()))).toEqual([`data[bad key]: Invalid value: "bad key": ${KEY_MESSAGE}`]);
  });
});

describe("validateConfigMapUpdate", () => {
  it.each<[string, Partial<ConfigMapObject>, Partial<ConfigMapObject>, string[]]>([
    ["a mutable change", {}, { data: { "app.properties": "a=2" } }, []],
    ["an immutable data change", { immutable: true }, { immutable: true, data: { "app.properties": "a=2" } }, [`data: ${IMMUTABLE}`]],
    ["an immutable binaryData change", { immutable: true }, { immutable: true, binaryData: { b: b64("x") } }, [`binaryData: ${IMMUTABLE}`]],
    ["unsetting immutable", { immutable: true }, { immutable: false }, [`immutable: ${IMMUTABLE}`]],
    ["metadata only", { immutable: true }, { immutable: true, metadata: { name: "conf", namespace: "default", labels: { app: "web" } } }, []],
  ])("%s", (_name, oldEdit, nextEdit, expected) => {
    expect(texts(validateConfigMapUpdate(configMap(nextEdit), configMap(oldEdit)))).toEqual(expected);
  });
});

describe("json.Unmarshal errors (encoding/json scanner)", () => {
  it.each<[string, string | undefined]>([
    ['{"auths":{}}', undefined],
    [" null ", undefined],
    ["", "unexpected end of JSON input"],
    ["{", "unexpected end of JSON input"],
    ["{x", "invalid character 'x' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b"', `invalid character '"' after object key:value pair`],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ["[1 2]", "invalid character '2' after array element"],
    ["{}}", "invalid character '}' after top-level value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
    ['{"a":"\t"}', "invalid character '\\t' in string literal"],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
    ['"s"', "json: cannot unmarshal string into Go value of type map[string]interface {}"],
    ["1", "json: cannot unmarshal number into Go value of type map[string]interface {}"],
    ["true", "json: cannot unmarshal bool into Go value of type map[string]interface {}"],
  ])("%j", (input, expected) => {
    expect(goJsonObjectError(Buffer.from(input, "utf8"))).toBe(expected);
  });
});

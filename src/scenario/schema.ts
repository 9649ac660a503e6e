/**
 * The scenario JSON Schema (schemas/scenario.schema.json), compiled once with ajv, and the translation of ajv's
 * errors into messages that say what is wrong and what was expected, at the offending node.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parseCidr } from "../api/cidr.js";
import { parseResourceList } from "../api/quantity.js";
import { parseDuration } from "../engine/duration.js";
import { parseDistribution } from "../workload/distribution.js";
import { describeValue, fieldPath, unknownKeyMessage, type Diagnostics } from "./errors.js";
import { parseLimitValue } from "./limits.js";
import { parseRfc3339Time } from "./time.js";
import type { YamlSource } from "./yaml-source.js";

/** A JSON Schema node, loosely typed: the parts of draft-07 this project uses. */
export interface SchemaNode {
  $ref?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  items?: SchemaNode;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  if?: SchemaNode;
  then?: SchemaNode;
  definitions?: Record<string, SchemaNode>;
  [k: string]: unknown;
}

let cachedSchema: SchemaNode | undefined;
let cachedValidate: ValidateFunction | undefined;

/** The scenario schema, read from schemas/scenario.schema.json next to src/ (or dist/). */
export function scenarioSchema(): SchemaNode {
  cachedSchema ??= JSON.parse(
    readFileSync(new URL("../../schemas/scenario.schema.json", import.meta.url), "utf8"),
  ) as SchemaNode;
  return cachedSchema;
}

/**
 * The schema keyword that hands a value to k8sim's own parser: `"k8simValue": "duration"` accepts exactly what
 * `parseDuration` accepts, and so on. The schema and the loader therefore agree by construction: there is no
 * regular expression to drift from the parser. Other JSON Schema tools ignore the keyword (draft-07 allows
 * unknown keywords), so for them these definitions only constrain the type.
 */
export const VALUE_KEYWORD = "k8simValue";

/** The compiled schema, with the `k8simValue` keyword. */
function validator(): ValidateFunction {
  if (!cachedValidate) {
    // strictNumbers: type number/integer refuses NaN and ±Infinity (YAML .nan, .inf, 1e400).
    const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false, allowUnionTypes: true, strictNumbers: true });
    ajv.addKeyword({
      keyword: VALUE_KEYWORD,
      type: ["string", "number"],
      schemaType: "string",
      validate: (kind: string, data: unknown) => {
        const check = Object.hasOwn(VALUE_CHECKS, kind) ? VALUE_CHECKS[kind] : undefined;
        if (!check) throw new Error(`schema: unknown ${VALUE_KEYWORD} ${JSON.stringify(kind)}`);
        return check(data) === undefined;
      },
    });
    cachedValidate = ajv.compile(scenarioSchema());
  }
  return cachedValidate;
}

/** True when the schema accepts `value` (used by tests that compare the schema with the parsers). */
export function schemaAccepts(value: unknown): boolean {
  return validator()(value) === true;
}

/** Follows a `$ref` to `#/definitions/<name>` (the only kind of reference the schema uses). */
export function deref(node: SchemaNode): SchemaNode {
  let n = node;
  while (n.$ref) {
    const name = n.$ref.replace("#/definitions/", "");
    const target = scenarioSchema().definitions?.[name];
    if (!target) throw new Error(`schema: dangling $ref ${n.$ref}`);
    n = { ...target, ...n, $ref: undefined, description: n.description ?? target.description };
    if (target.$ref) n.$ref = target.$ref;
  }
  return n;
}

/** The precise message for a bad Go duration value, or undefined when it is a valid one. */
export function durationProblem(v: unknown): string | undefined {
  if (typeof v === "number" && !Number.isFinite(v)) return `expected a duration such as 250ms, 90s, 5m or 1h30m, got ${yamlNonFinite(v)}`;
  if (typeof v !== "string" && typeof v !== "number") {
    return `expected a duration such as 250ms, 90s, 5m or 1h30m, got ${describeValue(v)}`;
  }
  const r = parseDuration(String(v));
  return r.ok ? undefined : r.error;
}

/** The precise message for a bad resource quantity value (also refusing negatives), or undefined when valid.
 *  Same wording as `parseResourceList`, so a problem found by both the schema and the loader is reported once. */
export function quantityProblem(v: unknown): string | undefined {
  if (typeof v === "number" && !Number.isFinite(v)) return `expected a quantity such as "500m", "2" or "16Gi", got ${yamlNonFinite(v)}`;
  const r = parseResourceList({ quantity: v });
  return r.ok ? undefined : r.errors[0]!.error;
}

/** The precise message for a bad RFC 3339 time (spec.startTime), or undefined when valid. */
export function timeProblem(v: unknown): string | undefined {
  if (typeof v !== "string") return `expected an RFC 3339 time such as 2026-01-01T00:00:00Z, got ${describeValue(v)}`;
  const r = parseRfc3339Time(v);
  return r.ok ? undefined : r.error;
}

/** The precise message for a bad byte size (spec.limits.fileSize, memory), or undefined when valid. */
export function bytesProblem(v: unknown): string | undefined {
  const r = parseLimitValue("fileSize", v);
  return r.ok ? undefined : r.error;
}

/** The precise message for a bad IPv4 CIDR (spec.settings.clusterCIDR), or undefined when valid. */
export function cidrProblem(v: unknown): string | undefined {
  if (typeof v !== "string") return `expected an IPv4 CIDR such as 10.128.0.0/9, got ${describeValue(v)}`;
  const r = parseCidr(v);
  return r.ok ? undefined : r.error;
}

/** The precise message for a bad duration distribution, or undefined when valid. */
export function distributionProblem(v: unknown): string | undefined {
  if (typeof v !== "string" && typeof v !== "number") return `expected a duration such as 30s or a distribution such as exponential(30s), got ${describeValue(v)}`;
  const r = parseDistribution(String(v));
  return r.ok ? undefined : r.error;
}

/** The parsers behind `k8simValue`, by its value. Each is the function the loader itself uses. */
const VALUE_CHECKS: Readonly<Record<string, (v: unknown) => string | undefined>> = {
  duration: durationProblem,
  distribution: distributionProblem,
  quantity: quantityProblem,
  time: timeProblem,
  bytes: bytesProblem,
  cidr: cidrProblem,
};

/** Value checks backed by a parser, keyed by schema definition: the parser's message replaces ajv's. */
const DEFINITION_MESSAGES: Record<string, (v: unknown) => string | undefined> = {
  duration: durationProblem,
  distribution: distributionProblem,
  quantity: quantityProblem,
  rfc3339: timeProblem,
  byteSize: bytesProblem,
  cidr: cidrProblem,
  dnsLabel: (v) =>
    typeof v === "string"
      ? `invalid name ${JSON.stringify(v)}: expected a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`
      : undefined,
  objectRef: (v) =>
    typeof v === "string" ? `invalid object reference ${JSON.stringify(v)}: expected <kind>/<name>, e.g. deployment/web` : undefined,
};

/**
 * What the schema says about a plain number field (`type` integer or number with minimum / maximum) holding `v`,
 * in the words `validateAgainstSchema` uses, or undefined when the schema accepts it. The loader reports a value
 * it cannot use with this, so the two reports of one value are the same line.
 */
export function numberProblem(node: SchemaNode, v: unknown): string | undefined {
  const n = deref(node);
  const type = Array.isArray(n.type) ? n.type.join(",") : (n.type ?? "number");
  const isNumber = typeof v === "number" && Number.isFinite(v);
  if (!isNumber || (type === "integer" && !Number.isInteger(v))) return typeMessage(type, v);
  if (n.minimum !== undefined && v < n.minimum) return `must be at least ${n.minimum}, got ${String(v)}`;
  if (n.maximum !== undefined && v > n.maximum) return `must be at most ${n.maximum}, got ${String(v)}`;
  return undefined;
}

/**
 * Reads a duration the schema describes at `path` of `src`: its milliseconds, or undefined when absent or bad. A
 * bad value is reported at its position with the parser's message, the same line the schema reports, so a value
 * is never dropped without a word even if the schema were to accept it.
 */
export function checkedDuration(src: YamlSource, path: readonly (string | number)[], v: unknown, diags: Diagnostics): number | undefined {
  if (v === undefined) return undefined;
  const problem = durationProblem(v);
  if (problem !== undefined) {
    diags.error(src.where(path), `${fieldPath(path.map(String))}: ${problem}`);
    return undefined;
  }
  const r = parseDuration(String(v));
  return r.ok ? r.value : undefined;
}

/** Messages for `oneOf` alternatives, keyed by the schema path of the oneOf. */
const ONE_OF_MESSAGES: Record<string, string> = {
  "#/properties/spec/properties/workloads/items/oneOf": "expected exactly one of the keys file or manifest",
  "#/properties/spec/properties/timeline/items/oneOf": "expected exactly one of the keys file or manifest",
  "#/properties/spec/properties/expect/items/oneOf": "expected exactly one comparison: ==, !=, >=, <=, > or <",
};

/**
 * Validates the scenario's JS value against the schema and reports every violation at its node. Returns true
 * when the value matches the schema.
 */
export function validateAgainstSchema(value: unknown, src: YamlSource, diags: Diagnostics): boolean {
  const validate = validator();
  if (validate(value)) return true;
  for (const e of validate.errors ?? []) {
    const r = translate(e);
    if (!r) continue;
    // Name the field, so a message read on its own still says which value is wrong.
    const message = r.atKey || r.path.length === 0 ? r.message : `${fieldPath(r.path)}: ${r.message}`;
    diags.error(src.where(r.path, r.atKey), message);
  }
  return false;
}


function pointerToPath(p: string): string[] {
  return p === "" ? [] : p.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function translate(e: ErrorObject): { path: string[]; message: string; atKey?: boolean } | undefined {
  const path = pointerToPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  // Errors of alternatives are summarised by the oneOf/if that holds them.
  if (e.keyword === "if" || /\/oneOf\/\d+\//.test(e.schemaPath)) return undefined;
  const def = /^#\/definitions\/(\w+)\//.exec(e.schemaPath)?.[1];
  const special = def ? DEFINITION_MESSAGES[def]?.(e.data) : undefined;
  if (special) return { path, message: special };
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as SchemaNode | undefined)?.properties ?? {});
      return { path: [...path, key], atKey: true, message: unknownKeyMessage(key, allowed) };
    }
    case "required":
      return { path, message: `missing required key ${JSON.stringify(params.missingProperty)}` };
    case "type":
      return { path, message: typeMessage(String(params.type), e.data) };
    case "const":
      return { path, message: `expected ${JSON.stringify(params.allowedValue)}, got ${describeValue(e.data)}` };
    case "enum":
      return {
        path,
        message: `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}; got ${describeValue(e.data)}`,
      };
    case "minimum":
      return { path, message: `must be at least ${String(params.limit)}, got ${String(e.data)}` };
    case "maximum":
      return { path, message: `must be at most ${String(params.limit)}, got ${String(e.data)}` };
    case "minLength":
      return { path, message: "must not be empty" };
    case "minItems":
      return { path, message: `expected at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}, got an empty list` };
    case "maxLength":
      return { path, message: `must be at most ${String(params.limit)} characters long` };
    case "oneOf": {
      const msg = ONE_OF_MESSAGES[e.schemaPath.replace(/\/allOf\/\d+\/then/, "")];
      return { path, message: msg ?? `must match exactly one alternative (${e.message ?? ""})` };
    }
    case "pattern":
      return { path, message: `invalid value ${JSON.stringify(e.data)}: expected to match ${String(params.pattern)}` };
    default:
      return { path, message: e.message ?? `failed ${e.keyword}` };
  }
}

/** "expected an integer, got string "x"": the message for a value of the wrong JSON type. */
function typeMessage(type: string, v: unknown): string {
  if (typeof v === "number" && !Number.isFinite(v)) {
    return `expected ${typeName(type)} (a finite number), got ${yamlNonFinite(v)}`;
  }
  return `expected ${typeName(type)}, got ${describeValue(v)}`;
}

/** NaN and ±Infinity as YAML writes them (describeValue would print JSON's null). */
function yamlNonFinite(v: number): string {
  return Number.isNaN(v) ? ".nan" : v > 0 ? ".inf" : "-.inf";
}

function typeName(t: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    integer: "an integer",
    number: "a number",
    boolean: "true or false",
  };
  return t
    .split(",")
    .map((x) => names[x] ?? x)
    .join(" or ");
}

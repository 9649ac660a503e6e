/**
 * Builds schemas/kubernetes/v1.34.json, the strict-decoding schemas of src/api/openapi/strict-decode.ts, from the
 * generated models of the official JavaScript client, @kubernetes/client-node (pinned in package.json). Each model
 * class carries an `attributeTypeMap` ([{name, baseName, type, format}]) that OpenAPI Generator derived from the
 * Kubernetes OpenAPI spec; every model file's header names the spec version, which must be v1.34.0.
 *
 * The generated models lose two pieces of upstream type information, restored here from one documented table
 * (UPSTREAM_FIELD_TYPES): which string-typed fields are resource.Quantity, and the Go names of named map types.
 * Everything else (field names, nesting, int32/int64/double, int-or-string, date-time, byte) is read from the package.
 *
 * Pure apart from reading the installed package: `buildSchemas()` returns the same object for the same package, so
 * test/strict-decode.test.ts can compare it with the committed file.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

/** The client-node release the schemas come from (must equal the exact pin in package.json). */
export const CLIENT_NODE_VERSION = "1.4.0";
/** The Kubernetes release whose OpenAPI spec client-node 1.4.0 was generated from. */
export const KUBERNETES_VERSION = "1.34.0";

/** One model field as client-node's generator wrote it. */
export interface Attribute {
  /** TypeScript property name (differs from baseName only for reserved words: `_default`). */
  name: string;
  /** JSON field name. */
  baseName: string;
  /** TypeScript type: string, number, boolean, any, Date, IntOrString, V1MicroTime, a model, Array<T>, { [key: string]: T; }. */
  type: string;
  /** OpenAPI format: int32, int64, double, byte, date-time, date-time-micro, int-or-string, or "". */
  format: string;
}

/** What buildSchemas needs from the package: model classes by name, and each model file's text for its header. */
export interface ClientNodeModels {
  version: string;
  models: Readonly<Record<string, { attributeTypeMap: readonly Attribute[] }>>;
  /** The spec version written in the header of the model's generated file ("v1.34.0"). */
  specVersionOf(model: string): string;
}

/** A JSON Schema (draft-07) node as written to the schema file. */
export type SchemaNode = { [keyword: string]: unknown };

/** The schema file's contents. */
export interface K8sSchemaFile {
  kubernetesVersion: string;
  source: string;
  /** "<apiVersion>/<Kind>" -> definition name. */
  kinds: Record<string, string>;
  definitions: Record<string, SchemaNode>;
}

/**
 * Every top-level kind of the seven group-versions k8sim serves, with the client-node model that holds it (the
 * model names do not say their group, hence a table). Upstream source: the kinds of the Kubernetes 1.34 OpenAPI
 * spec in these group-versions, cross-checked against the request bodies of client-node's CoreV1Api, AppsV1Api,
 * BatchV1Api, CoordinationV1Api, SchedulingV1Api, PolicyV1Api and DiscoveryV1Api create methods, plus the
 * read-only ComponentStatus. NOTE: *List kinds and the meta/v1 kinds that every group shares (Status,
 * DeleteOptions, WatchEvent, APIResourceList) are left out: they are responses, not manifests one applies.
 * Binding and Eviction are subresource bodies (pods/binding, pods/eviction) that clients do send; TokenRequest,
 * also a core/v1 subresource body, belongs to authentication.k8s.io/v1.
 */
export const KINDS: ReadonlyArray<{ apiVersion: string; kind: string; model: string }> = [
  { apiVersion: "v1", kind: "Binding", model: "V1Binding" },
  { apiVersion: "v1", kind: "ComponentStatus", model: "V1ComponentStatus" },
  { apiVersion: "v1", kind: "ConfigMap", model: "V1ConfigMap" },
  { apiVersion: "v1", kind: "Endpoints", model: "V1Endpoints" },
  // client-node disambiguates core/v1 Event from events.k8s.io/v1 Event by prefixing the group.
  { apiVersion: "v1", kind: "Event", model: "CoreV1Event" },
  { apiVersion: "v1", kind: "LimitRange", model: "V1LimitRange" },
  { apiVersion: "v1", kind: "Namespace", model: "V1Namespace" },
  { apiVersion: "v1", kind: "Node", model: "V1Node" },
  { apiVersion: "v1", kind: "PersistentVolume", model: "V1PersistentVolume" },
  { apiVersion: "v1", kind: "PersistentVolumeClaim", model: "V1PersistentVolumeClaim" },
  { apiVersion: "v1", kind: "Pod", model: "V1Pod" },
  { apiVersion: "v1", kind: "PodTemplate", model: "V1PodTemplate" },
  { apiVersion: "v1", kind: "ReplicationController", model: "V1ReplicationController" },
  { apiVersion: "v1", kind: "ResourceQuota", model: "V1ResourceQuota" },
  { apiVersion: "v1", kind: "Secret", model: "V1Secret" },
  { apiVersion: "v1", kind: "Service", model: "V1Service" },
  { apiVersion: "v1", kind: "ServiceAccount", model: "V1ServiceAccount" },
  { apiVersion: "apps/v1", kind: "ControllerRevision", model: "V1ControllerRevision" },
  { apiVersion: "apps/v1", kind: "DaemonSet", model: "V1DaemonSet" },
  { apiVersion: "apps/v1", kind: "Deployment", model: "V1Deployment" },
  { apiVersion: "apps/v1", kind: "ReplicaSet", model: "V1ReplicaSet" },
  { apiVersion: "apps/v1", kind: "StatefulSet", model: "V1StatefulSet" },
  { apiVersion: "batch/v1", kind: "CronJob", model: "V1CronJob" },
  { apiVersion: "batch/v1", kind: "Job", model: "V1Job" },
  { apiVersion: "coordination.k8s.io/v1", kind: "Lease", model: "V1Lease" },
  { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", model: "V1PriorityClass" },
  { apiVersion: "policy/v1", kind: "Eviction", model: "V1Eviction" },
  { apiVersion: "policy/v1", kind: "PodDisruptionBudget", model: "V1PodDisruptionBudget" },
  { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", model: "V1EndpointSlice" },
];

/** Upstream Go type information that the generated models lost, for one field. */
export interface FieldOverride {
  /** The field's Go type as reflect prints it in encoding/json errors (`v1.ResourceList`). */
  goType: string;
  /** The map's values (or the field itself, for a scalar) are resource.Quantity: a JSON string or number. */
  quantity: boolean;
  /** For a string map that is not a ResourceList: the Go type of its values. */
  valueGoType?: string;
}

const RESOURCE_LIST: FieldOverride = { goType: "v1.ResourceList", quantity: true };
const QUANTITY: FieldOverride = { goType: "resource.Quantity", quantity: true };

/**
 * The one table of upstream knowledge the generator adds, keyed "<model>.<json field>". client-node types
 * resource.Quantity as `string` and ResourceList (`type ResourceList map[ResourceName]resource.Quantity`) as
 * `{ [key: string]: string; }`, yet the API server also accepts a JSON number there (Quantity.UnmarshalJSON parses
 * `cpu: 1`). Upstream source: kubernetes/api core/v1/types.go at v0.34.0 (k8s.io/api for Kubernetes 1.34): the
 * fields declared `ResourceList` or `resource.Quantity` / `*resource.Quantity`. The candidates were every string and
 * string-map field reachable from KINDS (apps/v1, batch/v1, coordination.k8s.io/v1, scheduling.k8s.io/v1, policy/v1
 * and discovery.k8s.io/v1 declare no Quantity of their own; they reach these through PodTemplateSpec and
 * PersistentVolumeClaimSpec). buildSchemas fails if an entry names no such field.
 *
 * The last entry only restores a Go type name for messages: `allocatedResourceStatuses` is
 * `map[ResourceName]ClaimResourceStatus`. NOTE: other named string types (v1.Protocol, v1.RestartPolicy, ...) are
 * reported as `string`; client-node does not keep them and listing them all would be a second schema by hand.
 */
export const UPSTREAM_FIELD_TYPES: Readonly<Record<string, FieldOverride>> = {
  "V1ContainerStatus.allocatedResources": RESOURCE_LIST,
  "V1EmptyDirVolumeSource.sizeLimit": QUANTITY,
  "V1LimitRangeItem.default": RESOURCE_LIST,
  "V1LimitRangeItem.defaultRequest": RESOURCE_LIST,
  "V1LimitRangeItem.max": RESOURCE_LIST,
  "V1LimitRangeItem.maxLimitRequestRatio": RESOURCE_LIST,
  "V1LimitRangeItem.min": RESOURCE_LIST,
  "V1NodeStatus.allocatable": RESOURCE_LIST,
  "V1NodeStatus.capacity": RESOURCE_LIST,
  "V1PersistentVolumeClaimStatus.allocatedResources": RESOURCE_LIST,
  "V1PersistentVolumeClaimStatus.capacity": RESOURCE_LIST,
  "V1PersistentVolumeSpec.capacity": RESOURCE_LIST,
  "V1PodSpec.overhead": RESOURCE_LIST,
  "V1ResourceFieldSelector.divisor": QUANTITY,
  "V1ResourceQuotaSpec.hard": RESOURCE_LIST,
  "V1ResourceQuotaStatus.hard": RESOURCE_LIST,
  "V1ResourceQuotaStatus.used": RESOURCE_LIST,
  "V1ResourceRequirements.limits": RESOURCE_LIST,
  "V1ResourceRequirements.requests": RESOURCE_LIST,
  "V1VolumeResourceRequirements.limits": RESOURCE_LIST,
  "V1VolumeResourceRequirements.requests": RESOURCE_LIST,
  "V1PersistentVolumeClaimStatus.allocatedResourceStatuses": {
    goType: "map[v1.ResourceName]v1.ClaimResourceStatus",
    quantity: false,
    valueGoType: "v1.ClaimResourceStatus",
  },
};

/** int32 bounds: encoding/json refuses a number that overflows the field (v.OverflowInt). */
const INT32 = { minimum: -2147483648, maximum: 2147483647 };
const STRING_MAP = "{ [key: string]: string; }";
const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;
// client-node's names: V1Pod, V1beta1X, or a group prefix where two groups share a name (CoreV1Event).
const MODEL_NAME = /^(?:[A-Z][a-z]+)*V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/;

/** The Go struct name of a model: V1DeploymentSpec -> DeploymentSpec, CoreV1EndpointPort -> EndpointPort. */
export function goStructName(model: string): string {
  const m = MODEL_NAME.exec(model);
  if (!m) throw new Error(`k8s-schemas: cannot derive a Go struct name from model ${model}`);
  return model.slice(m[0].length);
}

/** The Go package name of a model. Every package these kinds reach (core/v1, apps/v1, ..., meta/v1) is `v1`. */
function goPackage(model: string): string {
  const m = /V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/.exec(model);
  if (!m) throw new Error(`k8s-schemas: cannot derive a Go package from model ${model}`);
  return m[0].toLowerCase();
}

const nullable = (...types: string[]): string[] => [...types, "null"];

/**
 * The schemas of the served kinds and of every definition they reach. Throws on anything the mapping does not
 * know (a new TypeScript type, a table entry that names no field, a model of another spec version): the data must
 * not silently drift from the pinned package.
 */
export function buildSchemasFrom(pkg: ClientNodeModels): K8sSchemaFile {
  if (pkg.version !== CLIENT_NODE_VERSION) {
    throw new Error(`k8s-schemas: @kubernetes/client-node is ${pkg.version}, expected ${CLIENT_NODE_VERSION}`);
  }
  const definitions: Record<string, SchemaNode> = {};
  const usedOverrides = new Set<string>();
  const pending: string[] = [];
  const modelOf = (name: string) => {
    const model = Object.hasOwn(pkg.models, name) ? pkg.models[name] : undefined;
    return model && Array.isArray(model.attributeTypeMap) ? model : undefined;
  };

  const fieldSchema = (type: string, format: string, where: string): SchemaNode => {
    let m: RegExpExecArray | null;
    if ((m = ARRAY.exec(type))) {
      const items = fieldSchema(m[1]!, format, where);
      return { type: nullable("array"), items, "x-go-type": `[]${goTypeOf(items)}` };
    }
    if ((m = MAP.exec(type))) {
      const values = fieldSchema(m[1]!, format, where);
      return { type: nullable("object"), additionalProperties: values, "x-go-type": `map[string]${goTypeOf(values)}` };
    }
    switch (type) {
      case "string":
        // []byte is base64 text in JSON; reflect prints the type as []uint8.
        return { type: nullable("string"), "x-go-type": format === "byte" ? "[]uint8" : "string" };
      case "boolean":
        return { type: nullable("boolean"), "x-go-type": "bool" };
      case "number":
        if (format === "int32") return { type: nullable("integer"), ...INT32, "x-go-type": "int32" };
        if (format === "int64") return { type: nullable("integer"), "x-go-type": "int64" };
        if (format === "double") return { type: nullable("number"), "x-go-type": "float64" };
        throw new Error(`k8s-schemas: ${where}: number with unknown format ${JSON.stringify(format)}`);
      case "Date":
        if (format !== "date-time") throw new Error(`k8s-schemas: ${where}: Date with format ${format}`);
        return { type: nullable("string"), "x-go-type": "v1.Time" };
      case "V1MicroTime":
        return { type: nullable("string"), "x-go-type": "v1.MicroTime" };
      case "IntOrString":
        // The generator keeps int-or-string both as the type name and as the format; insist on both.
        if (format !== "int-or-string") throw new Error(`k8s-schemas: ${where}: IntOrString with format ${format}`);
        return { type: nullable("integer", "string"), ...INT32, "x-go-type": "intstr.IntOrString" };
      case "any":
        // runtime.RawExtension, FieldsV1: any JSON value.
        return {};
    }
    if (modelOf(type)) {
      pending.push(type);
      return { $ref: `#/definitions/${type}` };
    }
    throw new Error(`k8s-schemas: ${where}: unknown type ${JSON.stringify(type)}`);
  };

  const goTypeOf = (schema: SchemaNode): string => {
    if (typeof schema.$ref === "string") {
      const model = schema.$ref.slice("#/definitions/".length);
      return `${goPackage(model)}.${goStructName(model)}`;
    }
    return typeof schema["x-go-type"] === "string" ? schema["x-go-type"] : "interface {}";
  };

  const withOverride = (model: string, attr: Attribute): SchemaNode => {
    const key = `${model}.${attr.baseName}`;
    const where = key;
    const override = Object.hasOwn(UPSTREAM_FIELD_TYPES, key) ? UPSTREAM_FIELD_TYPES[key] : undefined;
    if (!override) return fieldSchema(attr.type, attr.format, where);
    usedOverrides.add(key);
    const quantity = { type: nullable("string", "number"), "x-go-type": "resource.Quantity" };
    if (override.quantity && attr.type === "string") return quantity;
    if (attr.type !== STRING_MAP) throw new Error(`k8s-schemas: ${where} is ${attr.type}, not a string map`);
    const values = override.quantity
      ? quantity
      : { ...fieldSchema("string", attr.format, where), "x-go-type": override.valueGoType ?? "string" };
    return { type: nullable("object"), additionalProperties: values, "x-go-type": override.goType };
  };

  const kinds: Record<string, string> = {};
  for (const k of KINDS) {
    const attrs = modelOf(k.model)?.attributeTypeMap.map((a) => a.baseName) ?? [];
    if (!attrs.includes("apiVersion") || !attrs.includes("kind") || !attrs.includes("metadata")) {
      throw new Error(`k8s-schemas: ${k.model} (${k.apiVersion} ${k.kind}) is not a top-level kind in client-node`);
    }
    kinds[`${k.apiVersion}/${k.kind}`] = k.model;
    pending.push(k.model);
  }

  while (pending.length > 0) {
    const name = pending.pop()!;
    if (Object.hasOwn(definitions, name)) continue;
    const spec = pkg.specVersionOf(name);
    if (spec !== `v${KUBERNETES_VERSION}`) {
      throw new Error(`k8s-schemas: ${name} was generated from OpenAPI spec ${spec}, expected v${KUBERNETES_VERSION}`);
    }
    const properties: Record<string, SchemaNode> = {};
    // Reserve the slot first so that a recursive reference does not enqueue the model again.
    definitions[name] = {};
    for (const attr of modelOf(name)!.attributeTypeMap) properties[attr.baseName] = withOverride(name, attr);
    definitions[name] = {
      type: nullable("object"),
      additionalProperties: false,
      properties,
      "x-go-name": goStructName(name),
      "x-go-type": `${goPackage(name)}.${goStructName(name)}`,
    };
  }

  for (const key of Object.keys(UPSTREAM_FIELD_TYPES)) {
    if (!usedOverrides.has(key)) throw new Error(`k8s-schemas: UPSTREAM_FIELD_TYPES names ${key}, which no served kind reaches`);
  }

  return {
    kubernetesVersion: KUBERNETES_VERSION,
    source: `@kubernetes/client-node@${CLIENT_NODE_VERSION} dist/gen/models (OpenAPI spec version: v${KUBERNETES_VERSION}), with scripts/k8s-schemas/build.ts UPSTREAM_FIELD_TYPES`,
    kinds,
    definitions,
  };
}

/** Loads the installed client-node models: the classes of dist/gen/models/all.js and their files' headers. */
export async function loadClientNodeModels(): Promise<ClientNodeModels> {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve("@kubernetes/client-node/package.json");
  const version = (JSON.parse(readFileSync(pkgJson, "utf8")) as { version: string }).version;
  const models = (await import("@kubernetes/client-node/dist/gen/models/all.js")) as unknown as ClientNodeModels["models"];
  const modelsDir = new URL("./dist/gen/models/", pathToFileURL(pkgJson));
  return {
    version,
    models,
    specVersionOf(model: string): string {
      const text = readFileSync(new URL(`${model}.js`, modelsDir), "utf8");
      return /OpenAPI spec version: (\S+)/.exec(text)?.[1] ?? "(none)";
    },
  };
}

/** buildSchemasFrom over the installed, pinned package. */
export async function buildSchemas(): Promise<K8sSchemaFile> {
  return buildSchemasFrom(await loadClientNodeModels());
}

/**
 * The file's text: keys sorted at every level, 2-space indent, arrays of scalars (`"type": ["string", "null"]`) on
 * one line, one final newline, so that diffs stay small and stable.
 */
export function serializeSchemas(file: K8sSchemaFile): string {
  const write = (v: unknown, indent: string): string => {
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.every((x) => x === null || typeof x !== "object")) return `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
      return `[\n${v.map((x) => inner + write(x, inner)).join(",\n")}\n${indent}]`;
    }
    const keys = Object.keys(v).sort();
    if (keys.length === 0) return "{}";
    const rec = v as Record<string, unknown>;
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${write(rec[k], inner)}`).join(",\n")}\n${indent}}`;
  };
  return `${write(file, "")}\n`;
}

/** Where the schema file lives, relative to the repository root. */
export const SCHEMA_FILE = "schemas/kubernetes/v1.34.json";

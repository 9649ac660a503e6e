/**
 * The stored-form invariant of ConfigMaps and Secrets (pkg/apis/core/v1/conversion.go, pkg/registry/core/
 * {configmap,secret}/strategy.go): the API server stores a Secret without stringData and with base64 data, and an
 * object marked immutable keeps its data and stays immutable for as long as it exists.
 */
import { canonicalBase64 } from "../api/defaults/config.js";
import type { ConfigMap, KubeObject, Secret } from "../api/types.js";
import { describe } from "../api/types.js";
import { perWriteCheck } from "./per-write.js";
import { NONE, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The config-data invariant. */
export const CONFIG_DATA: InvariantInfo = {
  name: "config-data",
  statement:
    "a stored Secret has no stringData and only base64 data values; a ConfigMap's binaryData is base64; an immutable ConfigMap or Secret never changes its data and never becomes mutable",
  when: "every-event",
};

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined) => {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b ?? {}, k) && a![k] === b![k]);
};

/**
 * Violations of config-data for one written object (`old` the version it replaced). Pure. Messages name keys, never
 * values: a Secret's values are never printed.
 */
export function configDataViolations(obj: KubeObject, old: KubeObject | undefined, time: number): Violation[] {
  const out: Violation[] = [];
  const report = (message: string) => out.push({ invariant: CONFIG_DATA.name, time, object: describe(obj), message });
  const o = obj as Secret | ConfigMap;
  const encoded = obj.kind === "Secret" ? (o as Secret).data : (o as ConfigMap).binaryData;
  const field = obj.kind === "Secret" ? "data" : "binaryData";
  if (obj.kind === "Secret" && (o as Secret).stringData !== undefined) report("stringData is stored (the API server merges it into data)");
  for (const [k, v] of Object.entries(encoded ?? {})) if (typeof v !== "string" || canonicalBase64(v) === undefined) report(`${field}[${k}] is not base64`);
  if (old !== undefined && (old as Secret | ConfigMap).immutable === true) {
    type Stored = { immutable?: boolean; data?: Record<string, string>; binaryData?: Record<string, string> };
    const was = old as unknown as Stored;
    const now = o as unknown as Stored;
    if (now.immutable !== true) report("an immutable object became mutable");
    if (!sameMap(now.data, was.data) || !sameMap(now.binaryData, was.binaryData)) report("the data of an immutable object changed");
  }
  return out;
}

/** config-data, attributed to the ConfigMap and Secret kinds; judged on every write of either. */
export const CONFIG_DATA_CHECK: InvariantRegistration = {
  ...CONFIG_DATA,
  owners: [{ kind: "ConfigMap" }, { kind: "Secret" }],
  create: (cluster) => perWriteCheck(["ConfigMap", "Secret"], () => cluster.sim.now, (type, obj, old, time) => (type === "DELETED" ? NONE : configDataViolations(obj, old, time))),
};

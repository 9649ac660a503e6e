/**
 * Kubernetes manifests named by a scenario (files, multi-document, or inline objects): parsed with positions and
 * judged as the API server judges them (strict decoding, defaulting, the kind's validation), so a bad manifest
 * fails at load time with its own file:line:column instead of in the middle of a run.
 */
import { isAbsolute, join, dirname, normalize } from "node:path";
import { isServedKind, servedKinds, strictDecode, type DecodeProblem } from "../api/openapi/strict-decode.js";
import { apiVersionOf } from "../api/registry/kind-spec.js";
import { kindSpec, servedKind, validateNew } from "../api/registry/registry.js";
import { checkBehaviorAnnotations } from "./behaviors.js";
import { removedApi, removedApiMessage } from "../api/registry/removed-apis.js";
import { fieldErrorText, plainPath } from "../api/validation/field-errors.js";
import { DEFAULT_SETTINGS, type Settings } from "../settings.js";
import { staticAllocationErrors } from "../api/service/allocations.js";
import type { Service } from "../api/service/types.js";

/** The Service ranges a manifest's fixed clusterIP and nodePorts are checked against (the scenario's settings). */
export type ServiceRanges = Pick<Settings, "serviceClusterIPRange" | "serviceNodePortRange">;
import { isRecord } from "./plain.js";
import { readInputFile, type ReadPolicy } from "./input-file.js";
import { describeValue, type Diagnostics, type Where } from "./errors.js";
import type { LoadedManifest, SourcePos } from "./types.js";
import { parseYaml, type Path, type YamlSource } from "./yaml-source.js";

/** A manifest of a kind k8sim does not simulate yet (Scenario.ignored). */
/** The uid a manifest is prepared under when the scenario loads (the API server assigns the real one at create). */
const LOAD_TIME_UID = "00000000-0000-4000-8000-000000000000";

export interface IgnoredManifest {
  kind: string;
  name: string;
  source: SourcePos;
}

/** What a manifest file or inline object yielded. */
export interface ManifestSet {
  manifests: LoadedManifest[];
  ignored: IgnoredManifest[];
  /** False when some object could not be identified (unreadable file, syntax error, no kind or name): references
   *  to missing objects are then not reported, since the object may well be the unreadable one. */
  complete: boolean;
}

/**
 * The name a manifest file gets in messages: its path joined to the scenario file's folder as the caller gave it
 * (so relative to the working directory when the scenario path was relative).
 */
export function manifestFileName(scenarioFile: string, file: string): string {
  return isAbsolute(file) ? normalize(file) : join(dirname(scenarioFile), file);
}

/**
 * Reads a manifest file named at `ref` (the `file:` value in the scenario) under `files` (the scenario's folder
 * tree and the file size limit) and checks each of its documents. A file that cannot be read is reported at `ref`,
 * without quoting its content. Never throws.
 */
export function loadManifestFile(fileName: string, ref: Where, diags: Diagnostics, files: ReadPolicy, ranges: ServiceRanges = DEFAULT_SETTINGS): ManifestSet {
  const read = readInputFile(fileName, files);
  if (!read.ok) {
    const hint = read.error === "no such file" ? "; expected a path relative to the scenario file's folder" : "";
    diags.error(ref, `cannot read manifest file ${fileName}: ${read.error}${hint}`);
    return { manifests: [], ignored: [], complete: false };
  }
  return loadManifestText(fileName, read.text, diags, ranges);
}

/** Checks each document of a manifest file already read (`k8sim validate` on a manifest file). Never throws. */
export function loadManifestText(fileName: string, text: string, diags: Diagnostics, ranges: ServiceRanges = DEFAULT_SETTINGS): ManifestSet {
  const errorsBefore = diags.errorCount;
  const out: ManifestSet = { manifests: [], ignored: [], complete: true };
  for (const src of parseYaml(fileName, text, diags)) {
    const converted = src.value(diags);
    if (!converted) {
      out.complete = false;
      continue;
    }
    const r = checkManifest(src, [], converted.value, diags, ranges);
    out.manifests.push(...r.manifests);
    out.ignored.push(...r.ignored);
    out.complete &&= r.complete;
  }
  if (out.manifests.length + out.ignored.length === 0 && diags.errorCount > errorsBefore) out.complete = false;
  return out;
}

/**
 * Checks one Kubernetes object (the value at `base` in `src`) as the API server would judge it on create: apiVersion,
 * kind and metadata.name are required; a removed API version is an error naming the version to use; a simulated
 * kind is strictly decoded against the Kubernetes OpenAPI schema (unknown fields and wrong types are errors),
 * defaulted and validated by its registry entry, each problem at its own field with upstream's field path and
 * message; a kind valid upstream but not simulated is returned as ignored, with a warning. An object without a
 * usable kind and name is not returned.
 */
export function checkManifest(src: YamlSource, base: Path, obj: unknown, diags: Diagnostics, ranges: ServiceRanges = DEFAULT_SETTINGS): ManifestSet {
  const none: ManifestSet = { manifests: [], ignored: [], complete: false };
  const errorsBefore = diags.errorCount;
  const at = (p: Path, key = false) => src.where([...base, ...p], key);
  const err = (p: Path, msg: string) => diags.error(at(p), msg);
  if (!isRecord(obj)) {
    // The whole document is this one value: name its type only, since it may be a file that is not YAML at all.
    err([], `expected a Kubernetes object (a mapping with apiVersion, kind and metadata), got ${Array.isArray(obj) ? "a list" : obj === null ? "nothing" : `a ${typeof obj}`}`);
    return none;
  }
  for (const key of ["apiVersion", "kind"] as const) {
    if (obj[key] === undefined) err([], `missing required key "${key}"`);
    else if (typeof obj[key] !== "string" || obj[key] === "") err([key], `expected a non-empty string, got ${describeValue(obj[key])}`);
  }
  const meta = obj.metadata;
  if (meta === undefined) err([], 'missing required key "metadata"');
  else if (!isRecord(meta)) err(["metadata"], `expected a mapping, got ${describeValue(meta)}`);
  else if (meta.name === undefined) err(["metadata"], 'missing required key "name" (generateName is not supported)');
  else if (typeof meta.name !== "string") err(["metadata", "name"], `expected a string, got ${describeValue(meta.name)}`);
  if (diags.errorCount > errorsBefore || !isRecord(meta)) return none;

  const kind = obj.kind as string;
  const apiVersion = obj.apiVersion as string;
  const name = meta.name as string;
  const who = `${kind}/${name}`;
  const where = at([]);
  const source: SourcePos = "file" in where ? where : { file: src.file, line: 1, col: 1 };
  /** Reports decoding problems, each at its field (an unknown field at its key, a wrong type at its value). */
  const reportDecoding = (problems: DecodeProblem[]) => {
    for (const d of problems) {
      const w = at(d.path, d.reason === "unknown-field");
      diags.error(w, d.reason === "unknown-field" ? `${who}: strict decoding error: ${d.message}` : `${who}: ${d.message}`);
    }
    return problems.length;
  };
  const removed = removedApi(apiVersion, kind);
  if (removed) {
    err(["apiVersion"], `${who}: ${removedApiMessage(removed)}`);
    return { manifests: [], ignored: [], complete: true };
  }
  const spec = servedKind(apiVersion, kind);
  if (!spec) {
    const simulated = kindSpec(kind);
    // The same kind name in another group (events.k8s.io/v1 Event) is another kind, not a wrong version.
    if (simulated && simulated.group === groupOf(apiVersion)) {
      err(["apiVersion"], `${who}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}; expected apiVersion ${apiVersionOf(simulated)}`);
      return { manifests: [], ignored: [], complete: true };
    }
    if (isServedKind(apiVersion, kind)) {
      // A kind of a modelled group-version that is not simulated yet is still judged as the API server would.
      const problems = reportDecoding(strictDecode(apiVersion, kind, obj));
      if (problems === 0) diags.warn(at([]), `${who}: kind ${kind} is not simulated yet; ignored`);
      return { manifests: [], ignored: problems === 0 ? [{ kind, name, source }] : [], complete: true };
    }
    if (servesGroupVersion(apiVersion) && kind !== "List") {
      // kubectl's resource mapping: the group-version is known, so a misspelt kind is no kind at all.
      err(["kind"], `${who}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`);
      return { manifests: [], ignored: [], complete: true };
    }
    diags.warn(at([]), `${who}: kind ${kind} is not simulated yet; ignored`);
    return { manifests: [], ignored: [{ kind, name, source }], complete: true };
  }
  const decoded = strictDecode(apiVersion, kind, obj);
  const unknown = decoded.filter((d) => d.reason === "unknown-field");
  reportDecoding(decoded);
  if (decoded.length > unknown.length) return { manifests: [{ object: obj as LoadedManifest["object"], source }], ignored: [], complete: true };
  if (spec.namespaced && meta.namespace === undefined) meta.namespace = "default";
  const object = obj as unknown as LoadedManifest["object"];
  // As the API server will: decode the body, default it, prepare it for create (under a stand-in uid), validate.
  const body = spec.decode ? spec.decode(object) : { ok: true as const, object };
  if (!body.ok) {
    err(body.path, `${who}: ${body.message}`);
    return { manifests: [{ object, source }], ignored: [], complete: true };
  }
  const defaulted = spec.default ? spec.default(body.object, DEFAULT_SETTINGS) : body.object;
  const prepared = spec.prepareForCreate ? spec.prepareForCreate({ ...defaulted, metadata: { ...defaulted.metadata, uid: LOAD_TIME_UID } }) : defaulted;
  for (const e of validateNew(spec, prepared)) err(plainPath(e.pointer ?? e.path), `${who}: ${fieldErrorText(e)}`);
  // What the API server's allocators would refuse whatever else exists: a nodePort or clusterIP outside the ranges.
  if (spec.kind === "Service") {
    for (const e of staticAllocationErrors(prepared as unknown as Service, ranges)) err(plainPath(e.pointer ?? e.path), `${who}: ${fieldErrorText(e)}`);
  }
  checkBehaviorAnnotations(src, base, object, diags);
  // Returned even with field errors (the load fails anyway), so references to it do not cascade into more errors.
  return { manifests: [{ object, source }], ignored: [], complete: true };
}

/** The group of an apiVersion ("apps/v1" -> "apps", "v1" -> ""). */
function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf("/");
  return i < 0 ? "" : apiVersion.slice(0, i);
}

let groupVersions: ReadonlySet<string> | undefined;

/** Whether the schemas cover this group-version (so every kind it serves is known). */
function servesGroupVersion(apiVersion: string): boolean {
  groupVersions ??= new Set(servedKinds().map((k) => k.apiVersion));
  return groupVersions.has(apiVersion);
}

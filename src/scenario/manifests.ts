/**
 * Kubernetes manifests named by a scenario (files, multi-document, or inline objects): parsed with positions and
 * lightly validated the way the API server would refuse them (pkg/apis/core/validation, pkg/apis/apps/validation),
 * so a bad manifest fails at load time with its own file:line:column instead of in the middle of a run.
 */
import { isRecord } from "./plain.js";
import { matchesSelector } from "../api/selectors.js";
import type { LabelSelector } from "../api/types.js";
import { readInputFile, type ReadPolicy } from "./input-file.js";
import { isAbsolute, join, dirname, normalize } from "node:path";
import { parseResourceList, parseQuantity } from "../api/quantity.js";
import { describeValue, type Diagnostics, type Where } from "./errors.js";
import type { LoadedManifest, SourcePos } from "./types.js";
import { parseYaml, type Path, type YamlSource } from "./yaml-source.js";

/** A manifest of a kind k8sim does not simulate yet (Scenario.ignored). */
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

/** Kinds the simulator creates, with the only apiVersion each is served at. */
export const SUPPORTED_KINDS: Readonly<Record<string, string>> = {
  Namespace: "v1",
  Pod: "v1",
  ReplicaSet: "apps/v1",
  Deployment: "apps/v1",
};

/** DNS-1123 label (k8s.io/apimachinery/pkg/util/validation IsDNS1123Label). */
export const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain (IsDNS1123Subdomain). */
export const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

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
export function loadManifestFile(fileName: string, ref: Where, diags: Diagnostics, files: ReadPolicy): ManifestSet {
  const read = readInputFile(fileName, files);
  if (!read.ok) {
    const hint = read.error === "no such file" ? "; expected a path relative to the scenario file's folder" : "";
    diags.error(ref, `cannot read manifest file ${fileName}: ${read.error}${hint}`);
    return { manifests: [], ignored: [], complete: false };
  }
  return loadManifestText(fileName, read.text, diags);
}

/** Checks each document of a manifest file already read (`k8sim validate` on a manifest file). Never throws. */
export function loadManifestText(fileName: string, text: string, diags: Diagnostics): ManifestSet {
  const errorsBefore = diags.errorCount;
  const out: ManifestSet = { manifests: [], ignored: [], complete: true };
  for (const src of parseYaml(fileName, text, diags)) {
    const converted = src.value(diags);
    if (!converted) {
      out.complete = false;
      continue;
    }
    const r = checkManifest(src, [], converted.value, diags);
    out.manifests.push(...r.manifests);
    out.ignored.push(...r.ignored);
    out.complete &&= r.complete;
  }
  if (out.manifests.length + out.ignored.length === 0 && diags.errorCount > errorsBefore) out.complete = false;
  return out;
}

/**
 * Checks one Kubernetes object (the value at `base` in `src`): apiVersion, kind and metadata.name are required;
 * Namespace, Pod, ReplicaSet and Deployment are validated further and returned with metadata.namespace defaulted to
 * "default"; other kinds are returned as ignored, with a warning. Errors go to `diags`; an object without a usable
 * kind and name is not returned.
 */
export function checkManifest(src: YamlSource, base: Path, obj: unknown, diags: Diagnostics): ManifestSet {
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
  const name = meta.name as string;
  const where = at([]);
  const source: SourcePos = "file" in where ? where : { file: src.file, line: 1, col: 1 };
  const apiVersion = Object.hasOwn(SUPPORTED_KINDS, kind) ? SUPPORTED_KINDS[kind] : undefined;
  if (apiVersion === undefined) {
    diags.warn(at([]), `${kind}/${name}: kind ${kind} is not simulated yet; ignored`);
    return { manifests: [], ignored: [{ kind, name, source }], complete: true };
  }
  if (obj.apiVersion !== apiVersion) {
    err(["apiVersion"], `${kind} is served at apiVersion ${apiVersion}, got ${JSON.stringify(obj.apiVersion)}`);
  }
  const c = new Checker(src, base, diags);
  if (kind === "Namespace") {
    c.name(["metadata", "name"], name, "label");
  } else {
    c.name(["metadata", "name"], name, "subdomain");
    if (meta.namespace === undefined) meta.namespace = "default";
    else if (typeof meta.namespace !== "string") err(["metadata", "namespace"], `expected a string, got ${describeValue(meta.namespace)}`);
    else c.name(["metadata", "namespace"], meta.namespace, "label");
  }
  c.labels(["metadata", "labels"], meta.labels);
  if (kind === "Pod") c.podSpec(["spec"], obj.spec);
  if (kind === "Deployment" || kind === "ReplicaSet") c.workloadSpec(obj.spec);
  // Returned even with field errors (the load fails anyway), so references to it do not cascade into more errors.
  return { manifests: [{ object: obj as LoadedManifest["object"], source }], ignored: [], complete: true };
}


/** Field checks of one object, reporting at paths relative to the object. */
class Checker {
  constructor(
    private readonly src: YamlSource,
    private readonly base: Path,
    private readonly diags: Diagnostics,
  ) {}

  private err(p: Path, msg: string): void {
    this.diags.error(this.src.where([...this.base, ...p]), msg);
  }

  name(p: Path, v: string, form: "label" | "subdomain"): void {
    const ok = form === "label" ? DNS_LABEL_RE.test(v) && v.length <= 63 : DNS_SUBDOMAIN_RE.test(v) && v.length <= 253;
    if (!ok) {
      this.err(
        p,
        form === "label"
          ? `invalid name ${JSON.stringify(v)}: expected a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`
          : `invalid name ${JSON.stringify(v)}: expected a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)`,
      );
    }
  }

  labels(p: Path, v: unknown): void {
    if (v === undefined) return;
    if (!isRecord(v)) return this.err(p, `expected a mapping of label keys to string values, got ${describeValue(v)}`);
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== "string") this.err([...p, k], `label values must be strings (quote it), got ${describeValue(val)}`);
    }
  }

  /** apps/v1 DeploymentSpec / ReplicaSetSpec: replicas, selector matching the template, and the pod template. */
  workloadSpec(spec: unknown): void {
    if (spec === undefined) return this.err([], 'missing required key "spec"');
    if (!isRecord(spec)) return this.err(["spec"], `expected a mapping, got ${describeValue(spec)}`);
    if (spec.replicas !== undefined && !(Number.isInteger(spec.replicas) && (spec.replicas as number) >= 0)) {
      this.err(["spec", "replicas"], `expected an integer >= 0, got ${describeValue(spec.replicas)}`);
    }
    const selector = this.selector(["spec", "selector"], spec.selector);
    const tpl = spec.template;
    if (tpl === undefined) return this.err(["spec"], 'missing required key "template"');
    if (!isRecord(tpl)) return this.err(["spec", "template"], `expected a mapping, got ${describeValue(tpl)}`);
    const tmeta = isRecord(tpl.metadata) ? tpl.metadata : {};
    this.labels(["spec", "template", "metadata", "labels"], tmeta.labels);
    const labels = isRecord(tmeta.labels) ? (tmeta.labels as Record<string, unknown>) : {};
    if (selector && !matchesSelector(selector, labels as Record<string, string>)) {
      const p = tmeta.labels === undefined ? ["spec", "template"] : ["spec", "template", "metadata", "labels"];
      this.err(p, "selector does not match template labels; expected spec.template.metadata.labels to satisfy spec.selector");
    }
    this.podSpec(["spec", "template", "spec"], tpl.spec);
  }

  /** metav1.LabelSelector; returns it when well-formed and non-empty. */
  private selector(p: Path, sel: unknown): LabelSelector | undefined {
    if (sel === undefined) return void this.err(["spec"], 'missing required key "selector" (apps/v1 requires one)');
    if (!isRecord(sel)) return void this.err(p, `expected a mapping with matchLabels or matchExpressions, got ${describeValue(sel)}`);
    const before = this.diags.errorCount;
    const matchLabels = sel.matchLabels ?? {};
    this.labels([...p, "matchLabels"], matchLabels);
    const exprs = sel.matchExpressions ?? [];
    if (!Array.isArray(exprs)) this.err([...p, "matchExpressions"], `expected a list, got ${describeValue(exprs)}`);
    else {
      exprs.forEach((e, i) => {
        const ep = [...p, "matchExpressions", i];
        if (!isRecord(e) || typeof e.key !== "string") return this.err(ep, "expected {key, operator, values}");
        if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(e.operator as string)) {
          this.err([...ep, "operator"], `expected one of In, NotIn, Exists, DoesNotExist; got ${describeValue(e.operator)}`);
        }
        const needsValues = e.operator === "In" || e.operator === "NotIn";
        if (needsValues && !(Array.isArray(e.values) && e.values.length > 0)) this.err(ep, `operator ${String(e.operator)} requires a non-empty list of values`);
      });
    }
    if (this.diags.errorCount > before || !isRecord(matchLabels) || !Array.isArray(exprs)) return undefined;
    if (Object.keys(matchLabels).length === 0 && exprs.length === 0) {
      return void this.err(p, "empty selector is invalid; expected matchLabels or matchExpressions");
    }
    return { matchLabels: matchLabels as Record<string, string>, matchExpressions: exprs as LabelSelector["matchExpressions"] };
  }

  /** core/v1 PodSpec: a non-empty list of containers with name and image, and resource quantities that parse. */
  podSpec(p: Path, spec: unknown): void {
    if (spec === undefined) return this.err(p.slice(0, -1), `missing required key "spec"`);
    if (!isRecord(spec)) return this.err(p, `expected a mapping, got ${describeValue(spec)}`);
    const containers = spec.containers;
    if (containers === undefined) return this.err(p, 'missing required key "containers"');
    if (!Array.isArray(containers) || containers.length === 0) {
      return this.err([...p, "containers"], `expected a non-empty list of containers, got ${describeValue(containers)}`);
    }
    const names = new Set<string>();
    for (const field of ["initContainers", "containers"] as const) {
      const list = spec[field];
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        this.err([...p, field], `expected a list, got ${describeValue(list)}`);
        continue;
      }
      list.forEach((ctr, i) => this.container([...p, field, i], ctr, names));
    }
  }

  private container(p: Path, ctr: unknown, names: Set<string>): void {
    if (!isRecord(ctr)) return this.err(p, `expected a container mapping with name and image, got ${describeValue(ctr)}`);
    if (ctr.name === undefined) this.err(p, 'missing required key "name"');
    else if (typeof ctr.name !== "string") this.err([...p, "name"], `expected a string, got ${describeValue(ctr.name)}`);
    else {
      this.name([...p, "name"], ctr.name, "label");
      if (names.has(ctr.name)) this.err([...p, "name"], `duplicate container name ${JSON.stringify(ctr.name)}`);
      names.add(ctr.name);
    }
    if (ctr.image === undefined) this.err(p, 'missing required key "image"');
    else if (typeof ctr.image !== "string" || ctr.image === "") this.err([...p, "image"], `expected a non-empty string, got ${describeValue(ctr.image)}`);
    const res = ctr.resources;
    if (res === undefined) return;
    if (!isRecord(res)) return this.err([...p, "resources"], `expected a mapping with requests and limits, got ${describeValue(res)}`);
    const ok = { requests: true, limits: true };
    for (const kind of ["requests", "limits"] as const) {
      const list = res[kind];
      if (list === undefined) continue;
      if (!isRecord(list)) {
        this.err([...p, "resources", kind], `expected a mapping of resource names to quantities, got ${describeValue(list)}`);
        ok[kind] = false;
        continue;
      }
      const r = parseResourceList(list);
      if (!r.ok) {
        ok[kind] = false;
        for (const e of r.errors) this.err([...p, "resources", kind, e.resource], e.error);
      }
    }
    // A request above its limit is refused upstream (ValidateResourceRequirements).
    if (ok.requests && ok.limits && isRecord(res.requests) && isRecord(res.limits)) {
      for (const [name, req] of Object.entries(res.requests)) {
        const lim = res.limits[name];
        if (lim === undefined) continue;
        const rq = parseQuantity(String(req));
        const lq = parseQuantity(String(lim));
        if (rq.ok && lq.ok && rq.value.nanos > lq.value.nanos) {
          this.err(
            [...p, "resources", "requests", name],
            `${name} request ${String(req)} must be less than or equal to the ${name} limit of ${String(lim)}`,
          );
        }
      }
    }
  }
}

/**
 * The workload-model sections of a scenario: spec.behaviors (behavior profiles), spec.images (the image catalog)
 * and the behavior annotations of the manifests' pods, checked with positions and converted for the run.
 */
import { JOB_NAME_LABEL, LEGACY_JOB_NAME_LABEL } from "../api/batch/job-object.js";
import type { ImageCatalogEntry } from "../kubelet/runtime/image-registry.js";
import { annotationBehaviors, BEHAVIOR_ANNOTATION_PREFIX, BEHAVIOR_KEYS, behaviorAnnotation, parseBehavior } from "../workload/behavior.js";
import { parseDistribution } from "../workload/distribution.js";
import { BehaviorResolver, profileMatches, type BehaviorProfile } from "../workload/profiles.js";
import { fitsNumber, parseQuantity, value as quantityValue } from "../api/quantity.js";
import type { LabelSelector, Pod } from "../api/types.js";
import { validateLabelSelector } from "../api/validation/object-meta.js";
import { fieldErrorText, plainPath } from "../api/validation/field-errors.js";
import { fieldPath, type Diagnostics } from "./errors.js";
import { isRecord, list, rec } from "./plain.js";
import type { LoadedManifest } from "./types.js";
import type { Path, YamlSource } from "./yaml-source.js";

/** The keys of a profile besides the behavior's. */
const PROFILE_KEYS = ["name", "selector", "namespaces", "container"];

/** spec.behaviors as profiles; problems in the behaviors are reported at their values (the schema checked shapes). */
export function buildBehaviors(src: YamlSource, raw: unknown, diags: Diagnostics): BehaviorProfile[] {
  const out: BehaviorProfile[] = [];
  const seen = new Map<string, number>();
  list(raw).forEach((item, i) => {
    if (!isRecord(item) || typeof item.name !== "string" || !isRecord(item.selector)) return;
    const path: Path = ["spec", "behaviors", i];
    const first = seen.get(item.name);
    if (first !== undefined) {
      diags.error(src.where([...path, "name"]), `duplicate behavior name ${JSON.stringify(item.name)} (first at behaviors[${first}]); expected unique names`);
      return;
    }
    seen.set(item.name, i);
    // The selector as the API server checks one (metav1validation.ValidateLabelSelector), each problem at its field.
    const selectorErrors = validateLabelSelector(item.selector as LabelSelector, [...path, "selector"]);
    for (const e of selectorErrors) diags.error(src.where(plainPath(e.pointer ?? e.path)), fieldErrorText(e));
    if (selectorErrors.length > 0) return;
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(item)) if (!PROFILE_KEYS.includes(k) && (BEHAVIOR_KEYS as readonly string[]).includes(k)) body[k] = v;
    const r = parseBehavior(body, false);
    for (const p of r.problems) {
      // The schema checks exitCode (an integer 0..255) and memory usages (quantities) fully, in its own words:
      // the parser's line for the same value would be a second report of one problem.
      if (p.path[0] === "exitCode" || p.path[0] === "exitCodes" || (p.path[0] === "memory" && p.path[2] === "usage")) continue;
      diags.error(src.where([...path, ...p.path]), `${fieldPath([...path, ...p.path].map(String))}: ${p.message}`);
    }
    if (r.problems.length > 0) return;
    const profile: { -readonly [K in keyof BehaviorProfile]: BehaviorProfile[K] } = { name: item.name, selector: item.selector as LabelSelector, spec: r.spec };
    if (Array.isArray(item.namespaces)) profile.namespaces = item.namespaces.map(String);
    if (typeof item.container === "string") profile.container = item.container;
    out.push(profile);
  });
  return out;
}

/** spec.images as catalog entries; an image listed twice is an error. */
export function buildImages(src: YamlSource, raw: unknown, diags: Diagnostics): ImageCatalogEntry[] {
  const out: ImageCatalogEntry[] = [];
  const seen = new Map<string, number>();
  list(raw).forEach((item, i) => {
    if (!isRecord(item) || typeof item.image !== "string") return;
    const path: Path = ["spec", "images", i];
    const first = seen.get(item.image);
    if (first !== undefined) {
      diags.error(src.where([...path, "image"]), `duplicate image ${JSON.stringify(item.image)} (first at images[${first}]); expected each image once`);
      return;
    }
    seen.set(item.image, i);
    const e: { -readonly [K in keyof ImageCatalogEntry]: ImageCatalogEntry[K] } = { image: item.image };
    if (item.size !== undefined) {
      const q = parseQuantity(String(item.size));
      if (q.ok && fitsNumber(q.value, false)) e.sizeBytes = quantityValue(q.value);
    }
    if (item.pullTime !== undefined) {
      const d = parseDistribution(String(item.pullTime));
      if (d.ok) e.pullTime = d.value;
    }
    if (item.missing === true) e.missing = true;
    out.push(e);
  });
  return out;
}

/** A node pool's preloadedImages must name catalog images (a typo would silently mean a pull). */
export function checkPreloadedImages(src: YamlSource, path: Path, raw: unknown, images: readonly ImageCatalogEntry[], diags: Diagnostics): void {
  const names = images.map((e) => e.image);
  list(rec(raw).preloadedImages).forEach((img, j) => {
    if (typeof img !== "string" || names.includes(img)) return;
    const where = [...path, "preloadedImages", j];
    diags.error(
      src.where(where),
      `${fieldPath(where.map(String))}: unknown image ${JSON.stringify(img)}; expected an image of spec.images${names.length > 0 ? ` (${names.map((n) => JSON.stringify(n)).join(", ")})` : ", which lists none"}`,
    );
  });
}

/** Where the pod metadata of a manifest is (a Pod's own; a workload's pod template's), if it has any. */
export function podMetadataPath(object: LoadedManifest["object"]): Path | undefined {
  if (object.kind === "Pod") return ["metadata"];
  const spec = rec(object.spec);
  if (isRecord(spec.template)) return ["spec", "template", "metadata"];
  const job = rec(rec(spec.jobTemplate).spec);
  if (isRecord(job.template)) return ["spec", "jobTemplate", "spec", "template", "metadata"];
  return undefined;
}

/** The pod (or pod template) a manifest makes: its metadata and spec, as a Pod for matching. */
export function podOf(object: LoadedManifest["object"]): Pod | undefined {
  const path = podMetadataPath(object);
  if (path === undefined) return undefined;
  if (object.kind === "Pod") return object as unknown as Pod;
  let t: unknown = object;
  for (const k of path.slice(0, -1)) t = rec(t)[k as string];
  const template = rec(t);
  const meta = rec(template.metadata);
  // A Job's pods also carry the labels its generated selector adds (the controller-uid ones are not known yet).
  const labels = object.kind === "Job" ? { ...rec(meta.labels), [LEGACY_JOB_NAME_LABEL]: object.metadata.name, [JOB_NAME_LABEL]: object.metadata.name } : meta.labels;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: object.metadata.name, namespace: object.metadata.namespace, ...meta, ...(labels !== undefined ? { labels } : {}) },
    spec: rec(template.spec) as unknown as Pod["spec"],
    status: {},
  } as Pod;
}

/**
 * Checks the behavior annotations of a manifest's pod, reporting each problem at the annotation's value:
 * `metadata.annotations["behavior.k8sim.dev/runFor"]: invalid distribution ...`.
 */
export function checkBehaviorAnnotations(src: YamlSource, base: Path, object: unknown, diags: Diagnostics): void {
  if (!isRecord(object)) return;
  const path = podMetadataPath(object as LoadedManifest["object"]);
  if (path === undefined) return;
  let meta: unknown = object;
  for (const k of path) meta = rec(meta)[k as string];
  const annotations = rec(rec(meta).annotations) as Record<string, string>;
  if (!Object.keys(annotations).some((k) => k.startsWith(BEHAVIOR_ANNOTATION_PREFIX))) return;
  const r = annotationBehaviors(annotations);
  const report = (annotation: string, message: string) =>
    diags.error(src.where([...base, ...path, "annotations", annotation]), `${fieldPath([...path, "annotations"].map(String))}[${JSON.stringify(annotation)}]: ${message}`);
  for (const p of r.problems) report(p.annotation, p.message);
  // A container-scoped key must name a container of the pod: a typo would otherwise change nothing.
  const spec = rec(podOf(object as LoadedManifest["object"])?.spec);
  const names = [...list(spec.initContainers), ...list(spec.containers)].map((c) => rec(c).name).filter((n): n is string => typeof n === "string");
  for (const k of Object.keys(annotations)) {
    const a = behaviorAnnotation(k);
    if (a === undefined || a.container === undefined) continue;
    if (a.container === "") report(k, `expected ${BEHAVIOR_ANNOTATION_PREFIX}<key> or ${BEHAVIOR_ANNOTATION_PREFIX}<container>.<key>, got an empty container name`);
    else if (!names.includes(a.container)) report(k, `the pod has no container ${JSON.stringify(a.container)}; expected one of ${names.map((n) => JSON.stringify(n)).join(", ")}`);
  }
}

/**
 * Warns about profiles that match no pod of the scenario's manifests (initial or applied later): a selector with a
 * typo would otherwise change nothing without a word. A profile naming a container matches only pods that have it.
 */
export function warnUnmatchedProfiles(src: YamlSource, profiles: readonly BehaviorProfile[], manifests: readonly LoadedManifest[], diags: Diagnostics): void {
  const pods = manifests.map((m) => podOf(m.object)).filter((p): p is Pod => p !== undefined);
  profiles.forEach((p, i) => {
    const hit = pods.some((pod) => {
      if (!profileMatches(p, pod, undefined)) return false;
      if (p.container === undefined) return true;
      const names = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
      return names.includes(p.container);
    });
    if (hit) return;
    const what = p.container === undefined ? "no pod of the scenario's manifests" : `no pod of the scenario's manifests with a container ${JSON.stringify(p.container)}`;
    diags.warn(src.where(["spec", "behaviors", i, "selector"]), `behavior ${JSON.stringify(p.name)}: its selector matches ${what}; it changes nothing`);
  });
}


/**
 * Warns about containers of run-to-completion pods (restartPolicy Never or OnFailure) whose command k8sim cannot
 * read a run time from (anything but `sleep N` or a shell script of sleep, echo and exit) and whose behavior sets no runFor: such a container runs until
 * stopped, which for a pod meant to finish is rarely what the user expects.
 */
export function warnUnmodelledCommands(profiles: readonly BehaviorProfile[], manifests: readonly LoadedManifest[], diags: Diagnostics): void {
  const resolver = new BehaviorResolver(profiles);
  for (const m of manifests) {
    const pod = podOf(m.object);
    const policy = pod?.spec?.restartPolicy;
    if (pod === undefined || (policy !== "Never" && policy !== "OnFailure")) continue;
    for (const c of [...(pod.spec.initContainers ?? []).filter((x) => x?.restartPolicy !== "Always"), ...(pod.spec.containers ?? [])]) {
      if (!isRecord(c) || (c.command === undefined && c.args === undefined)) continue;
      const r = resolver.resolve(pod, c);
      if (r.spec.runFor !== undefined || r.runForMs !== Infinity) continue;
      const words = [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].map(String).join(" ");
      diags.warn(
        m.source,
        `${m.object.kind}/${m.object.metadata.name}: container ${JSON.stringify(c.name)} runs ${JSON.stringify(words.length > 80 ? `${words.slice(0, 77)}...` : words)}, whose run time k8sim cannot tell (it reads only "sleep N" and shell scripts of sleep, echo and exit): it runs until stopped; give it a runFor (a behavior profile, or the annotation ${BEHAVIOR_ANNOTATION_PREFIX}runFor)`,
      );
    }
  }
}

/**
 * A small scenario using the workload-model keys (spec.behaviors, spec.images, preloadedImages, behavior
 * annotations, the runtime settings) with fixed line numbers, so that the hostile cases (cases.ts, issue 7) and
 * test/behaviors-load.test.ts can name the exact `file:line:col` of each problem:
 *
 *   line  6  settings: {<settings>}
 *   line  9  the node pool, preloadedImages: [<preloaded>] (its first item at column 88)
 *   line 11  the one image of spec.images
 *   line 19  the pod's annotations: {<annotations>} (its first key at column 25)
 *   line 23  behaviors:
 *   line 25  the profile's selector (matchLabels app: <selects>)
 *   line 26  the first line of the profile's behavior keys (<behavior>, each line indented by 6)
 *
 * `images` adds catalog entries after line 11 and so moves every line after it.
 */

/** The image the pod runs (in spec.images, preloaded by default). */
export const RUNTIME_IMAGE = "registry.example.com/worker:1.4";

/** What to put in the template (text inserted as written). */
export interface RuntimeParts {
  /** Flow mapping body of spec.settings (line 6). */
  settings?: string;
  /** Flow sequence body of the pool's preloadedImages (line 9). */
  preloaded?: string;
  /** Flow mapping body of the pod's annotations (line 19). */
  annotations?: string;
  /** The label value the profile selects (line 25); "worker" matches the pod. */
  selects?: string;
  /** Behavior lines of the profile, without indentation (line 26 on). */
  behavior?: string[];
  /** More spec.images entries (flow mappings) after line 11; they move every later line. */
  images?: string[];
  /** Lines after the profile (more timeline / spec keys), indented by 2 as written. */
  tail?: string[];
}

/** The scenario text; see the module comment for where each part lands. */
export function runtimeScenario(p: RuntimeParts = {}): string {
  const lines = [
    "apiVersion: k8sim.dev/v1alpha1",
    "kind: Scenario",
    "metadata: {name: runtime}",
    "spec:",
    "  duration: 2m",
    `  settings: {${p.settings ?? ""}}`,
    "  cluster:",
    "    nodePools:",
    `      - {name: worker, count: 2, capacity: {cpu: "4", memory: 16Gi}, preloadedImages: [${p.preloaded ?? JSON.stringify(RUNTIME_IMAGE)}]}`,
    "  images:",
    `    - {image: ${JSON.stringify(RUNTIME_IMAGE)}, size: 80Mi}`,
    ...(p.images ?? []).map((e) => `    - ${e}`),
    "  workloads:",
    "    - manifest:",
    "        apiVersion: v1",
    "        kind: Pod",
    "        metadata:",
    "          name: worker",
    "          labels: {app: worker}",
    `          annotations: {${p.annotations ?? ""}}`,
    "        spec:",
    "          containers:",
    `            - {name: worker, image: ${JSON.stringify(RUNTIME_IMAGE)}, resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}}`,
    "  behaviors:",
    "    - name: worker-crashes",
    `      selector: {matchLabels: {app: ${p.selects ?? "worker"}}}`,
    ...(p.behavior ?? ["runFor: 20s"]).map((l) => `      ${l}`),
    ...(p.tail ?? []),
    "",
  ];
  return lines.join("\n");
}

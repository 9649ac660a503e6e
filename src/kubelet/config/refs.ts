/**
 * Which parts of a pod spec read ConfigMaps or Secrets, found once per spec object: pods made from one template
 * share their spec object (src/api/registry/kinds/pod.ts), and specs are never mutated, so a 150,000-pod cluster
 * whose pods reference no configuration pays one WeakMap look-up per pod start and nothing else.
 */
import type { ConfigMap, Container, PodSpec, Secret } from "../../api/types.js";
import { containerEnv } from "./env.js";
import { readsConfig, type PodVolume } from "./volumes.js";

/**
 * The ConfigMaps and Secrets the kubelet can read, as its configmap and secret managers see them (the Watch
 * strategy: a cache fed by a watch, so as stale as an informer). undefined: no such object.
 */
export interface ConfigObjects {
  configMap(namespace: string, name: string): ConfigMap | undefined;
  secret(namespace: string, name: string): Secret | undefined;
}

/** What of a pod spec needs ConfigMaps or Secrets. */
export interface PodConfigRefs {
  /** Per container, init containers first then app containers (the kubelet's track order): whether its env or
   *  envFrom reads a ConfigMap or a Secret. Empty when none does. */
  readonly envReadsConfig: readonly boolean[];
  /** The volumes that project a ConfigMap or a Secret and that some container mounts, in spec order: only those
   *  are waited for (WaitForAttachAndMount's expected volumes; the populator skips volumes no container uses). */
  readonly volumes: readonly PodVolume[];
}

/** A spec that reads no configuration (shared). */
export const NO_CONFIG_REFS: PodConfigRefs = Object.freeze({ envReadsConfig: Object.freeze([]), volumes: Object.freeze([]) });

const memo = new WeakMap<PodSpec, PodConfigRefs>();

/** The configuration references of `spec`, computed once per spec object. */
export function podConfigRefs(spec: PodSpec): PodConfigRefs {
  let refs = memo.get(spec);
  if (refs === undefined) memo.set(spec, (refs = scan(spec)));
  return refs;
}

function scan(spec: PodSpec): PodConfigRefs {
  const containers = [...list<Container>(spec.initContainers), ...list<Container>(spec.containers)];
  const env = containers.map(envReadsConfig);
  const used = new Set<string>();
  for (const c of [...containers, ...list<Container>(spec.ephemeralContainers)]) {
    for (const m of list<{ name?: unknown }>(c.volumeMounts)) if (typeof m.name === "string") used.add(m.name);
    for (const d of list<{ name?: unknown }>(c.volumeDevices)) if (typeof d.name === "string") used.add(d.name);
  }
  const volumes = list<PodVolume>(spec.volumes).filter((v) => typeof v.name === "string" && used.has(v.name) && readsConfig(v));
  if (volumes.length === 0 && !env.includes(true)) return NO_CONFIG_REFS;
  return Object.freeze({ envReadsConfig: Object.freeze(env.includes(true) ? env : []), volumes: Object.freeze(volumes) });
}

/** Whether a container's env or envFrom reads a ConfigMap or a Secret. */
function envReadsConfig(c: Container): boolean {
  const { env, envFrom } = containerEnv(c);
  if (envFrom.some((f) => isObject(f.configMapRef) || isObject(f.secretRef))) return true;
  return env.some((e) => isObject(e.valueFrom) && (isObject(e.valueFrom.configMapKeyRef) || isObject(e.valueFrom.secretKeyRef)));
}

function list<T>(x: unknown): T[] {
  return Array.isArray(x) ? (x.filter((i) => typeof i === "object" && i !== null) as T[]) : [];
}

function isObject<T>(x: T): x is T & object {
  return typeof x === "object" && x !== null;
}

/**
 * Which of a pod's configMap, secret and projected volumes can be set up, as the volume plugins decide it
 * (pkg/volume/configmap, pkg/volume/secret, pkg/volume/projected: SetUpAt and MakePayload), with the texts the
 * kubelet shows for a failure (pkg/volume/util/operationexecutor: GenerateError, the FailedMount event) and the
 * timing of the retries (pkg/util/goroutinemap/exponentialbackoff; pkg/kubelet/volumemanager WaitForAttachAndMount).
 * Pure: nothing here reads the clock or the cluster; the objects come through a ConfigObjects lookup.
 *
 * Only names of objects and keys ever appear in a message, never a value.
 */
import type { ConfigObjects } from "./refs.js";

/** core/v1 KeyToPath: a key of the object and the file it is projected to. */
export interface KeyToPath {
  readonly key: string;
  readonly path?: string;
  readonly mode?: number;
}

/** core/v1 ConfigMapVolumeSource (and ConfigMapProjection, which has the same fields). */
export interface ConfigMapVolumeSource {
  readonly name?: string;
  readonly items?: readonly KeyToPath[];
  readonly optional?: boolean;
}

/** core/v1 SecretVolumeSource: the object is named by `secretName`. */
export interface SecretVolumeSource {
  readonly secretName?: string;
  readonly items?: readonly KeyToPath[];
  readonly optional?: boolean;
}

/** core/v1 SecretProjection: the object is named by `name`. */
export interface SecretProjection {
  readonly name?: string;
  readonly items?: readonly KeyToPath[];
  readonly optional?: boolean;
}

/** core/v1 VolumeProjection: one source of a projected volume. */
export interface VolumeProjection {
  readonly configMap?: ConfigMapVolumeSource;
  readonly secret?: SecretProjection;
  readonly downwardAPI?: unknown;
  readonly serviceAccountToken?: unknown;
  readonly clusterTrustBundle?: unknown;
}

/** core/v1 Volume, with the sources this module reads (others pass through). */
export interface PodVolume {
  readonly name: string;
  readonly configMap?: ConfigMapVolumeSource;
  readonly secret?: SecretVolumeSource;
  readonly projected?: { readonly sources?: readonly VolumeProjection[] };
  readonly [field: string]: unknown;
}

/** Whether setting up the volume reads a ConfigMap or a Secret: a configMap or secret volume, or a projected volume
 *  with a configMap or secret source. Other volumes (emptyDir, downwardAPI, ...) mount without one. */
export function readsConfig(v: PodVolume): boolean {
  if (isObject(v.configMap) || isObject(v.secret)) return true;
  const sources = v.projected?.sources;
  return Array.isArray(sources) && sources.some((s) => isObject(s) && (isObject(s.configMap) || isObject(s.secret)));
}

/**
 * The error of setting up volume `v` of a pod in `namespace` now, or undefined when it mounts. Mirrors the plugins'
 * SetUpAt:
 * - configMap (pkg/volume/configmap configmap.go): the ConfigMap from the kubelet's configmap manager; not found and
 *   not optional: `configmap "<name>" not found` (the manager's NotFound for resource "configmap"); found (or optional),
 *   MakePayload: each key in `items` must be in data or binaryData, else (unless optional)
 *   `configmap references non-existent config key: <key>`.
 * - secret (pkg/volume/secret secret.go): `secret "<secretName>" not found`; items keys must be in data, else
 *   `references non-existent secret key: <key>`.
 * - projected (pkg/volume/projected projected.go collectData): each configMap and secret source as above, its errors
 *   collected and returned as one aggregate (utilerrors.NewAggregate: a single message as it is, several distinct
 *   ones as `[a, b]`); downwardAPI, serviceAccountToken and clusterTrustBundle sources mount.
 */
export function volumeSetUpError(namespace: string, v: PodVolume, objects: ConfigObjects): string | undefined {
  if (isObject(v.configMap)) return configMapError(namespace, v.configMap, objects);
  if (isObject(v.secret)) return secretError(namespace, v.secret.secretName, v.secret, objects);
  const sources = v.projected?.sources;
  if (!Array.isArray(sources)) return undefined;
  const errors: string[] = [];
  for (const s of sources) {
    if (!isObject(s)) continue;
    let e: string | undefined;
    if (isObject(s.configMap)) e = configMapError(namespace, s.configMap, objects);
    else if (isObject(s.secret)) e = secretError(namespace, s.secret.name, s.secret, objects);
    if (e !== undefined) errors.push(e);
  }
  return aggregate(errors);
}

/**
 * The FailedMount event's message for a failed SetUp (operationexecutor VolumeToMount.GenerateError with the prefix
 * "MountVolume.SetUp failed": `%v for volume %q %v`, the suffix `: <err>`): the volume is the pod's volume name.
 */
export function mountFailedMessage(volume: string, error: string): string {
  return `MountVolume.SetUp failed for volume ${JSON.stringify(volume)} : ${error}`;
}

/** initialDurationBeforeRetry (pkg/util/goroutinemap/exponentialbackoff): the first wait after a failed mount (ms). */
export const MOUNT_RETRY_INITIAL_MS = 500;
/** maxDurationBeforeRetry: the wait doubles per failure up to 2m2s (ms). */
export const MOUNT_RETRY_MAX_MS = 122_000;

/**
 * How long after its `failures`-th failure in a row a volume's mount may be tried again (ExponentialBackoff.Update:
 * 500ms the first time, then double the previous wait, at most 2m2s), in ms: 500, 1000, 2000, ..., 64000, 122000.
 */
export function mountRetryDelay(failures: number): number {
  if (failures < 1) return 0;
  // 500ms x 2^9 = 256s is past the cap already; stop doubling there so the number stays small.
  return Math.min(MOUNT_RETRY_INITIAL_MS * 2 ** Math.min(failures - 1, 9), MOUNT_RETRY_MAX_MS);
}

/** podAttachAndMountTimeout (pkg/kubelet/volumemanager volume_manager.go): one WaitForAttachAndMount waits 2m3s (ms). */
export const POD_ATTACH_AND_MOUNT_TIMEOUT_MS = 123_000;
/** podAttachAndMountRetryInterval: WaitForAttachAndMount looks every 300ms, the first time at once (ms). */
export const POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS = 300;

/**
 * When the pod worker sees every volume of a pod mounted, if they all were by `mountedAt` (ms) and its first
 * SyncPod began at `firstSync` (ms). SyncPod waits in WaitForAttachAndMount, which polls every 300ms from the start
 * of the sync (immediate first look) and gives up after 2m3s; the failed sync is retried `syncRetryMs` later
 * (pod_workers.go backOffPeriod) and waits again. So syncs start at firstSync + k x (2m3s + syncRetryMs): a mount in a
 * wait is seen at the next 300ms look of that wait, one between waits at the start of the next sync.
 * NOTE: upstream jitters the retry (workerBackOffPeriodJitterFactor 0.5), and a pod update may start a sync
 * earlier; here the syncs follow this grid exactly.
 */
export function mountsSeenAt(firstSync: number, mountedAt: number, syncRetryMs: number): number {
  const cycle = POD_ATTACH_AND_MOUNT_TIMEOUT_MS + syncRetryMs;
  const since = Math.max(0, mountedAt - firstSync);
  const syncStart = firstSync + Math.floor(since / cycle) * cycle;
  const into = mountedAt - syncStart;
  if (into <= 0) return syncStart;
  const look = syncStart + Math.ceil(into / POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS) * POD_ATTACH_AND_MOUNT_RETRY_INTERVAL_MS;
  // The look at exactly 2m3s does not happen: the wait's deadline has passed by then.
  return look < syncStart + POD_ATTACH_AND_MOUNT_TIMEOUT_MS ? look : syncStart + cycle;
}

// ----- the plugins ----------------------------------------------------------------------------------------------

function configMapError(namespace: string, source: ConfigMapVolumeSource, objects: ConfigObjects): string | undefined {
  const name = typeof source.name === "string" ? source.name : "";
  const optional = source.optional === true;
  const cm = objects.configMap(namespace, name);
  if (cm === undefined && !optional) return `configmap ${JSON.stringify(name)} not found`;
  // An optional ConfigMap that does not exist is set up as an empty one (no keys).
  for (const item of items(source.items)) {
    if (has(cm?.data, item.key) || has(cm?.binaryData, item.key)) continue;
    if (optional) continue;
    return `configmap references non-existent config key: ${item.key}`;
  }
  return undefined;
}

function secretError(namespace: string, name: unknown, source: { items?: readonly KeyToPath[]; optional?: boolean }, objects: ConfigObjects): string | undefined {
  const n = typeof name === "string" ? name : "";
  const optional = source.optional === true;
  const secret = objects.secret(namespace, n);
  if (secret === undefined && !optional) return `secret ${JSON.stringify(n)} not found`;
  for (const item of items(source.items)) {
    if (has(secret?.data, item.key)) continue;
    if (optional) continue;
    return `references non-existent secret key: ${item.key}`;
  }
  return undefined;
}

/** utilerrors.NewAggregate(errs).Error(): nothing, the one message, or the distinct messages as `[a, b]`. */
function aggregate(errors: readonly string[]): string | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0];
  const distinct = [...new Set(errors)];
  return distinct.length === 1 ? distinct[0] : `[${distinct.join(", ")}]`;
}

function items(list: unknown): KeyToPath[] {
  if (!Array.isArray(list)) return [];
  return list.filter((i): i is KeyToPath => isObject(i) && typeof (i as { key?: unknown }).key === "string");
}

function has(map: Record<string, string> | undefined, key: string): boolean {
  return map !== undefined && map !== null && Object.prototype.hasOwnProperty.call(map, key);
}

function isObject<T>(x: T): x is T & object {
  return typeof x === "object" && x !== null;
}

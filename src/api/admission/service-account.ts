/**
 * ServiceAccount (plugin/pkg/admission/serviceaccount/admission.go, v1.32): on pod CREATE, a pod naming no account
 * gets `default`; the account must exist (else 403 `error looking up service account NS/NAME: serviceaccount "NAME"
 * not found`, so a ReplicaSet's create fails and its controller retries); unless automountServiceAccountToken is
 * false (the pod's setting wins over the account's), every init and app container without a mount at
 * /var/run/secrets/kubernetes.io/serviceaccount mounts the projected volume `kube-api-access-<5 random characters>`
 * (token, kube-root-ca.crt's ca.crt, the namespace) read-only; a pod without imagePullSecrets gets the account's.
 * Mirror pods are not changed, and may reference no account, no Secret and no token projection.
 *
 * On UPDATE upstream acts only on the pods/ephemeralcontainers subresource, which k8sim does not serve: a change of
 * serviceAccountName, volumes or mounts on update is refused by ValidatePodUpdate (validation/pod-update.ts), and
 * `kubectl apply` keeps what admission added (the three-way merge leaves fields the manifest never wrote).
 */
import { stream, type Rng } from "../../engine/rng.js";
import { apiFailure } from "../api-result.js";
import { SAFE_ALPHANUMS } from "../names.js";
import { forbiddenMessage } from "../quota/quota-check.js";
import type { Store } from "../store.js";
import type { Container, Pod, PodSpec } from "../types.js";
import {
  API_TOKEN_MOUNT_PATH,
  BOUND_TOKEN_EXPIRATION_SECONDS,
  DEFAULT_SERVICE_ACCOUNT,
  MIRROR_POD_ANNOTATION,
  ROOT_CA_CONFIG_MAP,
  ROOT_CA_KEY,
  SERVICE_ACCOUNT_VOLUME_PREFIX,
  type ServiceAccount,
} from "../serviceaccount/types.js";
import type { AdmissionPlugin } from "./plugin.js";

/** core/v1 ProjectedVolumeSourceDefaultMode (0644), set explicitly as upstream does (kubernetes#104464). */
const PROJECTED_DEFAULT_MODE = 0o644;

/**
 * TokenVolumeSource(): the projected source of the token volume, shared by every pod (stored objects are never
 * mutated): a bound token valid 3607s at `token`, the root CA at `ca.crt`, the namespace at `namespace`.
 */
export const TOKEN_VOLUME_SOURCE = deepFreeze({
  defaultMode: PROJECTED_DEFAULT_MODE,
  sources: [
    { serviceAccountToken: { expirationSeconds: BOUND_TOKEN_EXPIRATION_SECONDS, path: "token" } },
    { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: ROOT_CA_KEY, path: ROOT_CA_KEY }] } },
    { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
  ],
});

/** Length of the volume name's random suffix (names.SimpleNameGenerator: utilrand.String(5)). */
const VOLUME_SUFFIX_LENGTH = 5;

// The stream each cluster's volume names are drawn from, by its store (bound by the control plane; a store created
// without one, as in a unit test, gets a fixed-seed stream so results stay reproducible).
const streams = new WeakMap<Store, Rng>();

/** Gives the plugin the seeded stream it draws `kube-api-access-` suffixes from for the cluster holding `store`. */
export function bindServiceAccountAdmission(store: Store, rng: Rng): void {
  streams.set(store, rng);
}

function streamFor(store: Store): Rng {
  let rng = streams.get(store);
  if (rng === undefined) streams.set(store, (rng = stream(0, "admission/serviceaccount")));
  return rng;
}

/** A pod's account as the API reads it: serviceAccountName, else the deprecated serviceAccount field. */
function accountName(spec: PodSpec): string {
  const n = spec.serviceAccountName || (typeof spec.serviceAccount === "string" ? spec.serviceAccount : "");
  return n;
}

/**
 * shouldAutomount: the pod's automountServiceAccountToken if set, else the account's, else true.
 */
export function shouldAutomount(sa: Pick<ServiceAccount, "automountServiceAccountToken">, spec: PodSpec): boolean {
  if (typeof spec.automountServiceAccountToken === "boolean") return spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === "boolean") return sa.automountServiceAccountToken;
  return true;
}

/**
 * mountServiceAccountToken on a spec (a new spec is returned; the argument is not changed): an existing volume
 * named `kube-api-access-*` is reused, else one named `volumeName()` is added if any container needs it; each init
 * and app container without a mount at the token path gets `{name, readOnly: true, mountPath}`.
 * `volumeName` is called once, before the containers are looked at, as upstream generates the name first.
 */
export function mountServiceAccountToken(spec: PodSpec, volumeName: () => string): PodSpec {
  // Raw arrays, not filtered: a malformed entry must stay for validation (which runs after admission) to report.
  const volumes: unknown[] = Array.isArray(spec.volumes) ? spec.volumes : [];
  const existing = volumes.find(
    (v): v is { name: string } => isObject(v) && typeof v.name === "string" && v.name.startsWith(`${SERVICE_ACCOUNT_VOLUME_PREFIX}-`),
  );
  const name = existing ? existing.name : volumeName();
  const mount = { name, readOnly: true, mountPath: API_TOKEN_MOUNT_PATH };
  let needsVolume = false;
  const withMount = (cs: Container[] | undefined): Container[] | undefined => {
    if (!Array.isArray(cs)) return cs;
    let changed = false;
    const out = cs.map((c) => {
      if (!isObject(c)) return c;
      const mounts: unknown[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
      if (mounts.some((m) => isObject(m) && m.mountPath === API_TOKEN_MOUNT_PATH)) return c;
      changed = true;
      return { ...c, volumeMounts: [...mounts, mount] };
    });
    if (changed) needsVolume = true;
    return changed ? out : cs;
  };
  const initContainers = withMount(spec.initContainers);
  const containers = withMount(spec.containers)!;
  if (!needsVolume) return spec;
  const out: PodSpec = { ...spec, containers };
  if (initContainers !== undefined) out.initContainers = initContainers;
  if (!existing) out.volumes = [...volumes, { name, projected: TOKEN_VOLUME_SOURCE }];
  return out;
}

/** The refusal of a mirror pod (Validate's mirror-pod branch), or undefined. */
function mirrorPodRefusal(spec: PodSpec): string | undefined {
  if (accountName(spec) !== "") return "a mirror pod may not reference service accounts";
  if (referencesSecrets(spec)) return "a mirror pod may not reference secrets";
  for (const v of list<{ projected?: { sources?: unknown } }>(spec.volumes)) {
    if (list<{ serviceAccountToken?: unknown }>(v.projected?.sources).some((s) => s.serviceAccountToken != null)) {
      return "a mirror pod may not use ServiceAccountToken volume projections";
    }
  }
  return undefined;
}

/** podutil.VisitPodSecretNames (AllContainers), reduced to "does it visit any": pull secrets, secret volumes and
 *  projections, and every container's secretKeyRef / secretRef. */
function referencesSecrets(spec: PodSpec): boolean {
  if (list(spec.imagePullSecrets).length > 0) return true;
  for (const v of list<{ secret?: unknown; projected?: { sources?: unknown } }>(spec.volumes)) {
    if (v.secret != null) return true;
    if (list<{ secret?: unknown }>(v.projected?.sources).some((s) => s.secret != null)) return true;
  }
  for (const c of [...list<Container>(spec.initContainers), ...list<Container>(spec.containers), ...list<Container>(spec.ephemeralContainers)]) {
    if (list<{ secretRef?: unknown }>(c.envFrom).some((f) => f.secretRef != null)) return true;
    if (list<{ valueFrom?: { secretKeyRef?: unknown } }>(c.env).some((e) => e.valueFrom?.secretKeyRef != null)) return true;
  }
  return false;
}

/** The plugin (pods; CREATE mutates and checks, UPDATE is a no-op outside the ephemeralcontainers subresource). */
export const serviceAccount: AdmissionPlugin = {
  name: "ServiceAccount",
  kinds: ["Pod"],
  enabledByDefault: true,
  operations: ["CREATE"],
  admit(req, { store }) {
    const pod = req.object as Pod;
    if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
      const refusal = mirrorPodRefusal(pod.spec);
      return refusal === undefined ? pod : apiFailure(403, "Forbidden", forbiddenMessage("pods", req.name, refusal));
    }
    const ns = req.namespace ?? "default";
    const name = accountName(pod.spec) || DEFAULT_SERVICE_ACCOUNT;
    // NOTE: upstream reads its informer, then (for `default`, up to 10 times 100-200ms apart) the API; k8sim reads
    // the store at once. The serviceaccounts controller creates `default` in the instant a namespace is created, so
    // the wait upstream's retries cover does not arise (src/controllers/serviceaccount/serviceaccounts-controller.ts).
    const sa = store.get<ServiceAccount>("ServiceAccount", ns, name);
    if (sa === undefined) {
      return apiFailure(403, "Forbidden", forbiddenMessage("pods", req.name, `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`));
    }
    const memo = memoFor(store);
    let m = memo.get(pod.spec);
    if (m === undefined || m.sa !== sa) memo.set(pod.spec, (m = { sa, spec: admittedSpec(pod.spec, name, sa, store) }));
    return m.spec === pod.spec ? pod : { ...pod, spec: m.spec };
  },
};

/** The spec Admit makes of `spec` for account `sa` (named `name`): serviceAccountName, the token volume and mounts
 *  unless automount is off, the account's imagePullSecrets when the pod has none. */
function admittedSpec(input: PodSpec, name: string, sa: ServiceAccount, store: Store): PodSpec {
  // The v1 conversion writes the deprecated serviceAccount field from serviceAccountName (DeprecatedServiceAccount).
  let spec: PodSpec = input.serviceAccountName === name && input.serviceAccount === name ? input : { ...input, serviceAccountName: name, serviceAccount: name };
  if (shouldAutomount(sa, spec)) spec = mountServiceAccountToken(spec, () => `${SERVICE_ACCOUNT_VOLUME_PREFIX}-${suffix(streamFor(store))}`);
  const pull = list<{ name?: unknown }>(sa.imagePullSecrets);
  if (list(spec.imagePullSecrets).length === 0 && pull.length > 0) spec = { ...spec, imagePullSecrets: pull.map((s) => ({ name: s.name })) };
  return spec;
}

// NOTE: upstream draws the volume suffix per pod; k8sim draws it once per spec object and account (the memo below),
// so the pods of one ReplicaSet or Job, which share their template's spec object, share one kube-api-access-*
// name, while each bare pod gets its own. A per-pod name would give every pod its own spec and defeat the
// per-spec caches the create path and the kubelet rely on (defaulting, validation, the later admission plugins,
// QoS, requests, config references): measured, 30,000 creates from one template took 4.0s instead of 0.9s.
// The name is visible only in the pod's spec and in FailedMount messages.
const memos = new WeakMap<Store, WeakMap<PodSpec, { sa: ServiceAccount; spec: PodSpec }>>();

function memoFor(store: Store): WeakMap<PodSpec, { sa: ServiceAccount; spec: PodSpec }> {
  let m = memos.get(store);
  if (m === undefined) memos.set(store, (m = new WeakMap()));
  return m;
}

function suffix(rng: Rng): string {
  let s = "";
  for (let i = 0; i < VOLUME_SUFFIX_LENGTH; i++) s += SAFE_ALPHANUMS[Math.floor(rng() * SAFE_ALPHANUMS.length)];
  return s;
}

function list<T = unknown>(x: unknown): T[] {
  return Array.isArray(x) ? (x.filter((i) => typeof i === "object" && i !== null) as T[]) : [];
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null;
}

function deepFreeze<T>(o: T): T {
  if (typeof o === "object" && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

import type { Rng } from "../engine/rng.js";
import type { Settings } from "../settings.js";
import { defaultPodSpec } from "./admission.js";
import type { ApiClock } from "./clock.js";
import type { EventRecorder } from "./events.js";
import { canonicalJson } from "./canonical-json.js";
import { withFields } from "./copy.js";
import { SAFE_ALPHANUMS } from "./names.js";
import type { Store } from "./store.js";
import type { KubeObject, Namespace, ObjectMeta, Pod } from "./types.js";
import { NAMESPACED_KINDS } from "./types.js";

/** A failed API call, as metav1.Status: HTTP code, reason and message. Failures are values, never exceptions. */
export interface ApiFailure {
  ok: false;
  code: 403 | 404 | 409 | 422;
  reason: "Forbidden" | "NotFound" | "AlreadyExists" | "Conflict" | "Invalid";
  message: string;
}

/** The result of an API call. */
export type ApiResult<T> = { ok: true; object: T } | ApiFailure;

/** Options of an update. */
export interface UpdateOptions {
  /**
   * Write whatever version is stored (last writer wins), as a client that PATCHes rather than PUTs. Without it an
   * update carrying a resourceVersion must match the stored one.
   */
  force?: boolean;
}

/** Options of a delete call (metav1.DeleteOptions). */
export interface DeleteOptions {
  /** Seconds the kubelet gets to stop a bound pod; default the pod's terminationGracePeriodSeconds. */
  gracePeriodSeconds?: number;
}

/** Namespaces that exist from the start, as in a kubeadm cluster. */
/** The namespace of node leases (kube-node-lease), where each kubelet renews the Lease named after its node. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";
export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", NODE_LEASE_NAMESPACE];

/** Length of a generateName suffix (k8s.io/apiserver/pkg/storage/names/generate.go randomLength). */
const NAME_SUFFIX_LENGTH = 5;
/** Namespaces the API server refuses to delete (pkg/registry/core/namespace/storage: immortal namespaces). */
const UNDELETABLE_NAMESPACES: ReadonlySet<string> = new Set(["default", "kube-system", "kube-public"]);
/** Kinds whose objects own others through ownerReferences in k8sim (Deployment -> ReplicaSet -> Pod). */
const OWNER_KINDS: ReadonlySet<string> = new Set(["Deployment", "ReplicaSet"]);

/** Kinds with a status subresource: an update of the object keeps the stored status. */
const STATUS_KINDS: ReadonlySet<string> = new Set(["Pod", "Node", "Deployment", "ReplicaSet", "Namespace"]);

/**
 * Pod spec fields are immutable but for container images (ValidatePodUpdate, pkg/apis/core/validation); returns the
 * upstream message when `next` changes anything else, including spec.nodeName (binding is its own subresource).
 */
export function podUpdateProblem(cur: Pod, next: Pod): string | undefined {
  const strip = (spec: Pod["spec"]) =>
    canonicalJson({
      ...spec,
      containers: spec.containers.map((c) => ({ ...c, image: "" })),
      initContainers: spec.initContainers?.map((c) => ({ ...c, image: "" })),
    });
  if (strip(cur.spec) === strip(next.spec)) return undefined;
  return `Pod "${next.metadata.name}" is invalid: spec: Forbidden: pod updates may not change fields other than \`spec.containers[*].image\`,\`spec.initContainers[*].image\`,\`spec.activeDeadlineSeconds\`,\`spec.tolerations\` (only additions to existing tolerations),\`spec.terminationGracePeriodSeconds\` (allow it to be set to 1 if it was previously negative)`;
}

/** Kinds whose metadata.generation tracks spec changes. */
const GENERATION_KINDS: ReadonlySet<string> = new Set(["Deployment", "ReplicaSet"]);

const fail = (code: ApiFailure["code"], reason: ApiFailure["reason"], message: string): ApiFailure => ({ ok: false, code, reason, message });

/**
 * The kube-apiserver: the only writer of the store. It assigns uid, resourceVersion, generation and timestamps,
 * runs admission (NamespaceLifecycle, DefaultTolerationSeconds, pod defaults), enforces optimistic concurrency
 * (an update carrying a stale resourceVersion gets 409 Conflict), implements graceful pod deletion
 * (deletionTimestamp first; the kubelet finishes it) and cascades deletes to dependents by ownerReferences
 * (the garbage collector's background propagation, done at once).
 */
export class ApiServer {
  constructor(
    private readonly store: Store,
    readonly clock: ApiClock,
    private readonly settings: Settings,
    private readonly uidRng: Rng,
    readonly events: EventRecorder,
  ) {}

  /** Reads an object as a GET would: the latest committed state. */
  get<T extends KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.store.get<T>(kind, namespace, name);
  }

  /** Lists a kind as a LIST would, in creation order. */
  list<T extends KubeObject>(kind: string): IterableIterator<T> {
    return this.store.list<T>(kind);
  }

  /** Creates an object (a fresh copy is stored; the argument is not modified). */
  create<T extends KubeObject>(input: T): ApiResult<T> {
    const namespaced = NAMESPACED_KINDS.has(input.kind);
    const meta = withFields(input.metadata, {});
    if (namespaced) meta.namespace = meta.namespace ?? "default";
    else delete meta.namespace;
    if (namespaced) {
      const ns = this.store.get<Namespace>("Namespace", undefined, meta.namespace!);
      if (!ns) return fail(404, "NotFound", `namespaces "${meta.namespace}" not found`);
      if (ns.status?.phase === "Terminating") {
        return fail(403, "Forbidden", `${input.kind.toLowerCase()}s "${meta.name ?? meta.generateName}" is forbidden: unable to create new content in namespace ${meta.namespace} because it is being terminated`);
      }
    }
    if (!meta.name) {
      if (!meta.generateName) return fail(422, "Invalid", `${input.kind}: metadata.name or metadata.generateName is required`);
      do meta.name = meta.generateName + this.suffix();
      while (this.store.get(input.kind, meta.namespace, meta.name));
    } else if (this.store.get(input.kind, meta.namespace, meta.name)) {
      return fail(409, "AlreadyExists", `${input.kind.toLowerCase()}s "${meta.name}" already exists`);
    }
    meta.uid = this.uid();
    meta.creationTimestamp = this.clock.time();
    meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.resourceVersion;
    const obj = withFields(input, { metadata: meta } as Partial<T>);
    if (obj.kind === "Pod") {
      const pod = obj as unknown as Pod;
      pod.spec = defaultPodSpec(pod, this.settings);
      pod.status = { phase: "Pending", ...(pod.status ?? {}) };
    }
    if (obj.kind === "Namespace") (obj as unknown as Namespace).status = { phase: "Active" };
    return { ok: true, object: this.store.put("ADDED", obj, undefined) as T };
  }

  /**
   * Replaces an object. If `input.metadata.resourceVersion` is set it must equal the stored one (else 409
   * Conflict, as etcd's compare-and-swap). uid, creationTimestamp and deletionTimestamp are kept from the stored
   * object; generation increments when the spec changed.
   */
  update<T extends KubeObject>(input: T, opts: UpdateOptions = {}): ApiResult<T> {
    const cur = this.current(input, opts);
    if ("ok" in cur) return cur;
    let generation = cur.metadata.generation ?? 1;
    if (GENERATION_KINDS.has(input.kind) && JSON.stringify((input as any).spec) !== JSON.stringify((cur as any).spec)) generation++;
    // Server-owned fields come from the stored object. Assigned only when set: deleting keys would push the object
    // into V8's slow dictionary mode, and leases make this the hottest write path.
    const meta: ObjectMeta = withFields(input.metadata, { uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp, generation });
    if (cur.metadata.deletionTimestamp !== undefined) meta.deletionTimestamp = cur.metadata.deletionTimestamp;
    else if (meta.deletionTimestamp !== undefined) meta.deletionTimestamp = undefined;
    if (cur.metadata.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = cur.metadata.deletionGracePeriodSeconds;
    const patch = { metadata: meta } as Partial<T> & { status?: unknown };
    // The main resource does not write status (it has its own subresource): PrepareForUpdate keeps the old one.
    if (STATUS_KINDS.has(input.kind)) patch.status = (cur as KubeObject & { status?: unknown }).status;
    if (input.kind === "Pod") {
      const problem = podUpdateProblem(cur as unknown as Pod, input as unknown as Pod);
      if (problem) return fail(422, "Invalid", problem);
    }
    const obj = withFields(input, patch);
    return { ok: true, object: this.store.put("MODIFIED", obj, cur) as T };
  }

  /** Replaces only `status` (the /status subresource): spec and metadata stay as stored. */
  updateStatus<T extends KubeObject & { status?: unknown }>(input: T, opts: UpdateOptions = {}): ApiResult<T> {
    const cur = this.current(input, opts);
    if ("ok" in cur) return cur;
    const obj = withFields(cur, { metadata: withFields(cur.metadata, {}), status: input.status } as Partial<T>);
    return { ok: true, object: this.store.put("MODIFIED", obj, cur) as T };
  }

  /**
   * The stored object an update replaces, or the failure: 404 if it does not exist, 409 if the update carries a
   * resourceVersion other than the stored one (etcd's compare-and-swap) and is not forced.
   */
  private current<T extends KubeObject>(input: T, opts: UpdateOptions): T | ApiFailure {
    const cur = this.store.get<T>(input.kind, input.metadata.namespace, input.metadata.name);
    if (!cur) return fail(404, "NotFound", `${input.kind.toLowerCase()}s "${input.metadata.name}" not found`);
    const rv = input.metadata.resourceVersion;
    if (!opts.force && rv !== undefined && rv !== cur.metadata.resourceVersion) {
      return fail(409, "Conflict", `Operation cannot be fulfilled on ${input.kind.toLowerCase()}s "${input.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    return cur;
  }

  /** The pods/binding subresource: sets spec.nodeName of an unbound pod (409 if it is already bound). */
  bind(namespace: string, name: string, nodeName: string): ApiResult<Pod> {
    const cur = this.store.get<Pod>("Pod", namespace, name);
    if (!cur) return fail(404, "NotFound", `pods "${name}" not found`);
    if (cur.spec.nodeName) return fail(409, "Conflict", `pod ${name} is already assigned to node "${cur.spec.nodeName}"`);
    if (cur.metadata.deletionTimestamp) return fail(409, "Conflict", `pod ${name} is being deleted, cannot be assigned to a host`);
    const t = this.clock.time();
    const conditions = [...(cur.status.conditions ?? []).filter((c) => c.type !== "PodScheduled"), { type: "PodScheduled", status: "True" as const, lastProbeTime: null, lastTransitionTime: t }];
    const obj: Pod = withFields(cur, { metadata: withFields(cur.metadata, {}), spec: withFields(cur.spec, { nodeName }), status: withFields(cur.status, { conditions }) });
    return { ok: true, object: this.store.put("MODIFIED", obj, cur) as Pod };
  }

  /**
   * Deletes an object. A pod bound to a node with a grace period > 0 is only marked (deletionTimestamp = now +
   * grace, deletionGracePeriodSeconds) and stays until its kubelet confirms with a grace-0 delete, as upstream;
   * everything else is removed at once, and its dependents (ownerReferences) are deleted in turn.
   */
  delete(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): ApiResult<KubeObject> {
    const cur = this.store.get<KubeObject>(kind, namespace, name);
    if (!cur) return fail(404, "NotFound", `${kind.toLowerCase()}s "${name}" not found`);
    if (kind === "Pod") {
      const pod = cur as Pod;
      const grace = opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? this.settings.terminationGracePeriodSeconds;
      if (pod.spec.nodeName && grace > 0) {
        const prevGrace = pod.metadata.deletionGracePeriodSeconds;
        // A repeated delete may shorten the grace period, never lengthen it, and moves the deadline by the
        // difference: old deletionTimestamp - old grace + new grace (k8s.io/apiserver rest/delete.go BeforeDelete).
        if (pod.metadata.deletionTimestamp && prevGrace !== undefined && prevGrace <= grace) return { ok: true, object: pod };
        const deadline =
          pod.metadata.deletionTimestamp && prevGrace !== undefined
            ? this.clock.parse(pod.metadata.deletionTimestamp) - prevGrace * 1000 + grace * 1000
            : this.clock.ms + grace * 1000;
        const meta = withFields(pod.metadata, { deletionTimestamp: this.clock.time(deadline), deletionGracePeriodSeconds: grace });
        return { ok: true, object: this.store.put("MODIFIED", withFields(pod, { metadata: meta }), pod) };
      }
    }
    if (kind === "Namespace") {
      if (UNDELETABLE_NAMESPACES.has(name)) return fail(403, "Forbidden", `namespaces "${name}" is forbidden: this namespace may not be deleted`);
      return this.deleteNamespace(cur as Namespace);
    }
    this.store.remove(cur);
    // Only Deployments and ReplicaSets own objects here; a pod's removal needs no dependents search.
    if (OWNER_KINDS.has(kind)) this.deleteDependents(cur);
    return { ok: true, object: cur };
  }

  private deleteNamespace(ns: Namespace): ApiResult<KubeObject> {
    // NOTE: upstream's namespace controller empties a Terminating namespace asynchronously; k8sim does it at once.
    const name = ns.metadata.name;
    const marked: Namespace = { ...ns, metadata: { ...ns.metadata, deletionTimestamp: this.clock.time() }, status: { phase: "Terminating" } };
    const terminating = this.store.put("MODIFIED", marked, ns);
    for (const kind of NAMESPACED_KINDS) {
      const victims = [...this.store.list(kind)].filter((o) => o.metadata.namespace === name);
      for (const o of victims) this.delete(kind, name, o.metadata.name, { gracePeriodSeconds: 0 });
    }
    this.store.remove(terminating);
    return { ok: true, object: terminating };
  }

  private deleteDependents(owner: KubeObject): void {
    const uid = owner.metadata.uid;
    for (const kind of ["ReplicaSet", "Pod"]) {
      if (!NAMESPACED_KINDS.has(owner.kind)) break;
      const deps = [...this.store.list(kind)].filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid));
      for (const d of deps) this.delete(kind, d.metadata.namespace, d.metadata.name);
    }
  }

  private suffix(): string {
    let s = "";
    for (let i = 0; i < NAME_SUFFIX_LENGTH; i++) s += SAFE_ALPHANUMS[Math.floor(this.uidRng() * SAFE_ALPHANUMS.length)];
    return s;
  }

  /** A version-4-shaped UUID from the seeded stream (four 32-bit draws), so uids are identical across runs. */
  private uid(): string {
    let hex = "";
    for (let i = 0; i < 4; i++) hex += Math.floor(this.uidRng() * 4294967296).toString(16).padStart(8, "0");
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

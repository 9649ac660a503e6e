import type { Rng } from "../engine/rng.js";
import type { Settings } from "../settings.js";
import type { ApiClock } from "./clock.js";
import type { EventRecorder } from "./events.js";
import { canonicalJson } from "./canonical-json.js";
import { AdmissionChain, enabledPlugins } from "./admission/chain.js";
import { isFailure, type AdmissionRequest } from "./admission/plugin.js";
import { apiFailure, type ApiFailure, type ApiResult } from "./api-result.js";
import { qualifiedKind, type KindSpec } from "./registry/kind-spec.js";
import { mustKindSpec, NAMESPACED_KINDS, validateNew } from "./registry/registry.js";
import { fieldError, invalidMessage, type FieldError } from "./validation/field-errors.js";
import { withFields } from "./copy.js";
import { SAFE_ALPHANUMS } from "./names.js";
import type { Store } from "./store.js";
import type { KubeObject, Namespace, ObjectMeta, Pod } from "./types.js";

export type { ApiFailure, ApiResult };

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

/** The namespace of node leases (kube-node-lease), where each kubelet renews the Lease named after its node. */
export const NODE_LEASE_NAMESPACE = "kube-node-lease";
/** Namespaces that exist from the start, as in a kubeadm cluster. */
export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", NODE_LEASE_NAMESPACE];

/** Length of a generateName suffix (k8s.io/apiserver/pkg/storage/names/generate.go randomLength). */
const NAME_SUFFIX_LENGTH = 5;
/**
 * The kube-apiserver: the only writer of the store. It assigns uid, resourceVersion, generation and timestamps,
 * defaults and validates objects by their kind's registry entry (src/api/registry), runs the admission chain
 * (NamespaceLifecycle, Priority, DefaultTolerationSeconds: src/api/admission), enforces optimistic concurrency
 * (an update carrying a stale resourceVersion gets 409 Conflict), implements graceful pod deletion
 * (deletionTimestamp first; the kubelet finishes it) and cascades deletes to dependents by ownerReferences
 * (the garbage collector's background propagation, done at once).
 */
export class ApiServer {
  private readonly admission: AdmissionChain;
  /** Namespaces marked Terminating whose content is not all gone yet. */
  private readonly terminatingNamespaces = new Set<string>();

  constructor(
    private readonly store: Store,
    readonly clock: ApiClock,
    private readonly settings: Settings,
    private readonly uidRng: Rng,
    readonly events: EventRecorder,
  ) {
    this.admission = new AdmissionChain(enabledPlugins(settings), { store, settings });
  }

  /** Reads an object as a GET would: the latest committed state. */
  get<T extends KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.store.get<T>(kind, namespace, name);
  }

  /** Lists a kind as a LIST would, in creation order. */
  list<T extends KubeObject>(kind: string): IterableIterator<T> {
    return this.store.list<T>(kind);
  }

  /**
   * Creates an object (a fresh copy is stored; the argument is not modified), in upstream's order: defaulting,
   * mutating admission, BeforeCreate (generated name, uid, timestamps, PrepareForCreate, validation), validating
   * admission, then the store (409 AlreadyExists).
   */
  create<T extends KubeObject>(input: T): ApiResult<T> {
    const spec = mustKindSpec<T>(input.kind);
    const decoded = decodeBody(spec, input);
    if ("ok" in decoded) return decoded;
    const meta = withFields(decoded.metadata, {});
    if (spec.namespaced) meta.namespace = meta.namespace ?? "default";
    else delete meta.namespace;
    let obj = withFields(decoded, { metadata: meta } as Partial<T>);
    if (spec.default) obj = spec.default(obj, this.settings);
    const req: AdmissionRequest = { operation: "CREATE", kind: input.kind, namespace: meta.namespace, name: meta.name || meta.generateName || "", object: obj };
    const admitted = this.admission.admit(req);
    if (isFailure(admitted)) return admitted;
    obj = admitted as T;
    const m = obj.metadata;
    if (!m.name) {
      if (!m.generateName) return invalid(spec, "", [fieldError.required(["metadata", "name"], "name or generateName is required")]);
      do m.name = m.generateName + this.suffix();
      while (this.store.get(input.kind, m.namespace, m.name));
    }
    m.uid = this.uid();
    m.creationTimestamp = this.clock.time();
    m.generation = 1;
    delete m.deletionTimestamp;
    delete m.resourceVersion;
    if (spec.prepareForCreate) obj = spec.prepareForCreate(obj);
    const errs = validateNew(spec, obj);
    if (errs.length > 0) return invalid(spec, obj.metadata.name, errs);
    req.object = obj;
    req.name = obj.metadata.name;
    const refused = this.admission.validate(req);
    if (refused) return refused;
    if (this.store.get(input.kind, obj.metadata.namespace, obj.metadata.name)) {
      return apiFailure(409, "AlreadyExists", `${qualifiedResource(spec)} "${obj.metadata.name}" already exists`);
    }
    return { ok: true, object: this.store.put("ADDED", obj, undefined) as T };
  }

  /**
   * Replaces an object. If `input.metadata.resourceVersion` is set it must equal the stored one (else 409
   * Conflict, as etcd's compare-and-swap). The input is defaulted; uid, creationTimestamp and deletionTimestamp are
   * kept from the stored object; generation increments when the spec changed (canonical equality); the kind's
   * update validation (immutable fields) may refuse it with 422.
   */
  update<T extends KubeObject>(body: T, opts: UpdateOptions = {}): ApiResult<T> {
    const spec = mustKindSpec<T>(body.kind);
    const cur = this.current(body, opts);
    if ("ok" in cur) return cur;
    const input = decodeBody(spec, body);
    if ("ok" in input) return input;
    let next = spec.default ? spec.default(input, this.settings) : input;
    const admitted = this.admission.handles("UPDATE", input.kind);
    if (admitted) {
      const req: AdmissionRequest = { operation: "UPDATE", kind: input.kind, namespace: cur.metadata.namespace, name: cur.metadata.name, object: next };
      const r = this.admission.admit(req);
      if (isFailure(r)) return r;
      next = r as T;
    }
    let generation = cur.metadata.generation ?? 1;
    if (spec.tracksGeneration && (specChanged(next, cur) || (spec.annotationsBumpGeneration === true && annotationsChanged(next, cur)))) generation++;
    // Server-owned fields come from the stored object. Assigned only when set: deleting keys would push the object
    // into V8's slow dictionary mode, and leases make this the hottest write path.
    const meta: ObjectMeta = withFields(next.metadata, { uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp, generation });
    if (cur.metadata.deletionTimestamp !== undefined) meta.deletionTimestamp = cur.metadata.deletionTimestamp;
    else if (meta.deletionTimestamp !== undefined) meta.deletionTimestamp = undefined;
    if (cur.metadata.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = cur.metadata.deletionGracePeriodSeconds;
    const patch = { metadata: meta } as Partial<T> & { status?: unknown };
    // The main resource does not write status (it has its own subresource): PrepareForUpdate keeps the old one.
    if (spec.statusSubresource) patch.status = (cur as KubeObject & { status?: unknown }).status;
    const obj = withFields(next, patch);
    const errs = spec.validateUpdate?.(obj, cur);
    if (errs && errs.length > 0) return invalid(spec, obj.metadata.name, errs);
    if (admitted) {
      const refused = this.admission.validate({ operation: "UPDATE", kind: input.kind, namespace: cur.metadata.namespace, name: cur.metadata.name, object: obj });
      if (refused) return refused;
    }
    // The generic registry's ShouldDeleteDuringUpdate: the last finalizer of an object whose deletion is due is gone.
    if (meta.deletionTimestamp !== undefined && meta.deletionGracePeriodSeconds === 0 && !(meta.finalizers?.length ?? 0)) {
      this.removeObject(spec, cur);
      return { ok: true, object: obj };
    }
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
    const plural = qualifiedResource(mustKindSpec(input.kind));
    if (!cur) return apiFailure(404, "NotFound", `${plural} "${input.metadata.name}" not found`);
    const rv = input.metadata.resourceVersion;
    if (!opts.force && rv !== undefined && rv !== cur.metadata.resourceVersion) {
      return apiFailure(409, "Conflict", `Operation cannot be fulfilled on ${plural} "${input.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    return cur;
  }

  /** The pods/binding subresource: sets spec.nodeName of an unbound pod (409 if it is already bound). */
  bind(namespace: string, name: string, nodeName: string): ApiResult<Pod> {
    const cur = this.store.get<Pod>("Pod", namespace, name);
    if (!cur) return apiFailure(404, "NotFound", `pods "${name}" not found`);
    if (cur.spec.nodeName) return apiFailure(409, "Conflict", `pod ${name} is already assigned to node "${cur.spec.nodeName}"`);
    if (cur.metadata.deletionTimestamp) return apiFailure(409, "Conflict", `pod ${name} is being deleted, cannot be assigned to a host`);
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
    const spec = mustKindSpec(kind);
    const cur = this.store.get<KubeObject>(kind, namespace, name);
    if (!cur) return apiFailure(404, "NotFound", `${qualifiedResource(spec)} "${name}" not found`);
    if (this.admission.handles("DELETE", kind)) {
      const refused = this.admission.admit({ operation: "DELETE", kind, namespace, name, object: cur });
      if (isFailure(refused)) return refused;
    }
    if (spec.gracefulDeletion) {
      const pod = cur as Pod;
      const grace = opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? this.settings.terminationGracePeriodSeconds;
      // CheckGracefulDelete: an unscheduled pod or one that has finished goes at once.
      const terminal = pod.status.phase === "Succeeded" || pod.status.phase === "Failed";
      if (pod.spec.nodeName && grace > 0 && !terminal) {
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
    if (spec.holdsNamespacedObjects) return this.deleteNamespace(cur as Namespace);
    if (cur.metadata.finalizers?.length) {
      // Finalizers hold the object: it is marked, and goes when the last one is removed (update above).
      if (cur.metadata.deletionTimestamp !== undefined && cur.metadata.deletionGracePeriodSeconds === 0) return { ok: true, object: cur };
      const meta = withFields(cur.metadata, { deletionTimestamp: cur.metadata.deletionTimestamp ?? this.clock.time(), deletionGracePeriodSeconds: 0 });
      return { ok: true, object: this.store.put("MODIFIED", withFields(cur, { metadata: meta }), cur) };
    }
    this.removeObject(spec, cur);
    return { ok: true, object: cur };
  }

  /**
   * Removes an object from the store, then deletes its dependents (the garbage collector's background propagation,
   * done at once; only kinds that own others are searched) and, if it was the last object of a Terminating
   * namespace, the namespace.
   */
  private removeObject(spec: KindSpec, cur: KubeObject): void {
    this.store.remove(cur);
    if (spec.dependents.length > 0) this.deleteDependents(cur, spec.dependents);
    const ns = cur.metadata.namespace;
    if (ns !== undefined && this.terminatingNamespaces.has(ns)) this.finishNamespaceIfEmpty(ns);
  }

  private deleteNamespace(ns: Namespace): ApiResult<KubeObject> {
    // NOTE: upstream's namespace controller empties a Terminating namespace asynchronously; k8sim deletes its content at
    // once, and the namespace goes with its last object (at once, unless finalizers hold some).
    const name = ns.metadata.name;
    const marked: Namespace = { ...ns, metadata: { ...ns.metadata, deletionTimestamp: this.clock.time() }, status: { phase: "Terminating" } };
    const terminating = this.store.put("MODIFIED", marked, ns);
    this.terminatingNamespaces.add(name);
    for (const kind of NAMESPACED_KINDS) {
      const victims = [...this.store.list(kind)].filter((o) => o.metadata.namespace === name);
      for (const o of victims) this.delete(kind, name, o.metadata.name, { gracePeriodSeconds: 0 });
    }
    this.finishNamespaceIfEmpty(name);
    return { ok: true, object: terminating };
  }

  /**
   * Removes a Terminating namespace once nothing is left in it. Objects held by finalizers (a Job's pods until the
   * Job controller lets them go) keep it Terminating until they are gone, as the namespace controller waits.
   */
  private finishNamespaceIfEmpty(name: string): void {
    for (const kind of NAMESPACED_KINDS) if (this.store.countIn(kind, name) > 0) return;
    this.terminatingNamespaces.delete(name);
    const ns = this.store.get<Namespace>("Namespace", undefined, name);
    if (ns) this.store.remove(ns);
  }

  private deleteDependents(owner: KubeObject, kinds: readonly string[]): void {
    const uid = owner.metadata.uid!;
    for (const kind of kinds) for (const d of this.store.dependents(uid, kind)) this.delete(kind, d.metadata.namespace, d.metadata.name);
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

/** How apierrors names a resource: `pods`, `deployments.apps`, `jobs.batch` (schema.GroupResource.String()). */
function qualifiedResource(spec: KindSpec): string {
  return spec.group ? `${spec.plural}.${spec.group}` : spec.plural;
}

/** The body decoded as the kind's serializer would (kind-spec.ts `decode`), or the 400 BadRequest. */
function decodeBody<T extends KubeObject>(spec: KindSpec<T>, body: T): T | ApiFailure {
  if (!spec.decode) return body;
  const r = spec.decode(body);
  return r.ok ? r.object : apiFailure(400, "BadRequest", r.message);
}

/** True when `next`'s spec differs from `cur`'s by canonical equality (key order does not count). */
function specChanged(next: KubeObject, cur: KubeObject): boolean {
  const a = (next as KubeObject & { spec?: unknown }).spec;
  const b = (cur as KubeObject & { spec?: unknown }).spec;
  return a !== b && canonicalJson(a ?? null) !== canonicalJson(b ?? null);
}

/** True when the annotations differ by canonical equality (absent and empty are the same). */
function annotationsChanged(next: KubeObject, cur: KubeObject): boolean {
  const a = next.metadata.annotations;
  const b = cur.metadata.annotations;
  return a !== b && canonicalJson(a ?? {}) !== canonicalJson(b ?? {});
}

/** A 422 Invalid as apierrors.NewInvalid builds it: the message, and the causes as details. */
function invalid(spec: KindSpec, name: string, causes: FieldError[]): ApiFailure {
  return { ...apiFailure(422, "Invalid", invalidMessage(qualifiedKind(spec), name, causes)), details: { kind: spec.kind, name, causes } };
}

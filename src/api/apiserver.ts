import type { Rng } from "../engine/rng.js";
import type { Settings } from "../settings.js";
import type { ApiClock } from "./clock.js";
import type { EventRecorder } from "./events.js";
import { canonicalJson } from "./canonical-json.js";
import { AdmissionChain, enabledPlugins } from "./admission/chain.js";
import { isFailure, type AdmissionRequest } from "./admission/plugin.js";
import { apiFailure, type ApiFailure, type ApiResult } from "./api-result.js";
import { qualifiedKind, type AllocationStep, type KindAllocator, type KindSpec } from "./registry/kind-spec.js";
import { KINDS, mustKindSpec, validateNew } from "./registry/registry.js";
import { fieldError, invalidMessage, type FieldError } from "./validation/field-errors.js";
import { withFields } from "./copy.js";
import { deletionFinalizers, namespaceDeletionFinalizers, type PropagationPolicy } from "./deletion-policy.js";
import { SAFE_ALPHANUMS } from "./names.js";
import type { Store } from "./store.js";
import type { KubeObject, Namespace, ObjectMeta, Pod } from "./types.js";
import { API_SERVER_ADDRESS, API_SERVER_SECURE_PORT } from "./service/kubernetes-service.js";

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
  /** What happens to the object's dependents (metav1.DeletionPropagation); default: the kind's
   *  defaultGarbageCollectionPolicy, or a GC finalizer the object already has. */
  propagationPolicy?: PropagationPolicy;
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
 * (deletionTimestamp first; the kubelet finishes it) and the garbage-collection finalizers of a delete's
 * propagationPolicy; the garbage collector and the namespace controller do the cascading, asynchronously.
 */
export class ApiServer {
  private readonly admission: AdmissionChain;
  /** The kinds' allocators (a Service's cluster IPs and node ports: kind-spec.ts KindAllocator). */
  private readonly allocators = new Map<string, KindAllocator>();
  /** Virtual ms until which the server is down (apiServerOutage): every write fails; -Infinity: up. */
  private downUntil = -Infinity;

  constructor(
    private readonly store: Store,
    readonly clock: ApiClock,
    private readonly settings: Settings,
    private readonly uidRng: Rng,
    readonly events: EventRecorder,
    stream: (name: string) => Rng,
  ) {
    for (const k of KINDS) if (k.allocator) this.allocators.set(k.kind, k.allocator(settings, stream));
    this.admission = new AdmissionChain(enabledPlugins(settings), { store, settings, clock, updateStatus: (o) => this.updateStatus(o) });
  }

  /**
   * The API server is down from now until `untilMs` (the apiServerOutage fault; windows compose, the later end
   * wins): every write (create, update, updateStatus, bind, delete, deleteCollection, finalize) fails as a client
   * sees a server that does not answer, with client-go's dial error (unreachable).
   * NOTE: reads still answer, from the store. Nothing is written while it is down, so a read returns what an
   * informer's cache holds (the state at the outage's start); upstream a GET fails too, and informers relist after
   * the end (a reflector's backoff, 800ms doubling to 30s) while here they deliver at once.
   */
  goDown(untilMs: number): void {
    this.downUntil = Math.max(this.downUntil, untilMs);
  }

  /** Whether the server answers now. */
  get reachable(): boolean {
    return this.clock.ms >= this.downUntil;
  }

  /** Virtual ms the current outage ends (-Infinity when up). */
  get downUntilMs(): number {
    return this.downUntil;
  }

  /**
   * The failure of a request while the server is down, else undefined: client-go's error for a refused connection
   * (`<Verb> "<url>": dial tcp <address>:6443: connect: connection refused`), the URL as the request's REST path on
   * the advertise address (API_SERVER_ADDRESS, --secure-port 6443).
   */
  private unreachable(verb: "Post" | "Put" | "Delete", kind: string, namespace: string | undefined, name: string | undefined, sub?: string): ApiFailure | undefined {
    if (this.clock.ms >= this.downUntil) return undefined;
    const spec = mustKindSpec(kind);
    const base = spec.group ? `/apis/${spec.group}/${spec.version}` : `/api/${spec.version}`;
    const ns = spec.namespaced ? `/namespaces/${namespace ?? "default"}` : "";
    const path = `${base}${ns}/${spec.plural}${name ? `/${name}` : ""}${sub ? `/${sub}` : ""}`;
    const host = `${API_SERVER_ADDRESS}:${API_SERVER_SECURE_PORT}`;
    return apiFailure(503, "ServiceUnavailable", `${verb} "https://${host}${path}": dial tcp ${host}: connect: connection refused`);
  }

  /** Reads an object as a GET would: the latest committed state. */
  get<T extends KubeObject>(kind: string, namespace: string | undefined, name: string): T | undefined {
    return this.store.get<T>(kind, namespace, name);
  }

  /** Lists a kind as a LIST would, in creation order. */
  list<T extends KubeObject>(kind: string): IterableIterator<T> {
    return this.store.list<T>(kind);
  }

  /** Lists a kind in one namespace as a namespaced LIST would, in creation order (a snapshot array). */
  listIn<T extends KubeObject>(kind: string, namespace: string): T[] {
    return [...this.store.listIn<T>(kind, namespace)];
  }

  /**
   * DeleteCollection in one namespace (the generic registry's Store.DeleteCollection): every object of the kind
   * there, listed first, is deleted with `opts` as its own delete would be (a pod gets its own grace period unless
   * `opts` gives one); objects already gone when their turn comes are skipped. Returns how many deletes succeeded.
   */
  deleteCollection(kind: string, namespace: string, opts: DeleteOptions = {}): number {
    if (this.unreachable("Delete", kind, namespace, undefined)) return 0;
    let n = 0;
    for (const o of this.listIn(kind, namespace)) if (this.delete(kind, namespace, o.metadata.name, opts).ok) n++;
    return n;
  }

  /**
   * Creates an object (a fresh copy is stored; the argument is not modified), in upstream's order: defaulting,
   * mutating admission, BeforeCreate (generated name, uid, timestamps, PrepareForCreate, validation), validating
   * admission, then the store (409 AlreadyExists).
   */
  create<T extends KubeObject>(input: T): ApiResult<T> {
    const down = this.unreachable("Post", input.kind, input.metadata.namespace, undefined);
    if (down) return down;
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
    // BeginCreate: the kind's allocations (a Service's cluster IPs and node ports), kept only if the object is stored.
    const txn = this.allocators.get(input.kind)?.beginCreate(obj);
    if (txn && !txn.ok) return txn;
    if (txn) obj = txn.object as T;
    const errs = validateNew(spec, obj);
    if (errs.length > 0) return settle(txn, invalid(spec, obj.metadata.name, errs));
    req.object = obj;
    req.name = obj.metadata.name;
    const refused = this.admission.validate(req);
    if (refused) return settle(txn, refused);
    if (this.store.get(input.kind, obj.metadata.namespace, obj.metadata.name)) {
      return settle(txn, apiFailure(409, "AlreadyExists", `${qualifiedResource(spec)} "${obj.metadata.name}" already exists`));
    }
    return settle(txn, { ok: true, object: this.store.put("ADDED", obj, undefined) as T });
  }

  /**
   * Replaces an object. If `input.metadata.resourceVersion` is set it must equal the stored one (else 409
   * Conflict, as etcd's compare-and-swap). The input is defaulted; uid, creationTimestamp and deletionTimestamp are
   * kept from the stored object; generation increments when the spec changed (canonical equality); the kind's
   * update validation (immutable fields) may refuse it with 422.
   */
  update<T extends KubeObject>(body: T, opts: UpdateOptions = {}): ApiResult<T> {
    const down = this.unreachable("Put", body.kind, body.metadata.namespace, body.metadata.name);
    if (down) return down;
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
    // The namespace strategy's PrepareForUpdate also keeps spec.finalizers: only the finalize call changes them.
    if (spec.holdsNamespacedObjects) {
      const nsSpec = (next as unknown as Namespace).spec;
      (patch as { spec?: Namespace["spec"] }).spec = withFields(nsSpec ?? {}, { finalizers: (cur as unknown as Namespace).spec?.finalizers });
    }
    const prepared = withFields(next, patch);
    // BeginUpdate: the kind's allocations for the change (a Service's type transitions), kept only if it is stored.
    const txn = this.allocators.get(input.kind)?.beginUpdate(prepared, cur);
    if (txn && !txn.ok) return txn;
    const obj = txn ? (txn.object as T) : prepared;
    const errs = spec.validateUpdate?.(obj, cur);
    if (errs && errs.length > 0) return settle(txn, invalid(spec, obj.metadata.name, errs));
    if (admitted) {
      const refused = this.admission.validate({ operation: "UPDATE", kind: input.kind, namespace: cur.metadata.namespace, name: cur.metadata.name, object: obj });
      if (refused) return settle(txn, refused);
    }
    txn?.finish(true);
    // The generic registry's ShouldDeleteDuringUpdate: the last finalizer of an object whose deletion is due (grace
    // unset or 0) is gone; for a namespace spec.finalizers must be empty too (ShouldDeleteNamespaceDuringUpdate).
    if (
      meta.deletionTimestamp !== undefined &&
      (meta.deletionGracePeriodSeconds === undefined || meta.deletionGracePeriodSeconds === 0) &&
      !(meta.finalizers?.length ?? 0) &&
      !(spec.holdsNamespacedObjects && ((obj as unknown as Namespace).spec?.finalizers?.length ?? 0) > 0)
    ) {
      this.removeObject(cur);
      return { ok: true, object: obj };
    }
    return { ok: true, object: this.store.put("MODIFIED", obj, cur) as T };
  }

  /** Replaces only `status` (the /status subresource): spec and metadata stay as stored. */
  updateStatus<T extends KubeObject & { status?: unknown }>(input: T, opts: UpdateOptions = {}): ApiResult<T> {
    const down = this.unreachable("Put", input.kind, input.metadata.namespace, input.metadata.name, "status");
    if (down) return down;
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
    const down = this.unreachable("Post", "Pod", namespace, name, "binding");
    if (down) return down;
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
   * Deletes an object, as the generic registry's Store.Delete (k8s.io/apiserver/pkg/registry/generic/registry/
   * store.go) with rest.BeforeDelete (rest/delete.go):
   *
   * - Graceful deletion (pods: CheckGracefulDelete): a pod bound to a node, not finished, with a grace period > 0
   *   is only marked (deletionTimestamp = now + grace, deletionGracePeriodSeconds) and its kubelet finishes it with
   *   a grace-0 delete. A repeated delete may only shorten the period (the deadline moves by the difference); one
   *   that does not is a no-op that changes nothing, finalizers included (finalizers cannot be updated by
   *   DeleteOptions once a graceful deletion is pending).
   * - Garbage collection (deletionFinalizers, deletion-policy.ts): `opts.propagationPolicy`, else a GC finalizer the
   *   object has, else the kind's defaultGarbageCollectionPolicy, decides the `orphan` / `foregroundDeletion`
   *   finalizers. Background with no finalizer removes the object at once; the garbage collector deletes its
   *   dependents later. A repeated delete with another policy swaps the finalizer (Background drops it, and the
   *   object goes if nothing else holds it).
   * - An object with finalizers is marked (markAsDeleting: deletionTimestamp now unless an earlier one is set,
   *   deletionGracePeriodSeconds 0, generation + 1 on the first marking) and goes with its last finalizer (update).
   * - A Namespace: see deleteNamespace.
   *
   * NOTE: when a graceful deletion comes out at grace 0 (an unbound or finished pod, the kubelet's confirmation)
   * upstream first writes the object with deletionTimestamp and grace 0, then removes it; k8sim removes it at once,
   * saving a MODIFIED watch event per pod that no controller acts on.
   */
  delete(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): ApiResult<KubeObject> {
    const down = this.unreachable("Delete", kind, namespace, name);
    if (down) return down;
    const spec = mustKindSpec(kind);
    const cur = this.store.get<KubeObject>(kind, namespace, name);
    if (!cur) return apiFailure(404, "NotFound", `${qualifiedResource(spec)} "${name}" not found`);
    if (this.admission.handles("DELETE", kind)) {
      const refused = this.admission.admit({ operation: "DELETE", kind, namespace, name, object: cur });
      if (isFailure(refused)) return refused;
    }
    if (spec.holdsNamespacedObjects) return this.deleteNamespace(cur as Namespace, opts);
    // BeforeDelete: graceful (meta carries the new deadline), pending (nothing to do), or neither.
    let meta: ObjectMeta | undefined;
    let grace = 0;
    if (spec.gracefulDeletion) {
      const pod = cur as Pod;
      const asked = opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0 ? 1 : opts.gracePeriodSeconds;
      const prevGrace = pod.metadata.deletionGracePeriodSeconds;
      if (pod.metadata.deletionTimestamp !== undefined) {
        if (prevGrace !== undefined && prevGrace > 0) {
          // Only a shorter grace period may be given: old deletionTimestamp - old grace + new grace.
          if (asked === undefined || asked >= prevGrace) return { ok: true, object: pod };
          grace = asked;
          const deadline = this.clock.parse(pod.metadata.deletionTimestamp) - prevGrace * 1000 + grace * 1000;
          meta = withFields(pod.metadata, { deletionTimestamp: this.clock.time(deadline), deletionGracePeriodSeconds: grace });
        }
      } else {
        grace = asked ?? pod.spec.terminationGracePeriodSeconds ?? this.settings.terminationGracePeriodSeconds;
        // CheckGracefulDelete: an unscheduled pod or one that has finished goes at once.
        if (!pod.spec.nodeName || pod.status.phase === "Succeeded" || pod.status.phase === "Failed") grace = 0;
        meta = withFields(pod.metadata, { deletionTimestamp: this.clock.time(this.clock.ms + grace * 1000), deletionGracePeriodSeconds: grace });
      }
    }
    const graceful = meta !== undefined;
    const gc = deletionFinalizers(spec.defaultGarbageCollectionPolicy, cur.metadata.finalizers, opts.propagationPolicy);
    if (!graceful && !(cur.metadata.finalizers?.length ?? 0) && !gc.changed) {
      this.removeObject(cur);
      return { ok: true, object: cur };
    }
    // updateForGracefulDeletionAndFinalizers.
    meta ??= withFields(cur.metadata, {});
    if (gc.changed) meta.finalizers = gc.finalizers as string[];
    const pendingFinalizers = (meta.finalizers?.length ?? 0) > 0;
    if (!graceful) {
      if (!pendingFinalizers) {
        this.removeObject(cur);
        return { ok: true, object: cur };
      }
      // A repeat that changes nothing is not written (etcd's GuaranteedUpdate skips a no-op update).
      if (!gc.changed && cur.metadata.deletionTimestamp !== undefined && cur.metadata.deletionGracePeriodSeconds === 0) return { ok: true, object: cur };
      // markAsDeleting.
      const now = this.clock.ms;
      if (cur.metadata.deletionTimestamp === undefined && spec.tracksGeneration) meta.generation = (cur.metadata.generation ?? 1) + 1;
      if (cur.metadata.deletionTimestamp === undefined || this.clock.parse(cur.metadata.deletionTimestamp) > now) meta.deletionTimestamp = this.clock.time(now);
      meta.deletionGracePeriodSeconds = 0;
    } else if (!pendingFinalizers && grace === 0) {
      this.removeObject(cur);
      return { ok: true, object: cur };
    }
    return { ok: true, object: this.store.put("MODIFIED", withFields(cur, { metadata: meta }), cur) };
  }

  /**
   * Removes an object from the store. Its dependents are the garbage collector's business
   * (src/controllers/garbagecollector), which sees the removal through its informers.
   */
  private removeObject(cur: KubeObject): void {
    this.store.remove(cur);
    this.allocators.get(cur.kind)?.release(cur);
  }

  /**
   * The namespace REST's Delete (pkg/registry/core/namespace/storage/storage.go). The first delete only marks the
   * namespace: deletionTimestamp now, status.phase Terminating, and the GC finalizers the request asks for
   * (namespaceDeletionFinalizers); the namespace controller then empties it and removes `kubernetes` from
   * spec.finalizers (finalize). A later delete does nothing while spec.finalizers is not empty, and is the generic
   * delete once it is.
   */
  private deleteNamespace(ns: Namespace, opts: DeleteOptions): ApiResult<KubeObject> {
    if (ns.metadata.deletionTimestamp === undefined) {
      const finalizers = namespaceDeletionFinalizers(ns.metadata.finalizers, opts.propagationPolicy);
      const meta = withFields(ns.metadata, { deletionTimestamp: this.clock.time() });
      if (finalizers !== ns.metadata.finalizers) meta.finalizers = finalizers as string[];
      const marked: Namespace = withFields(ns, { metadata: meta, status: withFields(ns.status ?? { phase: "Terminating" as const }, { phase: "Terminating" as const }) });
      return { ok: true, object: this.store.put("MODIFIED", marked, ns) };
    }
    if (ns.spec?.finalizers?.length) return { ok: true, object: ns };
    if (ns.metadata.finalizers?.length) return { ok: true, object: ns };
    this.removeObject(ns);
    return { ok: true, object: ns };
  }

  /**
   * The namespaces/finalize subresource (FinalizeREST, FinalizeStrategy): replaces only spec.finalizers. When that
   * leaves spec.finalizers and metadata.finalizers empty on a namespace being deleted, the namespace is removed
   * (ShouldDeleteNamespaceDuringUpdate).
   */
  finalizeNamespace(input: Namespace, opts: UpdateOptions = {}): ApiResult<Namespace> {
    const down = this.unreachable("Put", "Namespace", undefined, input.metadata.name, "finalize");
    if (down) return down;
    const cur = this.current(input, opts);
    if ("ok" in cur) return cur;
    const finalizers = input.spec?.finalizers ?? [];
    const obj: Namespace = withFields(cur, { metadata: withFields(cur.metadata, {}), spec: withFields(cur.spec ?? {}, { finalizers }) });
    if (cur.metadata.deletionTimestamp !== undefined && finalizers.length === 0 && !(cur.metadata.finalizers?.length ?? 0)) {
      this.removeObject(cur);
      return { ok: true, object: obj };
    }
    return { ok: true, object: this.store.put("MODIFIED", obj, cur) as Namespace };
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

/** Ends a write's allocation step (kind-spec.ts AllocationStep) by the write's outcome, and passes the outcome on. */
function settle<R extends { ok: boolean }>(txn: AllocationStep<KubeObject> | undefined, result: R): R {
  if (txn?.ok) txn.finish(result.ok);
  return result;
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

/**
 * What the API machinery knows about one kind: the analogue of upstream's pkg/registry/<group>/<kind>/strategy.go
 * (scope, subresources, defaulting, validation, update rules, garbage-collection ownership) together with its
 * discovery entry (group, version, plural, short names). Every question "what is this kind" is answered here.
 */
import type { Rng } from "../../engine/rng.js";
import type { Settings } from "../../settings.js";
import type { ApiFailure } from "../api-result.js";
import type { GarbageCollectionPolicy } from "../deletion-policy.js";
import type { KubeObject } from "../types.js";
import type { FieldError } from "../validation/field-errors.js";
import type { NameRule } from "../validation/object-meta.js";

/** One kind's registry entry. Hooks take and return whole objects and never mutate their argument. */
export interface KindSpec<T extends KubeObject = KubeObject> {
  /** API group ("" for core). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Resource name (discovery `name`), e.g. "deployments". */
  readonly plural: string;
  /** Lower-case singular name, e.g. "deployment". */
  readonly singular: string;
  /** kubectl short names, e.g. ["deploy"]. */
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  /** Has a /status subresource: a write of the main resource keeps the stored status (PrepareForUpdate). */
  readonly statusSubresource: boolean;
  /** Has a /scale subresource (the timeline's `scale` action may target it). */
  readonly scaleSubresource: boolean;
  /** metadata.generation is bumped when the spec changes (canonical equality). */
  readonly tracksGeneration: boolean;
  /** Also bump generation when annotations change (the Deployment strategy's PrepareForUpdate does). */
  readonly annotationsBumpGeneration?: boolean;
  /** How metadata.name is validated (ValidateObjectMeta's name function). */
  readonly nameRule: NameRule;
  /** Kinds whose objects name objects of this kind as owner (discovery documentation only: the garbage
   *  collector's graph, src/controllers/garbagecollector, covers every kind). */
  readonly dependents: readonly string[];
  /**
   * The strategy's DefaultGarbageCollectionPolicy (rest.GarbageCollectionDeleteStrategy): what a delete naming no
   * propagationPolicy does to dependents. Absent as for a strategy without the method (background).
   */
  readonly defaultGarbageCollectionPolicy?: GarbageCollectionPolicy;
  /** False for kinds whose objects mostly get generated names (pods of a ReplicaSet): a timeline target of such a
   *  kind is not checked for existence when the scenario loads. */
  readonly namesKnownAtLoad: boolean;
  /** Whether a scenario's timeline and expectations may name objects of this kind (false for objects only the
   *  control plane writes: leases, events). */
  readonly scenarioTarget: boolean;
  /** Pods an object of this kind asks for (1 for a Pod, spec.replicas for a workload; 0 for a bad value), for the
   *  pods limit and the stall guard; absent for kinds that run no pods. */
  podsDeclared?(obj: T): number;
  /** Objects of this kind are the nodes of the scenario's pools (they register themselves; none come from
   *  manifests). */
  readonly fromNodePools?: boolean;
  /** Objects of this kind hold the namespaced objects (deleting one deletes its content). */
  readonly holdsNamespacedObjects?: boolean;
  /** Deleting a bound object first marks it (deletionTimestamp and grace period) and its node's agent finishes
   *  the deletion (pods: rest.CheckGracefulDelete). */
  readonly gracefulDeletion?: boolean;
  /** Why the timeline may not delete objects of this kind, if it may not (the message's hint). */
  readonly timelineDeleteHint?: string;
  /**
   * The decoding of a request body into the stored form (the v1 serializer and Convert_v1_<Kind>_To_core_<Kind>):
   * the object to store (a Secret's stringData merged into data), or the 400 BadRequest text and the field at
   * fault when the body cannot be decoded (a Secret value that is not base64).
   */
  decode?(obj: T): { ok: true; object: T } | { ok: false; message: string; path: (string | number)[] };
  /** SetDefaults_<Kind> (pkg/apis/<group>/<version>/defaults.go); the same object when nothing was missing. */
  default?(obj: T, settings: Settings): T;
  /** Strategy PrepareForCreate: server-set fields of a new object (status phase, labels). */
  prepareForCreate?(obj: T): T;
  /** Strategy Validate: field errors of a new object (already defaulted). */
  validate?(obj: T): FieldError[];
  /** Strategy ValidateUpdate: field errors of `obj` replacing `old` (both defaulted), immutability included. */
  validateUpdate?(obj: T, old: T): FieldError[];
  /** The API server's allocator of what objects of this kind take from shared pools (a Service's cluster IPs and
   *  node ports), built once per API server with its own seeded streams. */
  allocator?(settings: Settings, stream: (name: string) => Rng): KindAllocator<T>;
}

/**
 * One write's allocation, a transaction of pkg/registry/core/service/storage/alloc.go: the object as allocated, and
 * finish(success): on success what was taken stays taken and what the write gave up is freed; on failure what was
 * taken is given back and nothing is freed.
 */
export type AllocationStep<T> = { readonly ok: true; readonly object: T; finish(success: boolean): void } | ApiFailure;

/**
 * Allocation hooks the API server runs for a kind (the Service REST's BeginCreate / BeginUpdate, before validation,
 * and AfterDelete once the object has left the store). They never write the store.
 */
export interface KindAllocator<T extends KubeObject = KubeObject> {
  beginCreate(obj: T): AllocationStep<T>;
  beginUpdate(obj: T, old: T): AllocationStep<T>;
  release(obj: T): void;
}

/** "apps/v1", or "v1" for the core group. */
export function apiVersionOf(k: Pick<KindSpec, "group" | "version">): string {
  return k.group ? `${k.group}/${k.version}` : k.version;
}

/** "Deployment.apps", or "Pod" for the core group: how apierrors name the kind in messages. */
export function qualifiedKind(k: Pick<KindSpec, "group" | "kind">): string {
  return k.group ? `${k.kind}.${k.group}` : k.kind;
}

/** The fields most kinds share, so an entry states only what sets it apart. */
const KIND_DEFAULTS = {
  statusSubresource: false,
  scaleSubresource: false,
  tracksGeneration: false,
  nameRule: "subdomain",
  dependents: [],
  scenarioTarget: true,
  namesKnownAtLoad: true,
} as const;

/** A registry entry: `spec` over KIND_DEFAULTS (no status or scale subresource, no generation, subdomain names,
 *  owns nothing, named by scenarios and known at load). */
export function defineKind<T extends KubeObject>(
  spec: Omit<KindSpec<T>, keyof typeof KIND_DEFAULTS> & Partial<Pick<KindSpec<T>, keyof typeof KIND_DEFAULTS>>,
): KindSpec<T> {
  return { ...KIND_DEFAULTS, ...spec };
}

/** What a workload's spec.replicas asks for: the default 1 when absent, 0 for a value that is no count (the loader
 *  reports that one). */
export function declaredReplicas(r: unknown): number {
  return r === undefined ? 1 : typeof r === "number" && Number.isInteger(r) && r >= 0 ? r : 0;
}

/**
 * The scenario after loading and validation: every duration in integer milliseconds, every reference checked.
 * The YAML form is defined by schemas/scenario.schema.json; this is what the simulation consumes.
 */
import type { Settings } from "../settings.js";
import type { Limits } from "./limits.js";
import type { BehaviorProfile } from "../workload/profiles.js";
import type { ImageCatalogEntry } from "../kubelet/runtime/image-registry.js";

/** A position in a source file, 1-based, as every error message prints it (`file:line:column`). */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** A Kubernetes object as loaded from a manifest (real apiVersion/kind/metadata/spec shape), with where it came from. */
export interface LoadedManifest {
  object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown }; [k: string]: unknown };
  source: SourcePos;
}

export type { NodePool, TaintSpec } from "../kubelet/node-pool.js";
import type { NodePool } from "../kubelet/node-pool.js";
import type { PropagationPolicy } from "../api/deletion-policy.js";
import type { DrainOptions } from "../faults/injector.js";

export type { FaultProcess } from "../faults/processes/spec.js";
import type { FaultProcess } from "../faults/processes/spec.js";

/** One scripted action at a virtual time. */
export type TimelineAction =
  | { at: number; action: "nodeFailure"; node: string; source: SourcePos }
  | { at: number; action: "nodeRecover"; node: string; source: SourcePos }
  | { at: number; action: "scale"; kind: string; name: string; namespace: string; replicas: number; source: SourcePos }
  | { at: number; action: "apply"; manifests: LoadedManifest[]; source: SourcePos }
  | { at: number; action: "delete"; kind: string; name: string; namespace: string; propagationPolicy: PropagationPolicy; source: SourcePos }
  | { at: number; action: "addNodes"; pool: NodePool; source: SourcePos }
  /** The kubelet process stops (containers run on) / starts again (src/faults/injector.ts). */
  | { at: number; action: "kubeletStop" | "kubeletStart"; node: string; source: SourcePos }
  /** kubectl cordon / uncordon. */
  | { at: number; action: "cordon" | "uncordon"; node: string; source: SourcePos }
  /** The nodes (or every node of the zone, as labelled when it starts) cut from the control plane until `until` (ms). */
  | { at: number; action: "networkPartition"; nodes: string[] | undefined; zone: string | undefined; until: number; source: SourcePos }
  /** Every node of the zone fails; recovers at `until` (ms) when given. */
  | { at: number; action: "zoneOutage"; zone: string; until: number | undefined; source: SourcePos }
  /** The pod's containers (one pod, or every running pod the selector matches) SIGKILLed on their node. */
  | { at: number; action: "podKill"; namespace: string; pod: string | undefined; selector: string | undefined; source: SourcePos }
  /** kubectl drain: cordon, then evict the node's pods (src/faults/injector.ts drain). */
  | { at: number; action: "drain"; node: string; options: DrainOptions; source: SourcePos }
  /** The API server adds `latency` (ms) to client requests and watch deliveries until `until` (ms). */
  | { at: number; action: "slowApiServer"; latency: number; until: number; source: SourcePos }
  /** The API server answers no write until `until` (ms). */
  | { at: number; action: "apiServerOutage"; until: number; source: SourcePos }
  /** Pulls of the images the `images` glob matches fail until `until` (ms). */
  | { at: number; action: "imageRegistryOutage"; images: string; until: number; source: SourcePos }
  /** One container of the pod(s) exits now with `exitCode` (`container` undefined: the pod's first). */
  | { at: number; action: "containerCrash"; namespace: string; pod: string | undefined; selector: string | undefined; container: string | undefined; exitCode: number; source: SourcePos };

/** Comparison operators an expectation may use. */
export type ExpectOp = "==" | "!=" | ">=" | "<=" | ">" | "<";

/** A check of one object field at a time (default: the end of the run). */
export interface Expectation {
  at: number;
  kind: string;
  name: string;
  namespace: string;
  /** Dotted path into the object, e.g. "status.availableReplicas". */
  field: string;
  op: ExpectOp;
  value: number | string | boolean;
  /** The expectation as written, for reports: "deployment/web status.availableReplicas >= 3 at 20m". */
  text: string;
  source: SourcePos;
}

/** A fully loaded, validated scenario. */
export interface Scenario {
  /** Path of the scenario file as given. */
  file: string;
  /** sha256 of the scenario file's bytes, hex. */
  hash: string;
  name: string;
  seed: number;
  /** Epoch ms of virtual time 0 (spec.startTime, default 2026-01-01T00:00:00Z). */
  startTime: number;
  /** Simulated duration (ms). */
  duration: number;
  nodePools: NodePool[];
  settings: Partial<Settings>;
  /** Objects created at time 0, in file order. */
  workloads: LoadedManifest[];
  /** Sorted by `at`, ties in file order. */
  timeline: TimelineAction[];
  /** Sample interval of metrics.csv (ms). */
  metricsInterval: number;
  expect: Expectation[];
  /** Manifests of kinds k8sim does not simulate yet: reported, not created. */
  ignored: { kind: string; name: string; source: SourcePos }[];
  /** Size limits in force (defaults, then spec.limits, then --limit). */
  limits: Limits;
  /** spec.behaviors, in file order. */
  behaviors: BehaviorProfile[];
  /** spec.images. */
  images: ImageCatalogEntry[];
  /** spec.faults, in file order (absent: none). */
  faults?: FaultProcess[];
}

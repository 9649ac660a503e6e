/**
 * Generated workloads: Deployments, ReplicaSets, bare Pods, Jobs and CronJobs with resource requests, nodeSelector,
 * required node affinity and tolerations, optionally in a namespace the scenario creates.
 */
import fc from "fast-check";
import { DISKS, EFFECTS, TAINT_KEYS, ZONES } from "./cluster.js";
import { rarely } from "./rarely.js";

/** A manifest as it goes into the scenario (plain JSON-able object). */
export type Manifest = Record<string, unknown> & { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } };

/** What a generated workload may vary; names and namespaces are assigned by the scenario generator. */
export interface WorkloadBody {
  kind: "Deployment" | "ReplicaSet" | "Pod" | "Job" | "CronJob";
  replicas: number;
  cpu: string | undefined;
  memory: string | undefined;
  limitMemory: boolean;
  nodeSelector: Record<string, string> | undefined;
  affinity: { operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; key: string; values?: string[] } | undefined;
  tolerations: Record<string, unknown>[];
  strategy: Record<string, unknown> | undefined;
  image: string;
  minReadySeconds: number | undefined;
  /** The Job (or a CronJob's job template) fields, for kind Job / CronJob. */
  batch: BatchBody;
}

/** What a generated Job or CronJob may vary. */
export interface BatchBody {
  completions: number | undefined;
  parallelism: number | undefined;
  indexed: boolean;
  backoffLimit: number | undefined;
  restartPolicy: "Never" | "OnFailure";
  activeDeadlineSeconds: number | undefined;
  ttlSecondsAfterFinished: number | undefined;
  schedule: string;
  concurrencyPolicy: "Allow" | "Forbid" | "Replace" | undefined;
  startingDeadlineSeconds: number | undefined;
  suspend: boolean;
}

const batchArb: fc.Arbitrary<BatchBody> = fc.record({
  completions: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  parallelism: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  indexed: fc.boolean(),
  backoffLimit: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  restartPolicy: fc.constantFrom("Never" as const, "OnFailure" as const),
  activeDeadlineSeconds: rarely(fc.integer({ min: 5, max: 120 }), 4),
  ttlSecondsAfterFinished: rarely(fc.integer({ min: 0, max: 60 }), 3),
  schedule: fc.constantFrom("*/1 * * * *", "*/2 * * * *", "*/5 * * * *", "@hourly", "30 * * * *", "* * * * *"),
  concurrencyPolicy: fc.option(fc.constantFrom("Allow" as const, "Forbid" as const, "Replace" as const), { nil: undefined }),
  startingDeadlineSeconds: rarely(fc.integer({ min: 0, max: 300 }), 4),
  suspend: fc.boolean().map((b) => b && false),
});

const tolerationArb = fc.oneof(
  fc.record({ key: fc.constantFrom(...TAINT_KEYS), operator: fc.constant("Exists"), effect: fc.constantFrom(...EFFECTS) }),
  fc.record({ key: fc.constantFrom(...TAINT_KEYS), operator: fc.constant("Equal"), value: fc.constantFrom("a", "b") }),
  fc.record({ key: fc.constantFrom("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"), operator: fc.constant("Exists"), effect: fc.constant("NoExecute"), tolerationSeconds: fc.integer({ min: 0, max: 120 }) }),
);

const affinityArb = fc.oneof(
  fc.record({ operator: fc.constant("In" as const), key: fc.constant("topology.kubernetes.io/zone"), values: fc.uniqueArray(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ operator: fc.constant("NotIn" as const), key: fc.constant("topology.kubernetes.io/zone"), values: fc.uniqueArray(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ operator: fc.constantFrom("Exists" as const, "DoesNotExist" as const), key: fc.constant("disk") }),
);

const strategyArb = fc.oneof(
  fc.constant(undefined),
  fc.constant({ type: "Recreate" }),
  fc.record({
    type: fc.constant("RollingUpdate"),
    rollingUpdate: fc.record({
      maxSurge: fc.constantFrom<number | string>(0, 1, 2, "25%", "50%"),
      maxUnavailable: fc.constantFrom<number | string>(1, 0, "25%", "100%"),
    }),
  }).map((s) => (s.rollingUpdate.maxSurge === 0 && s.rollingUpdate.maxUnavailable === 0 ? { ...s, rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } : s)),
);

/** The variable part of one workload. */
export const workloadBodyArb: fc.Arbitrary<WorkloadBody> = fc.record({
  kind: fc.constantFrom("Deployment", "Deployment", "ReplicaSet", "Pod", "Job", "CronJob"),
  replicas: fc.integer({ min: 0, max: 8 }),
  cpu: fc.option(fc.constantFrom("100m", "250m", "500m", "1", "1500m", "3"), { nil: undefined, freq: 4 }),
  memory: fc.option(fc.constantFrom("64Mi", "256Mi", "1Gi", "3Gi"), { nil: undefined, freq: 3 }),
  limitMemory: fc.boolean(),
  nodeSelector: rarely(fc.oneof(fc.record({ "topology.kubernetes.io/zone": fc.constantFrom(...ZONES) }), fc.record({ disk: fc.constantFrom(...DISKS) })), 4),
  affinity: rarely(affinityArb, 4),
  tolerations: fc.oneof({ weight: 2, arbitrary: fc.constant<Record<string, unknown>[]>([]) }, { weight: 1, arbitrary: fc.array(tolerationArb, { minLength: 1, maxLength: 2 }) }),
  strategy: strategyArb,
  image: fc.constantFrom("nginx:1.27", "nginx:1.28", "busybox:1.36"),
  minReadySeconds: rarely(fc.integer({ min: 0, max: 20 }), 5),
  batch: batchArb,
});

/** The pod template spec of a workload body. */
export function podSpec(b: WorkloadBody): Record<string, unknown> {
  const requests: Record<string, string> = {};
  if (b.cpu) requests.cpu = b.cpu;
  if (b.memory) requests.memory = b.memory;
  const container: Record<string, unknown> = { name: "app", image: b.image };
  if (Object.keys(requests).length) {
    container.resources = { requests, ...(b.limitMemory && b.memory ? { limits: { memory: b.memory } } : {}) };
  }
  const spec: Record<string, unknown> = { containers: [container] };
  if (b.nodeSelector) spec.nodeSelector = b.nodeSelector;
  if (b.affinity) {
    spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [b.affinity] }] } } };
  }
  if (b.tolerations.length) spec.tolerations = b.tolerations;
  return spec;
}

/** The manifest of a workload body, named `name` in `namespace`. */
export function manifest(b: WorkloadBody, name: string, namespace: string | undefined): Manifest {
  const labels = { app: name };
  const metadata = { name, ...(namespace ? { namespace } : {}), labels };
  if (b.kind === "Pod") return { apiVersion: "v1", kind: "Pod", metadata, spec: podSpec(b) };
  if (b.kind === "Job" || b.kind === "CronJob") {
    const j = b.batch;
    // An Indexed Job needs completions; a generated one gets at least 1.
    const completions = j.indexed ? (j.completions ?? 1) : j.completions;
    const jobSpec: Record<string, unknown> = {
      ...(completions !== undefined ? { completions } : {}),
      ...(j.parallelism !== undefined ? { parallelism: j.parallelism } : {}),
      ...(j.indexed ? { completionMode: "Indexed" } : {}),
      ...(j.backoffLimit !== undefined ? { backoffLimit: j.backoffLimit } : {}),
      ...(j.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: j.activeDeadlineSeconds } : {}),
      ...(j.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: j.ttlSecondsAfterFinished } : {}),
      template: { metadata: { labels }, spec: { ...podSpec(b), restartPolicy: j.restartPolicy } },
    };
    if (b.kind === "Job") return { apiVersion: "batch/v1", kind: "Job", metadata, spec: jobSpec };
    const cronSpec: Record<string, unknown> = {
      schedule: j.schedule,
      ...(j.concurrencyPolicy !== undefined ? { concurrencyPolicy: j.concurrencyPolicy } : {}),
      ...(j.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: j.startingDeadlineSeconds } : {}),
      ...(j.suspend ? { suspend: true } : {}),
      jobTemplate: { spec: jobSpec },
    };
    return { apiVersion: "batch/v1", kind: "CronJob", metadata, spec: cronSpec };
  }
  const spec: Record<string, unknown> = {
    replicas: b.replicas,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: podSpec(b) },
  };
  if (b.kind === "Deployment" && b.strategy) spec.strategy = b.strategy;
  if (b.minReadySeconds !== undefined) spec.minReadySeconds = b.minReadySeconds;
  return { apiVersion: "apps/v1", kind: b.kind, metadata, spec };
}

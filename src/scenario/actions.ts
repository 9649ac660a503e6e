import type { ApiResult } from "../api/apiserver.js";
import type { Deployment, KubeObject, ReplicaSet } from "../api/types.js";
import type { Cluster } from "../cluster.js";
import { assertNever } from "../engine/assert-never.js";
import type { LoadedManifest, SourcePos, TimelineAction } from "./types.js";

/** A timeline action or initial object that the cluster refused, reported in the summary and on the terminal. */
export interface ActionProblem {
  /** Virtual ms of the action. */
  at: number;
  /** `file:line:column: what happened`. */
  message: string;
}

/**
 * Plays the scenario's timeline on a cluster: each action runs at its time, in file order at equal times, as a
 * client of the API server (kubectl apply / scale / delete) or as the machine (nodeFailure stops the kubelet,
 * nodeRecover starts it). Refusals (the API server said no) are collected, not thrown: they are outcomes of the
 * experiment.
 */
export class TimelinePlayer {
  /** Problems met so far. */
  readonly problems: ActionProblem[] = [];

  constructor(private readonly cluster: Cluster, timeline: readonly TimelineAction[]) {
    const ctx = cluster.sim.register<TimelineAction>("timeline", (a) => this.run(a));
    for (const a of timeline) ctx.scheduleAt(a.at, a);
  }

  /** Creates manifests (initial workloads or an apply action): create, or replace the spec if the object exists. */
  apply(manifests: readonly LoadedManifest[]): void {
    const { api } = this.cluster.cp;
    for (const m of manifests) {
      const obj = structuredClone(m.object) as unknown as KubeObject & { spec?: unknown };
      const existing = api.get<KubeObject & { spec?: unknown }>(obj.kind, obj.kind === "Namespace" ? undefined : obj.metadata.namespace ?? "default", obj.metadata.name);
      const r: ApiResult<KubeObject> = existing
        ? api.update({ ...existing, metadata: { ...existing.metadata, labels: obj.metadata.labels ?? existing.metadata.labels }, spec: obj.spec })
        : api.create(obj);
      if (!r.ok) this.report(m.source, `${obj.kind}/${obj.metadata.name}: ${r.reason}: ${r.message}`);
    }
  }

  private run(a: TimelineAction): void {
    const { cp, kubelets } = this.cluster;
    switch (a.action) {
      case "nodeFailure": {
        kubelets.get(a.node)?.stop();
        return;
      }
      case "nodeRecover": {
        kubelets.get(a.node)?.start();
        return;
      }
      case "addNodes": {
        kubelets.addPool(a.pool);
        return;
      }
      case "apply": {
        this.apply(a.manifests);
        return;
      }
      case "scale": {
        const cur = cp.api.get<Deployment | ReplicaSet>(a.kind, a.namespace, a.name);
        if (!cur) return this.report(a.source, `${a.kind.toLowerCase()}s "${a.name}" not found in namespace ${a.namespace}`);
        const r = cp.api.update({ ...cur, spec: { ...cur.spec, replicas: a.replicas } } as Deployment | ReplicaSet);
        if (!r.ok) this.report(a.source, r.message);
        return;
      }
      case "delete": {
        const r = cp.api.delete(a.kind, a.kind === "Namespace" || a.kind === "Node" ? undefined : a.namespace, a.name);
        if (!r.ok) this.report(a.source, r.message);
        return;
      }
      default:
        assertNever(a);
    }
  }

  private report(source: SourcePos, message: string): void {
    this.problems.push({ at: this.cluster.sim.now, message: `${source.file}:${source.line}:${source.col}: ${message}` });
  }
}

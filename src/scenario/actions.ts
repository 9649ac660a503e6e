import { podUpdateProblem, type ApiResult } from "../api/apiserver.js";
import { withFields } from "../api/copy.js";
import type { Container, Deployment, KubeObject, Pod, ReplicaSet } from "../api/types.js";
import type { Cluster } from "../cluster.js";
import { assertNever } from "../engine/assert-never.js";
import type { LoadedManifest, SourcePos, TimelineAction } from "./types.js";

/** A timeline action or initial object that the cluster refused, reported in the summary and on the terminal. */
export interface ActionProblem {
  /** Virtual ms of the action. */
  at: number;
  /** Where the action (or the manifest) is written. */
  source: SourcePos;
  /** What the API server said. */
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
  /** The manifest last applied per object ("Kind/namespace/name"), as kubectl's last-applied-configuration. */
  private readonly lastApplied = new Map<string, KubeObject>();

  constructor(private readonly cluster: Cluster, timeline: readonly TimelineAction[]) {
    const ctx = cluster.sim.register<TimelineAction>("timeline", (a) => this.run(a));
    for (const a of timeline) ctx.scheduleAt(a.at, a);
  }

  /**
   * Creates manifests (initial workloads or an apply action), or, for an object that exists, updates its spec and
   * labels as `kubectl apply` would. A Pod's spec is immutable but for images: when the manifest differs from the
   * one last applied only in images, the new images are patched in; any other change is refused by the API server
   * (422), as upstream.
   */
  apply(manifests: readonly LoadedManifest[]): void {
    const { api } = this.cluster.cp;
    for (const m of manifests) {
      const obj = structuredClone(m.object) as unknown as KubeObject & { spec?: unknown };
      const ns = obj.kind === "Namespace" ? undefined : (obj.metadata.namespace ?? "default");
      const key = `${obj.kind}/${ns ?? ""}/${obj.metadata.name}`;
      const existing = api.get<KubeObject & { spec?: unknown }>(obj.kind, ns, obj.metadata.name);
      let r: ApiResult<KubeObject>;
      if (!existing) r = api.create(obj);
      else if (obj.kind === "Pod") r = this.applyPod(existing as unknown as Pod, obj as unknown as Pod, this.lastApplied.get(key) as Pod | undefined);
      else r = api.update(withFields(existing, { metadata: withFields(existing.metadata, { labels: obj.metadata.labels ?? existing.metadata.labels }), spec: obj.spec }));
      if (r.ok) this.lastApplied.set(key, obj);
      else this.report(m.source, `${obj.kind}/${obj.metadata.name}: ${r.reason}: ${r.message}`);
    }
  }

  private applyPod(existing: Pod, manifest: Pod, last: Pod | undefined): ApiResult<KubeObject> {
    const { api } = this.cluster.cp;
    if (last === undefined || podUpdateProblem(last, manifest) !== undefined) return api.update(withFields(existing, { spec: manifest.spec }));
    const image = (c: Container) => manifest.spec.containers.find((x) => x.name === c.name)?.image ?? c.image;
    const containers = existing.spec.containers.map((c) => (image(c) === c.image ? c : withFields(c, { image: image(c) })));
    return api.update(withFields(existing, { spec: withFields(existing.spec, { containers }) }));
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
    this.problems.push({ at: this.cluster.sim.now, source, message });
  }
}

import type { ApiFailure, ApiResult } from "../api/api-result.js";
import { threeWayMerge } from "../api/patch/three-way-merge.js";
import { fieldErrorText } from "../api/validation/field-errors.js";
import { isNamespaced, mustKindSpec } from "../api/registry/registry.js";
import type { Deployment, KubeObject, ReplicaSet } from "../api/types.js";
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
   * Creates manifests (initial workloads or an apply action), or, for an object that exists, applies the change
   * since the last applied manifest to the live object as `kubectl apply` does (a three-way merge, so defaults and
   * fields set by controllers or a scale stay). The API server judges the result: changing an immutable field
   * (a Deployment's selector, a Pod's spec beyond its images) is refused with upstream's message (422).
   */
  apply(manifests: readonly LoadedManifest[]): void {
    const { api } = this.cluster.cp;
    for (const m of manifests) {
      const obj = structuredClone(m.object) as unknown as KubeObject;
      const ns = isNamespaced(obj.kind) ? (obj.metadata.namespace ?? "default") : undefined;
      const key = `${obj.kind}/${ns ?? ""}/${obj.metadata.name}`;
      const existing = api.get<KubeObject>(obj.kind, ns, obj.metadata.name);
      const r: ApiResult<KubeObject> = existing ? api.update(threeWayMerge(existing, this.lastApplied.get(key), obj) as KubeObject) : api.create(obj);
      if (r.ok) this.lastApplied.set(key, obj);
      else this.report(m.source, kubectlError(obj.kind, obj.metadata.name, r));
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
        kubelets.addPool(a.pool, true);
        return;
      }
      case "apply": {
        this.apply(a.manifests);
        return;
      }
      case "scale": {
        const cur = cp.api.get<Deployment | ReplicaSet>(a.kind, a.namespace, a.name);
        if (!cur) return this.report(a.source, `${mustKindSpec(a.kind).plural} "${a.name}" not found in namespace ${a.namespace}`);
        const r = cp.api.update({ ...cur, spec: { ...cur.spec, replicas: a.replicas } } as Deployment | ReplicaSet);
        if (!r.ok) this.report(a.source, r.message);
        return;
      }
      case "delete": {
        const r = cp.api.delete(a.kind, isNamespaced(a.kind) ? a.namespace : undefined, a.name, { propagationPolicy: a.propagationPolicy });
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

/**
 * A refused apply as kubectl prints it: `The Deployment "web" is invalid: spec.selector: ...` for a 422 (cmdutil
 * CheckErr rebuilds the message around the field errors), `Error from server (Forbidden): ...` otherwise.
 */
export function kubectlError(kind: string, name: string, f: ApiFailure): string {
  if (f.details) {
    const texts = f.details.causes.map(fieldErrorText);
    return `The ${kind} ${JSON.stringify(name)} is invalid: ${texts.length === 1 ? texts[0] : `[${texts.join(", ")}]`}`;
  }
  return `Error from server (${f.reason}): ${f.message}`;
}

import type { ApiFailure, ApiResult } from "../api/api-result.js";
import { threeWayMerge } from "../api/patch/three-way-merge.js";
import { fieldErrorText } from "../api/validation/field-errors.js";
import { isNamespaced, mustKindSpec } from "../api/registry/registry.js";
import type { Deployment, KubeObject, ReplicaSet } from "../api/types.js";
import type { Cluster } from "../cluster.js";
import { assertNever } from "../engine/assert-never.js";
import type { FaultInjector } from "../faults/injector.js";
import { LABEL_TOPOLOGY_ZONE } from "../api/topology.js";
import type { Node, Pod } from "../api/types.js";
import { matchesRequirements, parseSelector } from "../logs/selector.js";
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
 * nodeRecover starts it), or as a fault through the run's FaultInjector (kubeletStop, networkPartition, zoneOutage,
 * cordon, ...; each logged in faults.csv). Refusals (the API server said no) are collected, not thrown: they are outcomes of the
 * experiment.
 */
export class TimelinePlayer {
  /** Problems met so far. */
  readonly problems: ActionProblem[] = [];
  /** The manifest last applied per object ("Kind/namespace/name"), as kubectl's last-applied-configuration. */
  private readonly lastApplied = new Map<string, KubeObject>();

  constructor(private readonly cluster: Cluster, timeline: readonly TimelineAction[], private readonly faults: FaultInjector) {
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
      // Through the FaultInjector like every other fault, so each is a faults.csv row and a k8simFault Event.
      case "nodeFailure": {
        this.faults.nodeFailure(a.node, "timeline");
        return;
      }
      case "nodeRecover": {
        this.faults.nodeRecover(a.node, "timeline");
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
      case "kubeletStop":
        this.faults.kubeletStop(a.node, SOURCE);
        return;
      case "kubeletStart":
        this.faults.kubeletStart(a.node, SOURCE);
        return;
      case "cordon":
        if (!this.faults.cordon(a.node, SOURCE)) this.report(a.source, `Error from server (NotFound): nodes ${JSON.stringify(a.node)} not found`);
        return;
      case "uncordon":
        if (!this.faults.uncordon(a.node, SOURCE)) this.report(a.source, `Error from server (NotFound): nodes ${JSON.stringify(a.node)} not found`);
        return;
      case "networkPartition": {
        // A zone is resolved when the partition starts, from the nodes' labels then.
        const nodes = a.nodes ?? zoneNodes(cp.api.list<Node>("Node"), a.zone!);
        this.faults.partition(nodes, a.until, SOURCE, a.zone !== undefined ? `zone/${a.zone}` : nodes.length === 1 ? `node/${nodes[0]}` : `nodes ${nodes.join(",")}`);
        return;
      }
      case "imageRegistryOutage":
        this.faults.imageRegistryOutage(a.images, a.until, SOURCE);
        return;
      case "apiServerOutage":
        this.faults.apiServerOutage(a.until, SOURCE);
        return;
      case "slowApiServer":
        this.faults.slowApiServer(a.latency, a.until, SOURCE);
        return;
      case "zoneOutage":
        this.faults.zoneOutage(a.zone, a.until, SOURCE);
        return;
      case "drain":
        this.faults.drain(a.node, a.options, SOURCE);
        return;
      case "podKill":
      case "containerCrash": {
        const pods = a.pod !== undefined ? [a.pod] : podsMatching(cp.api.listIn<Pod>("Pod", a.namespace), a.selector!);
        let hit = 0;
        for (const p of pods) {
          const ok = a.action === "podKill" ? this.faults.killPod(a.namespace, p, SOURCE) : this.faults.crashContainer(a.namespace, p, a.container, a.exitCode, SOURCE);
          if (ok) hit++;
        }
        if (hit === 0) {
          const which = a.action === "containerCrash" && a.container !== undefined ? `container ${JSON.stringify(a.container)}` : "container";
          this.report(
            a.source,
            a.pod !== undefined
              ? `${a.action}: pod ${JSON.stringify(a.pod)} in namespace ${a.namespace} has no running ${which}`
              : `${a.action}: no pod in namespace ${a.namespace} matching ${JSON.stringify(a.selector)} has a running ${which}`,
          );
        }
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

/** The FaultLog source of timeline actions. */
const SOURCE = "timeline";

/** Names of the pods bound to a node, not terminal, whose labels match `selector` (checked at load), in creation
 *  order. */
function podsMatching(pods: readonly Pod[], selector: string): string[] {
  const s = parseSelector(selector);
  if (!s.ok) return [];
  return pods.filter((p) => p.spec.nodeName && p.status.phase !== "Succeeded" && p.status.phase !== "Failed" && matchesRequirements(s.requirements, p.metadata.labels ?? {})).map((p) => p.metadata.name);
}

/** Names of the nodes labelled with `zone`, in the store's order. */
function zoneNodes(nodes: Iterable<Node>, zone: string): string[] {
  const out: string[] = [];
  for (const n of nodes) if (n.metadata.labels?.[LABEL_TOPOLOGY_ZONE] === zone) out.push(n.metadata.name);
  return out;
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

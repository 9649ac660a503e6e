/**
 * The nodeFailure process of spec.faults (k8sim's own; no upstream analogue): every covered node fails after a draw
 * of `mtbf` and comes back after a draw of `mttr`, again and again. One pending engine event per covered node, at
 * its next failure or repair; never a per-period tick.
 *
 * Coverage: the nodes of the pool (label k8sim.dev/pool), of the zone (topology.kubernetes.io/zone) or every node,
 * as the Node informer adds them, so nodes a timeline addNodes brings are covered from their registration on.
 * Each node draws from its own stream `faults/<name>/<node>`, so a node added to the pool changes no other node's
 * draws.
 *
 * Composition: the process only recovers nodes it failed itself. A failure due on a node whose kubelet is not
 * running or is cut off (another fault holds it) is skipped and a new time to failure is drawn. At a repair the
 * node is recovered only if it is still down (another fault's end, e.g. a zone outage's, may have recovered it).
 */
import { LABEL_TOPOLOGY_ZONE } from "../../api/topology.js";
import type { Node } from "../../api/types.js";
import type { Cluster } from "../../cluster.js";
import { formatDuration } from "../../engine/duration.js";
import type { Rng } from "../../engine/rng.js";
import type { Context } from "../../engine/simulation.js";
import type { FaultProcess } from "./spec.js";
import type { FaultInjector } from "../injector.js";
import { drawMs } from "./draws.js";

type NodeFailureSpec = Extract<FaultProcess, { type: "nodeFailure" }>;

/** The process's events: the process starts, or a node's failure or repair is due. */
type NodeFailureEvent = { t: "start" } | { t: "fail"; node: CoveredNode } | { t: "repair"; node: CoveredNode; downMs: number };

/** One covered node's state. */
interface CoveredNode {
  readonly name: string;
  readonly rng: Rng;
  /** Whether the process failed it and has not repaired it yet. */
  down: boolean;
}

/** Label a node's pool is named by (src/kubelet/node-object.ts). */
const POOL_LABEL = "k8sim.dev/pool";

/** Whether a Node is in the process's scope. */
export function inScope(p: Pick<NodeFailureSpec, "pool" | "zone">, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  if (p.pool !== undefined) return labels[POOL_LABEL] === p.pool;
  if (p.zone !== undefined) return labels[LABEL_TOPOLOGY_ZONE] === p.zone;
  return true;
}

/** Runs one nodeFailure process on `cluster` through `injector` (records with source = the process name). */
export class NodeFailureProcess {
  private readonly ctx: Context<NodeFailureEvent>;
  private readonly nodes: CoveredNode[] = [];
  private readonly seen = new Set<string>();
  private active = false;

  constructor(private readonly cluster: Cluster, private readonly spec: NodeFailureSpec, private readonly injector: FaultInjector) {
    this.ctx = cluster.sim.register<NodeFailureEvent>(`faults/${spec.name}`, (e) => this.on(e));
    this.ctx.scheduleAt(spec.startMs, { t: "start" });
    cluster.cp.informers.nodes.addHandlers({ onAdd: (n) => this.added(n) });
  }

  private added(n: Node): void {
    const name = n.metadata.name;
    if (this.seen.has(name) || !inScope(this.spec, n)) return;
    this.seen.add(name);
    const c: CoveredNode = { name, rng: this.cluster.sim.stream(`faults/${this.spec.name}/${name}`), down: false };
    this.nodes.push(c);
    if (this.active) this.scheduleFailure(c);
  }

  /** Draws the node's next time to failure; nothing once that is at or past the process's end. */
  private scheduleFailure(c: CoveredNode): void {
    const at = this.ctx.now + drawMs(this.spec.mtbf, c.rng);
    if (this.spec.endMs !== undefined && at >= this.spec.endMs) return;
    this.ctx.scheduleAt(at, { t: "fail", node: c });
  }

  private on(e: NodeFailureEvent): void {
    if (e.t === "start") {
      this.active = true;
      for (const c of this.nodes) this.scheduleFailure(c);
      return;
    }
    const c = e.node;
    const k = this.cluster.kubelets.get(c.name);
    if (e.t === "fail") {
      if (!k || !k.running || k.detachedAs !== undefined) {
        this.scheduleFailure(c);
        return;
      }
      const repair = drawMs(this.spec.mttr, c.rng);
      this.injector.nodeFailure(c.name, this.spec.name, `mtbf ${this.spec.mtbfText}, repair in ${formatDuration(repair)}`);
      c.down = true;
      this.ctx.schedule(repair, { t: "repair", node: c, downMs: repair });
      return;
    }
    c.down = false;
    // A repair after the process's end still happens: the machine that failed comes back.
    if (k && !k.running && !k.booting) this.injector.nodeRecover(c.name, this.spec.name, `mttr ${this.spec.mttrText}, down ${formatDuration(e.downMs)}`);
    this.scheduleFailure(c);
  }
}

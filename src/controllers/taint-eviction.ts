import type { ApiClient } from "../api/client.js";
import type { ControlPlane } from "../api/control-plane.js";
import { tolerates } from "../api/tolerations.js";
import type { Node, Pod, Taint, Toleration } from "../api/types.js";
import { objectKey } from "../api/types.js";
import type { Context, EventId } from "../engine/simulation.js";
import type { PodsByNode } from "../api/pods-by-node.js";

type EvictEvent = { key: string; uid: string };

/** A pending eviction: when it was decided (upstream CreatedAt) and its timer. */
interface Scheduled {
  createdAt: number;
  fireAt: number;
  timer: EventId;
  uid: string;
}

/**
 * The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go, formerly NoExecuteTaintManager):
 * a pod on a node with NoExecute taints it does not tolerate is deleted at once; a pod that tolerates all of them
 * is deleted after the smallest tolerationSeconds among the matching tolerations (never, if one has none). Taints
 * removed in time cancel the eviction. Evictions record `TaintManagerEviction` events, as upstream.
 */
export class TaintEvictionController {
  private readonly ctx: Context<EvictEvent>;
  private readonly scheduled = new Map<string, Scheduled>();
  /** Pods this controller marked for deletion (the summary's evictions). */
  evicted = 0;

  private readonly client: ApiClient;

  constructor(private readonly cp: ControlPlane, private readonly podsByNode: PodsByNode) {
    this.ctx = cp.sim.register<EvictEvent>("taint-eviction-controller", (e) => this.evict(e));
    this.client = cp.client("taint-eviction-controller", "controllerManager");
    cp.informers.nodes.addHandlers({
      onAdd: (n) => this.nodeChanged(undefined, n),
      onUpdate: (o, n) => this.nodeChanged(o, n),
    });
    cp.informers.pods.addHandlers({
      onAdd: (p) => this.podChanged(p),
      onUpdate: (o, p) => {
        if (o.spec.nodeName !== p.spec.nodeName || o.spec.tolerations !== p.spec.tolerations) this.podChanged(p);
      },
      onDelete: (p) => this.cancel(objectKey(p.metadata.namespace, p.metadata.name), false),
    });
  }

  private nodeChanged(old: Node | undefined, node: Node): void {
    const before = noExecute(old?.spec.taints);
    const after = noExecute(node.spec.taints);
    if (sameTaints(before, after)) return;
    for (const pod of [...this.podsByNode.pods(node.metadata.name)]) this.processPod(pod, after);
  }

  private podChanged(pod: Pod): void {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return;
    const node = this.cp.informers.nodes.get(undefined, nodeName);
    const taints = noExecute(node?.spec.taints);
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    if (taints.length === 0 && !this.scheduled.has(key)) return;
    this.processPod(pod, taints);
  }

  /** processPodOnNode: decide now, later or never for one pod against the node's NoExecute taints. */
  private processPod(pod: Pod, taints: Taint[]): void {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    if (pod.metadata.deletionTimestamp !== undefined) return;
    if (taints.length === 0) {
      this.cancel(key, true);
      return;
    }
    const used: Toleration[] = [];
    for (const taint of taints) {
      const tol = (pod.spec.tolerations ?? []).find((t) => tolerates(t, taint));
      if (!tol) {
        this.cancel(key, false);
        this.deletePod(pod);
        return;
      }
      used.push(tol);
    }
    // getMinTolerationTime: the smallest tolerationSeconds (negative counts as 0); none set means forever.
    let min = Infinity;
    for (const t of used) if (t.tolerationSeconds !== undefined) min = Math.min(min, Math.max(0, t.tolerationSeconds));
    if (min === Infinity) {
      this.cancel(key, true);
      return;
    }
    const now = this.ctx.now;
    const existing = this.scheduled.get(key);
    let createdAt = now;
    if (existing && existing.uid === pod.metadata.uid) {
      createdAt = existing.createdAt;
      // Keep the earlier decision unless the new one is earlier still.
      if (createdAt + min * 1000 < now + min * 1000) return;
      this.cancel(key, true);
    }
    const fireAt = Math.max(now, createdAt + min * 1000);
    const timer = this.ctx.scheduleAt(fireAt, { key, uid: pod.metadata.uid! });
    this.scheduled.set(key, { createdAt, fireAt, timer, uid: pod.metadata.uid! });
  }

  private cancel(key: string, withEvent: boolean): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    this.ctx.cancel(s.timer);
    this.scheduled.delete(key);
    if (withEvent) {
      const [ns, name] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
      const pod = this.cp.api.get<Pod>("Pod", ns, name);
      if (pod) this.cp.events.record(pod, "Normal", "TaintManagerEviction", `Cancelling deletion of Pod ${key}`, "taint-eviction-controller");
    }
  }

  private evict(e: EvictEvent): void {
    const s = this.scheduled.get(e.key);
    if (!s || s.uid !== e.uid) return;
    this.scheduled.delete(e.key);
    const i = e.key.indexOf("/");
    const pod = this.cp.api.get<Pod>("Pod", e.key.slice(0, i), e.key.slice(i + 1));
    if (pod && pod.metadata.uid === e.uid) this.deletePod(pod);
  }

  private deletePod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp !== undefined) return;
    const key = objectKey(pod.metadata.namespace, pod.metadata.name);
    this.cp.events.record(pod, "Normal", "TaintManagerEviction", `Marking for deletion Pod ${key}`, "taint-eviction-controller");
    // Through the controller's rate-limited client: a zone's worth of evictions queue behind its 20 QPS.
    const { namespace, name, uid } = pod.metadata;
    this.client.request(
      () => (this.cp.api.get<Pod>("Pod", namespace, name)?.metadata.uid === uid ? this.cp.api.delete("Pod", namespace, name) : undefined),
      (r) => {
        if (r?.ok) this.evicted++;
      },
    );
  }
}

function noExecute(taints: Taint[] | undefined): Taint[] {
  return taints ? taints.filter((t) => t.effect === "NoExecute") : [];
}

function sameTaints(a: Taint[], b: Taint[]): boolean {
  return a.length === b.length && a.every((t, i) => t.key === b[i].key && t.value === b[i].value);
}

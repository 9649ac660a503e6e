/**
 * The one place faults are done to a running cluster: timeline actions (src/scenario/actions.ts) and seeded fault
 * processes call these methods, and each records its own FaultLog row (and Event), so both are logged alike.
 *
 * Made once per run in src/run.ts startRun (`new FaultInjector(cluster, new FaultLog(cp.events, cp.clock))`) and
 * handed to the TimelinePlayer; a spec.faults process runner takes the same instance. Additions to the shared
 * contract, all compatible: nodeFailure / nodeRecover take an optional `detail`; zoneOutage returns the nodes it hit;
 * cordon, uncordon, drain, imageRegistryOutage, apiServerOutage and slowApiServer are here too.
 *
 * Windows: a partition or zone outage on a target that is already in one composes, the later end wins (the target
 * heals at the latest end of the windows that cover it).
 */
import type { Node, Pod } from "../api/types.js";
import { LABEL_TOPOLOGY_ZONE } from "../api/topology.js";
import type { Cluster } from "../cluster.js";
import { formatDuration, goDurationString } from "../engine/duration.js";
import type { Context } from "../engine/simulation.js";
import type { FaultLog } from "./fault-log.js";
import { aggregate, podsForDeletion, type DrainFlags } from "./drain.js";
import { evictPod } from "./eviction.js";
import { kindSpec } from "../api/registry/registry.js";
import { SIGKILL_EXIT_CODE } from "../kubelet/runtime/simulated-runtime.js";

/** The injector's own timed work: the end of a window. */
type InjectorEvent =
  /** A partition window may end: heal the nodes whose latest end is now. */
  | { t: "heal"; nodes: readonly string[]; source: string; target: string }
  /** A zone outage may end: recover its nodes whose latest end is now. */
  | { t: "zoneRecover"; zone: string; nodes: readonly string[]; source: string }
  /** A registry outage window ends. */
  | { t: "registryRecover"; images: string; source: string }
  /** An API server outage may end (unless a later window covers now). */
  | { t: "apiRecover"; source: string }
  /** A slow API server window ends. */
  | { t: "slowEnd"; source: string }
  /** A drain's wait for deletions polls (every 1s, waitForDelete's interval). */
  | { t: "drainPoll"; run: DrainRun }
  /** A drain retries an eviction refused with 429 (5s later). */
  | { t: "drainRetry"; run: DrainRun; pod: Pod };

/** kubectl drain's flags (defaults: --grace-period -1, --timeout 0 = forever, the three switches off). */
export interface DrainOptions extends DrainFlags {
  /** Seconds; undefined (kubectl's -1): each pod's own terminationGracePeriodSeconds. */
  gracePeriodSeconds: number | undefined;
  /** ms; 0: no timeout. */
  timeoutMs: number;
}

/** One `kubectl drain` in progress. */
interface DrainRun {
  readonly node: string;
  readonly source: string;
  readonly options: DrainOptions;
  /** Virtual ms at which the global timeout is reached (Infinity without one). */
  readonly deadline: number;
  /** Evicted pods whose deletion is awaited, by namespace/name. */
  readonly waiting: Map<string, Pod>;
  /** Pods whose eviction is being retried. */
  retrying: number;
  readonly errors: string[];
  pollScheduled: boolean;
}

/**
 * Injects faults into `cluster` as the machines and networks would fail, touching only the kubelets (never the
 * control plane's state), so what follows is what the node lifecycle controller, the scheduler and the workload
 * controllers make of it. Its engine component ("fault-injector") is registered on first use, so a run without
 * timed faults schedules exactly what it did before faults existed.
 */
export class FaultInjector {
  private ctxCache: Context<InjectorEvent> | undefined;
  /** Per partitioned node, the end of its latest partition window (virtual ms). */
  private readonly partitionedUntil = new Map<string, number>();
  /** Machines that came back while cut from the API server: their kubelets start when the cut ends. */
  private readonly startWhenReachable = new Set<string>();
  /** Per node down in a zone outage, the end of its latest window (Infinity: no end given). */
  private readonly zoneDownUntil = new Map<string, number>();

  constructor(private readonly cluster: Cluster, private readonly log: FaultLog) {}

  private get ctx(): Context<InjectorEvent> {
    return (this.ctxCache ??= this.cluster.sim.register<InjectorEvent>("fault-injector", (e) => this.on(e)));
  }

  private get now(): number {
    return this.cluster.sim.now;
  }

  private node(name: string): Node | undefined {
    return this.cluster.cp.api.get<Node>("Node", undefined, name);
  }

  /** The machine fails (kubelet stopped, containers gone): today's node failure. */
  nodeFailure(node: string, source: string, detail = ""): void {
    this.log.record({ at: this.now, source, action: "nodeFailure", target: `node/${node}`, detail }, this.node(node));
    this.startWhenReachable.delete(node);
    this.cluster.kubelets.get(node)?.stop();
  }

  /**
   * The machine comes back: the kubelet starts and resyncs from the API. A machine still inside a partition window
   * starts its kubelet when the partition heals: a kubelet that cannot reach the API server can neither register
   * nor list its pods, and its runtime lost every container with the machine, so nothing runs meanwhile.
   */
  nodeRecover(node: string, source: string, detail = ""): void {
    this.log.record({ at: this.now, source, action: "nodeRecover", target: `node/${node}`, detail }, this.node(node));
    if (this.cutOff(node)) this.startWhenReachable.add(node);
    else this.cluster.kubelets.get(node)?.start();
  }

  /** Whether `node` cannot reach the API server now: inside a partition window of its own, or an API outage. */
  private cutOff(node: string): boolean {
    return (this.partitionedUntil.get(node) ?? -1) > this.now || !this.cluster.cp.api.reachable;
  }

  /**
   * The API server is down until `untilMs` (ApiServer.goDown): every write fails with client-go's connection
   * refused error, so controllers back off on their queues, the scheduler's binds fail, and every running kubelet
   * is cut off as by a partition (its containers run on; lease renewals and status posts are retried on their own
   * schedules). The node lifecycle controller's own writes fail too, so it marks nothing Unknown during the outage;
   * at its first pass after the end every node whose kubelet has not renewed yet turns Unknown, and with every
   * zone fully disrupted it evicts nothing (handleDisruption's master disruption mode). At the end each kubelet
   * reconnects unless a partition of its node still lasts; machines that recovered meanwhile start then. Recorded
   * once (target `apiserver`, against the kube-system Namespace), with its end as apiServerOutageEnded. Windows
   * compose (the later end wins).
   */
  apiServerOutage(untilMs: number, source: string): void {
    this.log.record({ at: this.now, source, action: "apiServerOutage", target: "apiserver", detail: `until ${formatDuration(untilMs)}` });
    this.cluster.cp.api.goDown(untilMs);
    for (const k of this.cluster.kubelets.all()) if (k.running) k.detach("partition");
    this.ctx.scheduleAt(untilMs, { t: "apiRecover", source });
  }

  /**
   * The API server answers slowly until `untilMs`: `latencyMs` is added to every request through a component's
   * client (the controllers' and the scheduler's writes) and to every watch delivery (ApiSlowdown), so the
   * controllers, the scheduler and the kubelets see every change that much later, in order. With a latency near
   * nodeMonitorGracePeriod (50s) the node lifecycle controller sees the leases' renewals late and marks healthy nodes
   * Unknown. Recorded once (target `apiserver`, detail `+<latency> until <t>`), its end as slowApiServerEnded.
   * NOTE: the kubelets write directly (their lease renewals and status posts are not delayed; what watches them is).
   */
  slowApiServer(latencyMs: number, untilMs: number, source: string): void {
    this.log.record({ at: this.now, source, action: "slowApiServer", target: "apiserver", detail: `+${formatDuration(latencyMs)} until ${formatDuration(untilMs)}` });
    this.cluster.cp.slowdown.add(untilMs, latencyMs);
    this.ctx.scheduleAt(untilMs, { t: "slowEnd", source });
  }

  /** The kubelet process stops; its containers keep running; nothing reaches the API (Kubelet.detach "stopped"). */
  kubeletStop(node: string, source: string): void {
    this.log.record({ at: this.now, source, action: "kubeletStop", target: `node/${node}`, detail: "" }, this.node(node));
    this.cluster.kubelets.get(node)?.detach("stopped");
  }

  /** The kubelet process starts again and finds its containers running (Kubelet.reattach). */
  kubeletStart(node: string, source: string): void {
    this.log.record({ at: this.now, source, action: "kubeletStart", target: `node/${node}`, detail: "" }, this.node(node));
    const k = this.cluster.kubelets.get(node);
    if (k?.detachedAs === "stopped") k.reattach();
  }

  /**
   * Cuts `nodes` from the control plane until `untilMs` (Kubelet.detach "partition"); each heals at the latest end of
   * the windows covering it. One row per node, target `node/<name>`, `target` (e.g. "zone/zone-b") in the detail.
   */
  partition(nodes: readonly string[], untilMs: number, source: string, target: string): void {
    const until = formatDuration(untilMs);
    for (const n of nodes) {
      const detail = target === `node/${n}` ? `until ${until}` : `${target}, until ${until}`;
      this.log.record({ at: this.now, source, action: "networkPartition", target: `node/${n}`, detail }, this.node(n));
      this.partitionedUntil.set(n, Math.max(untilMs, this.partitionedUntil.get(n) ?? -1));
      this.cluster.kubelets.get(n)?.detach("partition");
    }
    this.ctx.scheduleAt(untilMs, { t: "heal", nodes: [...nodes], source, target });
  }

  /**
   * Every node of `zone` (label topology.kubernetes.io/zone, as the nodes are when the outage starts) fails as
   * nodeFailure does; with `untilMs`, each recovers then (or at the latest end of the windows covering it).
   * Recorded per node (target `node/<name>`, detail `zone <zone>[, until <t>]`). Returns the nodes hit.
   */
  zoneOutage(zone: string, untilMs: number | undefined, source: string): string[] {
    const hit: string[] = [];
    for (const k of this.cluster.kubelets.all()) {
      if (this.node(k.nodeName)?.metadata.labels?.[LABEL_TOPOLOGY_ZONE] === zone) hit.push(k.nodeName);
    }
    const detail = `zone ${zone}${untilMs === undefined ? "" : `, until ${formatDuration(untilMs)}`}`;
    for (const n of hit) {
      this.log.record({ at: this.now, source, action: "zoneOutage", target: `node/${n}`, detail }, this.node(n));
      this.zoneDownUntil.set(n, Math.max(untilMs ?? Infinity, this.zoneDownUntil.get(n) ?? -1));
      this.cluster.kubelets.get(n)?.stop();
    }
    if (untilMs !== undefined) this.ctx.scheduleAt(untilMs, { t: "zoneRecover", zone, nodes: hit, source });
    return hit;
  }

  /**
   * The image registry stops answering for the images `images` matches (a glob; ImageRegistry.startOutage) until
   * `untilMs`: every pull of one fails with containerd's 503 error, so pods needing them wait in ErrImagePull /
   * ImagePullBackOff (the kubelet's back-off, 10s doubling to 300s) and start at their first retry after the end;
   * a running container is untouched. Recorded once (target `images/<glob>`, detail `until <t>`, against the
   * kube-system Namespace: no object is hit), and its end as imageRegistryOutageEnded. Windows compose.
   */
  imageRegistryOutage(images: string, untilMs: number, source: string): void {
    this.log.record({ at: this.now, source, action: "imageRegistryOutage", target: `images/${images}`, detail: `until ${formatDuration(untilMs)}` });
    this.cluster.kubelets.registry.startOutage(images, untilMs);
    this.ctx.scheduleAt(untilMs, { t: "registryRecover", images, source });
  }

  /**
   * `kubectl cordon`: sets spec.unschedulable (the node lifecycle controller then adds the
   * node.kubernetes.io/unschedulable:NoSchedule taint). Records kubectl's output ("node/<name> cordoned", or
   * "already cordoned" when it was). Returns false when the node does not exist.
   */
  cordon(node: string, source: string, unschedulable = true): boolean {
    const cur = this.node(node);
    const verb = unschedulable ? "cordoned" : "uncordoned";
    if (!cur) return false;
    const already = (cur.spec.unschedulable === true) === unschedulable;
    this.log.record({ at: this.now, source, action: unschedulable ? "cordon" : "uncordon", target: `node/${node}`, detail: `node/${node} ${already ? "already " : ""}${verb}` }, cur);
    if (already) return true;
    const spec = { ...cur.spec };
    // kubectl's patch sets true, or removes the field on uncordon ({"spec":{"unschedulable":null}}).
    if (unschedulable) spec.unschedulable = true;
    else delete spec.unschedulable;
    const r = this.cluster.cp.api.update<Node>({ ...cur, spec });
    return r.ok;
  }

  /** `kubectl uncordon`: clears spec.unschedulable (cordon's counterpart, same records). */
  uncordon(node: string, source: string): boolean {
    return this.cordon(node, source, false);
  }

  /**
   * A container of a running pod exits now with `exitCode` on its node (default container: the pod's first in
   * spec.containers, as kubectl picks without the kubectl.kubernetes.io/default-container annotation); the kubelet
   * sees the exit and restartPolicy decides (a restart with CrashLoopBackOff's back-off, or the pod Failed /
   * Succeeded). Recorded as target `pod/<ns>/<name>/<container>`, detail `exit code N`. Returns false (and records
   * nothing) when that container is not running.
   */
  crashContainer(namespace: string, pod: string, container: string | undefined, exitCode: number, source: string): boolean {
    const p = this.cluster.cp.api.get<Pod>("Pod", namespace, pod);
    const name = container ?? p?.spec.containers[0]?.name;
    const k = p?.spec.nodeName ? this.cluster.kubelets.get(p.spec.nodeName) : undefined;
    if (!p || !name || !k || k.exitContainers(namespace, pod, [name], exitCode).length === 0) return false;
    this.log.record({ at: this.now, source, action: "containerCrash", target: `pod/${namespace}/${pod}/${name}`, detail: `exit code ${exitCode}` }, p);
    return true;
  }

  /**
   * Every running container of the pod is killed on its node (SIGKILL, exit code 137), as a node-side kill, not an
   * API delete: the pod object stays and restartPolicy decides what follows. Recorded as target `pod/<ns>/<name>`,
   * detail `SIGKILL (exit code 137): <containers>`. Returns false (nothing recorded) when no container was running.
   */
  killPod(namespace: string, pod: string, source: string): boolean {
    const p = this.cluster.cp.api.get<Pod>("Pod", namespace, pod);
    const k = p?.spec.nodeName ? this.cluster.kubelets.get(p.spec.nodeName) : undefined;
    const killed = p && k ? k.exitContainers(namespace, pod, undefined, SIGKILL_EXIT_CODE) : [];
    if (killed.length === 0) return false;
    this.log.record({ at: this.now, source, action: "podKill", target: `pod/${namespace}/${pod}`, detail: `SIGKILL (exit code ${SIGKILL_EXIT_CODE}): ${killed.join(", ")}` }, p);
    return true;
  }

  /**
   * `kubectl drain <node>` (staging/src/k8s.io/kubectl/pkg/drain, cmd/drain): cordons the node, picks its pods with
   * kubectl's filters (src/faults/drain.ts; an error there ends the drain, the node stays cordoned), evicts every
   * pod at once through the Eviction API (src/faults/eviction.ts; a 429 is retried every 5s), then waits for each
   * to be gone, polling every 1s from the first eviction (wait.PollImmediate), until all are or the timeout is
   * reached. Each line kubectl prints is a FaultLog row (action "drain", target `node/<name>`, the line as detail):
   * `node/<n> cordoned`, `Warning: ...`, `evicting pod <ns>/<name>`, `pod/<name> evicted`, `node/<n> drained` or
   * `error: unable to drain node "<n>" due to error: ..., continuing command...`.
   */
  drain(node: string, options: DrainOptions, source: string): void {
    const { api } = this.cluster.cp;
    const cur = this.node(node);
    const line = (detail: string, involved?: Pod) => this.log.record({ at: this.now, source, action: "drain", target: `node/${node}`, detail }, involved ?? this.node(node));
    if (!cur) {
      line(`Error from server (NotFound): nodes ${JSON.stringify(node)} not found`);
      return;
    }
    const already = cur.spec.unschedulable === true;
    if (!already) api.update<Node>({ ...cur, spec: { ...cur.spec, unschedulable: true } });
    line(`node/${node} ${already ? "already " : ""}cordoned`);
    // kubectl LISTs the node's pods (field selector spec.nodeName): once per drain.
    const pods: Pod[] = [];
    for (const p of api.list<Pod>("Pod")) if (p.spec.nodeName === node) pods.push(p);
    const dsExists = (ns: string, name: string) => kindSpec("DaemonSet") !== undefined && api.get("DaemonSet", ns, name) !== undefined;
    const chosen = podsForDeletion(pods, options, dsExists);
    if (chosen.errors.length) {
      line(`error: unable to drain node ${JSON.stringify(node)} due to error: ${aggregate(chosen.errors)}, continuing command...`);
      return;
    }
    if (chosen.warnings) line(`Warning: ${chosen.warnings}`);
    const run: DrainRun = { node, source, options, deadline: options.timeoutMs > 0 ? this.now + options.timeoutMs : Infinity, waiting: new Map(), retrying: 0, errors: [], pollScheduled: false };
    for (const p of chosen.pods) this.evictOne(run, p, line);
    this.pollDrain(run, line);
  }

  /** One eviction attempt of a drain ("evicting pod ns/name" is printed at each). */
  private evictOne(run: DrainRun, pod: Pod, line: (detail: string, involved?: Pod) => void): void {
    const ns = pod.metadata.namespace ?? "default";
    const name = pod.metadata.name;
    line(`evicting pod ${ns}/${name}`, pod);
    const r = evictPod(this.cluster.cp.api, this.cluster.cp.clock, ns, name, pod.metadata.uid!, run.options.gracePeriodSeconds);
    if (r.ok) run.waiting.set(`${ns}/${name}`, pod);
    else if (r.code === 429) {
      line(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)} (will retry after 5s): ${r.message}`, pod);
      run.retrying++;
      this.ctx.schedule(5_000, { t: "drainRetry", run, pod });
    } else if (r.code !== 404) run.errors.push(`error when evicting pods/${JSON.stringify(name)} -n ${JSON.stringify(ns)}: ${r.message}`);
  }

  /** waitForDelete's poll: reports the pods gone, then ends the drain or polls again 1s later. */
  private pollDrain(run: DrainRun, line: (detail: string, involved?: Pod) => void): void {
    const { api } = this.cluster.cp;
    for (const [key, pod] of [...run.waiting]) {
      const cur = api.get<Pod>("Pod", pod.metadata.namespace, pod.metadata.name);
      if (cur === undefined || cur.metadata.uid !== pod.metadata.uid) {
        run.waiting.delete(key);
        line(`pod/${pod.metadata.name} evicted`, pod);
      }
    }
    if (run.waiting.size > 0 && this.now >= run.deadline) {
      for (const pod of run.waiting.values()) {
        run.errors.push(`error when waiting for pod ${JSON.stringify(pod.metadata.name)} in namespace ${JSON.stringify(pod.metadata.namespace ?? "default")} to terminate: global timeout reached: ${goDurationString(run.options.timeoutMs)}`);
      }
      run.waiting.clear();
    }
    if (run.waiting.size > 0) {
      if (!run.pollScheduled) {
        run.pollScheduled = true;
        this.ctx.schedule(1_000, { t: "drainPoll", run });
      }
      return;
    }
    if (run.retrying > 0) return;
    if (run.errors.length) line(`error: unable to drain node ${JSON.stringify(run.node)} due to error: ${aggregate(run.errors)}, continuing command...`);
    else line(`node/${run.node} drained`);
  }

  private drainLine(run: DrainRun): (detail: string, involved?: Pod) => void {
    return (detail, involved) => this.log.record({ at: this.now, source: run.source, action: "drain", target: `node/${run.node}`, detail }, involved ?? this.node(run.node));
  }

  private on(e: InjectorEvent): void {
    const now = this.now;
    if (e.t === "drainPoll") {
      e.run.pollScheduled = false;
      this.pollDrain(e.run, this.drainLine(e.run));
      return;
    }
    if (e.t === "drainRetry") {
      e.run.retrying--;
      const line = this.drainLine(e.run);
      if (now >= e.run.deadline) {
        e.run.errors.push(`error when evicting pods/${JSON.stringify(e.pod.metadata.name)} -n ${JSON.stringify(e.pod.metadata.namespace ?? "default")}: global timeout reached: ${goDurationString(e.run.options.timeoutMs)}`);
      } else this.evictOne(e.run, e.pod, line);
      this.pollDrain(e.run, line);
      return;
    }
    if (e.t === "slowEnd") {
      this.log.record({ at: now, source: e.source, action: "slowApiServerEnded", target: "apiserver", detail: "" });
      return;
    }
    if (e.t === "apiRecover") {
      // A later window still covers now: its own end reconnects.
      if (!this.cluster.cp.api.reachable) return;
      this.log.record({ at: now, source: e.source, action: "apiServerOutageEnded", target: "apiserver", detail: "" });
      // Every watch failed with the server: the control plane's informers relist, requeueing every key.
      this.cluster.cp.informers.relistAll();
      for (const k of this.cluster.kubelets.all()) {
        const n = k.nodeName;
        if ((this.partitionedUntil.get(n) ?? -1) > now) continue;
        if (k.detachedAs === "partition") k.reattach();
        else if (this.startWhenReachable.delete(n)) k.start();
      }
      return;
    }
    if (e.t === "registryRecover") {
      this.log.record({ at: now, source: e.source, action: "imageRegistryOutageEnded", target: `images/${e.images}`, detail: "" });
      return;
    }
    if (e.t === "heal") {
      for (const n of e.nodes) {
        if (this.partitionedUntil.get(n) !== now) continue;
        this.partitionedUntil.delete(n);
        this.log.record({ at: now, source: e.source, action: "networkPartitionHealed", target: `node/${n}`, detail: e.target === `node/${n}` ? "" : e.target }, this.node(n));
        const k = this.cluster.kubelets.get(n);
        // Still cut off by an API server outage: its end reconnects the kubelet.
        if (!this.cluster.cp.api.reachable) continue;
        // A kubelet stopped meanwhile stays stopped (the load-time checks refuse that overlap in a timeline).
        if (k?.detachedAs === "partition") k.reattach();
        else if (this.startWhenReachable.delete(n)) k?.start();
      }
      return;
    }
    for (const n of e.nodes) {
      if (this.zoneDownUntil.get(n) !== now) continue;
      this.zoneDownUntil.delete(n);
      this.nodeRecover(n, e.source, `zone ${e.zone}`);
    }
  }
}

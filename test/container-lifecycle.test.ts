/**
 * The container runtime model through a real cluster (src/cluster.ts): one node, pods created bound to it, and what
 * a user would see: the Events (time, reason, text), the container statuses (state, lastState, restartCount) and
 * the pod phase and conditions. Expected values come from upstream semantics (notes in each test), with the
 * defaults podStartLatency 1s (StartContainer to running) and podStopLatency 1s (SIGTERM to exit).
 *
 * Times in the tables are ms after the pods were created (T0, when the node is registered and has its pod CIDR).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventRecord } from "../src/api/events.js";
import { getCondition } from "../src/api/pod-util.js";
import type { Container, ContainerStatus, Node, Pod, PodSpec } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import type { ImageCatalogEntry } from "../src/kubelet/runtime/image-registry.js";
import { InvariantMonitor } from "../src/invariants/index.js";
import { resolveSettings, type Settings } from "../src/settings.js";
import type { BehaviorProfile } from "../src/workload/profiles.js";
import { load, removeScenarios, run, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";

const EPOCH = Date.UTC(2026, 0, 1);
/** When the test pods are created: the node registered at 0 and node IPAM gave it a pod CIDR then. */
const T0 = 10_000;
/** The image every node holds, unless a test says otherwise. */
const IMAGE = "registry.example.com/app:1";
const Mi = 1024 * 1024;

interface EnvOptions {
  settings?: Partial<Settings>;
  behaviors?: BehaviorProfile[];
  images?: ImageCatalogEntry[];
  preloaded?: string[];
}

type Env = ReturnType<typeof env>;

/**
 * A one-node cluster ("n-1") run to T0, where `pods` are then created (bound to n-1), and helpers that run it and
 * read it in times relative to T0. Every status write of the pods is kept, and an invariant monitor checks the run.
 */
function env(pods: Pod[], o: EnvOptions = {}) {
  const cluster = new Cluster(1, resolveSettings(o.settings ?? {}), EPOCH, { behaviors: o.behaviors, images: o.images });
  cluster.kubelets.addPool({ name: "n", count: 1, capacity: { cpu: "8", memory: "32Gi", pods: "110" }, labels: {}, taints: [], preloadedImages: o.preloaded ?? [IMAGE] });
  monitors.push(InvariantMonitor.attach(cluster));
  cluster.sim.run(T0);
  /** Each write of a pod: [time, the pod]. */
  const writes = new Map<string, [number, Pod][]>();
  const deleted = new Map<string, number>();
  cluster.cp.store.watch("Pod", (type, obj) => {
    const p = obj as Pod;
    if (type === "DELETED") deleted.set(p.metadata.name, cluster.sim.now - T0);
    else (writes.get(p.metadata.name) ?? writes.set(p.metadata.name, []).get(p.metadata.name)!).push([cluster.sim.now - T0, p]);
  });
  for (const p of pods) {
    const r = cluster.cp.api.create(p);
    if (!r.ok) throw new Error(`create ${p.metadata.name}: ${r.message}`);
  }
  const get = (name: string) => {
    const p = cluster.cp.api.get<Pod>("Pod", "default", name);
    if (!p) throw new Error(`no pod ${name}`);
    return p;
  };
  return {
    cluster,
    /** Runs the cluster to T0 + t (events at that instant included). */
    at(t: number) {
      cluster.sim.run(T0 + t);
    },
    get,
    /** A container's status (init containers too). */
    status(name: string, container: string): ContainerStatus {
      const p = get(name);
      const s = [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])].find((x) => x.name === container);
      if (!s) throw new Error(`no status for ${name}/${container}`);
      return s;
    },
    /** The pod's Events: [time, reason, message] (and type with `typed`). */
    events(name: string, reasons?: string[]): [number, string, string][] {
      return podEvents(cluster, name, reasons).map((e) => [e.simTime - T0, e.reason, e.message]);
    },
    typed(name: string, reasons?: string[]): [number, string, string, string][] {
      return podEvents(cluster, name, reasons).map((e) => [e.simTime - T0, e.type, e.reason, e.message]);
    },
    /** When each of the pod's status writes changed the condition's status: [time, status]. */
    transitions(name: string, type: string): [number, string][] {
      const out: [number, string][] = [];
      for (const [t, p] of writes.get(name) ?? []) {
        const s = getCondition(p.status.conditions, type)?.status;
        if (s !== undefined && out[out.length - 1]?.[1] !== s) out.push([t, s]);
      }
      return out;
    },
    /** When each of the pod's status writes changed its phase: [time, phase]. */
    phases(name: string): [number, string][] {
      const out: [number, string][] = [];
      for (const [t, p] of writes.get(name) ?? []) if (p.status.phase !== undefined && out[out.length - 1]?.[1] !== p.status.phase) out.push([t, p.status.phase]);
      return out;
    },
    /** The pod as last written before it was deleted, and when it was deleted. */
    final(name: string): { at: number | undefined; pod: Pod | undefined } {
      const w = writes.get(name) ?? [];
      return { at: deleted.get(name), pod: w[w.length - 1]?.[1] };
    },
    /** RFC 3339 (seconds) of T0 + t, as startedAt / finishedAt read. */
    iso(t: number) {
      return cluster.cp.clock.time(T0 + t);
    },
  };
}

/** Every run's invariant monitor (src/invariants), checked after every event; the last test reads them. */
const monitors: InvariantMonitor[] = [];

function podEvents(cluster: Cluster, name: string, reasons?: string[]): EventRecord[] {
  return cluster.cp.events.records.filter((e) => e.involvedObject.kind === "Pod" && e.involvedObject.name === name && (reasons === undefined || reasons.includes(e.reason)));
}

/** A pod bound to n-1 with one container "c" running IMAGE (override with `spec`), and behavior annotations. */
function mkPod(name: string, annotations: Record<string, string> = {}, spec: Partial<PodSpec> = {}, container: Partial<Container> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", annotations },
    spec: { nodeName: "n-1", containers: [{ name: "c", image: IMAGE, ...container }], ...spec },
    status: {},
  } as Pod;
}

/** behavior.k8sim.dev/<key> annotations from a short map. */
function behave(keys: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).map(([k, v]) => [`behavior.k8sim.dev/${k}`, v]));
}

/** format.Pod: name_namespace(uid). */
const podRef = (p: Pod) => `${p.metadata.name}_default(${p.metadata.uid})`;

describe("CrashLoopBackOff", () => {
  // The container runs 20s and exits 1. Each instance: created at c, running at c + 1s, exits at c + 21s. The first
  // restart is at once (doBackOff: no entry yet, Next sets 10s); then each exit waits the back-off from its
  // finishedAt, which doubles per restart up to 300s: 10, 20, 40, 80, 160, 300, 300.
  //   created: 0, 21, 42+10=52, 73+20=93, 114+40=154, 175+80=255, 276+160=436, 457+300=757, 778+300=1078 (s)
  //   running: created + 1s; exits: running + 20s.
  const STARTED = [1, 22, 53, 94, 155, 256, 437, 758, 1079].map((s) => s * 1000);
  const EXITS = [21, 42, 73, 114, 175, 276, 457, 778, 1099].map((s) => s * 1000);
  // The back-off in force at each exit from the second on (what the waiting message says).
  const BACKOFF = ["10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s", "5m0s"];
  const seen: { at: number; status: ContainerStatus; phase: string | undefined; ready: string | undefined }[] = [];
  let e: Env;
  let pod: Pod;
  beforeAll(() => {
    e = env([mkPod("crasher", behave({ runFor: "20s", exitCode: "1" }))]);
    for (const t of EXITS.slice(1)) {
      e.at(t);
      const p = e.get("crasher");
      seen.push({ at: t, status: e.status("crasher", "c"), phase: p.status.phase, ready: getCondition(p.status.conditions, "Ready")?.message });
    }
    e.at(1_100_000);
    pod = e.get("crasher");
  });

  it("restarts at once, then after 10s, 20s, 40s, 80s, 160s and 300s (capped) from each exit", () => {
    expect(e.events("crasher", ["Started"]).map(([t]) => t)).toEqual(STARTED);
    expect(e.events("crasher", ["Created"]).map(([t]) => t)).toEqual(STARTED.map((t) => t - 1_000));
  });

  it("records a Warning BackOff at each exit that must wait, naming the container and the pod", () => {
    expect(e.typed("crasher", ["BackOff"])).toEqual(EXITS.slice(1).map((t) => [t, "Warning", "BackOff", `Back-off restarting failed container c in pod ${podRef(pod)}`]));
  });

  it("shows CrashLoopBackOff with the back-off in force while it waits", () => {
    expect(seen.map((s) => s.status.state)).toEqual(
      BACKOFF.map((b) => ({ waiting: { reason: "CrashLoopBackOff", message: `back-off ${b} restarting failed container=c pod=${podRef(pod)}` } })),
    );
  });

  it("counts restarts and keeps the last run as lastState.terminated (Error, exit code 1)", () => {
    // At the exit at 73s: restarts at 21s and 52s; the run that just ended ran from 53s to 73s.
    const at73 = seen[1]!;
    expect(at73.status.restartCount).toBe(2);
    expect(at73.status.lastState).toEqual({ terminated: { exitCode: 1, reason: "Error", startedAt: e.iso(53_000), finishedAt: e.iso(73_000) } });
    expect(at73.status.ready).toBe(false);
    // 8 restarts by the end (created at 21 ... 1078).
    expect(e.status("crasher", "c").restartCount).toBe(8);
  });

  it("keeps the pod Running (restartPolicy Always: restarting) and not Ready", () => {
    for (const s of seen) {
      expect(s.phase).toBe("Running");
      expect(s.ready).toBe("containers with unready status: [c]");
    }
  });
});

describe("CrashLoopBackOff reset after 10 minutes", () => {
  // The back-off entry expires when the exit (eventTime) is more than 600s after the last Next (the restart):
  // HasExpiredFunc eventTime - lastUpdate > 600s. An instance restarted at r runs from r + 1s.
  //   runFor 599s: first exit at 600s, restarted at once (Next at 600); exits at 601 + 599 = 1200: 1200 - 600 = 600,
  //     not > 600: back-off 10s, running again at 1210 + 1 = 1211s.
  //   runFor 600s: first exit at 601s, restarted at once (Next at 601); exits at 602 + 600 = 1202: 1202 - 601 = 601
  //     > 600: the entry starts over and the restart is at once, running at 1203s.
  let e: Env;
  beforeAll(() => {
    e = env([mkPod("lasts-599s", behave({ runFor: "599s", exitCode: "1" })), mkPod("lasts-600s", behave({ runFor: "600s", exitCode: "1" }))]);
    e.at(1_250_000);
  });

  it("keeps the back-off for a container that ran exactly 10 minutes since its restart", () => {
    expect(e.events("lasts-599s", ["Started", "BackOff"]).map(([t, r]) => [t, r])).toEqual([
      [1_000, "Started"],
      [601_000, "Started"],
      [1_200_000, "BackOff"],
      [1_211_000, "Started"],
    ]);
  });

  it("restarts at once a container that ran longer than 10 minutes since its restart", () => {
    expect(e.events("lasts-600s", ["Started", "BackOff"]).map(([t, r]) => [t, r])).toEqual([
      [1_000, "Started"],
      [602_000, "Started"],
      [1_203_000, "Started"],
    ]);
  });
});

describe("restart policies and exit codes", () => {
  // Every container runs 5s (running at 1s, exits at 6s).
  const pods = [
    mkPod("never-0", behave({ runFor: "5s" }), { restartPolicy: "Never" }),
    mkPod("never-2", behave({ runFor: "5s", exitCode: "2" }), { restartPolicy: "Never" }),
    mkPod("onfailure-0", behave({ runFor: "5s" }), { restartPolicy: "OnFailure" }),
    mkPod("onfailure-1", behave({ runFor: "5s", exitCode: "1" }), { restartPolicy: "OnFailure" }),
    mkPod("always-0", behave({ runFor: "5s" }), { restartPolicy: "Always" }),
  ];
  let e: Env;
  let before: (string | undefined)[];
  let atExit: Record<string, Pod>;
  beforeAll(() => {
    e = env(pods);
    e.at(5_999);
    before = pods.map((p) => e.get(p.metadata.name).status.phase);
    e.at(6_000);
    atExit = Object.fromEntries(pods.map((p) => [p.metadata.name, e.get(p.metadata.name)]));
    e.at(60_000);
  });

  it("is Running while the container runs", () => {
    expect(before).toEqual(["Running", "Running", "Running", "Running", "Running"]);
  });

  it("Never + exit 0: Succeeded; the container terminated Completed, Ready False PodCompleted, Initialized PodCompleted", () => {
    const p = atExit["never-0"]!;
    expect(p.status.phase).toBe("Succeeded");
    expect(p.status.containerStatuses?.[0]).toMatchObject({
      ready: false,
      started: false,
      restartCount: 0,
      state: { terminated: { exitCode: 0, reason: "Completed", startedAt: e.iso(1_000), finishedAt: e.iso(6_000) } },
    });
    expect(p.status.containerStatuses?.[0]?.lastState).toBeUndefined();
    // generate.go: a terminal phase gives Ready / ContainersReady False with PodCompleted, Initialized True with
    // PodCompleted (GeneratePodInitializedCondition: Succeeded and no unknown container, init containers or not).
    expect(getCondition(p.status.conditions, "Ready")).toMatchObject({ status: "False", reason: "PodCompleted" });
    expect(getCondition(p.status.conditions, "ContainersReady")).toMatchObject({ status: "False", reason: "PodCompleted" });
    expect(getCondition(p.status.conditions, "Initialized")).toMatchObject({ status: "True", reason: "PodCompleted" });
    expect(e.events("never-0", ["Started"]).map(([t]) => t)).toEqual([1_000]);
  });

  it("Never + exit 2: Failed; terminated Error with exit code 2, Ready False PodFailed, never restarted", () => {
    const p = atExit["never-2"]!;
    expect(p.status.phase).toBe("Failed");
    expect(p.status.containerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 2, reason: "Error" });
    expect(getCondition(p.status.conditions, "Ready")).toMatchObject({ status: "False", reason: "PodFailed" });
    expect(e.events("never-2", ["Started"]).map(([t]) => t)).toEqual([1_000]);
    expect(e.get("never-2").status.phase).toBe("Failed");
  });

  it("OnFailure + exit 0: Succeeded, not restarted", () => {
    expect(atExit["onfailure-0"]!.status.phase).toBe("Succeeded");
    expect(e.events("onfailure-0", ["Started"]).map(([t]) => t)).toEqual([1_000]);
  });

  it("OnFailure + exit 1: restarted with the crash-loop back-off, Running meanwhile", () => {
    // exits at 6s: restarted at once (running 7s), exits 12s, back-off 10s: created 22s, running 23s, exits 28s,
    // back-off 20s: created 48s, running 49s.
    expect(e.events("onfailure-1", ["Started"]).map(([t]) => t)).toEqual([1_000, 7_000, 23_000, 49_000]);
    expect(atExit["onfailure-1"]!.status.phase).toBe("Running");
    expect(e.get("onfailure-1").status.phase).toBe("Running");
  });

  it("Always + exit 0: restarted like a failure (doBackOff does not look at the exit code), lastState Completed", () => {
    expect(e.events("always-0", ["Started"]).map(([t]) => t)).toEqual([1_000, 7_000, 23_000, 49_000]);
    // At 60s: the instance started at 49s runs until 54s, then waits its 40s back-off.
    expect(e.status("always-0", "c")).toMatchObject({
      restartCount: 3,
      state: { waiting: { reason: "CrashLoopBackOff" } },
      lastState: { terminated: { exitCode: 0, reason: "Completed", startedAt: e.iso(49_000), finishedAt: e.iso(54_000) } },
    });
    expect(e.get("always-0").status.phase).toBe("Running");
  });
});

describe("`sleep N` commands", () => {
  it("runs N seconds from its start, then exits 0; a behavior's runFor wins over the command", () => {
    const e = env([
      mkPod("sleep-30", {}, { restartPolicy: "Never" }, { command: ["sleep", "30"] }),
      mkPod("sh-sleep-5", {}, { restartPolicy: "OnFailure" }, { command: ["/bin/sh", "-c"], args: ["sleep 5"] }),
      mkPod("sleep-but-runfor", behave({ runFor: "10s" }), { restartPolicy: "Never" }, { command: ["sleep", "30"] }),
      mkPod("sleep-infinity", {}, { restartPolicy: "Never" }, { command: ["sleep", "infinity"] }),
    ]);
    const phases = (t: number) => {
      e.at(t);
      return ["sleep-30", "sh-sleep-5", "sleep-but-runfor", "sleep-infinity"].map((n) => e.get(n).status.phase);
    };
    // Running at 1s: sh -c 'sleep 5' exits at 6s, runFor 10s at 11s, sleep 30 at 31s, sleep infinity never.
    expect(phases(5_999)).toEqual(["Running", "Running", "Running", "Running"]);
    expect(phases(6_000)).toEqual(["Running", "Succeeded", "Running", "Running"]);
    expect(phases(11_000)).toEqual(["Running", "Succeeded", "Succeeded", "Running"]);
    expect(phases(30_999)).toEqual(["Running", "Succeeded", "Succeeded", "Running"]);
    expect(phases(31_000)).toEqual(["Succeeded", "Succeeded", "Succeeded", "Running"]);
    expect(e.status("sleep-30", "c").state.terminated).toMatchObject({ exitCode: 0, reason: "Completed", startedAt: e.iso(1_000), finishedAt: e.iso(31_000) });
    expect(phases(3_600_000)[3]).toBe("Running");
  });
});

describe("OOMKilled", () => {
  // Memory 0 at the start, 200Mi after 100s, limit 100Mi: 200Mi x t / 100s > 100Mi for t > 50s, so the kernel kills
  // it at the first whole ms after: 50.001s after it runs. Running at 1s: killed at 51.001s; restarted at once
  // (running 52.001s), killed at 102.002s, back-off 10s: created 112.002s, running 113.002s, killed 163.003s,
  // back-off 20s: created 183.003s, running 184.003s.
  it("is killed by the kernel when its memory passes the limit, with OOMKilled and 137", () => {
    const e = env([mkPod("leaky", behave({ memory: "[{at: 0s, usage: 0}, {at: 100s, usage: 200Mi}]" }), {}, { resources: { limits: { memory: "100Mi" } } })]);
    e.at(51_000);
    const before = e.status("leaky", "c");
    e.at(51_001);
    const after = e.status("leaky", "c");
    e.at(200_000);
    expect(before.state.running).toBeDefined();
    expect(after.lastState?.terminated).toEqual({ exitCode: 137, reason: "OOMKilled", startedAt: e.iso(1_000), finishedAt: e.iso(51_001) });
    expect(after.restartCount).toBe(1);
    expect(e.events("leaky", ["Started"]).map(([t]) => t)).toEqual([1_000, 52_001, 113_002, 184_003]);
    expect(e.events("leaky", ["BackOff"]).map(([t]) => t)).toEqual([102_002, 163_003]);
  });
});

describe("init containers", () => {
  // init-1 runs 5s (running 1s, exits 6s); init-2 is `sleep 3` (created 6s, running 7s, exits 10s); app created
  // 10s, running 11s.
  const snap = (e: Env, t: number) => {
    e.at(t);
    const p = e.get("with-init");
    return {
      phase: p.status.phase,
      initialized: getCondition(p.status.conditions, "Initialized"),
      init2: e.status("with-init", "init-2").state,
      app: e.status("with-init", "app").state,
    };
  };
  let e: Env;
  let at0: ReturnType<typeof snap>, at6: ReturnType<typeof snap>, at10: ReturnType<typeof snap>, at11: ReturnType<typeof snap>;
  beforeAll(() => {
    e = env([
      mkPod("with-init", behave({ "init-1.runFor": "5s" }), {
        initContainers: [
          { name: "init-1", image: IMAGE },
          { name: "init-2", image: IMAGE, command: ["sleep", "3"] },
        ],
        containers: [{ name: "app", image: IMAGE }],
      }),
    ]);
    at0 = snap(e, 0);
    at6 = snap(e, 6_000);
    at10 = snap(e, 10_000);
    at11 = snap(e, 11_000);
    e.at(60_000);
  });

  it("starts them one at a time, in order, and the app containers only after the last one exited 0", () => {
    expect(e.events("with-init", ["Created", "Started"])).toEqual([
      [0, "Created", "Created container: init-1"],
      [1_000, "Started", "Started container init-1"],
      [6_000, "Created", "Created container: init-2"],
      [7_000, "Started", "Started container init-2"],
      [10_000, "Created", "Created container: app"],
      [11_000, "Started", "Started container app"],
    ]);
  });

  it("is Pending with Initialized False naming the unfinished init containers, then Running", () => {
    expect(at0.phase).toBe("Pending");
    expect(at0.initialized).toMatchObject({ status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [init-1 init-2]" });
    expect(at6.phase).toBe("Pending");
    expect(at6.initialized).toMatchObject({ status: "False", reason: "ContainersNotInitialized", message: "containers with incomplete status: [init-2]" });
    expect(at10.initialized).toMatchObject({ status: "True" });
    expect(at10.initialized?.reason).toBeUndefined();
    expect(at10.phase).toBe("Pending");
    expect(at11.phase).toBe("Running");
  });

  it("shows the containers not created yet waiting with PodInitializing (init and app containers alike)", () => {
    // convertToAPIContainerStatuses: the default waiting reason of a pod with init containers.
    expect(at0.init2).toEqual({ waiting: { reason: "PodInitializing" } });
    expect(at0.app).toEqual({ waiting: { reason: "PodInitializing" } });
    expect(at6.app).toEqual({ waiting: { reason: "PodInitializing" } });
    expect(at11.app).toEqual({ running: { startedAt: e.iso(11_000) } });
  });

  it("reports a done init container terminated Completed and ready", () => {
    expect(e.status("with-init", "init-1")).toMatchObject({
      ready: true,
      restartCount: 0,
      state: { terminated: { exitCode: 0, reason: "Completed", startedAt: e.iso(1_000), finishedAt: e.iso(6_000) } },
    });
    expect(e.status("with-init", "init-2").state.terminated).toMatchObject({ startedAt: e.iso(7_000), finishedAt: e.iso(10_000) });
  });
});

describe("a failing init container", () => {
  const spec = (policy: "Never" | "OnFailure" | "Always"): Partial<PodSpec> => ({
    restartPolicy: policy,
    initContainers: [{ name: "migrate", image: IMAGE }],
    containers: [{ name: "app", image: IMAGE }],
  });
  // migrate runs 5s and exits 1 (running 1s, exits 6s).
  const b = behave({ "migrate.runFor": "5s", "migrate.exitCode": "1" });
  let e: Env;
  let never: Pod;
  let onFailureAt12: ContainerStatus;
  beforeAll(() => {
    e = env([mkPod("init-never", b, spec("Never")), mkPod("init-onfailure", b, spec("OnFailure")), mkPod("init-always", b, spec("Always"))]);
    e.at(6_000);
    never = e.get("init-never");
    e.at(12_000);
    onFailureAt12 = e.status("init-onfailure", "migrate");
    e.at(60_000);
  });

  it("fails the pod under restartPolicy Never; the app container never starts", () => {
    expect(never.status.phase).toBe("Failed");
    expect(never.status.initContainerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(never.status.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: "PodInitializing" } });
    expect(getCondition(never.status.conditions, "Initialized")).toMatchObject({ status: "False", message: "containers with incomplete status: [migrate]" });
    expect(e.events("init-never", ["Started"])).toEqual([[1_000, "Started", "Started container migrate"]]);
    expect(e.get("init-never").status.phase).toBe("Failed");
  });

  it.each(["init-onfailure", "init-always"])("%s: restarts it with the crash-loop back-off, the pod Pending and the app never started", (name) => {
    // exits 6s: restarted at once (running 7s), exits 12s, back-off 10s (running 23s), exits 28s, back-off 20s
    // (running 49s), exits 54s, back-off 40s.
    expect(e.events(name, ["Started"]).map(([t, , m]) => [t, m])).toEqual([
      [1_000, "Started container migrate"],
      [7_000, "Started container migrate"],
      [23_000, "Started container migrate"],
      [49_000, "Started container migrate"],
    ]);
    expect(e.get(name).status.phase).toBe("Pending");
    expect(e.status(name, "app").state).toEqual({ waiting: { reason: "PodInitializing" } });
  });

  it("shows the init container in CrashLoopBackOff with its last failure", () => {
    const uid = e.get("init-onfailure").metadata.uid;
    expect(onFailureAt12).toMatchObject({
      restartCount: 1,
      state: { waiting: { reason: "CrashLoopBackOff", message: `back-off 10s restarting failed container=migrate pod=init-onfailure_default(${uid})` } },
      lastState: { terminated: { exitCode: 1, reason: "Error", startedAt: e.iso(7_000), finishedAt: e.iso(12_000) } },
    });
  });
});

describe("sidecars (init containers with restartPolicy Always)", () => {
  const sidecarSpec = (extra: Partial<Container> = {}): Partial<PodSpec> => ({
    restartPolicy: "Never",
    initContainers: [{ name: "proxy", image: IMAGE, restartPolicy: "Always", ...extra }],
    containers: [{ name: "app", image: IMAGE }],
  });
  let e: Env;
  let beside2: Pod, slow10: Pod, beside32: Pod, beside33: Pod;
  beforeAll(() => {
    e = env([
      // proxy running at 1s (no startup probe: started at once), app created 1s, running 2s, exits 32s; then proxy is
      // stopped (Killing at 32s) and exits 1s later (podStopLatency, within the 30s grace): Succeeded at 33s.
      mkPod("beside", behave({ "app.runFor": "30s" }), sidecarSpec()),
      // proxy exits 1 after 10s each run, app runs on: proxy restarted whatever the pod's restartPolicy (Never):
      // exits 11s, at once (running 12s), exits 22s, back-off 10s (running 33s).
      mkPod("crashing-proxy", behave({ "proxy.runFor": "10s", "proxy.exitCode": "1" }), sidecarSpec()),
      // proxy's startup probe on the workers' grid (0, 5, 10, 15s) fails for its first 12s: the probes at 5s and 10s
      // (4s and 9s into its life) fail, the one at 15s passes: started at 15s, and only then the app starts (16s).
      mkPod("slow-proxy", behave({ "proxy.startupFailures": "[{from: 0s, for: 12s}]" }), sidecarSpec({ startupProbe: { tcpSocket: { port: 15000 }, periodSeconds: 5, failureThreshold: 10 } })),
    ]);
    e.at(2_000);
    beside2 = e.get("beside");
    e.at(10_000);
    slow10 = e.get("slow-proxy");
    e.at(32_000);
    beside32 = e.get("beside");
    e.at(33_000);
    beside33 = e.get("beside");
    e.at(120_000);
  });

  it("starts the app once the sidecar runs, and both count for readiness", () => {
    expect(e.events("beside", ["Started"]).map(([t, , m]) => [t, m])).toEqual([
      [1_000, "Started container proxy"],
      [2_000, "Started container app"],
    ]);
    expect(beside2.status.phase).toBe("Running");
    expect(getCondition(beside2.status.conditions, "Ready")?.status).toBe("True");
    expect(beside2.status.initContainerStatuses?.[0]).toMatchObject({ name: "proxy", ready: true, started: true, state: { running: { startedAt: e.iso(1_000) } } });
  });

  it("stops the sidecar when the app is done, and the pod is terminal once it exited; it is not restarted", () => {
    expect(e.events("beside", ["Killing"])).toEqual([[32_000, "Killing", "Stopping container proxy"]]);
    // A running sidecar counts as running (getPhase): the pod stays Running until it exited.
    expect(beside32.status.phase).toBe("Running");
    expect(beside33.status.phase).toBe("Succeeded");
    expect(beside33.status.initContainerStatuses?.[0]?.state.terminated).toMatchObject({ exitCode: 0, reason: "Completed", startedAt: e.iso(1_000), finishedAt: e.iso(33_000) });
    expect(e.events("beside", ["Started", "BackOff"]).length).toBe(2);
    expect(e.get("beside").status.phase).toBe("Succeeded");
  });

  it("restarts a sidecar that exits, with the crash-loop back-off, under restartPolicy Never, the app running on", () => {
    expect(e.events("crashing-proxy", ["Started"]).map(([t, , m]) => [t, m])).toEqual([
      [1_000, "Started container proxy"],
      [2_000, "Started container app"],
      [12_000, "Started container proxy"],
      [33_000, "Started container proxy"],
      // exits 43s, back-off 20s: running 64s; exits 74s, back-off 40s: running 115s.
      [64_000, "Started container proxy"],
      [115_000, "Started container proxy"],
    ]);
    expect(e.get("crashing-proxy").status.phase).toBe("Running");
    expect(e.status("crashing-proxy", "app").restartCount).toBe(0);
  });

  it("holds the next container back until the sidecar's startup probe passed", () => {
    expect(e.events("slow-proxy", ["Started"]).map(([t, , m]) => [t, m])).toEqual([
      [1_000, "Started container proxy"],
      [16_000, "Started container app"],
    ]);
    expect(slow10.status.phase).toBe("Pending");
    expect(slow10.status.initContainerStatuses?.[0]).toMatchObject({ started: false, ready: false });
    expect(getCondition(slow10.status.conditions, "Initialized")).toMatchObject({ status: "False", message: "containers with incomplete status: [proxy]" });
  });
});

describe("graceful termination", () => {
  // Deleted at 20s. killContainer: Killing "Stopping container c", StopContainer with the grace period; the program
  // exits stopAfter after SIGTERM (exit 0) or is killed with SIGKILL at the grace period (137).
  let e: Env;
  beforeAll(() => {
    e = env([
      mkPod("quick", behave({ stopAfter: "3s" }), { terminationGracePeriodSeconds: 10 }),
      mkPod("stubborn", behave({ stopAfter: "30s" }), { terminationGracePeriodSeconds: 10 }),
      mkPod("short-grace", behave({ stopAfter: "30s" }), { terminationGracePeriodSeconds: 30 }),
    ]);
    e.at(20_000);
    for (const n of ["quick", "stubborn"]) e.cluster.cp.api.delete("Pod", "default", n);
    // deletionGracePeriodSeconds 1: below minimumGracePeriodInSeconds (2), so StopContainer gets 2s.
    e.cluster.cp.api.delete("Pod", "default", "short-grace", { gracePeriodSeconds: 1 });
    e.at(120_000);
  });
  const lastState = (n: string) => e.final(n).pod?.status.containerStatuses?.[0]?.state.terminated;

  it("records Killing for each container at once", () => {
    for (const n of ["quick", "stubborn", "short-grace"]) expect(e.events(n, ["Killing"])).toEqual([[20_000, "Killing", "Stopping container c"]]);
  });

  it("lets a container that stops within the grace period exit 0 at its stopAfter", () => {
    // 20s + stopAfter 3s < 20s + 10s: exits 0 at 23s, and the kubelet confirms the deletion then.
    expect(lastState("quick")).toMatchObject({ exitCode: 0, reason: "Completed", finishedAt: e.iso(23_000) });
    expect(e.final("quick").at).toBe(23_000);
  });

  it("kills a container that outlives the grace period at its end, with 137", () => {
    // stopAfter 30s > terminationGracePeriodSeconds 10s: SIGKILL at 20s + 10s = 30s.
    expect(lastState("stubborn")).toMatchObject({ exitCode: 137, reason: "Error", finishedAt: e.iso(30_000) });
    expect(e.final("stubborn").at).toBe(30_000);
  });

  it("gives at least 2s (minimumGracePeriodInSeconds) even for a 1s deletion grace period", () => {
    // max(1s, 2s) = 2s: SIGKILL at 22s.
    expect(lastState("short-grace")).toMatchObject({ exitCode: 137, reason: "Error", finishedAt: e.iso(22_000) });
    expect(e.final("short-grace").at).toBe(22_000);
  });
});

describe("image pulls", () => {
  // settings.imagePullBandwidth 50Mi/s: a 100Mi image pulls in 100 / 50 = 2s, an 80Mi one in 1.6s. Images the
  // catalog does not list have settings.defaultImageSize, 100Mi = 104857600 bytes.
  const catalog: ImageCatalogEntry[] = [
    { image: "web:1", sizeBytes: 100 * Mi },
    { image: "api:1", sizeBytes: 100 * Mi },
    { image: "db:1", sizeBytes: 100 * Mi },
    { image: "small:1", sizeBytes: 80 * Mi },
    { image: "timed:1", pullTime: { kind: "fixed", valueMs: 1_234 } },
    { image: "gone:1", missing: true },
  ];
  const pulled = (image: string, pull: string, total: string, bytes: number) => `Successfully pulled image "${image}" in ${pull} (${total} including waiting). Image size: ${bytes} bytes.`;
  const one = (name: string, image: string, c: Partial<Container> = {}) => mkPod(name, {}, {}, { image, ...c });

  it("pulls an image it lacks: Pulling, then Pulled with Go durations and the size, then the container starts", () => {
    const e = env([one("web", "web:1")], { images: catalog });
    e.at(1_000);
    expect(e.status("web", "c").state).toEqual({ waiting: { reason: "ContainerCreating" } });
    e.at(10_000);
    expect(e.typed("web")).toEqual([
      [0, "Normal", "Pulling", 'Pulling image "web:1"'],
      [2_000, "Normal", "Pulled", pulled("web:1", "2s", "2s", 104_857_600)],
      [2_000, "Normal", "Created", "Created container: c"],
      [3_000, "Normal", "Started", "Started container c"],
    ]);
  });

  it("serializes pulls on a node by default: the second waits for the first, and says so", () => {
    // web:1 pulls 0..2s, small:1 waits, then pulls 2..3.6s (1.6s, 3.6s including waiting), timed:1 its catalog
    // pull time 1.234s after that: 3.6..4.834s (4.834s including waiting).
    const e = env([one("a", "web:1"), one("b", "small:1"), one("c", "timed:1")], { images: catalog });
    e.at(10_000);
    expect(e.events("a", ["Pulling", "Pulled"])).toEqual([
      [0, "Pulling", 'Pulling image "web:1"'],
      [2_000, "Pulled", pulled("web:1", "2s", "2s", 104_857_600)],
    ]);
    expect(e.events("b", ["Pulling", "Pulled"])).toEqual([
      [0, "Pulling", 'Pulling image "small:1"'],
      [3_600, "Pulled", pulled("small:1", "1.6s", "3.6s", 83_886_080)],
    ]);
    expect(e.events("c", ["Pulled"])).toEqual([[4_834, "Pulled", pulled("timed:1", "1.234s", "4.834s", 104_857_600)]]);
    expect(e.events("c", ["Started"]).map(([t]) => t)).toEqual([5_834]);
  });

  it("pulls in parallel with serializeImagePulls false, at most maxParallelImagePulls at once", () => {
    const unlimited = env([one("a", "web:1"), one("b", "api:1"), one("c", "db:1")], { images: catalog, settings: { serializeImagePulls: false, maxParallelImagePulls: 0 } });
    unlimited.at(10_000);
    for (const [n, img] of [["a", "web:1"], ["b", "api:1"], ["c", "db:1"]]) {
      expect(unlimited.events(n!, ["Pulled"])).toEqual([[2_000, "Pulled", pulled(img!, "2s", "2s", 104_857_600)]]);
    }
    // Two at once: db:1 gets a slot when the first two finish at 2s, and is pulled by 4s.
    const two = env([one("a", "web:1"), one("b", "api:1"), one("c", "db:1")], { images: catalog, settings: { serializeImagePulls: false, maxParallelImagePulls: 2 } });
    two.at(10_000);
    expect(two.events("b", ["Pulled"])).toEqual([[2_000, "Pulled", pulled("api:1", "2s", "2s", 104_857_600)]]);
    expect(two.events("c", ["Pulled"])).toEqual([[4_000, "Pulled", pulled("db:1", "2s", "4s", 104_857_600)]]);
  });

  it("uses an image already on the node: 'already present on machine', no pull", () => {
    const e = env([one("warm", IMAGE), one("first", "web:1")], { images: catalog });
    e.at(10_000);
    e.cluster.cp.api.create(one("second", "web:1"));
    e.at(20_000);
    expect(e.typed("warm", ["Pulling", "Pulled"])).toEqual([[0, "Normal", "Pulled", `Container image "${IMAGE}" already present on machine`]]);
    // second comes at 10s, after first pulled web:1 (0..2s).
    expect(e.typed("second", ["Pulling", "Pulled"])).toEqual([[10_000, "Normal", "Pulled", 'Container image "web:1" already present on machine']]);
  });

  it("pulls with imagePullPolicy Always even when the image is cached (the default for an untagged image)", () => {
    const e = env([one("always", IMAGE, { imagePullPolicy: "Always" }), one("untagged", "busybox")], { images: catalog, preloaded: [IMAGE, "busybox"] });
    e.at(10_000);
    // SetDefaults_Container: no tag means :latest, so Always.
    expect(e.get("untagged").spec.containers[0]?.imagePullPolicy).toBe("Always");
    // The store answers a pull of a present image at once.
    expect(e.events("always", ["Pulling", "Pulled"])).toEqual([
      [0, "Pulling", `Pulling image "${IMAGE}"`],
      [0, "Pulled", pulled(IMAGE, "0s", "0s", 104_857_600)],
    ]);
    expect(e.events("untagged", ["Pulling"])).toEqual([[0, "Pulling", 'Pulling image "busybox"']]);
  });

  it("refuses to pull with imagePullPolicy Never: ErrImageNeverPull, the pod Pending", () => {
    const e = env([one("never", "local/dev:1", { imagePullPolicy: "Never" }), one("never-present", IMAGE, { imagePullPolicy: "Never" })], { images: catalog });
    e.at(60_000);
    const message = 'Container image "local/dev:1" is not present with pull policy of Never';
    expect(e.typed("never")).toEqual([
      [0, "Warning", "ErrImageNeverPull", message],
      [0, "Warning", "Failed", "Error: ErrImageNeverPull"],
    ]);
    expect(e.status("never", "c").state).toEqual({ waiting: { reason: "ErrImageNeverPull", message } });
    expect(e.get("never").status.phase).toBe("Pending");
    expect(e.events("never-present", ["Pulled", "Started"])).toEqual([
      [0, "Pulled", `Container image "${IMAGE}" already present on machine`],
      [1_000, "Started", "Started container c"],
    ]);
  });

  it("has nothing to kill when a pod is deleted while its image is still being pulled", () => {
    // 2Gi at 50Mi/s: a 2048 / 50 = 40.96s pull. Deleted 5s in: killPodWithSyncResult stops running containers only,
    // so there is no Killing event and no terminated state; the deletion is confirmed at once.
    const e = env([one("cold", "huge:1")], { images: [{ image: "huge:1", sizeBytes: 2048 * Mi }] });
    e.at(5_000);
    e.cluster.cp.api.delete("Pod", "default", "cold");
    e.at(60_000);
    expect(e.events("cold")).toEqual([[0, "Pulling", 'Pulling image "huge:1"']]);
    expect(e.final("cold").at).toBe(5_000);
    expect(e.final("cold").pod?.status.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: "ContainerCreating" } });
  });

  it("does not wait for a sidecar's pull when the app is done: nothing to kill, the pod is terminal at once", () => {
    // Serialized pulls: proxy:1 (imagePullPolicy Always, 20s) pulls 0..20s, then another pod's 60s pull 20..80s.
    // proxy runs from 21s; app (cached) created 21s, running 22s. proxy exits 1 at 31s and is restarted at once: its
    // pull waits behind the 60s one. app exits 0 at 37s (restartPolicy Never), so the pod is done while proxy waits
    // for its image: no Killing, Succeeded at 37s, and proxy shows its last run (21s..31s).
    const e = env(
      [
        mkPod("pulling-sidecar", behave({ "proxy.runFor": "10s", "proxy.exitCode": "1", "app.runFor": "15s" }), {
          restartPolicy: "Never",
          initContainers: [{ name: "proxy", image: "proxy:1", imagePullPolicy: "Always", restartPolicy: "Always" }],
          containers: [{ name: "app", image: IMAGE }],
        }),
        one("hog", "huge:1"),
      ],
      { images: [{ image: "proxy:1", pullTime: { kind: "fixed", valueMs: 20_000 } }, { image: "huge:1", pullTime: { kind: "fixed", valueMs: 60_000 } }] },
    );
    e.at(120_000);
    expect(e.events("pulling-sidecar", ["Pulling", "Started", "Killing"])).toEqual([
      [0, "Pulling", 'Pulling image "proxy:1"'],
      [21_000, "Started", "Started container proxy"],
      [22_000, "Started", "Started container app"],
      [31_000, "Pulling", 'Pulling image "proxy:1"'],
    ]);
    expect(e.phases("pulling-sidecar")).toEqual([
      [0, "Pending"],
      [22_000, "Running"],
      [37_000, "Succeeded"],
    ]);
    expect(e.status("pulling-sidecar", "proxy").state.terminated).toMatchObject({ exitCode: 1, reason: "Error", startedAt: e.iso(21_000), finishedAt: e.iso(31_000) });
  });

  describe("an image the registry does not have", () => {
    // Each failed pull calls Next on the pod's image back-off (10s, doubling). The pod is synced again 10s after a
    // failed sync; a sync within the back-off since the last failure shows ImagePullBackOff, the first one after it
    // pulls again: pulls at 0, 0+10=10, 10+20=30, 30+40=70, 70+80=150s.
    let e: Env;
    let at0: ContainerStatus, at20: ContainerStatus;
    beforeAll(() => {
      e = env([one("ghost", "gone:1")], { images: catalog });
      e.at(0);
      at0 = e.status("ghost", "c");
      e.at(20_000);
      at20 = e.status("ghost", "c");
      e.at(155_000);
    });
    const err =
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/gone:1": failed to resolve reference "docker.io/library/gone:1": docker.io/library/gone:1: not found';

    it("retries the pull after back-offs of 10s, 20s, 40s and 80s", () => {
      expect(e.events("ghost", ["Pulling"]).map(([t]) => t)).toEqual([0, 10_000, 30_000, 70_000, 150_000]);
      // The syncs in between (every 10s) find it in back-off.
      expect(e.events("ghost", ["BackOff"]).map(([t]) => t)).toEqual([20_000, 40_000, 50_000, 60_000, 80_000, 90_000, 100_000, 110_000, 120_000, 130_000, 140_000]);
    });

    it("records Failed with the runtime's error and ErrImagePull, then BackOff and ImagePullBackOff", () => {
      expect(e.typed("ghost").filter(([t]) => t <= 20_000)).toEqual([
        [0, "Normal", "Pulling", 'Pulling image "gone:1"'],
        [0, "Warning", "Failed", `Failed to pull image "gone:1": ${err}`],
        [0, "Warning", "Failed", "Error: ErrImagePull"],
        [10_000, "Normal", "Pulling", 'Pulling image "gone:1"'],
        [10_000, "Warning", "Failed", `Failed to pull image "gone:1": ${err}`],
        [10_000, "Warning", "Failed", "Error: ErrImagePull"],
        [20_000, "Normal", "BackOff", 'Back-off pulling image "gone:1"'],
        [20_000, "Warning", "Failed", "Error: ImagePullBackOff"],
      ]);
    });

    it("shows ErrImagePull, then ImagePullBackOff with the last error, and never starts the container", () => {
      expect(at0.state).toEqual({ waiting: { reason: "ErrImagePull", message: err } });
      expect(at20.state).toEqual({ waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "gone:1": ErrImagePull: ${err}` } });
      expect(e.events("ghost", ["Created", "Started"])).toEqual([]);
      expect(e.get("ghost").status.phase).toBe("Pending");
    });
  });
});

describe("probes", () => {
  let e: Env;
  let slowBefore: ContainerStatus, slowAfter: ContainerStatus, stuckAt65: ContainerStatus;
  beforeAll(() => {
    e = env([
      // Readiness every 5s from the container's start (1s): 1, 6, 11, 16, ... s. initialDelaySeconds 7 skips probes
      // less than 7s into its life (1s, 6s); 11s and 16s pass: successThreshold 2 -> Ready at 16s. It fails from 30s
      // to 50s of its life (31s..51s): 31s and 36s fail, failureThreshold 2 -> not Ready at 36s; 51s (50s into its
      // life, outside the window) and 56s pass -> Ready at 56s.
      mkPod("ready-dip", behave({ readinessFailures: "[{from: 30s, for: 20s}]" }), {}, {
        readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 5, failureThreshold: 2, successThreshold: 2, initialDelaySeconds: 7 },
      }),
      // Liveness on the probe workers' grid, every 10s from the pod's first sync (0s): it fails from 30s of its life
      // (31s): 40s, 50s, 60s fail, failureThreshold 3 -> killed at 60s with the probe's grace of 5s (it ignores
      // SIGTERM for 60s): SIGKILL at 65s, 137; restarted at once, running at 66s.
      mkPod("stuck", behave({ livenessFailures: "[{from: 30s}]", stopAfter: "60s" }), {}, {
        livenessProbe: { exec: { command: ["redis-cli", "ping"] }, periodSeconds: 10, failureThreshold: 3, terminationGracePeriodSeconds: 5 },
      }),
      mkPod("stuck-never", behave({ livenessFailures: "[{from: 30s}]", stopAfter: "60s" }), { restartPolicy: "Never" }, {
        livenessProbe: { exec: { command: ["redis-cli", "ping"] }, periodSeconds: 10, failureThreshold: 3, terminationGracePeriodSeconds: 5 },
      }),
      // Startup every 10s on the grid (0, 10, 20, 30s); it fails for its first 25s: 10s and 20s fail, 30s (29s into
      // its life) passes -> started at 30s; readiness probes at once then and passes -> Ready at 30s.
      mkPod("slow-start", behave({ startupFailures: "[{from: 0s, for: 25s}]" }), {}, {
        startupProbe: { tcpSocket: { port: 6379 }, periodSeconds: 10, failureThreshold: 30 },
        readinessProbe: { tcpSocket: { port: 6379 }, periodSeconds: 10 },
      }),
      // Startup never passes: 10s, 20s, 30s fail, failureThreshold 3 -> killed at 30s.
      mkPod("never-starts", behave({ startupFailures: "[{from: 0s}]" }), {}, { startupProbe: { tcpSocket: { port: 6379 }, periodSeconds: 10, failureThreshold: 3 } }),
    ]);
    e.at(29_999);
    slowBefore = e.status("slow-start", "c");
    e.at(30_000);
    slowAfter = e.status("slow-start", "c");
    e.at(65_000);
    stuckAt65 = e.status("stuck", "c");
    e.at(100_000);
  });

  it("turns Ready after successThreshold passes past the initial delay, and back after failureThreshold failures", () => {
    expect(e.transitions("ready-dip", "Ready")).toEqual([
      [0, "False"],
      [16_000, "True"],
      [36_000, "False"],
      [56_000, "True"],
    ]);
    expect(e.transitions("ready-dip", "ContainersReady")).toEqual(e.transitions("ready-dip", "Ready"));
    expect(e.typed("ready-dip", ["Unhealthy"])).toEqual([[36_000, "Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 500"]]);
    expect(e.get("ready-dip").status.phase).toBe("Running");
  });

  it("kills a container whose liveness probe fails and restarts it", () => {
    expect(e.typed("stuck", ["Unhealthy", "Killing", "Started"])).toEqual([
      [1_000, "Normal", "Started", "Started container c"],
      // An exec probe's output is the command's, often empty.
      [60_000, "Warning", "Unhealthy", "Liveness probe failed: "],
      [60_000, "Normal", "Killing", "Container c failed liveness probe, will be restarted"],
      [66_000, "Normal", "Started", "Started container c"],
    ]);
    expect(stuckAt65).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 137, reason: "Error", startedAt: e.iso(1_000), finishedAt: e.iso(65_000) } } });
  });

  it("does not restart it under restartPolicy Never: the Killing text has no 'will be restarted', the pod fails", () => {
    expect(e.events("stuck-never", ["Killing"])).toEqual([[60_000, "Killing", "Container c failed liveness probe"]]);
    expect(e.final("stuck-never").pod?.status.phase).toBe("Failed");
    expect(e.transitions("stuck-never", "Ready").at(-1)).toEqual([65_000, "False"]);
    expect(e.events("stuck-never", ["Started"]).length).toBe(1);
  });

  it("holds started and readiness off until the startup probe passed", () => {
    expect(slowBefore).toMatchObject({ started: false, ready: false, state: { running: { startedAt: e.iso(1_000) } } });
    expect(slowAfter).toMatchObject({ started: true, ready: true });
    expect(e.transitions("slow-start", "Ready")).toEqual([
      [0, "False"],
      [30_000, "True"],
    ]);
    expect(e.events("slow-start", ["Unhealthy", "Killing"])).toEqual([]);
  });

  it("kills a container whose startup probe keeps failing", () => {
    const ip = e.get("never-starts").status.podIP;
    expect(ip).toMatch(/^10\.128\.0\.\d+$/);
    expect(e.events("never-starts", ["Unhealthy", "Killing"]).filter(([t]) => t <= 30_000)).toEqual([
      [30_000, "Unhealthy", `Startup probe failed: dial tcp ${ip}:6379: connect: connection refused`],
      [30_000, "Killing", "Container c failed startup probe, will be restarted"],
    ]);
  });
});

describe("node boot (addNodes with settings.nodeBootDuration)", () => {
  afterAll(removeScenarios);

  it("registers an added node only once its boot time has passed", () => {
    const file = writeScenario(`apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: boot}
spec:
  seed: 1
  duration: 5m
  settings: {nodeBootDuration: 90s}
  cluster:
    nodePools:
      - {name: warm, count: 1, capacity: {cpu: "4", memory: 16Gi, pods: 110}}
  timeline:
    - at: 1m
      action: addNodes
      pool: {name: burst, count: 2, capacity: {cpu: "4", memory: 16Gi, pods: 110}}
`);
    const added: [string, number][] = [];
    const outcome = run(load(file), (cluster) => {
      cluster.cp.store.watch("Node", (type, o) => {
        if (type === "ADDED") added.push([(o as Node).metadata.name, cluster.sim.now]);
      });
    });
    // warm-1 at 0; the burst VMs are requested at 60s and boot for 90s: their kubelets register at 150s.
    expect(added).toEqual([
      ["warm-1", 0],
      ["burst-1", 150_000],
      ["burst-2", 150_000],
    ]);
    const starting = outcome.events.filter((ev) => ev.reason === "Starting" && ev.involvedObject.name.startsWith("burst"));
    expect(starting.map((ev) => [ev.involvedObject.name, ev.simTime, ev.message])).toEqual([
      ["burst-1", 150_000, "Starting kubelet."],
      ["burst-2", 150_000, "Starting kubelet."],
    ]);
  });
});

describe("the bundled scenarios", () => {
  it("scenarios/crashloop.yaml: the worker restarts at the back-off times its comment lists, and its expectations hold", () => {
    const outcome = run(load(`${SCENARIOS}/crashloop.yaml`));
    const started = outcome.events.filter((ev) => ev.reason === "Started" && ev.involvedObject.name.startsWith("worker-")).map((ev) => ev.simTime / 1000);
    // Running 1s..21s, at once (22s), then back-offs from each exit: 42+10, 73+20, 114+40, 175+80, 276+160,
    // 457+300, 778+300, 1099+300, 1420+300 (s), each running 1s after.
    expect(started).toEqual([1, 22, 53, 94, 155, 256, 437, 758, 1079, 1400, 1721]);
    expect(outcome.summary.expectations.map((x) => [x.expect, x.passed])).toEqual(outcome.summary.expectations.map((x) => [x.expect, true]));
  });

  it("scenarios/probes.yaml: its expectations hold (readiness dip, liveness restart, OOM kill)", () => {
    const outcome = run(load(`${SCENARIOS}/probes.yaml`));
    expect(outcome.summary.expectations.length).toBe(6);
    expect(outcome.summary.expectations.filter((x) => !x.passed)).toEqual([]);
    const oom = outcome.events.filter((ev) => ev.involvedObject.name === "leaky" && ev.reason === "Started").map((ev) => ev.simTime);
    // Running at 1s, killed 482.813s later (see test "OOMKilled"): 483.813s, restarted at once: running 484.813s.
    expect(oom.slice(0, 2)).toEqual([1_000, 484_813]);
  });
});

describe("invariants", () => {
  it("held after every event of every run above (container-status and the rest of src/invariants)", () => {
    expect(monitors.length).toBeGreaterThan(10);
    expect(monitors[0]!.checking).toContain("container-status");
    expect(monitors.flatMap((m) => m.violations)).toEqual([]);
  });
});

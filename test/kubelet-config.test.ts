/**
 * ConfigMaps and Secrets in pods, as the v1.32 kubelet honours them (src/kubelet/config/): a container's env
 * (makeEnvironmentVariables: CreateContainerConfigError, retried at the pod worker's next sync) and configMap, secret
 * and projected volumes (the volume manager's SetUp with its exponential back-off, WaitForAttachAndMount's 300ms looks
 * and 2m3s waits). Pure tables for the texts and the timing arithmetic, then real clusters (src/cluster.ts) for what a
 * user sees: events (time, reason, text), container statuses, the fleet's count of pods waiting on configuration.
 *
 * Times in the cluster tests are ms after the pods were created (T0: the node registered at 0 with its pod CIDR).
 * Informer latency is 0, so the kubelet sees an object the instant it is written.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getCondition } from "../src/api/pod-util.js";
import type { ConfigMap, Container, ContainerStatus, Pod, PodSpec, Secret } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { InvariantMonitor } from "../src/invariants/index.js";
import { expand, makeEnvironmentVariables } from "../src/kubelet/config/env.js";
import { NO_CONFIG_REFS, podConfigRefs, type ConfigObjects } from "../src/kubelet/config/refs.js";
import { PodVolumeMounts } from "../src/kubelet/config/volume-mounts.js";
import { mountFailedMessage, mountRetryDelay, mountsSeenAt, volumeSetUpError, type PodVolume } from "../src/kubelet/config/volumes.js";
import type { PodLifecycleEvent, PodLifecycleState } from "../src/kubelet/pod-lifecycle.js";
import { transition } from "../src/kubelet/pod-lifecycle.js";
import { resolveSettings } from "../src/settings.js";
import { cli } from "./helpers/cli.js";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

// ----- fixtures --------------------------------------------------------------------------------------------------

function configMap(name: string, data: Record<string, string>, binaryData?: Record<string, string>): ConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" }, data, ...(binaryData ? { binaryData } : {}) };
}

/** A Secret as stored: data base64. */
function secret(name: string, plain: Record<string, string>): Secret {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "default" }, type: "Opaque", data: Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, b64(v)])) };
}

/** A ConfigObjects over fixed objects, counting look-ups. */
function objects(list: (ConfigMap | Secret)[]) {
  const calls: string[] = [];
  const find = (kind: string, ns: string, name: string) => {
    calls.push(`${kind}/${ns}/${name}`);
    return list.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name);
  };
  const lookup: ConfigObjects = {
    configMap: (ns, name) => find("ConfigMap", ns, name) as ConfigMap | undefined,
    secret: (ns, name) => find("Secret", ns, name) as Secret | undefined,
  };
  return { lookup, calls };
}

const c = (fields: Partial<Container>): Container => ({ name: "c", image: "app:1", ...fields });

// ----- makeEnvironmentVariables ----------------------------------------------------------------------------------

describe("makeEnvironmentVariables (pkg/kubelet/kubelet_pods.go)", () => {
  const present = objects([
    configMap("app-config", { LOG_LEVEL: "debug", "app.properties": "a=1", "1st": "x" }, { blob: b64("bin") }),
    secret("db", { password: "hunter2", user: "admin" }),
  ]);

  it("reads configMapKeyRef and secretKeyRef (the Secret decoded), envFrom with its prefix, env over envFrom", () => {
    const r = makeEnvironmentVariables(
      "default",
      c({
        envFrom: [{ configMapRef: { name: "app-config" } }, { secretRef: { name: "db" }, prefix: "DB_" }],
        env: [
          { name: "LOG_LEVEL", value: "info" },
          { name: "PW", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
          { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "app-config", key: "LOG_LEVEL" } } },
        ],
      }),
      present.lookup,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // envFrom keys in the object's order (every key taken as it is in v1.32: "app.properties" and "1st" too), then env.
    expect([...r.env]).toEqual([
      ["LOG_LEVEL", "info"],
      ["app.properties", "a=1"],
      ["1st", "x"],
      ["DB_password", "hunter2"],
      ["DB_user", "admin"],
      ["PW", "hunter2"],
      ["LEVEL", "debug"],
    ]);
  });

  it("expands $(VAR) in literal values from the variables set before, and reads each object once", () => {
    const o = objects([configMap("app-config", { HOST: "db.local" })]);
    const r = makeEnvironmentVariables(
      "default",
      c({
        envFrom: [{ configMapRef: { name: "app-config" } }],
        env: [
          { name: "URL", value: "postgres://$(HOST):5432/$(MISSING)" },
          { name: "H", valueFrom: { configMapKeyRef: { name: "app-config", key: "HOST" } } },
          { name: "PRICE", value: "$$5 $(H)" },
        ],
      }),
      o.lookup,
    );
    expect(r.ok && [...r.env]).toEqual([
      ["HOST", "db.local"],
      ["URL", "postgres://db.local:5432/$(MISSING)"],
      ["H", "db.local"],
      ["PRICE", "$5 db.local"],
    ]);
    expect(o.calls).toEqual(["ConfigMap/default/app-config"]);
  });

  // Missing objects fail with the configmap / secret manager's NotFound (resource "configmap" / "secret"), missing
  // keys with makeEnvironmentVariables' own errors; pod.Namespace names the object.
  it.each([
    ["configMapKeyRef, no ConfigMap", c({ env: [{ name: "L", valueFrom: { configMapKeyRef: { name: "settings", key: "LOG_LEVEL" } } }] }), 'configmap "settings" not found'],
    ["secretKeyRef, no Secret", c({ env: [{ name: "P", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } }] }), 'secret "creds" not found'],
    ["configMapKeyRef, no key", c({ env: [{ name: "L", valueFrom: { configMapKeyRef: { name: "app-config", key: "TIMEOUT" } } }] }), "couldn't find key TIMEOUT in ConfigMap default/app-config"],
    ["secretKeyRef, no key", c({ env: [{ name: "P", valueFrom: { secretKeyRef: { name: "db", key: "token" } } }] }), "couldn't find key token in Secret default/db"],
    // configMapKeyRef reads data only: a binaryData key is not found.
    ["configMapKeyRef of a binaryData key", c({ env: [{ name: "B", valueFrom: { configMapKeyRef: { name: "app-config", key: "blob" } } }] }), "couldn't find key blob in ConfigMap default/app-config"],
    ["envFrom configMapRef, no ConfigMap", c({ envFrom: [{ configMapRef: { name: "flags" } }] }), 'configmap "flags" not found'],
    ["envFrom secretRef, no Secret", c({ envFrom: [{ secretRef: { name: "tls" } }] }), 'secret "tls" not found'],
  ])("%s", (_name, container, message) => {
    expect(makeEnvironmentVariables("default", container, present.lookup)).toEqual({ ok: false, message });
  });

  it("leaves out optional references whose object or key is missing", () => {
    const r = makeEnvironmentVariables(
      "default",
      c({
        envFrom: [{ configMapRef: { name: "flags", optional: true } }, { secretRef: { name: "tls", optional: true } }],
        env: [
          { name: "A", valueFrom: { configMapKeyRef: { name: "nope", key: "k", optional: true } } },
          { name: "B", valueFrom: { configMapKeyRef: { name: "app-config", key: "TIMEOUT", optional: true } } },
          { name: "C", valueFrom: { secretKeyRef: { name: "db", key: "token", optional: true } } },
          { name: "D", value: "kept" },
        ],
      }),
      present.lookup,
    );
    expect(r.ok && [...r.env]).toEqual([["D", "kept"]]);
  });

  it("names objects and keys in its errors, never a value", () => {
    const r = makeEnvironmentVariables("default", c({ env: [{ name: "P", valueFrom: { secretKeyRef: { name: "db", key: "missing" } } }] }), present.lookup);
    expect(JSON.stringify(r)).not.toContain("hunter2");
    expect(JSON.stringify(r)).not.toContain(b64("hunter2"));
  });
});

describe("expand (third_party/forked/golang/expansion)", () => {
  const mapping = (name: string) => ({ A: "1", B: "two" })[name] ?? `$(${name})`;
  it.each([
    ["$(A)", "1"],
    ["x$(A)y$(B)z", "x1ytwoz"],
    ["$(C)", "$(C)"],
    ["$$(A)", "$(A)"],
    ["$$", "$"],
    ["$(A", "$(A"],
    ["$A", "$A"],
    ["a$", "a$"],
    ["", ""],
  ])("%j -> %j", (input, want) => expect(expand(input, mapping)).toBe(want));
});

// ----- volumes ---------------------------------------------------------------------------------------------------

describe("volume SetUp (pkg/volume/configmap, secret, projected)", () => {
  const o = objects([configMap("app-config", { LOG_LEVEL: "debug" }, { blob: b64("bin") }), secret("db", { password: "hunter2" })]).lookup;
  const vol = (v: Omit<PodVolume, "name">): PodVolume => ({ name: "v", ...v });
  it.each<[string, PodVolume, string | undefined]>([
    ["configMap present", vol({ configMap: { name: "app-config" } }), undefined],
    ["configMap missing", vol({ configMap: { name: "absent" } }), 'configmap "absent" not found'],
    ["configMap missing, optional: mounts empty", vol({ configMap: { name: "absent", optional: true } }), undefined],
    ["configMap items: data key", vol({ configMap: { name: "app-config", items: [{ key: "LOG_LEVEL", path: "level" }] } }), undefined],
    ["configMap items: binaryData key", vol({ configMap: { name: "app-config", items: [{ key: "blob", path: "b" }] } }), undefined],
    ["configMap items: missing key", vol({ configMap: { name: "app-config", items: [{ key: "TIMEOUT", path: "t" }] } }), "configmap references non-existent config key: TIMEOUT"],
    ["configMap items: missing key, optional", vol({ configMap: { name: "app-config", optional: true, items: [{ key: "TIMEOUT", path: "t" }] } }), undefined],
    ["secret present", vol({ secret: { secretName: "db" } }), undefined],
    ["secret missing", vol({ secret: { secretName: "tls" } }), 'secret "tls" not found'],
    ["secret missing, optional", vol({ secret: { secretName: "tls", optional: true } }), undefined],
    ["secret items: missing key", vol({ secret: { secretName: "db", items: [{ key: "token", path: "t" }] } }), "references non-existent secret key: token"],
    ["projected: one source missing", vol({ projected: { sources: [{ configMap: { name: "app-config" } }, { secret: { name: "tls" } }] } }), 'secret "tls" not found'],
    // utilerrors.NewAggregate: several distinct errors as [a, b].
    ["projected: two missing", vol({ projected: { sources: [{ configMap: { name: "absent" } }, { secret: { name: "tls" } }] } }), '[configmap "absent" not found, secret "tls" not found]'],
    ["projected: the same error twice", vol({ projected: { sources: [{ secret: { name: "tls" } }, { secret: { name: "tls" } }] } }), 'secret "tls" not found'],
    ["projected: missing key", vol({ projected: { sources: [{ configMap: { name: "app-config", items: [{ key: "X", path: "x" }] } }] } }), "configmap references non-existent config key: X"],
    ["projected: optional missing sources", vol({ projected: { sources: [{ configMap: { name: "absent", optional: true } }, { secret: { name: "tls", optional: true } }] } }), undefined],
    ["projected: downwardAPI and serviceAccountToken", vol({ projected: { sources: [{ downwardAPI: { items: [] } }, { serviceAccountToken: { path: "token" } }] } }), undefined],
  ])("%s", (_name, v, want) => expect(volumeSetUpError("default", v, o)).toBe(want));

  it("words the FailedMount event as the operation executor does", () => {
    expect(mountFailedMessage("config", 'configmap "app-config" not found')).toBe('MountVolume.SetUp failed for volume "config" : configmap "app-config" not found');
  });

  it("waits 500ms after the first failure, doubling up to 2m2s (exponentialbackoff)", () => {
    // 0.5s x 2^(n-1): 0.5, 1, 2, 4, 8, 16, 32, 64, then 128 > 122: capped.
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50].map(mountRetryDelay)).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 122_000, 122_000, 122_000]);
  });

  // Syncs start at 0, 133s, 266s, ... (2m3s wait + 10s retry); each wait looks at +0, +300ms, ... +122.7s.
  it.each([
    [0, 0, "mounted at the first look"],
    [1_500, 1_500, "1500 = 5 x 300: a look"],
    [3_500, 3_600, "ceil(3500 / 300) = 12 looks: 3.6s"],
    [63_500, 63_600, "ceil(63500 / 300) = 212: 63.6s"],
    [122_700, 122_700, "the last look of the first wait"],
    [122_800, 133_000, "after the last look: the next sync at 123 + 10s"],
    [127_500, 133_000, "between the waits"],
    [133_000, 133_000, "at the second sync's first look"],
    [249_500, 249_700, "second wait: 133 + ceil(116500 / 300) x 0.3 = 249.7s"],
    [260_000, 266_000, "between the second and third waits"],
  ])("mounted at %i ms: seen at %i ms (%s)", (mountedAt, seen) => expect(mountsSeenAt(0, mountedAt, 10_000)).toBe(seen));
});

describe("PodVolumeMounts (per volume back-off)", () => {
  it("retries each failing volume on its own back-off and says when to look next", () => {
    const list: (ConfigMap | Secret)[] = [];
    const o = objects(list).lookup;
    const m = new PodVolumeMounts([{ name: "a", configMap: { name: "cm" } }, { name: "b", secret: { secretName: "s" } }], 1_000, 10_000);
    expect(m.attempt(1_000, "default", o).map((f) => f.volume)).toEqual(["a", "b"]);
    expect(m.nextAt()).toBe(1_500);
    list.push(secret("s", { k: "v" }));
    // At 1.5s both are due: b mounts, a fails again and waits 1s.
    expect(m.attempt(1_500, "default", o).map((f) => f.message)).toEqual(['MountVolume.SetUp failed for volume "a" : configmap "cm" not found']);
    expect(m.nextAt()).toBe(2_500);
    // Nothing is due before that.
    expect(m.attempt(2_000, "default", o)).toEqual([]);
    list.push(configMap("cm", {}));
    expect(m.attempt(2_500, "default", o)).toEqual([]);
    expect(m.allMounted).toBe(true);
    // Mounted 1.5s into the first wait (from 1s): ceil(1500 / 300) looks = 1.5s -> seen at 2.5s.
    expect(m.nextAt()).toBe(2_500);
  });
});

describe("podConfigRefs (once per spec object)", () => {
  it("gives the shared empty answer for a spec without references, the same object for the same spec", () => {
    const plain: PodSpec = { containers: [c({ env: [{ name: "A", value: "1" }] })], volumes: [{ name: "tmp", emptyDir: {} }] };
    expect(podConfigRefs(plain)).toBe(NO_CONFIG_REFS);
    const spec: PodSpec = {
      initContainers: [c({ name: "init", envFrom: [{ secretRef: { name: "s" } }] })],
      containers: [c({ volumeMounts: [{ name: "cfg", mountPath: "/etc" }] }), c({ name: "d", env: [{ name: "X", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] })],
      volumes: [
        { name: "cfg", configMap: { name: "app-config" } },
        // No container mounts it: the volume manager never sets it up.
        { name: "unused", secret: { secretName: "missing" } },
        { name: "tmp", emptyDir: {} },
      ],
    };
    const refs = podConfigRefs(spec);
    expect(podConfigRefs(spec)).toBe(refs);
    expect(refs.envReadsConfig).toEqual([true, false, false]);
    expect(refs.volumes.map((v) => v.name)).toEqual(["cfg"]);
  });
});

// ----- the lifecycle's new state ---------------------------------------------------------------------------------

describe("pod lifecycle: WaitingForVolumes (src/kubelet/pod-lifecycle.ts)", () => {
  const pending: PodLifecycleEvent = { t: "volumesPending" };
  const mounted: PodLifecycleEvent = { t: "volumesMounted" };
  it.each<[PodLifecycleState, PodLifecycleEvent, PodLifecycleState, unknown[], string]>([
    ["Starting", pending, "WaitingForVolumes", [], "WaitForAttachAndMount waits: no sandbox yet"],
    ["WaitingForVolumes", mounted, "Starting", [{ t: "runtimeStart" }], "mounted: network check and sandbox"],
    ["WaitingForVolumes", pending, "WaitingForVolumes", [], "already waiting"],
    ["WaitingForVolumes", { t: "podUpdate", terminal: false }, "WaitingForVolumes", [], "already admitted"],
    ["WaitingForVolumes", { t: "networkReady" }, "WaitingForVolumes", [], "not waiting for the network"],
    ["WaitingForVolumes", { t: "deletionRequested", graceMs: 30_000, terminal: false }, "Stopped", [{ t: "release" }, { t: "requeue" }], "nothing to kill: released, then confirmed"],
    ["WaitingForVolumes", { t: "podRemoved" }, "Absent", [{ t: "release" }], "removed: only its resources were held"],
    ["WaitingForVolumes", { t: "nodeStopped" }, "Absent", [], "node failed: nothing in the runtime to lose"],
    ["Running", pending, "Running", [], "only a start waits for volumes"],
    ["Starting", mounted, "Starting", [], "nothing was waiting"],
    ["WaitingForNetwork", mounted, "WaitingForNetwork", [], "nothing was waiting for volumes"],
  ])("%s + %j -> %s", (from, on, to, actions) => {
    const next = transition(from, on);
    expect(next.state).toBe(to);
    expect(next.actions).toEqual(actions);
  });
});

// ----- real clusters ---------------------------------------------------------------------------------------------

const EPOCH = Date.UTC(2026, 0, 1);
const T0 = 10_000;
const IMAGE = "registry.example.com/app:1";
const monitors: InvariantMonitor[] = [];

/** A one-node cluster run to T0 with `objects` created first, then `pods` (bound to n-1). */
function env(pods: Pod[], before: (ConfigMap | Secret)[] = []) {
  const cluster = new Cluster(1, resolveSettings({}), EPOCH, {});
  cluster.kubelets.addPool({ name: "n", count: 1, capacity: { cpu: "8", memory: "32Gi", pods: "110" }, labels: {}, taints: [], preloadedImages: [IMAGE] });
  monitors.push(InvariantMonitor.attach(cluster));
  cluster.sim.run(T0);
  const writes = new Map<string, Pod[]>();
  cluster.cp.store.watch("Pod", (type, obj) => {
    const p = obj as Pod;
    if (type !== "DELETED") (writes.get(p.metadata.name) ?? writes.set(p.metadata.name, []).get(p.metadata.name)!).push(p);
  });
  const create = (o: Pod | ConfigMap | Secret) => {
    const r = cluster.cp.api.create(o);
    if (!r.ok) throw new Error(`create ${o.metadata.name}: ${r.message}`);
  };
  for (const o of before) create(o);
  for (const p of pods) create(p);
  const get = (name: string) => cluster.cp.api.get<Pod>("Pod", "default", name)!;
  return {
    cluster,
    create,
    get,
    writes,
    /** Runs to T0 + t; an object created afterwards is written after every event of that instant. */
    at: (t: number) => cluster.sim.run(T0 + t),
    status(name: string, container = "c"): ContainerStatus {
      const p = get(name);
      return [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])].find((s) => s.name === container)!;
    },
    /** The pod's events: [time, type, reason, message]. */
    events(name: string, reasons?: string[]): [number, string, string, string][] {
      return cluster.cp.events.records
        .filter((e) => e.involvedObject.kind === "Pod" && e.involvedObject.name === name && (reasons === undefined || reasons.includes(e.reason)))
        .map((e) => [e.simTime - T0, e.type, e.reason, e.message]);
    },
    waiting: () => cluster.kubelets.podsWaitingOnConfig(),
  };
}

type Env = ReturnType<typeof env>;

function pod(name: string, spec: Partial<PodSpec> = {}, container: Partial<Container> = {}, annotations: Record<string, string> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", annotations },
    spec: { nodeName: "n-1", containers: [{ name: "c", image: IMAGE, ...container }], ...spec },
    status: {},
  } as Pod;
}

const levelFromConfig = { env: [{ name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "app-config", key: "LOG_LEVEL" } } }] };
const configVolume = (cm = "app-config", extra: object = {}) => ({
  spec: { volumes: [{ name: "config", configMap: { name: cm, ...extra } }] },
  container: { volumeMounts: [{ name: "config", mountPath: "/etc/app" }] },
});
const NOT_FOUND = 'configmap "app-config" not found';
const FAILED_MOUNT = `MountVolume.SetUp failed for volume "config" : ${NOT_FOUND}`;
const PULLED = `Container image "${IMAGE}" already present on machine`;
const at = (times: number[], type: string, reason: string, message: string) => times.map((t) => [t, type, reason, message]);

describe("a ConfigMap created at 60s, after the pods that need it", () => {
  // Both pods are created at 0. The ConfigMap is written at 60s, after that instant's events.
  //   env-wait (env only): the sandbox starts at 0; startContainer checks the image, then the config: Failed at 0;
  //     the pod worker syncs again every 10s: 10, 20, ..., 60 fail (60's sync ran before the write); the sync at
  //     70s creates the container (Created 70s), running 1s later (podStartLatency): Started 71s.
  //   vol-wait (a configMap volume): no sandbox; the volume manager tries at 0 and then after each back-off:
  //     0 + 0.5 = 0.5, + 1 = 1.5, + 2 = 3.5, + 4 = 7.5, + 8 = 15.5, + 16 = 31.5, + 32 = 63.5 s: that one mounts.
  //     The pod worker waits in WaitForAttachAndMount since 0, looking every 300ms: the first look after 63.5s is
  //     ceil(63500 / 300) x 300 = 63.6s: sandbox, Created 63.6s, Started 64.6s.
  let e: Env;
  let at30: { env: ContainerStatus; vol: ContainerStatus; envPod: Pod; volPod: Pod; waiting: number };
  let at63500: number;
  beforeAll(() => {
    e = env([pod("env-wait", {}, levelFromConfig), pod("vol-wait", configVolume().spec, configVolume().container)]);
    e.at(30_000);
    at30 = { env: e.status("env-wait"), vol: e.status("vol-wait"), envPod: e.get("env-wait"), volPod: e.get("vol-wait"), waiting: e.waiting() };
    e.at(60_000);
    e.create(configMap("app-config", { LOG_LEVEL: "debug" }));
    e.at(63_500);
    at63500 = e.waiting();
    e.at(90_000);
  });

  it("fails the container with CreateContainerConfigError and retries at the pod worker's 10s syncs", () => {
    expect(e.events("env-wait", ["Failed"])).toEqual(at([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000], "Warning", "Failed", `Error: ${NOT_FOUND}`));
    expect(e.events("env-wait", ["Pulled"]).map(([t]) => t)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000]);
    expect(e.events("env-wait", ["Created", "Started"])).toEqual([
      [70_000, "Normal", "Created", "Created container: c"],
      [71_000, "Normal", "Started", "Started container c"],
    ]);
  });

  it("shows the waiting reason and message, Pending, no restart", () => {
    expect(at30.env.state).toEqual({ waiting: { reason: "CreateContainerConfigError", message: NOT_FOUND } });
    expect(at30.env.restartCount).toBe(0);
    expect(at30.envPod.status.phase).toBe("Pending");
    expect(getCondition(at30.envPod.status.conditions, "Ready")?.message).toBe("containers with unready status: [c]");
    expect(e.status("env-wait").state.running).toBeDefined();
    expect(e.status("env-wait").restartCount).toBe(0);
  });

  it("keeps a pod whose volume cannot be set up in ContainerCreating, with a FailedMount per back-off retry", () => {
    expect(e.events("vol-wait", ["FailedMount"])).toEqual(at([0, 500, 1_500, 3_500, 7_500, 15_500, 31_500], "Warning", "FailedMount", FAILED_MOUNT));
    expect(at30.vol.state).toEqual({ waiting: { reason: "ContainerCreating" } });
    expect(at30.volPod.status.phase).toBe("Pending");
    expect(at30.volPod.status.podIP).toBeUndefined();
    expect(getCondition(at30.volPod.status.conditions, "PodReadyToStartContainers")?.status).toBe("False");
    expect(e.events("vol-wait", ["Pulled", "Created", "Started"])).toEqual([
      [63_600, "Normal", "Pulled", PULLED],
      [63_600, "Normal", "Created", "Created container: c"],
      [64_600, "Normal", "Started", "Started container c"],
    ]);
  });

  it("counts the pods waiting on configuration: both, then the env pod alone once the volume mounted, then none", () => {
    expect(at30.waiting).toBe(2);
    expect(at63500).toBe(1);
    expect(e.waiting()).toBe(0);
  });
});

describe("WaitForAttachAndMount's 2m3s waits", () => {
  // The first wait runs from 0 to 123s; its sync failed, the next starts 10s later (133s) and waits to 256s.
  //   ConfigMap at 125s: tries at ..., 63.5 (fails), 63.5 + 64 = 127.5 (mounts): between the waits, so the pod worker
  //     sees it when its second sync starts, at 133s.
  //   ConfigMap at 200s: 127.5 fails too, the next try is 127.5 + 122 (capped) = 249.5s, in the second wait: its look
  //     at 133 + ceil(116500 / 300) x 0.3 = 249.7s.
  it.each([
    [125_000, 133_000, [0, 500, 1_500, 3_500, 7_500, 15_500, 31_500, 63_500]],
    [200_000, 249_700, [0, 500, 1_500, 3_500, 7_500, 15_500, 31_500, 63_500, 127_500]],
  ])("ConfigMap at %i ms: the container is created at %i ms", (createdAt, createdContainer, failures) => {
    const e = env([pod("p", configVolume().spec, configVolume().container)]);
    e.at(createdAt);
    e.create(configMap("app-config", {}));
    e.at(300_000);
    expect(e.events("p", ["FailedMount"]).map(([t]) => t)).toEqual(failures);
    expect(e.events("p", ["Created"]).map(([t]) => t)).toEqual([createdContainer]);
    // v1.32 records nothing when a wait times out (SyncPod skips wait.Interrupted errors).
    expect(e.events("p").filter(([, , , m]) => m.startsWith("Unable to attach or mount volumes"))).toEqual([]);
  });
});

describe("optional references", () => {
  // Nothing is missing that is not optional: the pod starts as any other (Created at 0, Started at 1s).
  let e: Env;
  beforeAll(() => {
    e = env(
      [
        pod(
          "optional",
          {
            volumes: [
              { name: "flags", configMap: { name: "feature-flags", optional: true } },
              { name: "certs", projected: { sources: [{ secret: { name: "tls", optional: true } }, { downwardAPI: { items: [] } }, { serviceAccountToken: { path: "token" } }] } },
              // Mounted by no container: never set up.
              { name: "unused", configMap: { name: "absent" } },
            ],
          },
          {
            envFrom: [{ configMapRef: { name: "feature-flags", optional: true } }],
            env: [
              { name: "A", valueFrom: { configMapKeyRef: { name: "absent", key: "A", optional: true } } },
              { name: "B", valueFrom: { secretKeyRef: { name: "db", key: "missing", optional: true } } },
            ],
            volumeMounts: [
              { name: "flags", mountPath: "/etc/flags" },
              { name: "certs", mountPath: "/etc/certs" },
            ],
          },
        ),
      ],
      [secret("db", { password: "x" })],
    );
    e.at(5_000);
  });

  it("do not block: no Failed or FailedMount, the container runs at 1s", () => {
    expect(e.events("optional", ["Failed", "FailedMount"])).toEqual([]);
    expect(e.events("optional", ["Created", "Started"]).map(([t, , r]) => [t, r])).toEqual([
      [0, "Created"],
      [1_000, "Started"],
    ]);
    expect(e.waiting()).toBe(0);
  });
});

describe("missing keys", () => {
  // ConfigMap `partial` and Secret `db` exist but lack the keys named. The key is added to `partial` at 35s:
  //   key-env retries at 10, 20, 30 (fail), 40s: Created 40s.
  //   key-vol (items: LOG_LEVEL) tries at 0, .5, 1.5, 3.5, 7.5, 15.5, 31.5 (fail), 63.5s (mounts): looked at 63.6s.
  let e: Env;
  beforeAll(() => {
    e = env(
      [
        pod("key-env", {}, { env: [{ name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "partial", key: "LOG_LEVEL" } } }] }),
        pod("key-vol", configVolume("partial", { items: [{ key: "LOG_LEVEL", path: "level" }] }).spec, configVolume().container),
        pod("secret-key", {}, { env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "db", key: "token" } } }] }),
        pod("secret-vol", { volumes: [{ name: "creds", secret: { secretName: "db", items: [{ key: "token", path: "t" }] } }] }, { volumeMounts: [{ name: "creds", mountPath: "/creds" }] }),
      ],
      [configMap("partial", { OTHER: "x" }), secret("db", { password: "x" })],
    );
    e.at(35_000);
    const cm = e.cluster.cp.api.get<ConfigMap>("ConfigMap", "default", "partial")!;
    const r = e.cluster.cp.api.update<ConfigMap>({ ...cm, data: { OTHER: "x", LOG_LEVEL: "info" } });
    if (!r.ok) throw new Error(r.message);
    e.at(70_000);
  });

  it("name the key and the object", () => {
    expect(e.events("key-env", ["Failed"])).toEqual(at([0, 10_000, 20_000, 30_000], "Warning", "Failed", "Error: couldn't find key LOG_LEVEL in ConfigMap default/partial"));
    expect(e.events("secret-key", ["Failed"])[0]).toEqual([0, "Warning", "Failed", "Error: couldn't find key token in Secret default/db"]);
    expect(e.events("key-vol", ["FailedMount"])[0]).toEqual([0, "Warning", "FailedMount", 'MountVolume.SetUp failed for volume "config" : configmap references non-existent config key: LOG_LEVEL']);
    expect(e.events("secret-vol", ["FailedMount"])[0]).toEqual([0, "Warning", "FailedMount", 'MountVolume.SetUp failed for volume "creds" : references non-existent secret key: token']);
  });

  it("start once the key exists, at the next retry", () => {
    expect(e.events("key-env", ["Created"]).map(([t]) => t)).toEqual([40_000]);
    expect(e.events("key-vol", ["Created"]).map(([t]) => t)).toEqual([63_600]);
    // The Secret never got its key: both still wait.
    expect(e.status("secret-key").state.waiting?.reason).toBe("CreateContainerConfigError");
    expect(e.status("secret-vol").state.waiting?.reason).toBe("ContainerCreating");
    expect(e.waiting()).toBe(2);
  });
});

describe("init containers", () => {
  // The init container `setup` reads app-config; it runs 2s and exits 0. ConfigMap at 25s: its syncs at 0, 10, 20
  // fail, the one at 30s creates it (Started 31s); it exits at 33s and the app container starts at once (Created 33s).
  let e: Env;
  let setup: ContainerStatus;
  let app: ContainerStatus;
  let initialized: string | undefined;
  beforeAll(() => {
    e = env([pod("init-env", { initContainers: [{ name: "setup", image: IMAGE, ...levelFromConfig }] }, {}, { "behavior.k8sim.dev/setup.runFor": "2s" })]);
    e.at(15_000);
    setup = e.status("init-env", "setup");
    app = e.status("init-env", "c");
    initialized = getCondition(e.get("init-env").status.conditions, "Initialized")?.status;
    e.at(25_000);
    e.create(configMap("app-config", { LOG_LEVEL: "debug" }));
    e.at(40_000);
  });

  it("block on their env like app containers, the app containers PodInitializing", () => {
    expect(setup.state).toEqual({ waiting: { reason: "CreateContainerConfigError", message: NOT_FOUND } });
    expect(app.state).toEqual({ waiting: { reason: "PodInitializing" } });
    expect(initialized).toBe("False");
    expect(e.events("init-env", ["Failed"]).map(([t]) => t)).toEqual([0, 10_000, 20_000]);
    expect(e.events("init-env", ["Created"]).map(([t, , , m]) => [t, m])).toEqual([
      [30_000, "Created container: setup"],
      [33_000, "Created container: c"],
    ]);
  });
});

describe("a pod deleted while it waits for a volume", () => {
  // Deleted at 5s: nothing was created, so nothing is killed; the deletion is confirmed at once and the mount
  // retries stop (the last one was at 3.5s; the next would have been 7.5s).
  let e: Env;
  let before: number;
  beforeAll(() => {
    e = env([pod("gone", configVolume().spec, configVolume().container)]);
    e.at(5_000);
    before = e.waiting();
    const r = e.cluster.cp.api.delete("Pod", "default", "gone");
    if (!r.ok) throw new Error(r.message);
    e.at(60_000);
  });

  it("is confirmed without Killing, and no longer counted or retried", () => {
    expect(before).toBe(1);
    expect(e.cluster.cp.api.get("Pod", "default", "gone")).toBeUndefined();
    expect(e.events("gone", ["Killing"])).toEqual([]);
    expect(e.events("gone", ["FailedMount"]).map(([t]) => t)).toEqual([0, 500, 1_500, 3_500]);
    expect(e.waiting()).toBe(0);
  });
});

describe("Secret values", () => {
  const VALUE = "s3cr3t-Walrus-4471";
  // Every way a pod can read the Secret, and a pod that fails on another key of it (its message names the key).
  let e: Env;
  beforeAll(() => {
    e = env(
      [
        pod("reader", { volumes: [{ name: "creds", secret: { secretName: "db" } }] }, {
          env: [{ name: "PW", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }],
          envFrom: [{ secretRef: { name: "db" }, prefix: "DB_" }],
          volumeMounts: [{ name: "creds", mountPath: "/creds" }],
        }),
        pod("fails", {}, { env: [{ name: "T", valueFrom: { secretKeyRef: { name: "db", key: "token" } } }] }),
      ],
      [secret("db", { password: VALUE })],
    );
    e.at(30_000);
  });

  it("appear in no event and no pod status the kubelet writes", () => {
    expect(e.status("reader").state.running).toBeDefined();
    const text = JSON.stringify(e.cluster.cp.events.records) + JSON.stringify([...e.writes.values()]);
    expect(text).toContain("couldn't find key token in Secret default/db");
    expect(text).not.toContain(VALUE);
    expect(text).not.toContain(b64(VALUE));
  });

  it("appear in no file of a run (scenarios/config-missing.yaml), which meets its expectations", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "k8sim-config-")), "report");
    const r = await cli("run", "scenarios/config-missing.yaml", "--out", out);
    expect(r.code, r.err + r.out).toBe(0);
    const plain = "zebra-Quokka-8812-never-print-me";
    const files = readdirSync(out);
    expect(files).toContain("events.jsonl");
    for (const f of files) {
      const text = readFileSync(join(out, f), "utf8");
      expect(text, f).not.toContain(plain);
      expect(text, f).not.toContain(b64(plain));
    }
    expect(r.out).not.toContain(plain);
    const events = readFileSync(join(out, "events.jsonl"), "utf8");
    expect(events).toContain(`"reason":"FailedMount","message":"MountVolume.SetUp failed for volume \\"config\\" : configmap \\"app-config\\" not found"`);
    expect(events).toContain(`"reason":"Failed","message":"Error: configmap \\"app-config\\" not found"`);
  });
});

describe("invariants", () => {
  it("hold after every event of every cluster above (container-status, pod-lifecycle, ...)", () => {
    expect(monitors.length).toBeGreaterThan(5);
    expect(monitors[0]!.checking).toContain("container-status");
    expect(monitors.flatMap((m) => m.violations)).toEqual([]);
  });
});

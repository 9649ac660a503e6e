/**
 * imageRegistryOutage (timeline action and spec.faults process): containerd's error text for a registry answering
 * 503, the image patterns, the registry's windows, and the bundled scenarios/registry-outage.yaml read as a user
 * reads it (the pulls' times and messages, the stalled rollout, the unaffected Docker Hub image). Back-off
 * arithmetic from upstream's defaults: the image back-off starts at 10s and doubles (pkg/kubelet/images,
 * backOffPeriod 10s, MaxContainerBackOff 300s); a failed pod sync is retried every 10s (pod_workers.go).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Deployment, Pod } from "../src/api/types.js";
import { dockerReference, imagePattern, ImageRegistry, unavailableError } from "../src/kubelet/runtime/image-registry.js";
import { stream } from "../src/engine/rng.js";
import { simulate } from "../src/run.js";
import { loadScenario } from "../src/scenario/load.js";
import { load, removeScenarios, run, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

describe("unavailableError: containerd's error for a 503 on the manifest HEAD request", () => {
  it.each([
    ["nginx:1.27", "docker.io/library/nginx:1.27", "https://registry-1.docker.io/v2/library/nginx/manifests/1.27"],
    ["bitnami/redis", "docker.io/bitnami/redis:latest", "https://registry-1.docker.io/v2/bitnami/redis/manifests/latest"],
    ["registry.example.com:5000/team/api:2.2", "registry.example.com:5000/team/api:2.2", "https://registry.example.com:5000/v2/team/api/manifests/2.2"],
    ["ghcr.io/o/app@sha256:abc", "ghcr.io/o/app@sha256:abc", "https://ghcr.io/v2/o/app/manifests/sha256:abc"],
  ])("%s", (image, ref, url) => {
    expect(dockerReference(image)).toBe(ref);
    expect(unavailableError(image)).toBe(
      `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": unexpected status from HEAD request to ${url}: 503 Service Unavailable`,
    );
  });
});

describe("imagePattern", () => {
  it.each([
    ["registry.example.com/*", "registry.example.com/team/api:2.2", true],
    ["registry.example.com/*", "nginx:1.27", false],
    ["docker.io/*", "nginx:1.27", true],
    ["nginx:*", "nginx:1.27", true],
    ["nginx:*", "nginx-exporter:1", false],
    ["app:1.?", "app:1.2", true],
    ["app:1.?", "app:1.22", false],
    ["a.b/*", "aXb/c:1", false],
  ])("%s against %s: %s", (pattern, image, want) => {
    expect(imagePattern(pattern)(image)).toBe(want);
  });
});

describe("ImageRegistry outages", () => {
  const rng = stream(1, "test/registry");
  it("fails pulls of matching images inside a window, at once; windows compose; others pull as before", () => {
    const r = new ImageRegistry([], 100 * 2 ** 20, 50 * 2 ** 20);
    r.startOutage("app:*", 60_000);
    r.startOutage("app:1", 90_000);
    expect(r.pull("app:1", rng, 10_000)).toEqual({ durationMs: 0, sizeBytes: 0, error: unavailableError("app:1") });
    // 100Mi over 50Mi/s: 2s.
    expect(r.pull("web:1", rng, 10_000)).toEqual({ durationMs: 2_000, sizeBytes: 100 * 2 ** 20, error: undefined });
    expect(r.reachable("app:2", 59_999)).toBe(false);
    expect(r.reachable("app:2", 60_000)).toBe(true);
    expect(r.reachable("app:1", 89_999)).toBe(false);
    expect(r.pull("app:1", rng, 90_000).error).toBeUndefined();
  });
});

/** The pulls of one run: per pod, the virtual seconds of its Pulling events and of its failures. */
function pullTrace(file: string) {
  const pulling = new Map<string, number[]>();
  const failed = new Map<string, string[]>();
  const deployments = new Map<string, Deployment>();
  const out = run(load(file), undefined, (c) => {
    for (const e of c.cp.events.records) {
      const name = e.involvedObject.name;
      if (e.reason === "Pulling") pulling.set(name, [...(pulling.get(name) ?? []), e.simTime / 1000]);
      if (e.reason === "Failed" && e.message.startsWith("Failed to pull")) failed.set(name, [...(failed.get(name) ?? []), e.message]);
    }
    for (const d of c.cp.api.list<Deployment>("Deployment")) deployments.set(d.metadata.name, d);
  });
  return { out, pulling, failed, deployments };
}

describe("scenarios/registry-outage.yaml", () => {
  const t = pullTrace(`${SCENARIOS}/registry-outage.yaml`);
  const newPods = [...t.pulling.keys()].filter((n) => t.failed.has(n));

  it("records the window in faults.csv: the outage at 2m and its end at 8m, target images/<glob>", () => {
    expect(t.out.faultsRows.map((r) => [r[1], r[3], r[4], r[5]])).toEqual([
      [120, "imageRegistryOutage", "images/registry.example.com/*", "until 8m"],
      [480, "imageRegistryOutageEnded", "images/registry.example.com/*", ""],
    ]);
  });

  it("fails the new pods' pulls at 3m, 3m10s, 3m30s, 4m10s and 5m30s, and pulls at 8m10s, after the end", () => {
    // Failure at 180 -> back-off 10s: the 10s pod sync at 190 pulls, fails -> 20s: 210 -> 40s: 250 -> 80s: 330 ->
    // 160s: 490, after the 8m (480s) end, so that pull succeeds.
    expect(newPods).toHaveLength(2);
    for (const p of newPods) {
      expect(t.pulling.get(p), p).toEqual([180, 190, 210, 250, 330, 490]);
      expect(t.failed.get(p)).toHaveLength(5);
      expect(t.failed.get(p)![0]).toBe(
        'Failed to pull image "registry.example.com/team/api:2.2": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/team/api:2.2": failed to resolve reference "registry.example.com/team/api:2.2": unexpected status from HEAD request to https://registry.example.com/v2/team/api/manifests/2.2: 503 Service Unavailable',
      );
    }
  });

  it("never fails a pull of nginx:1.27 (Docker Hub): web scales up during the outage", () => {
    for (const [pod, msgs] of t.failed) expect(msgs.some((m) => m.includes("nginx")), pod).toBe(false);
    expect(t.deployments.get("web")!.status?.availableReplicas).toBe(3);
  });

  it("keeps its expectations: 3 old pods serve during the stalled rollout, all 4 updated at the end", () => {
    expect(t.out.passed).toBe(true);
    expect(t.deployments.get("api")!.status).toMatchObject({ updatedReplicas: 4, availableReplicas: 4 });
  });
});

/** A one-pool scenario running `image` with `policy`, an outage of `pattern` from 1m for 2m, and `extra` lines. */
function scenario(image: string, policy: string, timeline: readonly string[], faults: readonly string[] = []): string {
  return [
    "apiVersion: k8sim.dev/v1alpha1",
    "kind: Scenario",
    "metadata: {name: ro}",
    "spec:",
    "  duration: 10m",
    `  images: [{image: "${image}", size: 10Mi}]`,
    "  cluster:",
    "    nodePools:",
    `      - {name: w, count: 1, capacity: {cpu: "4", memory: 8Gi, pods: 110}, preloadedImages: ["${image}"]}`,
    "  workloads:",
    `    - manifest: {apiVersion: v1, kind: Pod, metadata: {name: p, labels: {app: p}}, spec: {restartPolicy: Always, containers: [{name: c, image: "${image}", imagePullPolicy: ${policy}}]}}`,
    "  timeline:",
    ...timeline.map((x) => `    - ${x}`),
    ...(faults.length ? ["  faults:", ...faults.map((f) => `    - ${f}`)] : []),
    "",
  ].join("\n");
}

describe("present images and pull policies", () => {
  const restartsIn = (policy: string) => {
    let pod: Pod | undefined;
    // The container crashes at 90s, inside the outage (1m..3m): its restart needs the image again.
    const yaml = scenario("app:1", policy, ["{at: 1m, action: imageRegistryOutage, images: \"app:*\", duration: 2m}", "{at: 90s, action: containerCrash, target: pod/p, exitCode: 1}"]);
    const out = run(load(writeScenario(yaml)), undefined, (c) => {
      pod = c.cp.api.get<Pod>("Pod", "default", "p");
    });
    return { out, pod };
  };

  it("IfNotPresent: a present image restarts without the registry", () => {
    const { pod } = restartsIn("IfNotPresent");
    expect(pod!.status.containerStatuses![0]!.restartCount).toBe(1);
  });

  it("Always: the restart's pull fails while the registry is out (containerd resolves the tag first), then succeeds", () => {
    const { out, pod } = restartsIn("Always");
    const failures = out.events.filter((e) => e.reason === "Failed" && e.message.startsWith("Failed to pull"));
    expect(failures.length).toBeGreaterThan(0);
    for (const e of failures) expect(e.simTime).toBeLessThan(180_000);
    expect(pod!.status.containerStatuses![0]!.state?.running).toBeDefined();
  });
});

describe("the spec.faults process", () => {
  it("injects outages at its rate, each ending after its duration, from its own stream", () => {
    const yaml = (faults: string[]) => scenario("app:1", "Always", ["{at: 1s, action: cordon, node: w-1}"], faults);
    const one = simulate(load(writeScenario(yaml(["{name: reg, type: imageRegistryOutage, images: \"app:*\", ratePerHour: 30, duration: 1m}"])))).faultsRows;
    const starts = one.filter((r) => r[3] === "imageRegistryOutage");
    const ends = one.filter((r) => r[3] === "imageRegistryOutageEnded");
    // 30 per hour over 10 minutes: 5 expected; the seeded stream gives a fixed count.
    expect(starts.length).toBeGreaterThan(0);
    expect(ends.map((r) => r[1])).toEqual(starts.map((r) => (r[1] as number) + 60).filter((s) => s <= 600));
    for (const r of starts) expect([r[2], r[4]]).toEqual(["reg", "images/app:*"]);
    // A second process does not change the first one's draws.
    const two = simulate(load(writeScenario(yaml(["{name: reg, type: imageRegistryOutage, images: \"app:*\", ratePerHour: 30, duration: 1m}", "{name: other, type: imageRegistryOutage, images: \"x:*\", ratePerHour: 60, duration: 10s}"])))).faultsRows;
    expect(two.filter((r) => r[2] === "reg")).toEqual(one.filter((r) => r[2] === "reg"));
  });

  it("warns when the pattern matches no image the scenario's pods run", () => {
    const r = loadScenario(writeScenario(scenario("app:1", "Always", ["{at: 1m, action: imageRegistryOutage, images: \"nginx:*\", duration: 1m}"])));
    expect(r.ok).toBe(true);
    expect(r.ok ? r.warnings.join("\n") : "").toMatch(/images "nginx:\*" matches no image the scenario's pods run \(app:1\); the outage may fail no pull/);
  });
});

import { deploymentScenario } from "./fixtures/manifests.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deployment, Pod, ReplicaSet } from "../src/api/types.js";
import { CONTROLLERS, isControllerEnabled } from "../src/controllers/manager.js";
import type { RunOutcome } from "../src/run.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

/** The controllers that run under `--controllers` = `spec`, by upstream name. */
const enabled = (spec: string[]) => CONTROLLERS.filter((d) => isControllerEnabled(d, spec)).map((d) => d.name);
const ALL = CONTROLLERS.map((d) => d.name);

describe("the controller table", () => {
  it("names each controller as cmd/kube-controller-manager/names (1.28+), with the older alias --controllers accepts", () => {
    expect(CONTROLLERS.map((d) => [d.name, d.alias, d.enabledByDefault])).toEqual([
      ["serviceaccount-token-controller", "serviceaccount-token", true],
      ["node-lifecycle-controller", "nodelifecycle", true],
      ["taint-eviction-controller", "taint-eviction-controller", true],
      ["replicaset-controller", "replicaset", true],
      ["deployment-controller", "deployment", true],
      ["job-controller", "job", true],
      ["cronjob-controller", "cronjob", true],
      ["ttl-after-finished-controller", "ttl-after-finished", true],
      ["endpoints-controller", "endpoint", true],
      ["endpointslice-controller", "endpointslice", true],
      ["endpointslice-mirroring-controller", "endpointslicemirroring", true],
      ["pod-garbage-collector-controller", "podgc", true],
      ["garbage-collector-controller", "garbagecollector", true],
      ["namespace-controller", "namespace", true],
      ["node-ipam-controller", "nodeipam", true],
      ["resourcequota-controller", "resourcequota", true],
      ["serviceaccount-controller", "serviceaccount", true],
      ["root-ca-certificate-publisher-controller", "root-ca-cert-publisher", true],
      // NOTE: upstream runs the service (load balancer) controller in the cloud-controller-manager.
      ["service-lb-controller", "service", true],
    ]);
  });
});

describe("isControllerEnabled (cmd/kube-controller-manager/app/controllermanager.go)", () => {
  it.each([
    // "*": every controller on by default.
    [["*"], ALL],
    // "-name" after "*" disables that one.
    [["*", "-replicaset-controller"], ALL.filter((n) => n !== "replicaset-controller")],
    // A bare name enables only that controller (no "*": nothing else is on); the pre-1.28 alias counts.
    [["replicaset"], ["replicaset-controller"]],
    [["replicaset-controller", "deployment"], ["replicaset-controller", "deployment-controller"]],
    // The first explicit mention wins, wherever "*" is: "-podgc" before "*" still disables it.
    [["-podgc", "*"], ALL.filter((n) => n !== "pod-garbage-collector-controller")],
    [["replicaset", "-replicaset"], ["replicaset-controller"]],
    // Nothing named, no "*": nothing runs.
    [[], []],
  ])("%o", (spec, expected) => {
    expect(enabled(spec)).toEqual(expected);
  });
});

describe('a scenario with controllers: ["*", "-replicaset-controller"]', () => {
  const SCENARIO = deploymentScenario({ name: "no-rs", duration: "2m", nodes: 2, settings: '{controllers: ["*", "-replicaset-controller"]}', replicas: 3 });
  let outcome: RunOutcome;
  let controllers: string[] = [];
  let replicaSets: ReplicaSet[] = [];
  let pods: Pod[] = [];
  let deploy: Deployment | undefined;

  beforeAll(() => {
    outcome = run(
      load(writeScenario(SCENARIO)),
      (c) => (controllers = [...c.controllers.keys()]),
      (c) => {
        replicaSets = [...c.cp.api.list<ReplicaSet>("ReplicaSet")];
        pods = [...c.cp.api.list<Pod>("Pod")];
        deploy = c.cp.api.get<Deployment>("Deployment", "default", "web");
      },
    );
  }, 60_000);

  it("runs every other controller", () => {
    expect(controllers).toEqual(ALL.filter((n) => n !== "replicaset-controller"));
  });

  it("the deployment controller creates the ReplicaSet with 3 replicas, but no pod is ever created", () => {
    expect(replicaSets.map((rs) => [rs.metadata.name.startsWith("web-"), rs.spec.replicas])).toEqual([[true, 3]]);
    expect(pods).toEqual([]);
    expect(outcome.summary.totals.podsCreated).toBe(0);
    expect(deploy?.status?.availableReplicas ?? 0).toBe(0);
    expect(outcome.events.filter((e) => e.reason === "SuccessfulCreate" && e.involvedObject.kind === "ReplicaSet")).toEqual([]);
  });
});

import { it } from "vitest";
import { readFileSync } from "node:fs";
import { load, run, writeScenario, SCENARIOS } from "./helpers/scenario-tmp.js";
import type { Node, Pod } from "../src/api/types.js";
const twoZone = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: zones}
spec:
  duration: 15m
  cluster:
    nodePools:
      - {name: worker, count: 3, capacity: {cpu: "4", memory: 16Gi}, labels: {topology.kubernetes.io/zone: zone-a}}
      - {name: spare, count: 1, capacity: {cpu: "4", memory: 16Gi}, labels: {topology.kubernetes.io/zone: zone-b}}
  workloads:
    - file: manifests/nginx.yaml
  timeline:
    - {at: 5m, action: nodeFailure, node: worker-1}
    - {at: 5m, action: nodeFailure, node: worker-2}
    - {at: 5m, action: nodeFailure, node: worker-3}
`;
for (const which of ["all", "twozone"]) it("probe " + which, () => {
  const base = readFileSync(`${SCENARIOS}/node-failure.yaml`, "utf8").replace("- {at: 5m, action: nodeFailure, node: worker-1}", `- {at: 5m, action: nodeFailure, node: worker-1}\n    - {at: 5m, action: nodeFailure, node: worker-2}\n    - {at: 5m, action: nodeFailure, node: worker-3}`);
  const o = run(load(writeScenario(which === "all" ? base : twoZone)), (c) => {
    c.cp.store.watch("Node", (t, ob, old) => { const n = ob as Node; if (JSON.stringify(n.spec.taints) !== JSON.stringify((old as Node|undefined)?.spec.taints)) console.log(c.sim.now, n.metadata.name, "taints", JSON.stringify(n.spec.taints?.map(t=>t.key+":"+t.effect))); });
    c.cp.store.watch("Lease", (t, ob) => { if (c.sim.now > 290000 && c.sim.now < 300000) console.log(c.sim.now, "lease", ob.metadata.name); });
  }, (c) => console.log("zones", JSON.stringify([...c.nodeLifecycle.zones])));
  for (const e of o.events) if (!["Pulled","Created","Started","SuccessfulCreate", "Scheduled"].includes(e.reason) && e.simTime > 0) console.log(e.simTime, e.reason, e.involvedObject.name, e.message);
  console.log(JSON.stringify(o.summary.availability), JSON.stringify(o.summary.expectations.map(e=>[e.expect,e.actual])));
});

/**
 * LimitRanger (src/api/admission/limit-ranger.ts; upstream plugin/pkg/admission/limitranger/admission.go v1.32): the
 * defaults a pod gets from its namespace's LimitRange and the annotation recording them, and the refusals of
 * min / max / maxLimitRequestRatio per Container and per Pod, with upstream's texts (no final period; two spaces
 * before "No request is specified"), through the API server as a user creates pods.
 */
import { describe, expect, it } from "vitest";
import { aggregateMessage, applyLimitRangeDefaults, LIMIT_RANGER_ANNOTATION } from "../src/api/admission/limit-ranger.js";
import { ControlPlane } from "../src/api/control-plane.js";
import type { LimitRange, LimitRangeItem } from "../src/api/quota/types.js";
import type { Container, Pod } from "../src/api/types.js";
import { Simulation } from "../src/engine/simulation.js";
import { resolveSettings } from "../src/settings.js";

let ns = 0;
/** A namespace holding one LimitRange with `limits`; `create` makes pods in it. */
function namespaceWith(...limits: LimitRangeItem[]) {
  const cp = new ControlPlane(new Simulation(3), resolveSettings({ disableAdmissionPlugins: ["ServiceAccount"] }), Date.UTC(2026, 0, 1));
  const name = `team-${++ns}`;
  cp.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  const lr = cp.api.create<LimitRange>({ apiVersion: "v1", kind: "LimitRange", metadata: { name: "limits", namespace: name }, spec: { limits } });
  if (!lr.ok) throw new Error(lr.message);
  return {
    create(containers: Partial<Container>[], init: Partial<Container>[] = []) {
      const pod = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p", namespace: name },
        spec: { containers: containers.map((c, i) => ({ name: `c${i}`, image: "nginx", ...c })), ...(init.length ? { initContainers: init.map((c, i) => ({ name: `init${i}`, image: "busybox", ...c })) } : {}) },
        status: {},
      } as Pod;
      const r = cp.api.create(pod);
      return r.ok ? r.object : r.message;
    },
  };
}

describe("defaults", () => {
  const team = namespaceWith({ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "100m" } });
  // defaultRequest memory comes from default (SetDefaults_LimitRangeItem), so both are defaulted.
  const pod = team.create([{}], [{ resources: { requests: { cpu: "50m" } } }]) as Pod;

  it("gives a container without resources the default requests and limits", () => {
    expect(pod.spec.containers[0]!.resources).toEqual({ requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
    expect(pod.spec.initContainers![0]!.resources).toEqual({ requests: { cpu: "50m", memory: "512Mi" }, limits: { cpu: "500m", memory: "512Mi" } });
  });

  it("records what it set in kubernetes.io/limit-ranger, containers then init containers, requests before limits", () => {
    expect(pod.metadata.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe(
      "LimitRanger plugin set: cpu, memory request for container c0; cpu, memory limit for container c0; memory request for init container init0; cpu, memory limit for init container init0",
    );
  });

  it("leaves a pod that states everything untouched (no annotation)", () => {
    const full: Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "x" }, spec: { containers: [{ name: "a", image: "i", resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } }] }, status: {} } as Pod;
    const lr = { apiVersion: "v1", kind: "LimitRange", metadata: { name: "l" }, spec: { limits: [{ type: "Container", default: { cpu: "2" }, defaultRequest: { cpu: "1" } }] } } as LimitRange;
    expect(applyLimitRangeDefaults(full, lr)).toBe(full);
  });
});

describe("refusals", () => {
  it.each([
    ["a request below the Container min", [{ type: "Container", min: { cpu: "100m" } }], [{ resources: { requests: { cpu: "50m" }, limits: { cpu: "50m" } } }], 'pods "p" is forbidden: minimum cpu usage per Container is 100m, but request is 50m'],
    // The max becomes the default limit, so a container without a limit gets 1 and passes; one asking 2 is refused.
    ["a limit above the Container max", [{ type: "Container", max: { cpu: "1" } }], [{ resources: { limits: { cpu: "2" } } }], 'pods "p" is forbidden: maximum cpu usage per Container is 1, but limit is 2'],
    ["no limit under a Pod max (Pod items set no defaults)", [{ type: "Pod", max: { cpu: "1" } }], [{}], 'pods "p" is forbidden: maximum cpu usage per Pod is 1.  No limit is specified'],
    ["no request under a Pod min", [{ type: "Pod", min: { memory: "64Mi" } }], [{}], 'pods "p" is forbidden: minimum memory usage per Pod is 64Mi.  No request is specified'],
    // 768Mi + 768Mi = 1536Mi (printed as the largest binary suffix that divides it).
    ["a pod total above the Pod max", [{ type: "Pod", max: { memory: "1Gi" } }], [{ resources: { limits: { memory: "768Mi" } } }, { resources: { limits: { memory: "768Mi" } } }], 'pods "p" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1536Mi'],
    // 500m / 100m = 5, printed with %f.
    ["a ratio above maxLimitRequestRatio", [{ type: "Container", maxLimitRequestRatio: { cpu: "2" } }], [{ resources: { requests: { cpu: "100m" }, limits: { cpu: "500m" } } }], 'pods "p" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 5.000000'],
    [
      "two violations at once, aggregated",
      [{ type: "Container", min: { cpu: "100m", memory: "64Mi" } }],
      [{ resources: { requests: { cpu: "50m", memory: "32Mi" } } }],
      'pods "p" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, minimum memory usage per Container is 64Mi, but request is 32Mi]',
    ],
  ] as const)("refuses %s", (_, limits, containers, msg) => {
    expect(namespaceWith(...(limits as unknown as LimitRangeItem[])).create(containers as unknown as Partial<Container>[])).toBe(msg);
  });

  it("admits a pod within every bound", () => {
    const r = namespaceWith({ type: "Container", min: { cpu: "100m" }, max: { cpu: "1" }, maxLimitRequestRatio: { cpu: "4" } }).create([{ resources: { requests: { cpu: "250m" }, limits: { cpu: "1" } } }]);
    expect(typeof r === "string" ? r : "admitted").toBe("admitted");
  });

  it("prints one error as is and repeats once (utilerrors.NewAggregate)", () => {
    expect(aggregateMessage(["a"])).toBe("a");
    expect(aggregateMessage(["a", "b", "a"])).toBe("[a, b]");
  });
});

/**
 * The Services benchmark of issue 9: N nodes, P pods in D Deployments (P / D replicas each), each Deployment behind
 * its own ClusterIP Service (with `services` false, the same run without them), for H simulated hours, with a
 * rolling update (a new image) of a tenth of the Deployments at the half hour. Upstream client limits. Built as a
 * Scenario object, so YAML loading is not timed. Besides wall time it reports how many EndpointSlice and Endpoints
 * writes each pod change cost (a pod change: any pod write the store commits).
 */
import { DEFAULT_LIMITS } from "../scenario/limits.js";
import { simulate } from "../run.js";
import { benchScenarioBase } from "./cluster.js";
import type { LoadedManifest, Scenario, TimelineAction } from "../scenario/types.js";

const SOURCE = { file: "bench", line: 1, col: 1 };

function deployment(i: number, replicas: number, image: string): LoadedManifest["object"] {
  const name = `app-${i}`;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "c", image, ports: [{ name: "http", containerPort: 8080 }], resources: { requests: { cpu: "100m", memory: "128Mi" } } }] },
      },
    },
  };
}

/** The benchmark scenario (see the file's comment). */
export function servicesScenario(nodes: number, pods: number, deployments: number, hours: number, services: boolean): Scenario {
  const replicas = Math.floor(pods / deployments);
  const workloads: LoadedManifest[] = [];
  for (let i = 0; i < deployments; i++) {
    workloads.push({ source: SOURCE, object: deployment(i, replicas, "registry.example.com/app:1") });
    if (services) {
      workloads.push({
        source: SOURCE,
        object: {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: `app-${i}`, namespace: "default" },
          spec: { selector: { app: `app-${i}` }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
        },
      });
    }
  }
  // A tenth of the Deployments roll out a new image at the half hour.
  const timeline: TimelineAction[] = [
    { at: 1_800_000, action: "apply", manifests: Array.from({ length: Math.ceil(deployments / 10) }, (_, k) => ({ source: SOURCE, object: deployment(k * 10, replicas, "registry.example.com/app:2") })), source: SOURCE },
  ];
  return {
    ...benchScenarioBase(services ? "bench-services" : "bench-no-services", nodes, hours * 3_600_000),
    settings: {},
    workloads,
    timeline,
    metricsInterval: 10_000,
    limits: { ...DEFAULT_LIMITS, objects: Math.max(DEFAULT_LIMITS.objects, 2 * deployments + 10) },
    behaviors: [],
  };
}

/** Runs the Services benchmark; wall seconds, events, writes per pod change, peak RSS. */
export function servicesBench(nodes: number, pods: number, deployments: number, hours: number, services: boolean) {
  const sc = servicesScenario(nodes, pods, deployments, hours, services);
  const writes = { pod: 0, slice: 0, endpoints: 0 };
  const t0 = process.hrtime.bigint();
  const out = simulate(sc, {
    observe: (cluster) => {
      cluster.cp.store.watch("Pod", () => void writes.pod++);
      cluster.cp.store.watch("EndpointSlice", () => void writes.slice++);
      cluster.cp.store.watch("Endpoints", () => void writes.endpoints++);
    },
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const ratio = (n: number) => (writes.pod === 0 ? 0 : Math.round((n / writes.pod) * 1000) / 1000);
  return {
    nodes,
    pods,
    deployments,
    services: services ? deployments : 0,
    simulated: `${hours}h`,
    seconds: Math.round(seconds * 100) / 100,
    events: out.summary.events,
    podWrites: writes.pod,
    endpointSliceWrites: writes.slice,
    endpointsWrites: writes.endpoints,
    sliceWritesPerPodChange: ratio(writes.slice),
    endpointsWritesPerPodChange: ratio(writes.endpoints),
    peakRssMiB: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
  };
}

/**
 * The endpoints invariants (pkg/controller/endpoint, pkg/controller/endpointslice, pkg/controller/
 * endpointslicemirroring): a Service's published endpoints follow its pods. After each change the controllers
 * publish, within a bound, exactly the selected pods: ready ones as ready (Endpoints `addresses`, slices'
 * `ready: true`), the others as not ready; user-managed Endpoints are mirrored into slices address for address.
 *
 * "Within a bound": the controllers see a change through their informers, wait their batch period, and write
 * through a rate-limited client, so the published objects lag the pods by design. A Service whose published set
 * differs from the expected one is remembered with the time it started to differ; it is a violation if it still
 * differs after `lagBound` (a minute plus the informer latency, batch periods and the time the controller's client
 * needs to write once for every Service at its QPS). At a quiescent end every Service must match exactly.
 */
import type { Endpoints, EndpointSlice, Service } from "../api/service/types.js";
import type { KubeObject, Pod } from "../api/types.js";
import type { Cluster } from "../cluster.js";
import { expectedAddresses, expectedSliceAddresses, publishedAddresses, publishedSliceAddresses, type ExpectedAddresses } from "../controllers/endpoint/expected-addresses.js";
import { ENDPOINTSLICE_MANAGER, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from "../controllers/endpointslice/reconciler.js";
import { MIRRORING_MANAGER, SKIP_MIRROR_LABEL } from "../controllers/endpointslice-mirroring/reconciler.js";
import type { Settings } from "../settings.js";
import { NONE, type InvariantCheck, type InvariantInfo, type InvariantRegistration, type Violation } from "./types.js";

/** The endpoints-match invariant (the Endpoints objects). */
export const ENDPOINTS_MATCH: InvariantInfo = {
  name: "endpoints-match",
  statement:
    "after each change, within the controller's lag bound, a selector Service's Endpoints lists exactly its selected ready pods' IPs in addresses and the other pods that belong in endpoints in notReadyAddresses (1000 at most, truncated as upstream)",
  when: "every-event",
};

/** The endpointslices-match invariant. */
export const ENDPOINTSLICES_MATCH: InvariantInfo = {
  name: "endpointslices-match",
  statement:
    "after each change, within the controller's lag bound, a selector Service's EndpointSlices hold exactly its selected pods' IPs, ready: true for the ready ones, and no slice holds more than maxEndpointsPerSlice endpoints",
  when: "every-event",
};

/** The endpointslice-mirroring invariant. */
export const ENDPOINTSLICE_MIRRORING: InvariantInfo = {
  name: "endpointslice-mirroring",
  statement:
    "after each change, within the controller's lag bound, the mirrored slices of a Service without a selector hold exactly the addresses of its user-managed Endpoints (unless labelled skip-mirror), ready as listed",
  when: "every-event",
};

/** Which publication one check compares. */
type Mode = "endpoints" | "slices" | "mirror";

/** How long a published set may differ from the expected one before that is a violation (ms). */
export function lagBound(s: Settings, services: number): number {
  const perService = s.controllerManagerQPS > 0 ? Math.ceil((1000 * services) / s.controllerManagerQPS) : 0;
  return 60_000 + 4 * s.informerLatency + s.endpointUpdatesBatchPeriod + s.endpointSliceUpdatesBatchPeriod + 2 * s.apiRequestLatency + perService;
}

/** Whether two address sets are equal; when not, a description of the difference. Pure. */
export function addressDifference(want: ExpectedAddresses, got: ExpectedAddresses): string | undefined {
  const parts: string[] = [];
  const diff = (label: string, a: Set<string>, b: Set<string>) => {
    const missing = [...a].filter((x) => !b.has(x));
    if (missing.length) parts.push(`${label}: ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}`);
  };
  diff("ready missing", want.ready, got.ready);
  diff("ready extra", got.ready, want.ready);
  diff("not ready missing", want.notReady, got.notReady);
  diff("not ready extra", got.notReady, want.notReady);
  return parts.length ? parts.join("; ") : undefined;
}

/** Endpoints are truncated at 1000 addresses: only a subset is checked then (every published IP must be expected). */
const MAX_ENDPOINTS_ADDRESSES = 1000;

const svcKey = (ns: string | undefined, name: string) => `${ns ?? ""}/${name}`;

/** The live check of one mode. */
function matchCheck(cluster: Cluster, mode: Mode, info: InvariantInfo): InvariantCheck {
  const store = cluster.cp.store;
  const settings = cluster.settings;
  // Pods by namespace (the expected sets read only the Service's namespace), slices by Service.
  const podsIn = new Map<string, Map<string, Pod>>();
  const slicesOf = new Map<string, Map<string, EndpointSlice>>();
  const dirtyNs = new Set<string>();
  const dirtySvc = new Set<string>();
  /** Services whose published set differs, with the time it started to. */
  const differing = new Map<string, number>();
  const reported = new Set<string>();
  for (const p of store.list<Pod>("Pod")) track(podsIn, p.metadata.namespace ?? "", p.metadata.name, p);
  const manager = mode === "mirror" ? MIRRORING_MANAGER : ENDPOINTSLICE_MANAGER;
  const sliceService = (s: EndpointSlice) => (s.metadata.labels?.[MANAGED_BY_LABEL] === manager ? s.metadata.labels?.[SERVICE_NAME_LABEL] : undefined);

  function track<T>(m: Map<string, Map<string, T>>, outer: string, inner: string, v: T | undefined): void {
    let mm = m.get(outer);
    if (v === undefined) {
      mm?.delete(inner);
      return;
    }
    if (!mm) m.set(outer, (mm = new Map()));
    mm.set(inner, v);
  }

  /** The difference for one Service now, or undefined when it matches (or is not this mode's concern). */
  function differenceOf(svc: Service): string | undefined {
    const ns = svc.metadata.namespace ?? "";
    const pods = podsIn.get(ns)?.values() ?? [];
    const selector = svc.spec.selector !== undefined && svc.spec.type !== "ExternalName";
    if (mode === "endpoints") {
      if (!selector) return undefined;
      const ep = store.get<Endpoints>("Endpoints", svc.metadata.namespace, svc.metadata.name);
      const got = publishedAddresses(ep?.subsets);
      const want = expectedAddresses(svc, pods);
      if (want.ready.size + want.notReady.size > MAX_ENDPOINTS_ADDRESSES) {
        // Truncated: every published address must be one of the expected, and 1000 of them published.
        const extra = [...got.ready].filter((ip) => !want.ready.has(ip)).concat([...got.notReady].filter((ip) => !want.notReady.has(ip)));
        if (extra.length) return `publishes ${extra.length} address(es) no selected pod has, e.g. ${extra[0]}`;
        return got.ready.size + got.notReady.size === MAX_ENDPOINTS_ADDRESSES ? undefined : `publishes ${got.ready.size + got.notReady.size} addresses of ${want.ready.size + want.notReady.size}; expected the first 1000`;
      }
      if (ep === undefined) return want.ready.size + want.notReady.size === 0 ? "has no Endpoints object" : `has no Endpoints object; expected ${want.ready.size} ready and ${want.notReady.size} not ready`;
      return addressDifference(want, got);
    }
    const slices = [...(slicesOf.get(svcKey(svc.metadata.namespace, svc.metadata.name))?.values() ?? [])];
    const over = slices.find((s) => (s.endpoints?.length ?? 0) > (mode === "mirror" ? settings.mirroringMaxEndpointsPerSubset : settings.maxEndpointsPerSlice));
    if (over) return `EndpointSlice ${over.metadata.name} holds ${over.endpoints!.length} endpoints, above the maximum`;
    const got = publishedSliceAddresses(slices);
    if (mode === "slices") {
      if (!selector) return undefined;
      const want = expectedSliceAddresses(svc, pods, (n) => store.get("Node", undefined, n) !== undefined);
      if (svc.metadata.deletionTimestamp !== undefined) {
        // The reconciler's finalize creates no slice for a Service being deleted (reconciler.go: creates only while
        // DeletionTimestamp is nil), so endpoints that need a new slice stay missing; those published must still
        // be ones its pods give.
        const extra = [...got.ready].filter((ip) => !want.ready.has(ip) && !want.notReady.has(ip)).concat([...got.notReady].filter((ip) => !want.ready.has(ip) && !want.notReady.has(ip)));
        return extra.length ? `publishes ${extra.length} address(es) no selected pod has, e.g. ${extra[0]}` : undefined;
      }
      return addressDifference(want, got);
    }
    if (selector) return slices.length ? `a Service with a selector keeps ${slices.length} mirrored slice(s)` : undefined;
    const ep = store.get<Endpoints>("Endpoints", svc.metadata.namespace, svc.metadata.name);
    if (!ep || ep.metadata.labels?.[SKIP_MIRROR_LABEL] === "true") return slices.length && !ep ? `keeps ${slices.length} mirrored slice(s) of no Endpoints` : undefined;
    const want = publishedAddresses(ep.subsets);
    // Only the first mirroringMaxEndpointsPerSubset addresses of a subset are mirrored: beyond, compare membership.
    const limit = settings.mirroringMaxEndpointsPerSubset;
    if ((ep.subsets ?? []).some((s) => (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0) > limit)) {
      const all = new Set([...want.ready, ...want.notReady]);
      const extra = [...got.ready, ...got.notReady].filter((ip) => !all.has(ip));
      return extra.length ? `mirrors ${extra.length} address(es) its Endpoints do not list, e.g. ${extra[0]}` : undefined;
    }
    return addressDifference(want, got);
  }

  function judge(key: string, time: number, out: Violation[]): void {
    const [ns, name] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
    const svc = store.get<Service>("Service", ns === "" ? undefined : ns, name);
    const d = svc ? differenceOf(svc) : undefined;
    if (d === undefined) {
      differing.delete(key);
      reported.delete(key);
      return;
    }
    const since = differing.get(key);
    if (since === undefined) {
      differing.set(key, time);
      return;
    }
    // No controller can act in time while the API server is down or slow: the lag counts from the end of that.
    if (!reported.has(key) && time - Math.max(since, cluster.cp.disturbedUntilMs) > lagBound(settings, store.count("Service"))) {
      reported.add(key);
      out.push({ invariant: info.name, time, object: `Service/${ns}/${name}`, message: `${mode === "endpoints" ? "Endpoints" : mode === "slices" ? "EndpointSlices" : "mirrored EndpointSlices"} still differ from the pods after ${time - since}ms: ${d}` });
    }
  }

  return {
    watches: ["Pod", "Service", "Endpoints", "EndpointSlice", "Node"],
    onWrite(type, obj: KubeObject) {
      const ns = obj.metadata.namespace ?? "";
      switch (obj.kind) {
        case "Pod":
          track(podsIn, ns, obj.metadata.name, type === "DELETED" ? undefined : (obj as Pod));
          dirtyNs.add(ns);
          return;
        case "EndpointSlice": {
          const s = obj as EndpointSlice;
          const svc = sliceService(s);
          if (svc !== undefined) {
            track(slicesOf, svcKey(obj.metadata.namespace, svc), obj.metadata.name, type === "DELETED" ? undefined : s);
            dirtySvc.add(svcKey(obj.metadata.namespace, svc));
          }
          return;
        }
        case "Node":
          // A node's appearance changes which pods slices may list: every namespace is looked at again.
          if (type !== "MODIFIED") for (const n of podsIn.keys()) dirtyNs.add(n);
          return;
        default:
          dirtySvc.add(svcKey(obj.metadata.namespace, obj.metadata.name));
      }
    },
    afterEvent(time) {
      if (dirtyNs.size === 0 && dirtySvc.size === 0 && differing.size === 0) return NONE;
      const keys = new Set<string>(dirtySvc);
      for (const ns of dirtyNs) for (const s of store.list<Service>("Service")) if ((s.metadata.namespace ?? "") === ns) keys.add(svcKey(s.metadata.namespace, s.metadata.name));
      for (const k of differing.keys()) keys.add(k);
      dirtyNs.clear();
      dirtySvc.clear();
      const out: Violation[] = [];
      for (const k of keys) judge(k, time, out);
      return out.length ? out : NONE;
    },
    finish(end, quiescent) {
      if (!quiescent) return NONE;
      const out: Violation[] = [];
      for (const s of store.list<Service>("Service")) {
        const key = svcKey(s.metadata.namespace, s.metadata.name);
        if (reported.has(key)) continue;
        const d = differenceOf(s);
        if (d !== undefined) out.push({ invariant: info.name, time: end, object: `Service/${s.metadata.namespace}/${s.metadata.name}`, message: `at the quiescent end the published endpoints differ from the pods: ${d}` });
      }
      return out;
    },
  };
}

/** endpoints-match, attributed to the Endpoints kind and the endpoints controller. */
export const ENDPOINTS_MATCH_CHECK: InvariantRegistration = {
  ...ENDPOINTS_MATCH,
  owners: [{ kind: "Endpoints" }, { controller: "endpoints-controller" }],
  create: (cluster) => matchCheck(cluster, "endpoints", ENDPOINTS_MATCH),
};

/** endpointslices-match, attributed to the EndpointSlice kind and the EndpointSlice controller. */
export const ENDPOINTSLICES_MATCH_CHECK: InvariantRegistration = {
  ...ENDPOINTSLICES_MATCH,
  owners: [{ kind: "EndpointSlice" }, { controller: "endpointslice-controller" }],
  create: (cluster) => matchCheck(cluster, "slices", ENDPOINTSLICES_MATCH),
};

/** endpointslice-mirroring, attributed to the mirroring controller. */
export const ENDPOINTSLICE_MIRRORING_CHECK: InvariantRegistration = {
  ...ENDPOINTSLICE_MIRRORING,
  owners: [{ controller: "endpointslice-mirroring-controller" }],
  create: (cluster) => matchCheck(cluster, "mirror", ENDPOINTSLICE_MIRRORING),
};

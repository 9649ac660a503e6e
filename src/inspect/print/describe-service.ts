/**
 * `kubectl describe service`: describeService (staging/src/k8s.io/kubectl/pkg/describe/describe.go, v1.32) with
 * the Endpoints lines from the Service's EndpointSlices (label kubernetes.io/service-name; formatEndpointSlices:
 * up to 3 "address:port" of the ready endpoints' first addresses, then " + N more...").
 */
import type { EndpointSlice, Service } from "../../api/service/types.js";
import { formatLabels } from "./cells.js";
import type { CoreEvent } from "./correlate-events.js";
import { annotationsMultiline, describeEvents, labelsMultiline, PrefixWriter } from "./describe-writer.js";

/** formatEndpointSlices for the ports named in `ports` (every port when undefined). */
export function formatEndpointSlices(slices: readonly EndpointSlice[], ports: ReadonlySet<string> | undefined): string {
  if (slices.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const add = (text: () => string) => {
    if (list.length === max) more = true;
    if (!more) list.push(text());
    count++;
  };
  for (const s of slices) {
    // Not-ready endpoints are left out (checked against kubectl v1.32: a Service with 4 ready and 2 not-ready
    // endpoints shows 3 + 1 more); a nil ready condition counts as ready, as EndpointConditions documents.
    const eps = (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false);
    if ((s.ports ?? []).length === 0) {
      for (const e of eps) add(() => e.addresses[0]!);
    } else {
      for (const p of s.ports!) {
        if (ports !== undefined && !ports.has(p.name ?? "")) continue;
        for (const e of eps) {
          add(() => {
            const a = e.addresses[0]!;
            return a.includes(":") ? `[${a}]:${p.port}` : `${a}:${p.port}`;
          });
        }
      }
    }
  }
  const ret = list.join(",");
  return more ? `${ret} + ${count - max} more...` : ret;
}

/** describeService's text; `slices` are EndpointSlices (those labelled with this Service's name are used). */
export function describeService(svc: Service, slices: readonly EndpointSlice[], events: readonly CoreEvent[], nowMs: number): string {
  const w = new PrefixWriter();
  const m = svc.metadata;
  const spec = svc.spec;
  const mine = slices.filter((s) => (s.metadata.namespace ?? "") === (m.namespace ?? "") && s.metadata.labels?.["kubernetes.io/service-name"] === m.name);
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ""}\n`);
  labelsMultiline(w, "Labels", m.labels);
  annotationsMultiline(w, "Annotations", m.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ""}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${(spec.ipFamilies ?? []).length > 0 ? spec.ipFamilies!.join(",") : "<none>"}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ""}\n`);
  w.write(0, `IPs:\t${(spec.clusterIPs ?? []).length > 0 ? spec.clusterIPs!.join(",") : "<none>"}\n`);
  if ((spec.externalIPs ?? []).length > 0) w.write(0, `External IPs:\t${spec.externalIPs!.join(",")}\n`);
  if (spec.loadBalancerIP) w.write(0, `IP:\t${spec.loadBalancerIP}\n`);
  if (spec.loadBalancerClass) w.write(0, `LoadBalancer Class:\t${spec.loadBalancerClass}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => (i.ip ? (i.ipMode ? `${i.ip} (${i.ipMode})` : i.ip) : (i.hostname ?? ""))).join(", ")}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || "<unset>";
    const proto = p.protocol ?? "TCP";
    w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(mine, new Set([p.name ?? ""]))}\n`);
  }
  if ((spec.ports ?? []).length === 0) w.write(0, `Endpoints:\t${formatEndpointSlices(mine, undefined)}\n`);
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ""}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if ((spec.loadBalancerSourceRanges ?? []).length > 0) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges!.join(",")}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  describeEvents(w, events.filter((e) => e.involvedObject.kind === "Service" && e.involvedObject.name === m.name && e.involvedObject.namespace === m.namespace), nowMs);
  return w.done();
}

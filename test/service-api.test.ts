/**
 * The Service API (src/api/service/, src/api/registry/kinds/service.ts): SetDefaults_Service, ValidateService's
 * messages, the cluster-IP and node-port allocation of the Service REST storage (create, type transitions, delete,
 * failed writes), and the `kubernetes` Service the API server writes at start. Upstream sources:
 * pkg/apis/core/v1/defaults.go, pkg/apis/core/validation/validation.go, pkg/registry/core/service/storage/alloc.go,
 * pkg/registry/core/service/ipallocator/bitmap.go, pkg/controlplane/controller/kubernetesservice.
 */
import { describe, expect, it } from "vitest";
import type { ApiResult } from "../src/api/api-result.js";
import { ControlPlane } from "../src/api/control-plane.js";
import { staticAllocationErrors } from "../src/api/service/allocations.js";
import { ClusterIPAllocator, clusterIPRangeOffset } from "../src/api/service/cluster-ip-allocator.js";
import { fieldErrorText } from "../src/api/validation/field-errors.js";
import { defaultService } from "../src/api/service/defaults.js";
import type { Endpoints, EndpointSlice, Service, ServiceSpec } from "../src/api/service/types.js";
import { Simulation } from "../src/engine/simulation.js";
import { stream } from "../src/engine/rng.js";
import { DEFAULT_SETTINGS, type Settings } from "../src/settings.js";

const cluster = (settings: Partial<Settings> = {}, seed = 1) => new ControlPlane(new Simulation(seed), { ...DEFAULT_SETTINGS, ...settings }, 0);

const svc = (name: string, spec: ServiceSpec, extra: Partial<Service> = {}): Service => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: "default" },
  spec,
  ...extra,
});
const web = (spec: Partial<ServiceSpec> = {}) => ({ selector: { app: "web" }, ports: [{ port: 80 }], ...spec }) as ServiceSpec;

function must<T>(r: ApiResult<T>): T {
  if (!r.ok) throw new Error(r.message);
  return r.object;
}
function failure<T>(r: ApiResult<T>): string {
  if (r.ok) throw new Error("expected a failure");
  return r.message;
}

describe("SetDefaults_Service", () => {
  it("fills what a ClusterIP Service leaves out", () => {
    const d = defaultService(svc("web", web()));
    expect(d.spec).toEqual({
      selector: { app: "web" },
      ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
      sessionAffinity: "None",
      type: "ClusterIP",
      internalTrafficPolicy: "Cluster",
    });
  });

  it("gives NodePort and LoadBalancer an externalTrafficPolicy, LoadBalancer allocateLoadBalancerNodePorts", () => {
    expect(defaultService(svc("a", web({ type: "NodePort" }))).spec).toMatchObject({ externalTrafficPolicy: "Cluster", internalTrafficPolicy: "Cluster" });
    const lb = defaultService(svc("b", web({ type: "LoadBalancer" }))).spec;
    expect(lb).toMatchObject({ externalTrafficPolicy: "Cluster", allocateLoadBalancerNodePorts: true });
    expect(defaultService(svc("c", web({ type: "NodePort" }))).spec.allocateLoadBalancerNodePorts).toBeUndefined();
  });

  it("keeps ExternalName without traffic policies; ClientIP affinity gets 10800 s", () => {
    const en = defaultService(svc("db", { type: "ExternalName", externalName: "db.example.com" })).spec;
    expect(en.internalTrafficPolicy).toBeUndefined();
    expect(en.externalTrafficPolicy).toBeUndefined();
    const sticky = defaultService(svc("s", web({ sessionAffinity: "ClientIP" }))).spec;
    // v1.DefaultClientIPServiceAffinitySeconds = 10800 (3 hours).
    expect(sticky.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    // A named targetPort stays a name.
    expect(defaultService(svc("n", web({ ports: [{ port: 80, targetPort: "http" }] }))).spec.ports![0].targetPort).toBe("http");
  });
});

describe("creating Services", () => {
  it("stores a ClusterIP Service with an address from the upper band, single-stack IPv4", () => {
    const cp = cluster();
    const s = must(cp.api.create(svc("web", web())));
    expect(s.spec.ipFamilyPolicy).toBe("SingleStack");
    expect(s.spec.ipFamilies).toEqual(["IPv4"]);
    expect(s.spec.clusterIPs).toEqual([s.spec.clusterIP]);
    // 10.96.0.0/12: 2^20 addresses, offset band min(max(16, 2^20 / 16), 256) = 256, so a random pick is at least
    // base + 1 + 256 = 10.96.1.1.
    const [, , c, d] = s.spec.clusterIP!.split(".").map(Number);
    expect(s.spec.clusterIP!.startsWith("10.")).toBe(true);
    expect(c * 256 + d).toBeGreaterThanOrEqual(257);
    expect(s.status).toEqual({ loadBalancer: {} });
  });

  it("picks the same addresses for the same seed, others for another", () => {
    const ips = (seed: number) => {
      const cp = cluster({}, seed);
      return ["a", "b", "c"].map((n) => must(cp.api.create(svc(n, web()))).spec.clusterIP);
    };
    expect(ips(7)).toEqual(ips(7));
    expect(ips(7)).not.toEqual(ips(8));
  });

  it("refuses an address taken, outside the range, or the first one (the kubernetes Service's)", () => {
    const cp = cluster();
    must(cp.api.create(svc("a", web({ clusterIP: "10.96.0.5" }))));
    expect(failure(cp.api.create(svc("b", web({ clusterIP: "10.96.0.5" }))))).toBe(
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated',
    );
    expect(failure(cp.api.create(svc("c", web({ clusterIP: "10.96.0.1" }))))).toContain("failed to allocate IP 10.96.0.1: provided IP is already allocated");
    // Outside the range, and the range's broadcast address (10.111.255.255 for 10.96.0.0/12).
    expect(failure(cp.api.create(svc("d", web({ clusterIP: "1.1.1.1" }))))).toBe(
      'Service "d" is invalid: spec.clusterIPs: Invalid value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    expect(failure(cp.api.create(svc("e", web({ clusterIP: "10.111.255.255" }))))).toContain("is not in the valid range");
  });

  it("reports a full range as an internal error", () => {
    // A /29 has 8 addresses, 6 usable; the kubernetes Service holds the first.
    const cp = cluster({ serviceClusterIPRange: "10.0.0.0/29" });
    for (let i = 0; i < 5; i++) must(cp.api.create(svc(`s${i}`, web())));
    const r = cp.api.create(svc("full", web()));
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.code, r.reason, r.message]).toEqual([500, "InternalError", "Internal error occurred: failed to allocate a serviceIP: range is full"]);
  });

  it("gives headless and ExternalName Services no address", () => {
    const cp = cluster();
    const h = must(cp.api.create(svc("h", web({ clusterIP: "None" }))));
    expect([h.spec.clusterIP, h.spec.clusterIPs, h.spec.ipFamilyPolicy, h.spec.ipFamilies]).toEqual(["None", ["None"], "SingleStack", ["IPv4"]]);
    // Headless without selector: RequireDualStack and both families on any cluster (alloc.go special case).
    const hs = must(cp.api.create(svc("hs", { clusterIP: "None", ports: [{ port: 80 }] })));
    expect([hs.spec.ipFamilyPolicy, hs.spec.ipFamilies]).toEqual(["RequireDualStack", ["IPv4", "IPv6"]]);
    const en = must(cp.api.create(svc("en", { type: "ExternalName", externalName: "db.example.com." })));
    expect([en.spec.clusterIP, en.spec.clusterIPs, en.spec.ipFamilies]).toEqual([undefined, undefined, undefined]);
  });

  it("allocates node ports, refuses a taken or out-of-range one, and a failed create keeps nothing", () => {
    const cp = cluster();
    const a = must(cp.api.create(svc("a", web({ type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }))));
    expect(a.spec.ports![0].nodePort).toBe(30080);
    expect(failure(cp.api.create(svc("b", web({ type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }))))).toBe(
      'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    expect(failure(cp.api.create(svc("c", web({ type: "NodePort", ports: [{ port: 80, nodePort: 40000 }] }))))).toBe(
      'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    // Allocation comes before validation: the address and port this invalid Service took are given back.
    const bad = web({ type: "NodePort", clusterIP: "10.96.0.9", ports: [{ port: 80, nodePort: 30081 }], sessionAffinity: "Sometimes" as never });
    expect(failure(cp.api.create(svc("bad", bad)))).toContain('spec.sessionAffinity: Unsupported value: "Sometimes"');
    const ok = must(cp.api.create(svc("ok", { ...bad, sessionAffinity: "None" })));
    expect([ok.spec.clusterIP, ok.spec.ports![0].nodePort]).toEqual(["10.96.0.9", 30081]);
    // Random node ports come from above the band kept for static picks: min(max(16, 2768 / 32), 128) = 86 ports.
    const r = must(cp.api.create(svc("r", web({ type: "NodePort" }))));
    expect(r.spec.ports![0].nodePort).toBeGreaterThanOrEqual(30086);
  });

  it("gives a LoadBalancer with externalTrafficPolicy Local a healthCheckNodePort, and none without node ports", () => {
    const cp = cluster();
    const lb = must(cp.api.create(svc("lb", web({ type: "LoadBalancer", externalTrafficPolicy: "Local" }))));
    expect(lb.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.spec.ports![0].nodePort).toBeGreaterThanOrEqual(30000);
    const noPorts = must(cp.api.create(svc("np", web({ type: "LoadBalancer", allocateLoadBalancerNodePorts: false }))));
    expect(noPorts.spec.ports![0].nodePort).toBeUndefined();
  });
});

describe("updating and deleting Services", () => {
  it("keeps allocated values when a manifest is resubmitted, and clusterIP is immutable", () => {
    const cp = cluster();
    const a = must(cp.api.create(svc("a", web({ type: "NodePort" }))));
    const again = must(cp.api.update(svc("a", web({ type: "NodePort" }))));
    expect([again.spec.clusterIP, again.spec.ports![0].nodePort]).toEqual([a.spec.clusterIP, a.spec.ports![0].nodePort]);
    expect(failure(cp.api.update(svc("a", web({ type: "NodePort", clusterIP: "10.96.0.77", clusterIPs: ["10.96.0.77"] }))))).toBe(
      'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.77"}: may not change once set',
    );
  });

  it("releases node ports on NodePort -> ClusterIP, the address on -> ExternalName, everything on delete", () => {
    const cp = cluster();
    const a = must(cp.api.create(svc("a", web({ type: "NodePort", clusterIP: "10.96.0.10", ports: [{ port: 80, nodePort: 30090 }] }))));
    // The stored object sent back with the new type: the unchanged node port is wiped (dropTypeDependentFields).
    const c = must(cp.api.update({ ...a, spec: { ...a.spec, type: "ClusterIP", externalTrafficPolicy: undefined } }));
    expect(c.spec.ports![0].nodePort).toBeUndefined();
    must(cp.api.create(svc("b", web({ type: "NodePort", ports: [{ port: 80, nodePort: 30090 }] }))));
    const e = must(cp.api.update({ ...c, spec: { type: "ExternalName", externalName: "x.example.com", clusterIP: c.spec.clusterIP, clusterIPs: c.spec.clusterIPs, ipFamilies: c.spec.ipFamilies, ipFamilyPolicy: c.spec.ipFamilyPolicy, sessionAffinity: "None" } }));
    expect(e.spec.clusterIP).toBeUndefined();
    must(cp.api.create(svc("d", web({ clusterIP: "10.96.0.10" }))));
    must(cp.api.delete("Service", "default", "d"));
    must(cp.api.delete("Service", "default", "b"));
    must(cp.api.create(svc("f", web({ type: "NodePort", clusterIP: "10.96.0.10", ports: [{ port: 80, nodePort: 30090 }] }))));
  });
});

describe("type transitions", () => {
  it("ClusterIP -> NodePort allocates a port, NodePort -> LoadBalancer keeps it, Local adds a health check that Cluster frees", () => {
    const cp = cluster();
    const c = must(cp.api.create(svc("t", web())));
    const np = must(cp.api.update({ ...c, spec: { ...c.spec, type: "NodePort" } }));
    const port = np.spec.ports![0].nodePort!;
    expect([np.spec.clusterIP, np.spec.externalTrafficPolicy, port >= 30086]).toEqual([c.spec.clusterIP, "Cluster", true]);
    const lb = must(cp.api.update({ ...np, spec: { ...np.spec, type: "LoadBalancer", externalTrafficPolicy: "Local" } }));
    const hc = lb.spec.healthCheckNodePort!;
    expect([lb.spec.ports![0].nodePort, lb.spec.allocateLoadBalancerNodePorts, hc >= 30000 && hc !== port]).toEqual([port, true, true]);
    // The health-check port is immutable while needed, and given back when the policy goes to Cluster.
    expect(failure(cp.api.update({ ...lb, spec: { ...lb.spec, healthCheckNodePort: 31999 } }))).toContain("spec.healthCheckNodePort: Forbidden: field is immutable");
    const back = must(cp.api.update({ ...lb, spec: { ...lb.spec, externalTrafficPolicy: "Cluster" } }));
    expect(back.spec.healthCheckNodePort).toBeUndefined();
    must(cp.api.create(svc("other", web({ type: "NodePort", ports: [{ port: 80, nodePort: hc }] }))));
    // ExternalName -> ClusterIP allocates an address.
    const en = must(cp.api.create(svc("en", { type: "ExternalName", externalName: "x.example.com" })));
    const ip = must(cp.api.update({ ...en, spec: { type: "ClusterIP", ports: [{ port: 80 }], sessionAffinity: "None" } }));
    expect(ip.spec.clusterIP).toMatch(/^10\./);
  });
});

describe("ValidateService", () => {
  const invalid = (spec: ServiceSpec, name = "s") => failure(cluster().api.create(svc(name, spec)));
  it.each([
    [{ selector: { app: "web" } }, 'Service "s" is invalid: spec.ports: Required value'],
    [web({ ports: [{ port: 80 }, { port: 81 }] }), 'Service "s" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]'],
    [web({ ports: [{ port: 80, name: "http" }, { port: 81, name: "http" }] }), 'Service "s" is invalid: spec.ports[1].name: Duplicate value: "http"'],
    // targetPort defaults to the port, so both are refused.
    [web({ ports: [{ port: 0 }] }), 'Service "s" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]'],
    [web({ ports: [{ port: 80, protocol: "HTTP" as never }] }), 'Service "s" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    [web({ ports: [{ port: 80, targetPort: "web_http" }] }), 'Service "s" is invalid: spec.ports[0].targetPort: Invalid value: "web_http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    [web({ ports: [{ port: 80, targetPort: 70000 }] }), 'Service "s" is invalid: spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    [web({ ports: [{ port: 80, nodePort: 30001 }] }), "Service \"s\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    [web({ type: "Internal" as never }), 'Service "s" is invalid: spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    [web({ type: "NodePort", clusterIP: "None" }), "Service \"s\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
    [{ type: "ExternalName", externalName: "Not_A_Host" }, 'Service "s" is invalid: spec.externalName: Invalid value: "Not_A_Host": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'],
    [{ type: "ExternalName" }, 'Service "s" is invalid: spec.externalName: Required value'],
    [web({ sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } } }), 'Service "s" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400'],
    [web({ ports: [{ port: 80, name: "a" }, { port: 80, name: "b" }] }), 'Service "s" is invalid: spec.ports[1]: Duplicate value: {"protocol":"TCP","port":80}'],
    [web({ clusterIP: "10.96.0.300" }), 'Service "s" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
  ] as [ServiceSpec, string][])("%j", (spec, message) => {
    expect(invalid(spec)).toBe(message);
  });

  it("checks the selector's labels and the name as a DNS-1035 label", () => {
    expect(invalid(web({ selector: { app: "-web" } }))).toContain("spec.selector[app]: Invalid value: \"-web\": a valid label must be an empty string");
    expect(invalid(web(), "1web")).toContain('metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters');
  });

  it("accepts a Service selecting nothing", () => {
    expect(must(cluster().api.create(svc("none", { ports: [{ port: 80 }] }))).spec.selector).toBeUndefined();
  });
});

describe("the kubernetes Service", () => {
  it("exists from the start with the range's first address, and its endpoints", () => {
    const cp = cluster();
    const k = cp.api.get<Service>("Service", "default", "kubernetes")!;
    expect(k.metadata.labels).toEqual({ component: "apiserver", provider: "kubernetes" });
    expect(k.spec).toMatchObject({ type: "ClusterIP", clusterIP: "10.96.0.1", clusterIPs: ["10.96.0.1"], ports: [{ name: "https", port: 443, targetPort: 6443, protocol: "TCP" }] });
    expect(k.spec.selector).toBeUndefined();
    const ep = cp.api.get<Endpoints>("Endpoints", "default", "kubernetes")!;
    expect(ep.metadata.labels).toEqual({ "endpointslice.kubernetes.io/skip-mirror": "true" });
    expect(ep.subsets).toEqual([{ addresses: [{ ip: "172.16.0.2" }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }]);
    const slice = cp.api.get<EndpointSlice>("EndpointSlice", "default", "kubernetes")!;
    expect(slice.addressType).toBe("IPv4");
    expect(slice.endpoints).toEqual([{ addresses: ["172.16.0.2"], conditions: { ready: true } }]);
  });
});

describe("ClusterIPAllocator", () => {
  it("bands random picks above min(max(16, size / 16), 256) and falls back to the band when the rest is full", () => {
    expect([clusterIPRangeOffset(16), clusterIPRangeOffset(256), clusterIPRangeOffset(1 << 20)]).toEqual([0, 16, 256]);
    // 10.0.0.0/27: 32 addresses, 30 usable, band 16 (offsets 0..15 = 10.0.0.1..10.0.0.16).
    const a = new ClusterIPAllocator(stream(1, "t"), "10.0.0.0/27");
    const picks = Array.from({ length: 30 }, () => a.allocateNext());
    const octets = picks.map((p) => (p.ok ? Number(p.ip.split(".")[3]) : -1));
    expect(octets.slice(0, 14).every((o) => o >= 17 && o <= 30)).toBe(true);
    expect(octets.slice(14).every((o) => o >= 1 && o <= 16)).toBe(true);
    expect(a.allocateNext()).toEqual({ ok: false, detail: "range is full" });
    a.release("10.0.0.20");
    expect(a.allocateNext()).toEqual({ ok: true, ip: "10.0.0.20" });
  });
});

describe("ValidateEndpoints and ValidateEndpointSlice", () => {
  const ep = (subsets: Endpoints["subsets"]): Endpoints => ({ apiVersion: "v1", kind: "Endpoints", metadata: { name: "x", namespace: "default" }, subsets });
  const slice = (s: Partial<EndpointSlice>): EndpointSlice =>
    ({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "x-abc", namespace: "default" }, addressType: "IPv4", endpoints: [], ...s }) as EndpointSlice;

  it("refuses subsets without addresses, bad and special IPs; defaults port protocols to TCP", () => {
    const cp = cluster();
    expect(failure(cp.api.create(ep([{ ports: [{ port: 80 }] }])))).toBe('Endpoints "x" is invalid: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`');
    expect(failure(cp.api.create(ep([{ addresses: [{ ip: "127.0.0.1" }] }])))).toBe('Endpoints "x" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)');
    expect(failure(cp.api.create(ep([{ notReadyAddresses: [{ ip: "10.1.2" }] }])))).toBe('Endpoints "x" is invalid: subsets[0].notReadyAddresses[0].ip: Invalid value: "10.1.2": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
    const ok = must(cp.api.create(ep([{ addresses: [{ ip: "10.244.0.5" }], ports: [{ port: 8080 }] }])));
    expect(ok.subsets![0].ports).toEqual([{ port: 8080, protocol: "TCP" }]);
  });

  it("checks a slice's addressType, address formats and size; addressType is immutable", () => {
    const cp = cluster();
    expect(failure(cp.api.create(slice({ addressType: "IP" as never })))).toBe('EndpointSlice.discovery.k8s.io "x-abc" is invalid: addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"');
    expect(failure(cp.api.create(slice({ endpoints: [{ addresses: ["fd00::1"], conditions: {} }] })))).toBe('EndpointSlice.discovery.k8s.io "x-abc" is invalid: endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address');
    const many = Array.from({ length: 1001 }, (_, i) => ({ addresses: [`10.0.${i >> 8}.${(i & 255) + 1}`], conditions: {} }));
    expect(failure(cp.api.create(slice({ endpoints: many })))).toContain("endpoints: Invalid value: 1001: must have at most 1000 items");
    const s = must(cp.api.create(slice({ endpoints: [{ addresses: ["10.244.1.7"], conditions: { ready: true } }], ports: [{ port: 80 }] })));
    expect(s.ports).toEqual([{ port: 80, name: "", protocol: "TCP" }]);
    expect(failure(cp.api.update({ ...s, addressType: "IPv6" }))).toContain('addressType: Invalid value: "IPv6": field is immutable');
  });
});

describe("staticAllocationErrors (the scenario loader's range checks)", () => {
  it("reports a node port or cluster IP outside its range with the create's text", () => {
    const errs = staticAllocationErrors(svc("s", web({ type: "NodePort", clusterIP: "192.168.1.1", ports: [{ port: 80, nodePort: 30080 }, { port: 81, name: "b", nodePort: 8080 }] })), DEFAULT_SETTINGS);
    expect(errs.map(fieldErrorText)).toEqual([
      'spec.clusterIPs: Invalid value: []string{"192.168.1.1"}: failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
      "spec.ports[1].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767",
    ]);
    expect(staticAllocationErrors(svc("ok", web({ type: "NodePort", clusterIP: "10.96.0.1", ports: [{ port: 80, nodePort: 30080 }] })), DEFAULT_SETTINGS)).toEqual([]);
  });
});

/**
 * Service accounts (plugin/pkg/admission/serviceaccount/admission.go, pkg/controller/serviceaccount/
 * serviceaccounts_controller.go, pkg/controller/certificates/rootcacertpublisher/publisher.go): what a pod looks like
 * after admission (the kube-api-access-* projected volume and its mounts), the refusal of a pod naming a missing
 * account and a Deployment that recovers once it exists, automountServiceAccountToken, and the `default` account and
 * kube-root-ca.crt ConfigMap every namespace gets at once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { TOKEN_VOLUME_SOURCE } from "../src/api/admission/service-account.js";
import { DESCRIPTION_ANNOTATION, ROOT_CA_DESCRIPTION, type ServiceAccount } from "../src/api/serviceaccount/types.js";
import type { ConfigMap, Namespace, Pod } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { rootCAUpdate } from "../src/controllers/certificates/root-ca-cert-publisher.js";
import { accountsToCreate } from "../src/controllers/serviceaccount/serviceaccounts-controller.js";
import { volumeSetUpError, type PodVolume } from "../src/kubelet/config/volumes.js";
import { resolveSettings, type Settings } from "../src/settings.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

/** A cluster with no nodes, for calling the API server directly (controllers running). */
function clusterOf(settings: Partial<Settings> = {}, seed = 1) {
  return new Cluster(seed, resolveSettings(settings), Date.UTC(2026, 0, 1));
}

const pod = (name: string, spec: Partial<Pod["spec"]> = {}, meta: Partial<Pod["metadata"]> = {}): Pod =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", ...meta }, spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...spec }, status: {} }) as Pod;

const sa = (name: string, extra: Partial<ServiceAccount> = {}): ServiceAccount => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "default" }, ...extra });

function created(c: Cluster, p: Pod): Pod {
  const r = c.cp.api.create(p);
  if (!r.ok) throw new Error(r.message);
  return r.object;
}

/** SimpleNameGenerator's 5 characters from utilrand's alphabet (no vowels, no 0/1/3). */
const VOLUME_NAME = /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

describe("ServiceAccount admission: the token volume", () => {
  it("sets serviceAccountName default and mounts kube-api-access-XXXXX read-only in every init and app container", () => {
    const p = created(clusterOf(), pod("web", { initContainers: [{ name: "init", image: "busybox" }], containers: [{ name: "app", image: "nginx:1.27", volumeMounts: [{ name: "data", mountPath: "/data" }] }], volumes: [{ name: "data", emptyDir: {} }] }));
    expect(p.spec.serviceAccountName).toBe("default");
    // The v1 form also carries the deprecated field (Convert_core_PodSpec_To_v1_PodSpec: DeprecatedServiceAccount).
    expect(p.spec.serviceAccount).toBe("default");
    const volumes = p.spec.volumes as PodVolume[];
    expect(volumes).toHaveLength(2);
    const name = volumes[1].name;
    expect(name).toMatch(VOLUME_NAME);
    // TokenVolumeSource(): defaultMode 0644 = 420, a token valid 3607s (WarnOnlyBoundTokenExpirationSeconds), the
    // root CA ConfigMap's ca.crt, and the namespace from the downward API.
    expect(JSON.parse(JSON.stringify(volumes[1]))).toEqual({
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
          { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
        ],
      },
    });
    const mount = { name, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" };
    expect(p.spec.initContainers![0].volumeMounts).toEqual([mount]);
    // Appended after the container's own mounts.
    expect(p.spec.containers[0].volumeMounts).toEqual([{ name: "data", mountPath: "/data" }, mount]);
  });

  it("draws a fresh name per pod spec from the seeded stream: same seed, same names", () => {
    const names = (seed: number) => {
      const c = clusterOf({}, seed);
      return [0, 1, 2].map((i) => (created(c, pod(`p${i}`)).spec.volumes as PodVolume[])[0].name);
    };
    const a = names(7);
    expect(new Set(a).size).toBe(3);
    expect(names(7)).toEqual(a);
    expect(names(8)).not.toEqual(a);
  });

  it("NOTE: pods sharing one spec object (a template's pods) share one name, drawn once", () => {
    // src/api/admission/service-account.ts: memoised per spec object, so the per-spec caches keep working.
    const c = clusterOf();
    const spec = pod("t").spec;
    const [a, b] = ["a", "b"].map((n) => (created(c, { ...pod(n), spec }).spec.volumes as PodVolume[])[0].name);
    expect(a).toMatch(VOLUME_NAME);
    expect(b).toBe(a);
  });

  it("leaves a container that already mounts the token path alone, and reuses an existing kube-api-access-* volume", () => {
    const own = { name: "mine", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" };
    const p = created(clusterOf(), pod("p", { containers: [{ name: "a", image: "i", volumeMounts: [own] }, { name: "b", image: "i" }], volumes: [{ name: "mine", emptyDir: {} }, { name: "kube-api-access-keep1", emptyDir: {} }] }));
    expect(p.spec.containers[0].volumeMounts).toEqual([own]);
    expect(p.spec.containers[1].volumeMounts).toEqual([{ name: "kube-api-access-keep1", readOnly: true, mountPath: own.mountPath }]);
    expect((p.spec.volumes as PodVolume[]).map((v) => v.name)).toEqual(["mine", "kube-api-access-keep1"]);
  });

  it.each([
    // shouldAutomount: the pod's setting wins, then the account's, else true.
    [undefined, false, false],
    [true, false, true],
    [false, undefined, false],
    [false, true, false],
    [undefined, undefined, true],
  ])("pod automount %s, account automount %s: volume mounted %s", (podSetting, saSetting, mounted) => {
    const c = clusterOf();
    expect(c.cp.api.create(sa("robot", saSetting === undefined ? {} : { automountServiceAccountToken: saSetting })).ok).toBe(true);
    const p = created(c, pod("p", { serviceAccountName: "robot", ...(podSetting === undefined ? {} : { automountServiceAccountToken: podSetting }) }));
    expect(p.spec.serviceAccountName).toBe("robot");
    expect(p.spec.volumes === undefined ? 0 : (p.spec.volumes as unknown[]).length).toBe(mounted ? 1 : 0);
    expect(p.spec.containers[0].volumeMounts).toEqual(mounted ? [expect.objectContaining({ readOnly: true })] : undefined);
  });

  it("copies the account's imagePullSecrets to a pod that has none, and keeps the pod's own", () => {
    const c = clusterOf();
    c.cp.api.create(sa("puller", { imagePullSecrets: [{ name: "regcred" }] }));
    expect(created(c, pod("a", { serviceAccountName: "puller" })).spec.imagePullSecrets).toEqual([{ name: "regcred" }]);
    expect(created(c, pod("b", { serviceAccountName: "puller", imagePullSecrets: [{ name: "mine" }] })).spec.imagePullSecrets).toEqual([{ name: "mine" }]);
    expect(created(c, pod("c")).spec.imagePullSecrets).toBeUndefined();
  });

  it("does not change a mirror pod, and refuses one that names an account", () => {
    const c = clusterOf();
    const mirror = { annotations: { "kubernetes.io/config.mirror": "abc" } };
    const p = created(c, pod("static-web", {}, mirror));
    expect(p.spec.serviceAccountName).toBeUndefined();
    expect(p.spec.volumes).toBeUndefined();
    expect(c.cp.api.create(pod("static-2", { serviceAccountName: "default" }, mirror))).toEqual({
      ok: false,
      code: 403,
      reason: "Forbidden",
      message: 'pods "static-2" is forbidden: a mirror pod may not reference service accounts',
    });
  });
});

describe("ServiceAccount admission: a missing account", () => {
  it("refuses the pod: 403 error looking up service account NS/NAME: serviceaccount \"NAME\" not found", () => {
    // Admit: admission.NewForbidden(a, fmt.Errorf("error looking up service account %s/%s: %w", ...)) around
    // getServiceAccount's errors.NewNotFound(api.Resource("serviceaccount"), name).
    expect(clusterOf().cp.api.create(pod("x", { serviceAccountName: "builder" }))).toEqual({
      ok: false,
      code: 403,
      reason: "Forbidden",
      message: 'pods "x" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found',
    });
  });

  it("names a generated pod by its generateName, as NewForbidden does before names are generated", () => {
    const r = clusterOf().cp.api.create(pod("", { serviceAccountName: "builder" }, { generateName: "web-7d9c-" }));
    expect(r.ok === false && r.message).toBe('pods "web-7d9c-" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found');
  });

  it("refuses pods when the serviceaccount controller is off: nothing creates `default`", () => {
    const c = clusterOf({ controllers: ["*", "-serviceaccount"] });
    const r = c.cp.api.create(pod("x"));
    expect(r.ok === false && r.message).toBe('pods "x" is forbidden: error looking up service account default/default: serviceaccount "default" not found');
  });

  it("disabled (--disable-admission-plugins ServiceAccount), the pod is stored as written", () => {
    const p = created(clusterOf({ disableAdmissionPlugins: ["ServiceAccount"] }), pod("x", { serviceAccountName: "nobody" }));
    expect(p.spec.volumes).toBeUndefined();
  });

  it("an update changing serviceAccountName is refused by ValidatePodUpdate (422)", () => {
    const c = clusterOf();
    c.cp.api.create(sa("other"));
    const p = created(c, pod("x"));
    const r = c.cp.api.update({ ...p, spec: { ...p.spec, serviceAccountName: "other" } });
    expect(r.ok === false && r.code).toBe(422);
    expect(r.ok === false && r.message).toContain("pod updates may not change fields other than");
  });
});

const deploymentScenario = (serviceAccountAt: string) => `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: sa-later}
spec:
  duration: 2m
  cluster:
    nodePools:
      - {name: n, count: 1, capacity: {cpu: "4", memory: 8Gi, pods: 110}}
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              serviceAccountName: builder
              containers: [{name: web, image: nginx:1.27}]
  timeline:
    - at: ${serviceAccountAt}
      action: apply
      manifest: {apiVersion: v1, kind: ServiceAccount, metadata: {name: builder}}
`;

describe("a Deployment naming an account created later", () => {
  it("fails its creates with FailedCreate until the account exists, then its pods run", () => {
    let running = 0;
    const outcome = run(load(writeScenario(deploymentScenario("30s"))), undefined, (c) => {
      for (const p of c.cp.store.list<Pod>("Pod")) if (p.status.phase === "Running") running++;
    });
    const failed = outcome.events.filter((e) => e.reason === "FailedCreate");
    expect(failed.length).toBeGreaterThan(0);
    // replica_set.go: "Error creating: %v" with the admission error, the pod named by its generateName.
    expect(failed[0].message).toMatch(/^Error creating: pods "web-[a-z0-9]+-" is forbidden: error looking up service account default\/builder: serviceaccount "builder" not found$/);
    // Every refusal comes before the account is applied at 30s; the creates after it succeed.
    expect(Math.max(...failed.map((e) => e.simTime))).toBeLessThan(30_000);
    const createdAt = outcome.events.filter((e) => e.reason === "SuccessfulCreate").map((e) => e.simTime);
    expect(createdAt).toHaveLength(2);
    expect(Math.min(...createdAt)).toBeGreaterThanOrEqual(30_000);
    expect(running).toBe(2);
  });
});

describe("the serviceaccounts controller and the root CA publisher", () => {
  it("give every namespace `default` and kube-root-ca.crt in the instant it is created, so a pod created next is admitted", () => {
    const c = clusterOf();
    for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      expect(c.cp.api.get("ServiceAccount", ns, "default"), ns).toBeDefined();
      expect(c.cp.api.get("ConfigMap", ns, "kube-root-ca.crt"), ns).toBeDefined();
    }
    expect(c.cp.api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } } as Namespace).ok).toBe(true);
    const p = created(c, pod("x", {}, { namespace: "team-a" }));
    expect(p.spec.serviceAccountName).toBe("default");
    const cm = c.cp.api.get<ConfigMap>("ConfigMap", "team-a", "kube-root-ca.crt")!;
    expect(cm.metadata.annotations).toEqual({ [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION });
    // publisher.go's Description, verbatim.
    expect(ROOT_CA_DESCRIPTION).toBe(
      "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
    );
    expect(Object.keys(cm.data!)).toEqual(["ca.crt"]);
    expect(cm.data!["ca.crt"]).toMatch(/^-----BEGIN CERTIFICATE-----\nk8sim\/simulated\/cluster\/root\/ca\/not\/a\/real\/certificate\/[A-Za-z0-9]{32}\n-----END CERTIFICATE-----\n$/);
    // One bundle per cluster: every namespace publishes the same one.
    expect(c.cp.api.get<ConfigMap>("ConfigMap", "default", "kube-root-ca.crt")!.data).toEqual(cm.data);
  });

  it("recreates a deleted `default` and kube-root-ca.crt, and restores a changed kube-root-ca.crt, through their queues", () => {
    const c = clusterOf();
    const before = c.cp.api.get<ConfigMap>("ConfigMap", "default", "kube-root-ca.crt")!;
    c.cp.sim.run(1_000);
    expect(c.cp.api.delete("ServiceAccount", "default", "default").ok).toBe(true);
    expect(c.cp.api.delete("ConfigMap", "default", "kube-root-ca.crt").ok).toBe(true);
    expect(c.cp.api.get("ServiceAccount", "default", "default")).toBeUndefined();
    c.cp.sim.run(2_000);
    const again = c.cp.api.get<ServiceAccount>("ServiceAccount", "default", "default")!;
    expect(again.metadata.creationTimestamp).toBe(c.cp.clock.time(1_000));
    const cm = c.cp.api.get<ConfigMap>("ConfigMap", "default", "kube-root-ca.crt")!;
    expect(cm.data).toEqual(before.data);
    const r = c.cp.api.update<ConfigMap>({ ...cm, metadata: { ...cm.metadata, annotations: { team: "x" } }, data: { "ca.crt": "mine", extra: "y" } });
    expect(r.ok).toBe(true);
    c.cp.sim.run(3_000);
    const restored = c.cp.api.get<ConfigMap>("ConfigMap", "default", "kube-root-ca.crt")!;
    expect(restored.data).toEqual(before.data);
    // Other annotations stay; the description is set again.
    expect(restored.metadata.annotations).toEqual({ team: "x", [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION });
  });

  it("decisions: nothing to create in a namespace that is not Active; rootCAUpdate leaves an in-sync ConfigMap", () => {
    const ns = (phase: "Active" | "Terminating"): Namespace => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" }, status: { phase } });
    expect(accountsToCreate(ns("Active"), () => false)).toEqual(["default"]);
    expect(accountsToCreate(ns("Active"), () => true)).toEqual([]);
    expect(accountsToCreate(ns("Terminating"), () => false)).toEqual([]);
    expect(accountsToCreate(undefined, () => false)).toEqual([]);
    const cm: ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kube-root-ca.crt", namespace: "a", annotations: { [DESCRIPTION_ANNOTATION]: "x" } }, data: { "ca.crt": "CA" } };
    expect(rootCAUpdate(cm, "CA")).toBeUndefined();
    expect(rootCAUpdate({ ...cm, metadata: { ...cm.metadata, annotations: {} } }, "CA")?.metadata.annotations).toEqual({ [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION });
  });
});

describe("the kubelet and the token volume", () => {
  const volume: PodVolume = { name: "kube-api-access-abcde", projected: TOKEN_VOLUME_SOURCE };
  it("mounts the token and downward API sources; the configMap source waits for kube-root-ca.crt", () => {
    // pkg/volume/projected collectData: serviceAccountToken and downwardAPI sources need no object here; the
    // configMap source is the configmap plugin's NotFound.
    const none = { configMap: () => undefined, secret: () => undefined };
    expect(volumeSetUpError("default", volume, none)).toBe('configmap "kube-root-ca.crt" not found');
    const cm: ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kube-root-ca.crt" }, data: { "ca.crt": "x" } };
    expect(volumeSetUpError("default", volume, { configMap: () => cm, secret: () => undefined })).toBeUndefined();
  });
});

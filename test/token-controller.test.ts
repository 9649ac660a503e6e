/**
 * The token controller (pkg/controller/serviceaccount/tokens_controller.go, v1.32): a user's Secret of type
 * kubernetes.io/service-account-token naming an account is populated (token, ca.crt, namespace, the uid
 * annotation); one whose account is missing or has another uid is deleted; an account's tokens go with it; a
 * deleted token leaves its account's secrets list. No token Secret is ever created by the controller itself.
 */
import { describe, expect, it } from "vitest";
import type { ServiceAccount } from "../src/api/serviceaccount/types.js";
import type { ConfigMap, Secret } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { isServiceAccountToken, populatedToken, secretUpdateNeeded } from "../src/controllers/serviceaccount/tokens-controller.js";
import { resolveSettings } from "../src/settings.js";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const unb64 = (s: string | undefined) => Buffer.from(s ?? "", "base64").toString("utf8");

function clusterOf(seed = 1) {
  return new Cluster(seed, resolveSettings({}), Date.UTC(2026, 0, 1));
}

const account = (name: string, extra: Partial<ServiceAccount> = {}): ServiceAccount => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: "default" }, ...extra });
const tokenSecret = (name: string, sa: string, annotations: Record<string, string> = {}): Secret => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "default", annotations: { "kubernetes.io/service-account.name": sa, ...annotations } },
  type: "kubernetes.io/service-account-token",
});

function mustCreate<T extends ServiceAccount | Secret>(c: Cluster, o: T): T {
  const r = c.cp.api.create(o);
  if (!r.ok) throw new Error(r.message);
  return r.object;
}

describe("token Secrets a user creates", () => {
  it("are populated with token, ca.crt and namespace and get the account's uid annotation", () => {
    const c = clusterOf();
    const sa = mustCreate(c, account("builder"));
    mustCreate(c, tokenSecret("builder-token", "builder"));
    mustCreate(c, { apiVersion: "v1", kind: "Secret", metadata: { name: "plain", namespace: "default" }, type: "Opaque", data: { a: b64("b") } } as Secret);
    c.sim.run(1_000);
    const s = c.cp.api.get<Secret>("Secret", "default", "builder-token")!;
    expect(Object.keys(s.data!).sort()).toEqual(["ca.crt", "namespace", "token"]);
    expect(unb64(s.data!.namespace)).toBe("default");
    // The same CA bundle the root CA publisher puts in kube-root-ca.crt.
    expect(unb64(s.data!["ca.crt"])).toBe(c.cp.api.get<ConfigMap>("ConfigMap", "default", "kube-root-ca.crt")!.data!["ca.crt"]);
    // A seeded stand-in, never a real credential.
    expect(unb64(s.data!.token)).toMatch(/^k8sim-simulated-token\.default\.builder\.[A-Za-z0-9]{40}$/);
    expect(s.metadata.annotations).toEqual({ "kubernetes.io/service-account.name": "builder", "kubernetes.io/service-account.uid": sa.metadata.uid });
    // Other Secrets are not touched; no token Secret is created for any account.
    expect(c.cp.api.get<Secret>("Secret", "default", "plain")!.metadata.resourceVersion).toBeDefined();
    const tokens = [...c.cp.store.list<Secret>("Secret")].filter((x) => x.type === "kubernetes.io/service-account-token");
    expect(tokens.map((x) => x.metadata.name)).toEqual(["builder-token"]);
  });

  it("keep a token they already carry; the same seed gives the same token", () => {
    const tokenOf = (seed: number) => {
      const c = clusterOf(seed);
      mustCreate(c, account("builder"));
      mustCreate(c, { ...tokenSecret("t", "builder"), data: { token: b64("my-own") } });
      mustCreate(c, tokenSecret("u", "builder"));
      c.sim.run(1_000);
      return [c.cp.api.get<Secret>("Secret", "default", "t")!, c.cp.api.get<Secret>("Secret", "default", "u")!].map((s) => unb64(s.data!.token));
    };
    const [own, generated] = tokenOf(3);
    expect(own).toBe("my-own");
    expect(tokenOf(3)[1]).toBe(generated);
    expect(tokenOf(4)[1]).not.toBe(generated);
  });

  it("are deleted when their account does not exist, or has another uid", () => {
    const c = clusterOf();
    mustCreate(c, account("builder"));
    mustCreate(c, tokenSecret("orphan", "nobody"));
    mustCreate(c, tokenSecret("stale", "builder", { "kubernetes.io/service-account.uid": "00000000-0000-4000-8000-000000000000" }));
    c.sim.run(1_000);
    expect(c.cp.api.get("Secret", "default", "orphan")).toBeUndefined();
    expect(c.cp.api.get("Secret", "default", "stale")).toBeUndefined();
  });

  it("go with their account; another account's token stays, and a deleted token leaves the account's secrets list", () => {
    const c = clusterOf();
    mustCreate(c, account("a", { secrets: [{ name: "a-token" }, { name: "keep" }] }));
    mustCreate(c, account("b"));
    mustCreate(c, tokenSecret("a-token", "a"));
    mustCreate(c, tokenSecret("a-token-2", "a"));
    mustCreate(c, tokenSecret("b-token", "b"));
    c.sim.run(1_000);
    expect(c.cp.api.delete("Secret", "default", "a-token").ok).toBe(true);
    c.sim.run(2_000);
    expect(c.cp.api.get<ServiceAccount>("ServiceAccount", "default", "a")!.secrets).toEqual([{ name: "keep" }]);
    expect(c.cp.api.delete("ServiceAccount", "default", "a").ok).toBe(true);
    c.sim.run(3_000);
    expect(c.cp.api.get("Secret", "default", "a-token-2")).toBeUndefined();
    expect(c.cp.api.get("Secret", "default", "b-token")).toBeDefined();
  });
});

describe("the controller's decisions", () => {
  const secret = (annotations: Record<string, string>, type = "kubernetes.io/service-account-token"): Secret => ({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "ns", annotations }, type });
  it.each([
    // IsServiceAccountToken: the type, the name annotation, and the uid annotation when present.
    [{ "kubernetes.io/service-account.name": "sa" }, "kubernetes.io/service-account-token", true],
    [{ "kubernetes.io/service-account.name": "sa", "kubernetes.io/service-account.uid": "u1" }, "kubernetes.io/service-account-token", true],
    [{ "kubernetes.io/service-account.name": "sa", "kubernetes.io/service-account.uid": "u2" }, "kubernetes.io/service-account-token", false],
    [{ "kubernetes.io/service-account.name": "other" }, "kubernetes.io/service-account-token", false],
    [{ "kubernetes.io/service-account.name": "sa" }, "Opaque", false],
  ])("annotations %o, type %s: a token of sa/u1 is %s", (annotations, type, expected) => {
    expect(isServiceAccountToken(secret(annotations, type), { name: "sa", uid: "u1" })).toBe(expected);
  });

  it("secretUpdateNeeded / populatedToken fill only what is missing, and draw a token only when it is", () => {
    const full = { ...secret({ "kubernetes.io/service-account.name": "sa" }), data: { token: b64("t"), namespace: b64("ns"), "ca.crt": b64("CA") } };
    expect(secretUpdateNeeded(full, "CA")).toEqual({ ca: false, namespace: false, token: false });
    expect(secretUpdateNeeded(full, "CA2")).toEqual({ ca: true, namespace: false, token: false });
    const sa: ServiceAccount = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "sa", namespace: "ns", uid: "u1" } };
    let draws = 0;
    expect(populatedToken(full, sa, "CA", () => `x${++draws}`)).toBeUndefined();
    const next = populatedToken(full, sa, "CA2", () => `x${++draws}`)!;
    expect(draws).toBe(0);
    expect(next.data).toEqual({ token: b64("t"), namespace: b64("ns"), "ca.crt": b64("CA2") });
    expect(next.metadata.annotations).toEqual({ "kubernetes.io/service-account.name": "sa", "kubernetes.io/service-account.uid": "u1" });
  });
});

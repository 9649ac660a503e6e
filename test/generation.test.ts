/**
 * metadata.generation as the strategies bump it (pkg/registry/apps/deployment/strategy.go and replicaset/strategy.go
 * PrepareForUpdate): on a spec change by semantic equality (key order does not count), and for a Deployment also on
 * an annotation change; never on a status or label-only write. And the 422 details kubectl rebuilds its message from.
 */
import { describe, expect, it } from "vitest";
import type { Deployment } from "../src/api/types.js";
import { Cluster } from "../src/cluster.js";
import { kubectlError } from "../src/scenario/actions.js";
import { resolveSettings } from "../src/settings.js";

const api = () => new Cluster(1, resolveSettings({}), Date.UTC(2026, 0, 1)).cp.api;
const deployment = (): Deployment =>
  ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } },
    status: {},
  }) as Deployment;

describe("generation", () => {
  it("is 1 on create, +1 per spec change, unchanged by a label or reordered spec, +1 on a Deployment annotation change", () => {
    const a = api();
    const created = a.create(deployment());
    if (!created.ok) throw new Error(created.message);
    expect(created.object.metadata.generation).toBe(1);
    const update = (f: (d: Deployment) => Deployment) => {
      const cur = a.get<Deployment>("Deployment", "default", "web")!;
      const r = a.update(f(cur));
      if (!r.ok) throw new Error(r.message);
      return r.object.metadata.generation;
    };
    expect(update((d) => ({ ...d, spec: { ...d.spec, replicas: 3 } }))).toBe(2);
    expect(update((d) => ({ ...d, metadata: { ...d.metadata, labels: { tier: "front" } } }))).toBe(2);
    // The same spec with its keys in another order is no change (semantic equality).
    expect(update((d) => ({ ...d, spec: Object.fromEntries(Object.entries(d.spec).reverse()) as Deployment["spec"] }))).toBe(2);
    expect(update((d) => ({ ...d, metadata: { ...d.metadata, annotations: { "kubernetes.io/change-cause": "v2" } } }))).toBe(3);
  });

  it("a refused update carries its causes, which kubectl's message is built from", () => {
    const a = api();
    a.create(deployment());
    const cur = a.get<Deployment>("Deployment", "default", "web")!;
    const r = a.update({ ...cur, spec: { ...cur.spec, selector: { matchLabels: { app: "other" } } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.details?.causes.map((c) => c.path.join("."))).toEqual(["spec.template.metadata.labels", "spec.selector"]);
    expect(kubectlError("Deployment", "web", r)).toMatch(/^The Deployment "web" is invalid: \[spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`, spec\.selector: Invalid value: v1\.LabelSelector\{MatchLabels:map\[string\]string\{"app":"other"\}, MatchExpressions:\[\]v1\.LabelSelectorRequirement\(nil\)\}: field is immutable\]$/);
  });
});

/**
 * `k8sim get` / `k8sim describe` on a real run folder, as a user types them: the cluster at a virtual time
 * (node-failure: worker-1's kubelet stops at 5m; NotReady at 5m50s+; its pods evicted 300s after the taint), and the
 * errors for what cannot be read, each with exit 2 (exit 1 for a name not there, as kubectl's NotFound).
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import { eventsUntil, openRunFolder } from "../src/inspect/run-state.js";

let root: string;
let run: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "k8sim-inspect-"));
  run = join(root, "run");
  const r = await cli("run", "scenarios/node-failure.yaml", "--out", run);
  expect(r.code, r.err).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("k8sim get at a virtual time", () => {
  it("shows worker-1 Ready before the failure and NotReady after the grace period", async () => {
    const before = await cli("get", "nodes", run, "--at", "4m");
    expect(before.code, before.err).toBe(0);
    expect(before.out.split("\n")[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(before.out).toMatch(/^worker-1\s+Ready\s+<none>\s+4m\d*s?\s+/m);
    // The kubelet stops at 5m; the node lifecycle controller marks it Unknown 50s after the monitor pass that saw
    // the last renewal, so at 7m it is NotReady.
    const after = await cli("get", "node/worker-1", run, "--at", "7m");
    expect(after.out).toMatch(/^worker-1\s+NotReady\s+<none>\s+7m\s+/m);
  });

  it("lists pods with -o name and -l, in name order", async () => {
    const r = await cli("get", "pods", run, "--at", "1m", "-o", "name", "-l", "app=web");
    expect(r.code, r.err).toBe(0);
    const names = r.out.trim().split("\n");
    expect(names).toHaveLength(6);
    expect(names.every((n) => n.startsWith("pod/web-"))).toBe(true);
    expect([...names].sort()).toEqual(names);
  });

  it("prints one object as YAML with its resourceVersion at that time", async () => {
    const r = await cli("get", "node", "worker-2", run, "--at", "10m", "-o", "json");
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out);
    expect(o.kind).toBe("Node");
    expect(o.metadata.name).toBe("worker-2");
    expect(Number(o.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it("says NotFound with exit 1 for a name not there then", async () => {
    const r = await cli("get", "pod", "nope", run, "--at", "1m");
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error from server (NotFound): pods "nope" not found in namespace "default"');
  });

  it("refuses a time past the end or before 0, an unknown kind and a folder that is not a run", async () => {
    const late = await cli("get", "pods", run, "--at", "2h");
    expect(late.code).toBe(2);
    expect(late.err).toContain("--at 2h: after the end of the run");
    const early = await cli("get", "pods", run, "--at", "-1m");
    expect(early.code).toBe(2);
    expect(early.err).toContain("cannot be before 0");
    const kind = await cli("get", "widgets", run);
    expect(kind.code).toBe(2);
    expect(kind.err).toContain('the server doesn\'t have a resource type "widgets"');
    const notRun = mkdtempSync(join(root, "empty-"));
    const r = await cli("get", "pods", notRun);
    expect(r.code).toBe(2);
    expect(r.err).toContain("is not a k8sim run folder");
  });

  it("refuses a folder written by another k8sim version", async () => {
    const other = join(root, "other");
    mkdirSync(other);
    const summary = JSON.parse(readFileSync(join(run, "summary.json"), "utf8"));
    writeFileSync(join(other, "summary.json"), JSON.stringify({ ...summary, k8simVersion: "0.0.1" }));
    const r = await cli("get", "pods", other);
    expect(r.code).toBe(2);
    expect(r.err).toContain("was written by k8sim 0.0.1");
  });
});

describe("k8sim describe at a virtual time", () => {
  it("describes the failed node with its conditions Unknown and its events up to then", async () => {
    const r = await cli("describe", "node/worker-1", run, "--at", "7m");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Name:\s+worker-1$/m);
    expect(r.out).toMatch(/Ready\s+Unknown/);
    expect(r.out).toContain("NodeNotReady");
  });
});

describe("reading events.jsonl up to a time", () => {
  it("gives exactly the lines at or before it, all of them or one object's", () => {
    const lines = readFileSync(join(run, "events.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const folder = openRunFolder(run);
    // Every distinct event time, and the times just before and after each: the binary search's edges.
    const times = [...new Set(lines.map((e) => e.simTime as number))].flatMap((t) => [t - 1, t, t + 1]);
    for (const t of [0, ...times, folder.endMs]) {
      // A 1 KiB probe: the binary search runs over the whole file (a few lines per probe).
      expect(eventsUntil(folder, t, undefined, 1024), `at ${t}`).toEqual(lines.filter((e) => e.simTime <= t));
      const about = { kind: "Node", name: "worker-1" };
      expect(eventsUntil(folder, t, about, 1024), `worker-1 at ${t}`).toEqual(lines.filter((e) => e.simTime <= t && e.involvedObject.kind === "Node" && e.involvedObject.name === "worker-1"));
    }
  });
});

describe("k8sim get events", () => {
  it("lists the run's events with kubectl's columns, filtered by involvedObject.kind", async () => {
    const r = await cli("get", "events", run, "--field-selector", "involvedObject.kind=Node");
    expect(r.code, r.err).toBe(0);
    expect(r.out.split("\n")[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(r.out).toContain("node/worker-1");
    expect(r.out).not.toContain("pod/");
  });
});

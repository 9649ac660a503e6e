/**
 * The change log (src/changelog/): the state it reconstructs at a virtual time equals the store a test observes
 * directly at that time, in bundled scenarios, at many seeded random times, with segments small enough that most
 * queries start from a snapshot in the middle of the run; the leaf diff round-trips; secret values never reach it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import seedrandom from "seedrandom";
import { afterAll, describe, expect, it } from "vitest";
import type { Cluster } from "../src/cluster.js";
import { applyDiff, diff, type Json } from "../src/changelog/diff.js";
import { stateAt } from "../src/changelog/reader.js";
import { recorded } from "../src/changelog/recorder.js";
import { ChangeLogStream } from "../src/changelog/stream.js";
import { startRun } from "../src/run.js";
import { load, SCENARIOS } from "./helpers/scenario-tmp.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("leaf diff", () => {
  const json: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
    v: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.integer(), fc.string(), fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(fc.constantFrom("a", "b", "c", "0"), tie("v"), { maxKeys: 3 })),
  })).v;

  it("applyDiff(a, diff(a, b)) equals b and leaves a as it was", () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const before = JSON.stringify(a);
        expect(applyDiff(a, diff(a, b))).toEqual(b);
        expect(JSON.stringify(a)).toBe(before);
      }),
      { numRuns: 500 },
    );
  });

  it("a moved heartbeat is one entry, not the whole condition list", () => {
    const a = { status: { conditions: [{ type: "Ready", lastHeartbeatTime: "t1" }, { type: "DiskPressure", lastHeartbeatTime: "t1" }] } };
    const b = { status: { conditions: [{ type: "Ready", lastHeartbeatTime: "t2" }, { type: "DiskPressure", lastHeartbeatTime: "t1" }] } };
    expect(diff(a, b)).toEqual([[["status", "conditions", 0, "lastHeartbeatTime"], "t2"]]);
  });

  it("keeps a null value apart from a removed key", () => {
    expect(diff({ a: 1, b: 2 }, { a: null })).toEqual([[["b"]], [["a"], null]]);
  });
});

/** The live store as the log keeps it (Secrets' data redacted), keyed as the reader keys it. */
function liveState(cluster: Cluster): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const { store } = cluster.cp;
  for (const kind of store.kindNames()) {
    for (const o of store.list(kind)) out.set(`${kind}\t${o.metadata.namespace ?? ""}\t${o.metadata.name}`, JSON.parse(JSON.stringify(recorded(o))));
  }
  return out;
}

/** Runs a bundled scenario with its change log, observing the store at `times`; returns the log folder and views. */
function runObserved(file: string, times: number[]): { dir: string; seen: Map<number, Map<string, unknown>>; duration: number } {
  const sc = load(join(SCENARIOS, file));
  let cluster: Cluster | undefined;
  const run = startRun(sc, { changeLog: true, changeLogSegmentChars: 20_000, observe: (c) => (cluster = c) });
  const dir = mkdtempSync(join(tmpdir(), "k8sim-changes-"));
  dirs.push(dir);
  const stream = new ChangeLogStream(dir);
  const seen = new Map<number, Map<string, unknown>>();
  for (const t of [...times].sort((a, b) => a - b)) {
    // Every event at or before t has run once sim.run(t) returns (an instant is complete).
    cluster!.sim.run(t, Infinity);
    stream.append(run.takeChanges());
    seen.set(t, liveState(cluster!));
  }
  run.advance(Infinity);
  run.finish();
  stream.append(run.takeChanges());
  stream.close();
  return { dir, seen, duration: sc.duration };
}

describe("state at a virtual time", () => {
  for (const file of ["node-failure.yaml", "web-stack.yaml", "namespace-teardown.yaml", "config-missing.yaml"]) {
    it(`${file}: get --at equals the store observed at 25 seeded random times`, () => {
      const duration = load(join(SCENARIOS, file)).duration;
      const rng = seedrandom(`changelog/${file}`);
      const times = [0, duration, ...Array.from({ length: 23 }, () => Math.floor(rng() * duration))];
      const { dir, seen } = runObserved(file, times);
      const idx = readFileSync(join(dir, "changes.idx"), "utf8").trim().split("\n");
      // Small segments: the queries start from snapshots all along the run.
      expect(idx.length).toBeGreaterThan(1);
      for (const [t, live] of seen) {
        const got = stateAt(dir, t).objects;
        expect([...got.keys()].sort(), `keys at ${t}ms`).toEqual([...live.keys()].sort());
        for (const [k, v] of live) expect(got.get(k), `${k.replaceAll("\t", "/")} at ${t}ms`).toEqual(v);
      }
    });
  }

  it("reads only the kinds asked for", () => {
    const { dir, seen } = runObserved("node-failure.yaml", [120_000]);
    const got = stateAt(dir, 120_000, new Set(["Lease"])).objects;
    const live = [...seen.get(120_000)!].filter(([k]) => k.startsWith("Lease\t"));
    expect(got.size).toBe(live.length);
    for (const [k, v] of live) expect(got.get(k)).toEqual(v);
  });
});

/**
 * The real executable: SIGINT / SIGTERM stop a run with exit 130 / 143 and an interrupted report; a closed stdout
 * or stderr ends the output quietly while the run still writes its files and keeps its exit code.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ended, MAIN, requireBuild, ROOT, stagingAppears, startCli } from "./helpers/child.js";

const roots: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "k8sim-proc-"));
  roots.push(d);
  return d;
};
afterAll(() => {
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});
/** A run of minutes: it is always still simulating when the signal comes. */
const LONG = ["run", "scenarios/node-failure.yaml", "--set", "spec.cluster.nodePools.0.count=500", "--set", "spec.duration=24h"];

beforeAll(requireBuild);

describe("signals", () => {
  for (const [signal, code, second] of [["SIGINT", 130, undefined], ["SIGTERM", 143, "SIGINT"]] as const) {
    it(`${signal}${second ? ` then ${second}` : ""}: exit ${code}, an interrupted report, a line saying so`, async () => {
      const out = join(tmp(), "r");
      const child = startCli([...LONG, "--out", out]);
      const done = ended(child);
      await stagingAppears(child, out);
      await new Promise((r) => setTimeout(r, 100));
      child.kill(signal);
      // The second signal 50ms later, while the first is being handled: sent 5ms apart, both could be pending at once
      // when the child is not scheduled meanwhile (two test workers on two cores), and Linux delivers pending
      // signals lowest number first, so SIGINT (2) would overtake SIGTERM (15).
      if (second) setTimeout(() => child.kill(second), 50);
      const r = await done;
      expect(r.signal).toBeNull();
      expect(r.code).toBe(code);
      const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
      expect(s.interrupted).toEqual({ signal, atMs: s.simulatedMs, at: s.simulatedDuration, instantComplete: true });
      expect(r.stderr).toContain(`k8sim: interrupted by ${signal} at virtual time ${s.interrupted.at} of 24h`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(join(out, "events.jsonl"), "utf8").trimEnd().split("\n").length).toBe(s.totals.kubernetesEvents);
      expect(readdirSync(join(out, ".."))).toEqual(["r"]);
    }, 60_000);
  }
});

describe("the crash-injection seam", () => {
  it("refuses an unknown K8SIM_CRASH_AT step with exit 2, so a test cannot inject nothing by a typo", async () => {
    const r = await ended(startCli(["run", "scenarios/node-failure.yaml", "--out", join(tmp(), "r")], { K8SIM_CRASH_AT: "befor-swap" }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^k8sim: K8SIM_CRASH_AT=befor-swap: expected one of staging-created, partial, staged, before-swap, after-old-rename, after-new-rename$/m);
  }, 30_000);
});

describe("a closed output stream (EPIPE)", () => {
  it("stdout closed before the run prints: no stack trace, exit 0, the files written", async () => {
    const out = join(tmp(), "r");
    const child = startCli(["run", "scenarios/node-failure.yaml", "--out", out]);
    child.stdout!.destroy();
    const r = await ended(child);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["changes.idx", "changes.log", "events.jsonl", "faults.csv", "logs.jsonl", "metrics.csv", "run-info.json", "summary.json"]);
  }, 30_000);

  it("stdout and stderr both closed, with an expectation failing: exit 1 all the same", async () => {
    const out = join(tmp(), "r");
    // scale-up's node pool arrives at 10m: at 6m its end-of-run expectation fails.
    const child = startCli(["run", "scenarios/scale-up.yaml", "--set", "spec.duration=6m", "--out", out]);
    child.stdout!.destroy();
    child.stderr!.destroy();
    const r = await ended(child);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(existsSync(join(out, "summary.json"))).toBe(true);
  }, 30_000);

  it("`k8sim run ... | true` in a shell (a reader gone before the first line): k8sim exits 0 quietly", async () => {
    const out = join(tmp(), "r");
    const sh = spawn("bash", ["-c", `"${process.execPath}" "${MAIN}" run scenarios/node-failure.yaml --out "${out}" 2>"${out}.err" | true; echo "\${PIPESTATUS[0]}"`], { cwd: ROOT });
    const r = await ended(sh);
    expect(r.stdout.trim()).toBe("0");
    expect(readFileSync(`${out}.err`, "utf8")).not.toMatch(/EPIPE|\n\s+at /);
    expect(existsSync(join(out, "summary.json"))).toBe(true);
  }, 30_000);
});

describe("the memory guard on a small heap", () => {
  it("stops a run that outgrows --max-old-space-size=64 with exit 2 and its message, before V8 aborts", async () => {
    const out = join(tmp(), "r");
    // 20,000 pods on 300 nodes outgrow 64 MiB of old space within two simulated minutes; the guard's limit is 80%
    // of it (51 MiB). Without the guard V8 aborts with "JavaScript heap out of memory", exit 134.
    const child = startCli([
      "run", "scenarios/scale-up.yaml", "--out", out,
      "--set", "spec.timeline.0.replicas=20000", "--set", "spec.cluster.nodePools.0.count=300",
      "--set", "spec.cluster.nodePools.0.capacity.pods=1000", "--set", "spec.cluster.nodePools.0.capacity.cpu=1000",
    ], { NODE_OPTIONS: "--max-old-space-size=64" });
    const r = await ended(child);
    expect(r.stderr).not.toMatch(/FATAL ERROR|out of memory/);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^k8sim: the run used \d+ MiB of JavaScript heap at virtual time \S+, above the memory limit of 51 MiB \(80% of Node's heap of 64 MiB\)/m);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/program.js";
import { LogIndex, LogsFileReader, readLogsFile } from "../src/logs/reader.js";
import { logRequests, queryKeeps, queryMayKeep, type LogsQuery } from "../src/logs/requests.js";
import { parseSelector } from "../src/logs/selector.js";
import { instanceLines } from "../src/logs/lines.js";
import { writeBigRun } from "./fixtures/logs/big-run.js";
import { logsFile } from "./fixtures/logs/builder.js";

const tmp = () => mkdtempSync(join(tmpdir(), "k8sim-logs-reader-"));

/** The last lines of every stream a query prints, read through an index that keeps only what the query needs (or all). */
function printed(file: string, q: LogsQuery, filtered: boolean): string[] {
  const index = readLogsFile(file, filtered ? { keep: queryKeeps(q), mayKeep: queryMayKeep(q) } : {});
  const out: string[] = [];
  for (const s of logRequests(index, q).streams) {
    if (s.error !== undefined) out.push(`error ${s.error}`);
    else for (const l of instanceLines(s.instance, { pod: s.pod.record.name, namespace: s.pod.record.ns }, index.horizon(), { tail: 3 })) out.push(`${s.pod.record.name}/${s.container} ${l.at} ${l.text}`);
  }
  return out;
}

describe("reading logs.jsonl", () => {
  it("skipping the records of pods a query cannot name changes nothing it prints", async () => {
    const file = join(tmp(), "logs.jsonl");
    await writeBigRun(file, 20, 30);
    const sel = (s: string) => {
      const r = parseSelector(s);
      if (!r.ok) throw new Error(r.error);
      return r.requirements;
    };
    const queries: LogsQuery[] = [
      { namespace: "default", selector: sel("app=app-7"), allContainers: false, previous: false },
      { namespace: "default", selector: sel("app in (app-3,app-11),pod-template-hash"), allContainers: false, previous: true },
      { namespace: "default", selector: sel("app!=app-1"), allContainers: true, previous: false },
      { namespace: "default", pod: "app-4-7d9c5b8f4-0000a", allContainers: false, previous: false },
    ];
    for (const q of queries) {
      const all = printed(file, q, false);
      expect(all.length).toBeGreaterThan(0);
      expect(printed(file, q, true)).toEqual(all);
    }
  });

  it("reads lines split anywhere across reads, CRLF line ends, a last line without a newline and very long lines", () => {
    const long = "x".repeat(3 << 20);
    const text = logsFile().pod("p", { containers: ["c"] }).start("p", "c", 0, { start: `héllo ✓ ${long}`, every: 1000, line: "ünïcode {n}" }).time(5000).text().replace(/\n/g, "\r\n") + '{"k":"eof","at":5000}';
    const file = join(tmp(), "logs.jsonl");
    writeFileSync(file, text);
    const index = readLogsFile(file);
    expect(index.eof).toBe(true);
    const inst = index.pod("default", "p")!.instances.get("c")![0]!;
    const lines = instanceLines(inst, { pod: "p", namespace: "default" }, index.horizon());
    expect(lines[0]!.text).toBe(`héllo ✓ ${long}`);
    expect(lines.slice(1).map((l) => l.text)).toEqual(["ünïcode 1", "ünïcode 2", "ünïcode 3", "ünïcode 4", "ünïcode 5"]);

    // The same bytes arriving a few at a time, as a follower reads a file being written.
    const parts = Buffer.from(text);
    const grow = join(tmp(), "logs.jsonl");
    writeFileSync(grow, "");
    const reader = new LogsFileReader(grow);
    const follow = new LogIndex();
    for (let i = 0; i < parts.length; i += 999_983) {
      writeFileSync(grow, parts.subarray(0, Math.min(parts.length, i + 999_983)));
      reader.read(follow);
    }
    reader.finish(follow);
    expect(instanceLines(follow.pod("default", "p")!.instances.get("c")![0]!, { pod: "p", namespace: "default" }, follow.horizon())).toEqual(lines);
  });

  it("prints -l app=X --tail=100 of a 30,000-pod, 1-hour run (90,000 container instances) in well under two seconds", async () => {
    const dir = join(tmp(), "big");
    mkdirSync(dir);
    await writeBigRun(join(dir, "logs.jsonl"));
    try {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        let out = "";
        const io = { out: (s: string) => (out += s), err: () => {}, wallClock: () => 0, peakRss: () => 0 };
        const t0 = performance.now();
        const code = await runCli(["logs", dir, "-l", "app=app-17", "--tail=100"], io);
        best = Math.min(best, performance.now() - t0);
        expect(code).toBe(0);
        // 100 pods, 100 lines each. The last pod's third instance started at 1,235,799 ms and writes every 5.5s:
        // its last line by the end (3,600,000) is (3,600,000 - 1,235,799) / 5,500 = 429.8 -> 429.
        expect(out.split("\n").length - 1).toBe(10_000);
        expect(out.endsWith("processed batch 429 for app-17-7d9c5b8f4-0002r\n")).toBe(true);
      }
      // The target is under a second for the whole command (about 0.3s measured on an idle machine); the best of
      // three leaves room for a machine busy with other tests.
      expect(best).toBeLessThan(2000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

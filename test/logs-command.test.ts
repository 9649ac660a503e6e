import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { logsFile, type LogsBuilder } from "./fixtures/logs/builder.js";
import { runCli } from "../src/cli/program.js";
import { cli } from "./helpers/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "k8sim-logs-"));

/**
 * A finished one-minute run:
 * - web: init container init-db (done at 2s), then app (a line every 10s, ready at 5s) and side (every 30s);
 * - api-0 and api-1 (app=api): a line every second;
 * - multi: containers a and b, annotated to default to b; badanno: annotated with a container it does not have;
 * - crash: its container failed at 5s and runs again since 15s; pending: its container never started;
 * - old: deleted at 30s; other/web: the same name in namespace other.
 */
function run(): LogsBuilder {
  return logsFile()
    .pod("web", { labels: { app: "web" }, containers: ["app", "side"], init: ["init-db"] })
    .pod("api-1", { labels: { app: "api", tier: "backend" }, containers: ["srv"] })
    .pod("api-0", { labels: { app: "api", tier: "backend" }, containers: ["srv"] })
    .pod("multi", { containers: ["a", "b"], defaultContainer: "b" })
    .pod("badanno", { containers: ["a", "b"], defaultContainer: "zz" })
    .pod("crash", { labels: { app: "crash" }, containers: ["c"] })
    .pod("pending", { labels: { app: "pending" }, containers: ["x"] })
    .pod("old", { containers: ["o"] })
    .pod("web", { ns: "other", containers: ["only"] })
    .start("web", "init-db", 0, { start: "migrating", exit: "migrated ({exitCode})" })
    .start("api-0", "srv", 0, { every: 1000, line: "api-0 request {n}" })
    .start("api-1", "srv", 0, { every: 1000, line: "api-1 request {n}" })
    .start("multi", "a", 0, { start: "a here" })
    .start("multi", "b", 0, { start: "b here" })
    .start("badanno", "a", 0, { start: "first container" })
    .start("crash", "c", 0, { start: "boot {restart}", exit: "crashed: {reason} ({exitCode})" })
    .start("old", "o", 0, { start: "old pod" })
    .start("web", "only", 0, { start: "web in other" }, "other")
    .end("web", "init-db", 2000, 0, "Completed")
    .start("web", "app", 3000, { every: 10_000, line: "tick {n}", start: "app up", ready: "app ready" })
    .start("web", "side", 3000, { every: 30_000, line: "side {n}" })
    .ready("web", "app", 5000)
    .end("crash", "c", 5000, 1, "Error")
    .time(10_000)
    .start("crash", "c", 15_000, { start: "boot {restart}", exit: "crashed: {reason} ({exitCode})" })
    .time(20_000)
    .gone("old", 30_000)
    .time(30_000)
    .time(40_000)
    .time(50_000)
    .eof(60_000);
}

function finished(): string {
  return run().write(join(tmp(), "run"));
}

const webApp = ["app up", "app ready", "tick 1", "tick 2", "tick 3", "tick 4", "tick 5"].map((l) => l + "\n").join("");

describe("k8sim logs: one pod", () => {
  it("a pod with several containers and no -c reads the first, with kubectl's notice", async () => {
    const r = await cli("logs", finished(), "web");
    expect(r).toEqual({ code: 0, out: webApp, err: 'Defaulted container "app" out of: app, side, init-db (init)\n' });
  });

  it("-c, or the container after the pod's name, picks the container, without a notice", async () => {
    const dir = finished();
    expect(await cli("logs", dir, "web", "-c", "side")).toEqual({ code: 0, out: "side 1\n", err: "" });
    expect(await cli("logs", dir, "web", "side")).toEqual({ code: 0, out: "side 1\n", err: "" });
    expect(await cli("logs", dir, "pod/web", "--container=init-db")).toEqual({ code: 0, out: "migrating\nmigrated (0)\n", err: "" });
  });

  it("the kubectl.kubernetes.io/default-container annotation picks the container; one naming no container is reported", async () => {
    const dir = finished();
    expect(await cli("logs", dir, "multi")).toEqual({ code: 0, out: "b here\n", err: "" });
    expect(await cli("logs", dir, "badanno")).toEqual({ code: 0, out: "first container\n", err: 'Default container name "zz" not found in pod badanno\nDefaulted container "a" out of: a, b\n' });
  });

  it("--all-containers prints the init containers first, then the containers, in spec order; --prefix names each", async () => {
    const r = await cli("logs", finished(), "web", "--all-containers", "--prefix");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toBe(
      [
        "[pod/web/init-db] migrating",
        "[pod/web/init-db] migrated (0)",
        ...["app up", "app ready", "tick 1", "tick 2", "tick 3", "tick 4", "tick 5"].map((l) => `[pod/web/app] ${l}`),
        "[pod/web/side] side 1",
        "",
      ].join("\n"),
    );
  });

  it("kubectl's boolean flags take =true and =false", async () => {
    const dir = finished();
    expect((await cli("logs", dir, "web", "--all-containers=true", "--prefix=false")).out).toBe(["migrating", "migrated (0)", ...webApp.trimEnd().split("\n"), "side 1", ""].join("\n"));
    const bad = await cli("logs", dir, "web", "--prefix=yes");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("strconv.ParseBool: parsing \"yes\": invalid syntax");
  });

  it("--timestamps prints the kubelet's RFC3339NanoFixed time, after the prefix", async () => {
    const r = await cli("logs", finished(), "web", "-c", "app", "--timestamps", "--prefix", "--tail", "2");
    expect(r.out).toBe("[pod/web/app] 2026-01-01T00:00:43.000000000Z tick 4\n[pod/web/app] 2026-01-01T00:00:53.000000000Z tick 5\n");
  });

  it("--tail without a selector defaults to every line; --tail N shows the last N", async () => {
    const dir = finished();
    const all = await cli("logs", dir, "api-0");
    expect(all.out.split("\n").slice(0, -1)).toEqual(Array.from({ length: 60 }, (_, i) => `api-0 request ${i + 1}`));
    expect((await cli("logs", dir, "api-0", "--tail=3")).out).toBe("api-0 request 58\napi-0 request 59\napi-0 request 60\n");
    expect((await cli("logs", dir, "api-0", "--tail", "0")).out).toBe("");
  });

  it("--since counts back from the end of the run; --since-time is absolute (to the second, as the API server takes it)", async () => {
    const dir = finished();
    // The run ended at 60s: lines at 50s and later.
    expect((await cli("logs", dir, "api-0", "--since=10s")).out.split("\n").slice(0, -1)).toEqual(Array.from({ length: 11 }, (_, i) => `api-0 request ${50 + i}`));
    expect((await cli("logs", dir, "api-0", "--since", "1m30s")).out.split("\n").length - 1).toBe(60);
    expect((await cli("logs", dir, "api-0", "--since-time", "2026-01-01T00:00:57.900Z")).out).toBe("api-0 request 57\napi-0 request 58\napi-0 request 59\napi-0 request 60\n");
    expect((await cli("logs", dir, "api-0", "--since-time", "2026-01-01T01:00:58+01:00")).out).toBe("api-0 request 58\napi-0 request 59\napi-0 request 60\n");
  });

  it("--previous reads the instance before the current one", async () => {
    const dir = finished();
    expect(await cli("logs", dir, "crash", "-p")).toEqual({ code: 0, out: "boot 0\ncrashed: Error (1)\n", err: "" });
    expect(await cli("logs", dir, "crash")).toEqual({ code: 0, out: "boot 1\n", err: "" });
  });

  it("--previous with no previous instance is the kubelet's BadRequest, exit 1", async () => {
    const r = await cli("logs", finished(), "web", "-c", "app", "--previous");
    expect(r).toEqual({ code: 1, out: "", err: 'Error from server (BadRequest): previous terminated container "app" in pod "web" not found\n' });
  });

  it("a container that has not started is waiting to start; --ignore-errors prints that on stdout and exits 0", async () => {
    const dir = finished();
    expect(await cli("logs", dir, "pending")).toEqual({ code: 1, out: "", err: 'Error from server (BadRequest): container "x" in pod "pending" is waiting to start: ContainerCreating\n' });
    expect(await cli("logs", dir, "pending", "--ignore-errors")).toEqual({ code: 0, out: 'error: container "x" in pod "pending" is waiting to start: ContainerCreating\n', err: "" });
  });

  it("a flag value that does not parse is worded as pflag and kubectl's flag error func word it, exit 2", async () => {
    const dir = logsFile().pod("p", { containers: ["app"] }).eof(1000).write(join(tmp(), "r"));
    expect(await cli("logs", dir, "p", "--since", "5x")).toEqual({
      code: 2,
      out: "",
      err: `error: invalid argument "5x" for "--since" flag: time: unknown unit "x" in duration "5x"\nSee 'k8sim logs -h' for help and examples\n`,
    });
    expect((await cli("logs", dir, "p", "--tail", "abc")).err).toBe(`error: invalid argument "abc" for "--tail" flag: strconv.ParseInt: parsing "abc": invalid syntax\nSee 'k8sim logs -h' for help and examples\n`);
  });

  it("a container waiting on its image says so as the kubelet's validateContainerLogStatus words it", async () => {
    const b = () => logsFile().pod("p", { containers: ["app"] });
    const at = (reason: string) => b().wait("p", "app", 0, "ErrImagePull").wait("p", "app", 20_000, reason).eof(30_000).write(join(tmp(), "r"));
    const err = async (dir: string) => (await cli("logs", dir, "p")).err;
    expect(await err(at("ImagePullBackOff"))).toBe('Error from server (BadRequest): container "app" in pod "p" is waiting to start: trying and failing to pull image\n');
    expect(await err(at("ErrImagePull"))).toBe('Error from server (BadRequest): container "app" in pod "p" is waiting to start: image can\'t be pulled\n');
    expect(await err(at("ErrImageNeverPull"))).toBe('Error from server (BadRequest): container "app" in pod "p" is waiting to start: ErrImageNeverPull\n');
  });

  it("a pod with init containers waits with PodInitializing before its containers start", async () => {
    const dir = logsFile().pod("p", { containers: ["main"], init: ["setup"] }).start("p", "setup", 0, { start: "setting up" }).eof(1000).write(join(tmp(), "r"));
    expect((await cli("logs", dir, "p", "-c", "main")).err).toBe('Error from server (BadRequest): container "main" in pod "p" is waiting to start: PodInitializing\n');
  });

  it("a missing pod is kubectl's NotFound with the namespace, exit 1; a deleted pod is missing too", async () => {
    const dir = finished();
    expect(await cli("logs", dir, "nope")).toEqual({ code: 1, out: "", err: 'error: error from server (NotFound): pods "nope" not found in namespace "default"\n' });
    expect((await cli("logs", dir, "old")).err).toBe('error: error from server (NotFound): pods "old" not found in namespace "default"\n');
    expect((await cli("logs", dir, "api-0", "-n", "other")).err).toBe('error: error from server (NotFound): pods "api-0" not found in namespace "other"\n');
    expect(await cli("logs", dir, "web", "-n", "other")).toEqual({ code: 0, out: "web in other\n", err: "" });
  });

  it("a container the pod does not have is kubectl's error, exit 1", async () => {
    const r = await cli("logs", finished(), "web", "-c", "nope");
    expect(r).toEqual({ code: 1, out: "", err: "error: container nope is not valid for pod web\n" });
  });

  it("a name reused by a new pod means the newest", async () => {
    const b = logsFile()
      .pod("db-0", { containers: ["db"] })
      .start("db-0", "db", 0, { start: "first db-0" })
      .end("db-0", "db", 1000)
      .gone("db-0", 2000)
      .pod("db-0", { containers: ["db"], at: 3000 })
      .start("db-0", "db", 4000, { start: "second db-0 (restart {restart})" })
      .eof(5000);
    expect((await cli("logs", b.write(join(tmp(), "r")), "db-0")).out).toBe("second db-0 (restart 0)\n");
  });
});

describe("k8sim logs: a selector", () => {
  it("prints each pod in name order with --tail 10 by default", async () => {
    const r = await cli("logs", finished(), "-l", "app=api");
    const last10 = (p: string) => Array.from({ length: 10 }, (_, i) => `${p} request ${51 + i}`);
    expect(r).toEqual({ code: 0, out: [...last10("api-0"), ...last10("api-1"), ""].join("\n"), err: "" });
  });

  it("an explicit --tail=-1 shows every line", async () => {
    const r = await cli("logs", finished(), "-l", "app=api", "--tail=-1", "--prefix");
    expect(r.out.split("\n").length - 1).toBe(120);
    expect(r.out.split("\n")[60]).toBe("[pod/api-1/srv] api-1 request 1");
  });

  it("set-based selectors select as the API server does", async () => {
    const dir = finished();
    expect((await cli("logs", dir, "-l", "app in (crash, web),tier!=backend", "--prefix", "--tail=1")).out).toBe("[pod/crash/c] boot 1\n[pod/web/app] tick 5\n");
    // badanno and multi have no app label; multi's annotation names its b.
    expect(await cli("logs", dir, "-l", "!app", "--tail=1")).toEqual({
      code: 0,
      out: "first container\nb here\n",
      err: 'Default container name "zz" not found in pod badanno\nDefaulted container "a" out of: a, b\n',
    });
  });

  it("a selector matching nothing says so on stderr and exits 0", async () => {
    expect(await cli("logs", finished(), "-l", "app=none")).toEqual({ code: 0, out: "", err: "No resources found in default namespace.\n" });
  });

  it("stops at the first stream that fails, after those before it", async () => {
    const r = await cli("logs", finished(), "-l", "app in (crash,pending)");
    expect(r).toEqual({ code: 1, out: "boot 1\n", err: 'Error from server (BadRequest): container "x" in pod "pending" is waiting to start: ContainerCreating\n' });
  });

  it("a bad selector is the API server's refusal, exit 2", async () => {
    const r = await cli("logs", finished(), "-l", "a b");
    expect(r).toEqual({
      code: 2,
      out: "",
      err: `Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "a b", field selector "": unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt\n`,
    });
  });
});

describe("k8sim logs: invalid input", () => {
  it("a folder that is not a run, or a run from before container logs, is exit 2 with what is wrong", async () => {
    const dir = tmp();
    expect(await cli("logs", dir, "web")).toEqual({ code: 2, out: "", err: `k8sim: ${dir} is not a k8sim run folder: it holds neither logs.jsonl nor summary.json (name a report folder such as reports/<scenario>/seed-<seed>)\n` });
    expect(await cli("logs", join(dir, "missing"), "web")).toEqual({ code: 2, out: "", err: `k8sim: ${join(dir, "missing")}: no such run folder (name a report folder such as reports/<scenario>/seed-<seed>)\n` });
    writeFileSync(join(dir, "summary.json"), "{}\n");
    expect(await cli("logs", dir, "web")).toEqual({
      code: 2,
      out: "",
      err: `k8sim: the run in ${dir} has no container logs: its report has no logs.jsonl (it was written by a k8sim version before container logs); run the scenario again to record them\n`,
    });
  });

  it("a logs.jsonl that is not one is exit 2, naming the line", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "logs.jsonl"), logsFile().pod("web").text() + "{oops\n");
    expect(await cli("logs", dir, "web")).toEqual({ code: 2, out: "", err: `k8sim: ${join(dir, "logs.jsonl")}:3: not a JSON record\n` });
    writeFileSync(join(dir, "logs.jsonl"), '{"k":"run","format":2,"startTime":"2026-01-01T00:00:00Z","scenario":"x","seed":1}\n');
    expect((await cli("logs", dir, "web")).err).toBe(`k8sim: ${join(dir, "logs.jsonl")}:1: format 2 is not the format 1 this k8sim reads; read it with the k8sim version that wrote it\n`);
  });

  it("arguments and flag combinations kubectl refuses, with kubectl's words, exit 2", async () => {
    const dir = finished();
    const usage = "error: expected 'logs <run-dir> [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'k8sim logs -h' for help and examples\n";
    const cases: [string[], string][] = [
      [[], usage],
      [["web", "app", "more"], usage],
      [["web", "-l", "app=web"], "error: only a selector (-l) or a POD name is allowed\nSee 'k8sim logs -h' for help and examples\n"],
      [["web", "--since", "1h", "--since-time", "2026-01-01T00:00:00Z"], "error: at most one of `sinceTime` or `sinceSeconds` may be specified\n"],
      [["web", "-c", "app", "--all-containers"], "error: --all-containers=true should not be specified with container name app\n"],
      [["web", "app", "-c", "app"], "error: only one of -c or an inline [CONTAINER] arg is allowed\n"],
      [["web", "--since=-5s"], "error: --since must be greater than 0\n"],
      [["web", "--tail=-2"], "error: --tail must be greater than or equal to -1\n"],
      [["web", "--since-time", "2026-01-01"], 'error: parsing time "2026-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"\n'],
      [["web", "--since-time", "2026-13-01T00:00:00Z"], 'error: parsing time "2026-13-01T00:00:00Z": month out of range\n'],
      [["foo/web"], 'error: the server doesn\'t have a resource type "foo"\n'],
    ];
    for (const [args, err] of cases) expect(await cli("logs", dir, ...args), args.join(" ")).toEqual({ code: 2, out: "", err });
  });

  it("flag values are parsed as kubectl parses them", async () => {
    const dir = finished();
    expect((await cli("logs", dir, "web", "--since", "1d")).err).toContain('time: unknown unit "d" in duration "1d"');
    expect((await cli("logs", dir, "web", "--tail", "x")).err).toContain('strconv.ParseInt: parsing "x": invalid syntax');
    expect((await cli("logs", dir, "web", "--since", "1d")).code).toBe(2);
  });

  it("a controller's TYPE/NAME is refused with the reason: logs.jsonl records no owners", async () => {
    const r = await cli("logs", finished(), "deploy/web");
    expect(r.code).toBe(2);
    expect(r.err).toBe("k8sim: deployment/web: logs.jsonl records pods but not their owners, so k8sim cannot find the pods of a deployment yet; name a pod, or select them with -l and the deployment's labels\n");
  });
});

describe("k8sim logs -f", () => {
  it("on a finished run prints everything and ends", async () => {
    expect(await cli("logs", finished(), "web", "-c", "app", "-f")).toEqual({ code: 0, out: webApp, err: "" });
  });

  it("with more streams than --max-log-requests is kubectl's error, exit 1", async () => {
    const dir = finished();
    expect(await cli("logs", dir, "-l", "app=api", "-f", "--max-log-requests", "1")).toEqual({
      code: 1,
      out: "",
      err: "error: you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, use --max-log-requests to increase the limit\n",
    });
    expect((await cli("logs", dir, "web", "--all-containers", "-f")).code).toBe(0); // 3 streams, 5 allowed
  });

  it("several streams are printed in time order", async () => {
    const r = await cli("logs", finished(), "web", "--all-containers", "-f", "--prefix");
    expect(r.out.split("\n").slice(0, 6)).toEqual(["[pod/web/init-db] migrating", "[pod/web/init-db] migrated (0)", "[pod/web/app] app up", "[pod/web/app] app ready", "[pod/web/app] tick 1", "[pod/web/app] tick 2"]);
    expect(r.out).toContain("[pod/web/app] tick 3\n[pod/web/side] side 1\n[pod/web/app] tick 4\n");
  });

  it("follows a run in progress as its time marks arrive, and ends at the eof", async () => {
    const parent = tmp();
    const report = join(parent, "seed-42");
    // A run in progress writes into its staging folder beside the report; this test's parent process stands in for
    // the run (its pid must be alive). The report folder itself does not exist yet.
    const staging = join(parent, `.seed-42.k8sim-staging-${process.ppid}`);
    mkdirSync(staging);
    const file = join(staging, "logs.jsonl");
    const b = logsFile().pod("worker", { containers: ["w"] }).start("worker", "w", 0, { every: 1000, line: "step {n}", start: "go", exit: "bye {exitCode}" }).time(2500);
    writeFileSync(file, b.text());
    let n = b.length;
    const append = (f: (b: LogsBuilder) => void) => {
      f(b);
      appendFileSync(file, b.text(n));
      n = b.length;
    };
    let out = "";
    let err = "";
    const io = { out: (s: string) => (out += s), err: (s: string) => (err += s), wallClock: () => 0, peakRss: () => 0 };
    const following = runCli(["logs", report, "worker", "-f"], io);
    const until = async (text: string) => {
      for (let i = 0; i < 200 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 20));
    };
    // Lines before the last time mark (2.5s) are final; step 3 (at 3s) is not written yet.
    await until("step 2");
    expect(out).toBe("go\nstep 1\nstep 2\n");
    append((x) => x.time(4000));
    await until("step 3");
    // A run in progress shows lines before its last mark only: step 4 is at 4s exactly, and more may come then.
    expect(out).toBe("go\nstep 1\nstep 2\nstep 3\n");
    append((x) => x.end("worker", "w", 4500, 3, "Error").time(6000).eof(6000));
    expect(await following).toBe(0);
    expect({ out, err }).toEqual({ out: "go\nstep 1\nstep 2\nstep 3\nstep 4\nbye 3\n", err: "" });
  });

  it("ends at the eof record when the container is still running", async () => {
    const parent = tmp();
    const staging = join(parent, `.r.k8sim-staging-${process.ppid}`);
    mkdirSync(staging);
    const b = logsFile().pod("p", { containers: ["c"] }).start("p", "c", 0, { every: 1000, line: "n{n}" }).time(1500);
    writeFileSync(join(staging, "logs.jsonl"), b.text());
    const following = cli("logs", join(parent, "r"), "p", "-f");
    await new Promise((r) => setTimeout(r, 250));
    appendFileSync(join(staging, "logs.jsonl"), JSON.stringify({ k: "eof", at: 3000 }) + "\n");
    expect(await following).toEqual({ code: 0, out: "n1\nn2\nn3\n", err: "" });
  });

  it("ends when the followed container ends, as the kubelet ends a follow when its container stops", async () => {
    const parent = tmp();
    const staging = join(parent, `.r.k8sim-staging-${process.ppid}`);
    mkdirSync(staging);
    const b = logsFile().pod("p", { containers: ["c"] }).start("p", "c", 0, { every: 1000, line: "n{n}", exit: "done" }).end("p", "c", 1500, 0).time(2000);
    writeFileSync(join(staging, "logs.jsonl"), b.text());
    expect(await cli("logs", join(parent, "r"), "p", "-f")).toEqual({ code: 0, out: "n1\ndone\n", err: "" });
  });

  it("stops with exit 1 when the run's process ends before writing the eof", async () => {
    const parent = tmp();
    const writer = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      const staging = join(parent, `.r.k8sim-staging-${writer.pid}`);
      mkdirSync(staging);
      writeFileSync(join(staging, "logs.jsonl"), logsFile().pod("p", { containers: ["c"] }).start("p", "c", 0, { every: 1000, line: "n{n}" }).time(2500).text());
      const following = cli("logs", join(parent, "r"), "p", "-f");
      await new Promise((r) => setTimeout(r, 250));
      writer.kill("SIGKILL");
      const r = await following;
      expect(r.code).toBe(1);
      expect(r.out).toBe("n1\nn2\n");
      expect(r.err).toBe(`k8sim: the run writing ${join(staging, "logs.jsonl")} (process ${writer.pid}) ended before its logs did; they stop at virtual time 2500ms\n`);
    } finally {
      writer.kill("SIGKILL");
    }
  });

  it("without -f, a run that has no report yet is read as far as it has got", async () => {
    const parent = tmp();
    const staging = join(parent, `.r.k8sim-staging-${process.ppid}`);
    mkdirSync(staging);
    writeFileSync(join(staging, "logs.jsonl"), logsFile().pod("p", { containers: ["c"] }).start("p", "c", 0, { every: 1000, line: "n{n}" }).time(2500).text());
    expect(await cli("logs", join(parent, "r"), "p")).toEqual({ code: 0, out: "n1\nn2\n", err: "" });
  });
});

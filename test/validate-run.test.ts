/**
 * `validate` and `run` share one loading path (issue 5, item 11): for every bad scenario, validate prints exactly
 * the error lines run prints, with the same --set / --seed / --limit options, and both exit 2.
 */
import { afterAll, describe, expect, it } from "vitest";
import { validateFiles } from "../src/scenario/load.js";
import { loadScenario } from "../src/scenario/load.js";
import { cli } from "./helpers/cli.js";
import { removeScenarios, SCENARIOS, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const NODE_FAILURE = `${SCENARIOS}/node-failure.yaml`;
const HEAD = "apiVersion: k8sim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: t}\n";

/** The error lines of a command's stderr: not warnings, not the closing count. */
function errorLines(err: string): string[] {
  return err.split("\n").filter((l) => l !== "" && !l.startsWith("warning: ") && !l.startsWith("k8sim: "));
}

const FILES: [name: string, text: string][] = [
  ["an empty file", ""],
  ["only a comment", "# nothing here\n"],
  ["only a document marker", "---\n"],
  ["two documents", `${HEAD}spec: {duration: 1m}\n---\n${HEAD}spec: {duration: 1m}\n`],
  ["a scalar", "hello\n"],
  ["a list", "- a\n- b\n"],
  ["a mapping without a kind", "foo: bar\n"],
  ["YAML that does not parse", "spec: [\n"],
  ["a sub-millisecond duration", `${HEAD}spec: {duration: 1500us}\n`],
  ["an out-of-range duration", `${HEAD}spec: {duration: 2562048h}\n`],
  ["a start time past 9999", `${HEAD}spec: {duration: 1h, startTime: "9999-12-31T23:30:00Z"}\n`],
  ["too many nodes", `${HEAD}spec:\n  duration: 1m\n  cluster: {nodePools: [{name: a, count: 1000000000, capacity: {cpu: 1, memory: 1Gi}}]}\n`],
  ["a missing manifest file", `${HEAD}spec:\n  duration: 1m\n  workloads: [{file: nope.yaml}]\n`],
  ["a bad setting", `${HEAD}spec: {duration: 1m, settings: {heartbeatJitterFactor: 1e308, nodeMonitorPeriod: 1.5ms}}\n`],
];

describe("validate says exactly what run says", () => {
  it.each(FILES)("%s", async (_name, text) => {
    const file = writeScenario(text);
    const run = await cli("run", file, "--out", `${file}.out`);
    const validate = await cli("validate", file);
    expect(run.code).toBe(2);
    expect(validate.code).toBe(2);
    expect(errorLines(validate.err)).toEqual(errorLines(run.err));
    const loaded = loadScenario(file);
    expect(!loaded.ok && loaded.errors).toEqual(errorLines(run.err));
  });

  it.each([
    [["--set", "spec.duration=1500us"]],
    [["--set", "spec.cluster.nodePools.0.count=4294967296"]],
    [["--limit", "nodes=2"]],
    [["--limit", "nodes=lots", "--set", "spec.metrics.interval=1ms", "--set", "spec.duration=2h"]],
    [["--seed", "1", "--set", "spec.startTime=9999-12-31T23:59:00Z"]],
  ])("with the same options: %j", async (flags) => {
    const run = await cli("run", NODE_FAILURE, "--out", "/nonexistent-never-written", ...flags);
    const validate = await cli("validate", NODE_FAILURE, ...flags);
    expect(run.code).toBe(2);
    expect(validate.code).toBe(2);
    expect(errorLines(validate.err)).toEqual(errorLines(run.err));
  });

  it("an empty file is refused by validate, as by run", async () => {
    const file = writeScenario("");
    const r = await cli("validate", file);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:1:1: the file is empty; expected a Scenario\n`);
  });

  it("an earlier bad file does not cut a later scenario's checks short", () => {
    const bad = writeScenario("spec: [\n");
    const later = writeScenario(`${HEAD}spec: {duration: 1500us}\n`);
    const r = validateFiles([bad, later]);
    const own = loadScenario(later);
    expect(!own.ok && own.errors.every((e) => r.errors.includes(e))).toBe(true);
  });

  it("plain manifest files are still checked as manifests", async () => {
    const r = await cli("validate", `${SCENARIOS}/manifests/nginx.yaml`);
    expect(r.code).toBe(0);
  });

  it("a bad --limit is an error even when only manifest files are validated", async () => {
    const r = await cli("validate", `${SCENARIOS}/manifests/nginx.yaml`, "--limit", "bogus=1");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--limit bogus=1: expected name=value with a name among nodes, pods, objects, metricsSamples, duration, fileSize, memory, eventsPerInstant\n");
  });
});

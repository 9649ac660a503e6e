/**
 * Issue 8's hostile inputs (item 18, named "8 ..."): Job, CronJob, ConfigMap and Secret manifests the API server
 * refuses, each with upstream's message at the field's file:line:col, exit 2 and nothing written; and the new
 * behavior key exitCodes. The scenario is batch-scenario.ts (the manifest from line 11).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaseResult } from "./result.js";
import { batchScenario, cronJobLines, jobLines } from "./batch-scenario.js";
import type { HostileCase } from "./cases.js";
import { runtimeScenario } from "./runtime-scenario.js";
import type { Workspace } from "./workspace.js";

const path = (ws: Workspace) => join(ws.dir, "batch.yaml");

/** Exit 2, a line `batch.yaml:<pos>: <text>` exactly as given, and no report folder. */
function refused(pos: string, text: string): (r: CaseResult) => string[] {
  return (r) => {
    const p: string[] = [];
    if (r.code !== 2) p.push(`expected exit 2, got ${r.code}`);
    const line = `/batch.yaml:${pos}: ${text}`;
    if (!r.err.split("\n").some((l) => l.endsWith(line))) p.push(`stderr has no line ending ${JSON.stringify(line)}`);
    return p;
  };
}

/**
 * A case per (manifest, expected line) of issue `issue`'s hostile item `item`: the manifest as batch-scenario.ts's one
 * workload, run with `run` or `validate` (and, with `child`, as a real child process too).
 */
export function manifestCase(issue: number, item: number, name: string, manifest: readonly string[], pos: string, text: string, command: "run" | "validate" = "run", child = false): HostileCase {
  return {
    name: `${issue} ${name}`,
    item,
    isolation: "in-process",
    ...(child ? { child: true } : {}),
    setup: (ws) => writeFileSync(path(ws), batchScenario(manifest)),
    argv: (ws) => (command === "run" ? ["run", path(ws), "--out", ws.out] : ["validate", path(ws)]),
    expect: refused(pos, text),
  };
}

/** Issue 8's cases (item 18). */
const batchCase = (name: string, manifest: readonly string[], pos: string, text: string, command: "run" | "validate" = "run", child = false) => manifestCase(8, 18, name, manifest, pos, text, command, child);

const CONFIG_KEY = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** The cases, in the issue's order. */
export const BATCH_CASES: readonly HostileCase[] = [
  batchCase("cron 61 * * * *", cronJobLines('"61 * * * *"'), "15:21", 'CronJob/tick: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61', "run", true),
  batchCase("cron * * * (validate)", cronJobLines('"* * *"'), "15:21", 'CronJob/tick: spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]', "validate"),
  batchCase("cron TZ= prefix", cronJobLines('"TZ=UTC 0 * * * *"'), "15:21", 'CronJob/tick: spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'),
  batchCase("cron unknown time zone", cronJobLines('"0 * * * *"', ["timeZone: Mars/Olympus"]), "16:21", 'CronJob/tick: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'),
  batchCase("cron concurrencyPolicy", cronJobLines('"0 * * * *"', ["concurrencyPolicy: Sometimes"]), "16:30", 'CronJob/tick: spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'),
  batchCase("Indexed Job without completions", jobLines(["completionMode: Indexed", "parallelism: 3"]), "15:11", "Job/pi: spec.completions: Required value: when completion mode is Indexed", "run", true),
  batchCase("Job restartPolicy Always", jobLines([], "Always"), "17:30", 'Job/pi: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'),
  batchCase("Job backoffLimit -1", jobLines(["backoffLimit: -1"]), "15:25", "Job/pi: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"),
  batchCase("Secret data not base64", ["apiVersion: v1", "kind: Secret", "metadata: {name: s}", "data:", "  password: not base64!"], "15:21", 'Secret/s: Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3', "run", true),
  batchCase("ConfigMap binaryData not base64", ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: c}", "binaryData:", "  blob: '#'"], "15:17", 'ConfigMap/c: ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 0'),
  batchCase("ConfigMap key not a key name", ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: c}", "data:", '  "bad key": x'], "15:22", `ConfigMap/c: data[bad key]: Invalid value: "bad key": ${CONFIG_KEY}`),
  batchCase("tls Secret without tls.key", ["apiVersion: v1", "kind: Secret", "metadata: {name: t}", "type: kubernetes.io/tls", "data:", "  tls.crt: YQ=="], "16:11", "Secret/t: data[tls.key]: Required value"),
  {
    name: "8 exitCodes with a value above 255",
    item: 18,
    isolation: "in-process",
    setup: (ws) => writeFileSync(join(ws.dir, "runtime.yaml"), runtimeScenario({ behavior: ["exitCodes: [1, 256]"] })),
    argv: (ws) => ["validate", join(ws.dir, "runtime.yaml")],
    expect: (r) => (r.code === 2 && /runtime\.yaml:26:\d+: spec\.behaviors\[0\]\.exitCodes\[1\]: must be at most 255, got 256/.test(r.err) ? [] : [`expected exit 2 naming exitCodes[1], got ${r.code}: ${r.err.slice(0, 300)}`]),
  },
  {
    name: "8 exitCodes empty",
    item: 18,
    isolation: "in-process",
    setup: (ws) => writeFileSync(join(ws.dir, "runtime.yaml"), runtimeScenario({ behavior: ["exitCodes: []"] })),
    argv: (ws) => ["validate", join(ws.dir, "runtime.yaml")],
    expect: (r) => (r.code === 2 && /runtime\.yaml:26:\d+: spec\.behaviors\[0\]\.exitCodes/.test(r.err) ? [] : [`expected exit 2 naming exitCodes, got ${r.code}: ${r.err.slice(0, 300)}`]),
  },
];

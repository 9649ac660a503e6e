/**
 * A Secret's values never reach any output (issue 8): a scenario plants a distinctive value in a Secret (in data as
 * base64 and in stringData as text), uses it from env, envFrom and a volume, updates it, tries an update the API
 * server refuses, and fails on purpose where messages name the Secret; then every file of the report, everything
 * the CLI printed and `k8sim logs` are searched for the value, its base64 form and each of its base64 alignments.
 * A service-account token Secret the token controller populates (and the pods mount) is searched for the same way.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import type { Secret } from "../src/api/types.js";
import { load, removeScenarios, run, writeScenario } from "./helpers/scenario-tmp.js";

afterAll(removeScenarios);

const PLAIN = "hunter2-k8sim-leak-canary-7f3a";
const STRING_DATA = "stringdata-canary-91c4e";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/** The value, its base64 form, and its base64 forms at each of the three byte alignments (a value inside a larger
 *  blob), minus the edge characters that depend on the neighbours. */
function needles(value: string): string[] {
  const out = [value, b64(value)];
  for (const pad of ["x", "xy"]) {
    const enc = b64(pad + value);
    out.push(enc.slice(4, -4));
  }
  return out;
}

const SCENARIO = `apiVersion: k8sim.dev/v1alpha1
kind: Scenario
metadata: {name: secret-leak}
spec:
  duration: 3m
  cluster:
    nodePools:
      - {name: n, count: 1, capacity: {cpu: "4", memory: 8Gi, pods: 110}}
  behaviors:
    - {name: talk, selector: {matchLabels: {app: api}}, logs: {start: "starting with DB_PASSWORD set", every: 10s, line: "tick {n}"}}
  workloads:
    - manifest:
        apiVersion: v1
        kind: Secret
        metadata: {name: db}
        type: Opaque
        data: {password: ${b64(PLAIN)}}
        stringData: {extra: ${STRING_DATA}}
    - manifest: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
    - manifest:
        apiVersion: v1
        kind: Secret
        metadata: {name: robot-token, annotations: {kubernetes.io/service-account.name: robot}}
        type: kubernetes.io/service-account-token
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api}
        spec:
          replicas: 2
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec:
              serviceAccountName: robot
              containers:
                - name: api
                  image: busybox
                  env:
                    - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
                    - {name: MISSING, valueFrom: {secretKeyRef: {name: db, key: nope, optional: true}}}
                  envFrom: [{secretRef: {name: db}, prefix: DB_}]
                  volumeMounts: [{name: creds, mountPath: /etc/creds}, {name: robot, mountPath: /etc/robot}]
              volumes:
                - {name: creds, secret: {secretName: db}}
                - {name: robot, secret: {secretName: robot-token}}
    - manifest:
        apiVersion: batch/v1
        kind: Job
        metadata: {name: wrong-key}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: c
                  image: busybox
                  env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: not-there}}}]
  timeline:
    - at: 30s
      action: apply
      manifest:
        apiVersion: v1
        kind: Secret
        metadata: {name: db}
        type: Opaque
        immutable: true
        stringData: {password: ${PLAIN}-rotated}
    - at: 1m
      action: apply
      manifest:
        apiVersion: v1
        kind: Secret
        metadata: {name: db}
        type: Opaque
        immutable: true
        stringData: {password: ${PLAIN}-refused}
  metrics: {interval: 10s}
`;

/** The seeded stand-in prefix every service-account token starts with (src/api/serviceaccount/stand-ins.ts), and
 *  its base64 forms at the three alignments (a token is the whole value, so alignment 0 starts the blob). */
const TOKEN_PREFIX = "k8sim-simulated-token.";
const prefixNeedles = () => [TOKEN_PREFIX, b64(TOKEN_PREFIX).slice(0, -4), ...["x", "xy"].map((pad) => b64(pad + TOKEN_PREFIX).slice(4, -4))];

/** The token the token controller wrote into robot-token (the same seed as the CLI's run, so the same value). */
function populatedToken(file: string): string {
  let token = "";
  run(load(file), undefined, (c) => {
    const data = c.cp.api.get<Secret>("Secret", "default", "robot-token")?.data;
    token = Buffer.from(data?.token ?? "", "base64").toString("utf8");
  });
  return token;
}

describe("a Secret's values in no output", () => {
  it("leaves no trace of the planted values in the report, the CLI's output or k8sim logs", async () => {
    const file = writeScenario(SCENARIO);
    // The token controller did populate the token Secret the pods mount (a value that exists, to look for).
    const token = populatedToken(file);
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    const out = join(file, "..", "out");
    const run = await cli("run", file, "--out", out);
    expect(run.code, run.err).toBeLessThanOrEqual(1);
    const logs = await cli("logs", out, "-l", "app=api", "--all-containers", "--prefix");
    const texts: [string, string][] = [
      ["stdout", run.out],
      ["stderr", run.err],
      ["k8sim logs", logs.out + logs.err],
    ];
    for (const f of readdirSync(out)) texts.push([f, readFileSync(join(out, f), "utf8")]);
    // The run did what the test relies on: the refused update is reported, the Secret's data was used.
    expect(texts.find(([n]) => n === "summary.json")![1]).toContain("field is immutable when `immutable` is set");
    expect(texts.map(([n]) => n)).toEqual(expect.arrayContaining(["events.jsonl", "summary.json", "metrics.csv", "logs.jsonl"]));
    for (const value of [PLAIN, `${PLAIN}-rotated`, `${PLAIN}-refused`, STRING_DATA, token]) {
      for (const n of needles(value)) {
        for (const [name, text] of texts) expect(text.includes(n), `${name} contains ${JSON.stringify(n)} (from ${JSON.stringify(value)})`).toBe(false);
      }
    }
    // Nor any service-account token at all (the stand-ins share their prefix).
    for (const n of prefixNeedles()) for (const [name, text] of texts) expect(text.includes(n), `${name} contains ${JSON.stringify(n)} (a token)`).toBe(false);
  });

  it("the needles would be found if a value leaked (the check can fail)", () => {
    const leaked = JSON.stringify({ data: { password: b64(`xy${PLAIN}`) } });
    expect(needles(PLAIN).some((n) => leaked.includes(n))).toBe(true);
    const token = `${TOKEN_PREFIX}default.robot.abc`;
    for (const blob of [b64(token), b64(`x${token}`), b64(`xy${token}`)]) expect(prefixNeedles().some((n) => blob.includes(n))).toBe(true);
  });
});

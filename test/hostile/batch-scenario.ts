/**
 * A small scenario holding one manifest of the batch or configuration kinds, at fixed lines, so that the hostile
 * cases of issue 8 (batch-cases.ts) can name the exact `file:line:col` of each problem:
 *
 *   line 10  `    - manifest:`
 *   line 11  the manifest's first line (each manifest line indented by 8)
 */

/** The scenario text with `manifest` (YAML lines, unindented) as its one workload. */
export function batchScenario(manifest: readonly string[]): string {
  return [
    "apiVersion: k8sim.dev/v1alpha1",
    "kind: Scenario",
    "metadata: {name: batch}",
    "spec:",
    "  duration: 1m",
    "  cluster:",
    "    nodePools:",
    '      - {name: n, count: 1, capacity: {cpu: "4", memory: 8Gi, pods: 110}}',
    "  workloads:",
    "    - manifest:",
    ...manifest.map((l) => `        ${l}`),
    "",
  ].join("\n");
}

/** A CronJob manifest (schedule and timeZone as given, flow-quoted by the caller), from line 11. */
export function cronJobLines(schedule: string, extra: readonly string[] = []): string[] {
  return [
    "apiVersion: batch/v1",
    "kind: CronJob",
    "metadata: {name: tick}",
    "spec:",
    `  schedule: ${schedule}`,
    ...extra.map((l) => `  ${l}`),
    "  jobTemplate:",
    "    spec:",
    "      template:",
    "        spec:",
    "          restartPolicy: Never",
    "          containers: [{name: c, image: busybox}]",
  ];
}

/** A Job manifest with `spec` lines (indented under spec:), from line 11. */
export function jobLines(spec: readonly string[], restartPolicy = "Never"): string[] {
  return [
    "apiVersion: batch/v1",
    "kind: Job",
    "metadata: {name: pi}",
    "spec:",
    ...spec.map((l) => `  ${l}`),
    "  template:",
    "    spec:",
    `      restartPolicy: ${restartPolicy}`,
    "      containers: [{name: c, image: busybox}]",
  ];
}

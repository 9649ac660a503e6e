/**
 * `k8sim run --bundle FILE.tgz`: the checks made before the run (so an unusable bundle path costs nothing) and the
 * write after the report was committed (the bundle hashes the report's files).
 */
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { bundleManifest, unbundlableInput, writeBundle } from "../bundle/write.js";
import type { RunOutcome } from "../run.js";
import { isInside } from "../scenario/input-file.js";
import type { InputFile, LoadOptions } from "../scenario/load.js";
import type { Scenario } from "../scenario/types.js";
import { K8SIM_VERSION } from "../version.js";
import { EXIT_INVALID_INPUT, EXIT_OK, type CliIO } from "./io.js";

/** Why `file` cannot take the bundle of a run reporting into `reportDir` with `inputs`, or undefined. */
export function bundleFlagProblem(file: string, reportDir: string, inputs: readonly InputFile[]): string | undefined {
  const outside = unbundlableInput(inputs);
  if (outside) return outside;
  if (file === "") return "expected a file name, e.g. bug.tgz";
  // The report folder is replaced as a whole and may hold only report files.
  if (isInside(resolve(file), resolve(reportDir))) return `it is inside the report folder ${reportDir}; expected a path outside it`;
  try {
    if (statSync(file).isDirectory()) return "it is a folder; expected a file name, e.g. bug.tgz";
  } catch {
    // Not there yet: the usual case.
  }
  try {
    if (!statSync(dirname(resolve(file))).isDirectory()) return `${dirname(file)} is not a folder`;
  } catch {
    return `its folder ${dirname(file)} does not exist`;
  }
  return undefined;
}

/**
 * Writes the bundle of a completed run and prints where; returns EXIT_OK, or EXIT_INVALID_INPUT when it could not
 * be written (the report stays). An interrupted run gets no bundle: its digest is not the run's.
 */
export function writeRunBundle(file: string, inputs: readonly InputFile[], sc: Scenario, load: LoadOptions, outcome: RunOutcome, reportDir: string, io: CliIO): number {
  const s = outcome.summary;
  if (s.interrupted) {
    io.err(`k8sim: no bundle was written to ${file}: the run was interrupted at ${s.interrupted.at}, and a bundle records a complete run\n`);
    return EXIT_OK;
  }
  const scenario = inputs.find((f) => resolve(dirname(sc.file), f.path) === resolve(sc.file));
  try {
    const manifest = bundleManifest(
      {
        scenario: scenario?.path ?? sc.file,
        seed: sc.seed,
        flags: { seed: load.seed ?? null, set: [...(load.overrides ?? [])], limit: [...(load.limits ?? [])] },
        digest: s.digest,
        simulatedDuration: s.simulatedDuration,
        reportDir,
        k8simVersion: K8SIM_VERSION,
      },
      inputs,
    );
    writeBundle(file, manifest, inputs);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    io.err(`--bundle ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    io.err(`k8sim: the report was written, but the bundle could not be written to ${file}${typeof code === "string" ? `: ${code}` : ""}\n`);
    return EXIT_INVALID_INPUT;
  }
  io.out(`bundle: ${file} (${inputs.length} input file(s); replay it with: k8sim replay ${file})\n`);
  return EXIT_OK;
}

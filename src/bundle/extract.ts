/**
 * Extracting a bundle that readBundle has checked: its input files go into a hidden staging folder inside the
 * target, which is renamed to `<target>/scenario` once every file is in, so the target never holds a scenario
 * folder that looks complete but is not. Every path was checked already (relative, no `..`); each one is joined
 * below the staging folder and checked again to lie inside it, and files are created exclusively (`wx`), so no
 * entry can write through a symlink or over another file.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isInside } from "../scenario/input-file.js";
import { INPUT_FOLDER } from "./manifest.js";
import type { Bundle } from "./read.js";

/** Where a replay's files go inside its folder: the extracted scenario and the report of the rerun. */
export interface ReplayLayout {
  /** The folder holding the scenario's files (`<target>/scenario`). */
  scenarioDir: string;
  /** The scenario file. */
  scenarioFile: string;
  /** The rerun's report folder (`<target>/report`). */
  reportDir: string;
}

/** The layout of a replay in `target`. */
export function replayLayout(target: string, bundle: Bundle): ReplayLayout {
  const scenarioDir = join(target, INPUT_FOLDER);
  return { scenarioDir, scenarioFile: join(scenarioDir, ...bundle.manifest.scenario.split("/")), reportDir: join(target, "report") };
}

/**
 * Why `target` cannot take a replay, or undefined: it must be missing or an empty folder (a replay never mixes
 * its files with others, nor replaces them).
 */
export function targetProblem(target: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR") return "it is not a folder";
    return `it cannot be read (${code})`;
  }
  return names.length === 0 ? undefined : "it is not empty; expected a new or empty folder for the replay";
}

/** Writes the bundle's inputs into `target` (created if missing) and returns the layout. Throws the file system's error, leaving no scenario folder behind. */
export function extractBundle(target: string, bundle: Bundle): ReplayLayout {
  const layout = replayLayout(target, bundle);
  mkdirSync(target, { recursive: true });
  const staging = join(target, `.${INPUT_FOLDER}.k8sim-staging-${process.pid}`);
  const root = resolve(staging);
  try {
    mkdirSync(staging);
    for (const f of bundle.inputs) {
      const p = resolve(root, ...f.path.split("/"));
      if (!isInside(p, root) || p === root) throw new Error(`entry ${JSON.stringify(f.path)} would be written outside ${target}`);
      mkdirSync(resolve(p, ".."), { recursive: true });
      writeFileSync(p, f.bytes, { flag: "wx", mode: 0o644 });
    }
    renameSync(staging, layout.scenarioDir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  return layout;
}

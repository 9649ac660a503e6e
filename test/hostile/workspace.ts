/** A fresh folder per hostile case, holding copies of the bundled scenarios and their manifests. */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the bundled scenarios folder. */
export const BUNDLED = fileURLToPath(new URL("../../scenarios", import.meta.url));

/** Where a case runs: its folder, the bundled scenarios copied into it, and a report folder that does not exist yet. */
export interface Workspace {
  /** The case's folder (scenarios copied here: node-failure.yaml, scale-up.yaml, manifests/). */
  dir: string;
  /** dir/node-failure.yaml. */
  scenario: string;
  /** A path for --out that does not exist before the run (so a report left behind is visible). */
  out: string;
}

/** Makes a workspace in `dir` (default: a new folder in the temp dir). */
export function makeWorkspace(dir = mkdtempSync(join(tmpdir(), "k8sim-hostile-"))): Workspace {
  cpSync(BUNDLED, dir, { recursive: true });
  return { dir, scenario: join(dir, "node-failure.yaml"), out: join(dir, "out") };
}

/** Removes a workspace (best effort: a FIFO or a read-only file must not fail the test). */
export function removeWorkspace(ws: Workspace): void {
  rmSync(ws.dir, { recursive: true, force: true });
}

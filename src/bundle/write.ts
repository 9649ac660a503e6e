/**
 * Writing a bug bundle (`k8sim run --bundle FILE.tgz`): a gzipped tar of bundle.json and the files the loader
 * read, made reproducible: entries sorted by path, every mtime the epoch, uid/gid 0 and no user names, mode 0644,
 * no directory entries, and node-tar's portable gzip header (no mtime, OS "unknown"). The file is written under a
 * temporary name beside its destination and renamed when complete, so a failure never leaves a half bundle.
 */
import { createHash } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { create } from "tar";
import type { InputFile } from "../scenario/load.js";
import { BUNDLE_FORMAT, INPUT_FOLDER, MANIFEST_ENTRY, manifestText, type BundleFlags, type BundleManifest } from "./manifest.js";

/** The report file left out of a bundle's output hashes: it holds wall-clock facts (run time, events/s). */
export const UNHASHED_REPORT_FILES: readonly string[] = ["run-info.json"];

/** sha256 of `bytes`, hex. */
export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * sha256 of each regular file in report folder `dir` but UNHASHED_REPORT_FILES, by name (whatever the report
 * writes, including files later issues add).
 */
export function hashReportFolder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (UNHASHED_REPORT_FILES.includes(name)) continue;
    const p = join(dir, name);
    if (!lstatSync(p).isFile()) continue;
    out[name] = sha256(readFileSync(p));
  }
  return out;
}

/**
 * The problem that keeps a run's inputs out of a bundle, or undefined: a bundle holds the scenario's folder tree
 * only, so a file read from outside it (--allow-outside, or an absolute path elsewhere) cannot be carried.
 */
export function unbundlableInput(inputs: readonly InputFile[]): string | undefined {
  const outside = inputs.find((f) => f.path === ".." || f.path.startsWith("../") || f.path.startsWith("/") || /^[A-Za-z]:/.test(f.path));
  if (!outside) return undefined;
  return `the scenario reads ${outside.path}, outside its own folder; a bundle holds only the scenario's folder tree (copy the file into it)`;
}

/** What a bundle records of a run besides its inputs. */
export interface BundleRun {
  /** The scenario file's path relative to its own folder (the InputFile of the scenario). */
  scenario: string;
  seed: number;
  flags: BundleFlags;
  digest: string;
  simulatedDuration: string;
  /** The committed report folder. */
  reportDir: string;
  /** Defaults: this machine's. */
  k8simVersion: string;
  platform?: string;
  node?: string;
}

/** The manifest of a bundle of `run` with `inputs`. */
export function bundleManifest(run: BundleRun, inputs: readonly InputFile[]): BundleManifest {
  const hashes: Record<string, string> = {};
  for (const f of inputs) hashes[f.path] = sha256(f.bytes);
  return {
    format: BUNDLE_FORMAT,
    k8simVersion: run.k8simVersion,
    platform: run.platform ?? `${process.platform}-${process.arch}`,
    node: run.node ?? process.version,
    scenario: run.scenario,
    seed: run.seed,
    flags: run.flags,
    digest: run.digest,
    simulatedDuration: run.simulatedDuration,
    inputs: hashes,
    outputs: hashReportFolder(run.reportDir),
  };
}

/**
 * Writes the bundle to `dest` (atomically: `.<name>.k8sim-tmp-<pid>` beside it, fsync, rename) and returns its
 * manifest. Throws the file system's error, leaving neither a temporary file nor a partial `dest`.
 */
export function writeBundle(dest: string, manifest: BundleManifest, inputs: readonly InputFile[]): void {
  // node-tar packs files from disk: stage them in a private folder with fixed modes (its portable mode keeps the
  // permission bits, masked by 022).
  const stage = mkdtempSync(join(tmpdir(), "k8sim-bundle-"));
  const tmp = join(dirname(dest), `.${basename(dest)}.k8sim-tmp-${process.pid}`);
  try {
    const entries = [MANIFEST_ENTRY, ...inputs.map((f) => `${INPUT_FOLDER}/${f.path}`)];
    writeFileSync(join(stage, MANIFEST_ENTRY), manifestText(manifest));
    for (const f of inputs) {
      const p = join(stage, INPUT_FOLDER, ...f.path.split("/"));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.bytes);
    }
    for (const e of entries) chmodSync(join(stage, ...e.split("/")), 0o644);
    create({ sync: true, gzip: { level: 9 }, portable: true, mtime: new Date(0), cwd: stage, file: tmp, noDirRecurse: true }, entries.sort());
    const fd = openSync(tmp, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

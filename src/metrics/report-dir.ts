/**
 * The report folder as one unit. A run writes its files into a hidden staging folder beside the report folder,
 * then swaps folders: the old report (if any) is renamed aside, the staging folder is renamed to the report path,
 * and the old one is removed. Each step is one rename, so at every instant the report path holds the complete old
 * report, the complete new one, or nothing (the old one then survives under its hidden name until a later run
 * removes it). Temporary folders are hidden and k8sim-named (`.<base>.k8sim-staging-<pid>`,
 * `.<base>.k8sim-old-<pid>`), so no reader takes them for a report.
 *
 * Because the whole folder is replaced, a folder holding anything but k8sim report files is refused, as are the
 * working directory and its ancestors.
 */
import { isInside } from "../scenario/input-file.js";
import { processAlive } from "../logs/run-folder.js";
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Files a k8sim report folder may hold (today's four, and those later issues add). Anything else is refused. */
export const REPORT_FILES: readonly string[] = Object.freeze([
  "summary.json",
  "metrics.csv",
  "events.jsonl",
  "run-info.json",
  "logs.jsonl",
  "trace.jsonl",
  "scheduling.jsonl",
  "faults.csv",
  "changes.log",
  "changes.idx",
]);

/**
 * The points of a report write, in order, at which the crash-injection seam (`onStep`, driven by env
 * K8SIM_CRASH_AT in the CLI) is called: `staging-created` (right after loading, before simulating), `partial`
 * (the first file is in staging), `staged` (every file is in staging), `before-swap` (the folder was checked
 * again, nothing renamed yet), `after-old-rename` (the old report is under its hidden name; called even when there
 * was none), `after-new-rename` (the new report is in place, the old one not yet removed).
 */
export const REPORT_STEPS = ["staging-created", "partial", "staged", "before-swap", "after-old-rename", "after-new-rename"] as const;
/** One of REPORT_STEPS. */
export type ReportStep = (typeof REPORT_STEPS)[number];

/**
 * Why a report folder cannot be used: `message` is the reason as the CLI prints it after the folder's name, and
 * `code` the errno-style code where one fits (EEXIST, ENOTDIR), as the file system's own errors carry.
 */
export class ReportDirError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

/** Options of `openReportDir`. */
export interface OpenOptions {
  /** Working directory the folder must not be (nor contain); default process.cwd(). */
  cwd?: string;
  /** Crash-injection and test seam, called at each ReportStep. */
  onStep?: (step: ReportStep) => void;
}

/** A report folder opened for one run: its staging folder exists; the run ends with `commit` or `abandon`. */
export interface ReportDir {
  /** Absolute path of the report folder. */
  readonly path: string;
  /** Absolute path of the hidden staging folder the files are written into. */
  readonly staging: string;
  /** The seam of OpenOptions (a no-op if none was given). */
  readonly step: (step: ReportStep) => void;
  /**
   * Swaps the staged files in as the report folder (see the file comment) and returns their paths. Checks the
   * folder again first, so a file put there during the run is never thrown away. On failure the old report is
   * put back and the staging folder removed, then the error is thrown.
   */
  commit(): string[];
  /** Removes the staging folder and any ancestor folders this run created; never throws. */
  abandon(): void;
}

/** The hidden name of this process's staging (or old-report) folder beside `path`. */
export function tempSibling(path: string, kind: "staging" | "old", pid = process.pid): string {
  return join(dirname(path), `.${basename(path)}.k8sim-${kind}-${pid}`);
}

/**
 * Checks `dir` as a report folder, removes stale temporary folders and files of dead runs, creates the missing
 * ancestors one level at a time, and creates this run's staging folder. Throws ReportDirError (or the file
 * system's error) when the folder cannot be used, leaving nothing behind.
 */
export function openReportDir(dir: string, opts: OpenOptions = {}): ReportDir {
  if (dir === "") throw new ReportDirError("empty; name a folder for the report");
  const path = resolve(dir);
  const cwd = canonical(resolve(opts.cwd ?? process.cwd()));
  const canon = canonical(path);
  if (isInside(cwd, canon)) {
    throw new ReportDirError("it is the working directory or one of its ancestors; k8sim replaces the report folder as a whole, so name a folder of its own (such as reports/run-1)");
  }
  checkFolder(path);
  const step = opts.onStep ?? (() => {});
  const created = createAncestors(dirname(path));
  const staging = tempSibling(path, "staging");
  try {
    removeStale(path);
    mkdirSync(staging);
  } catch (e) {
    removeCreated(created);
    // Name the folder the user gave, not the hidden staging folder beside it.
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && e instanceof Error && !(e instanceof ReportDirError)) {
      throw new ReportDirError(`cannot create a folder in ${dirname(path)} (${code}: ${e.message.replace(/^\w+: /, "").replace(/, \w+ '.*'$/, "")})`, code);
    }
    throw e;
  }
  step("staging-created");
  return {
    path,
    staging,
    step,
    commit: () => commit(path, staging, created, step),
    abandon: () => {
      rmSync(staging, { recursive: true, force: true, maxRetries: 2 });
      removeCreated(created);
    },
  };
}

function commit(path: string, staging: string, created: string[], step: (s: ReportStep) => void): string[] {
  const old = tempSibling(path, "old");
  const names = readdirSync(staging).sort();
  let hadOld = false;
  try {
    checkFolder(path);
    step("before-swap");
    try {
      renameSync(path, old);
      hadOld = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    step("after-old-rename");
    renameSync(staging, path);
  } catch (e) {
    if (hadOld) {
      try {
        renameSync(old, path);
      } catch {
        // The path was taken meanwhile (another run into the same folder): the old report stays under its hidden
        // name, whole, until a later run removes it.
      }
    }
    rmSync(staging, { recursive: true, force: true, maxRetries: 2 });
    removeCreated(created);
    throw e;
  }
  step("after-new-rename");
  syncDir(dirname(path));
  if (hadOld) rmSync(old, { recursive: true, force: true, maxRetries: 2 });
  return names.map((n) => join(path, n));
}

/** Throws unless `path` is absent or a real folder holding only report files (and k8sim's legacy temp files). */
function checkFolder(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTDIR") throw fileInTheWay(path);
    throw e;
  }
  if (st.isSymbolicLink()) throw new ReportDirError("it is a symbolic link; k8sim replaces the report folder as a whole, so name the folder itself");
  if (!st.isDirectory()) throw new ReportDirError("EEXIST: a file, not a folder, is in the way", "EEXIST");
  const foreign = readdirSync(path, { withFileTypes: true })
    .filter((e) => !((REPORT_FILES.includes(e.name) || legacyTemp(e.name) !== undefined) && e.isFile()))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  if (foreign.length > 0) {
    const named = foreign.slice(0, 3).map((e) => (e.isDirectory() ? `the folder ${e.name}` : e.name));
    const more = foreign.length > 3 ? ` and ${foreign.length - 3} more` : "";
    const them = foreign.length === 1 ? (foreign[0]!.isDirectory() ? "it" : foreign[0]!.name) : "them";
    const what = foreign.length === 1 ? "is not a k8sim report file" : "are not k8sim report files";
    throw new ReportDirError(`it holds ${named.join(", ")}${more}, which ${what}; k8sim replaces the report folder as a whole, so choose an empty or new folder, or move ${them} away`);
  }
}

/** A file where a folder on the way to `dir` should be. */
function fileInTheWay(dir: string): ReportDirError {
  return new ReportDirError(`ENOTDIR: a file, not a folder, is in the way on the path to ${dir}`, "ENOTDIR");
}

/** The PID of a `<report file>.tmp-<pid>` name (what k8sim before 0.2 staged inside the report folder). */
function legacyTemp(name: string): number | undefined {
  const m = /^(.+)\.tmp-(\d+)$/.exec(name);
  return m && REPORT_FILES.includes(m[1]) ? Number(m[2]) : undefined;
}

/**
 * Removes the temporary folders of `path` (and legacy temp files inside it) left by runs that died: their PID is
 * no live process, or is this process's own (a PID reused after a crash, as for PID 1 in containers).
 */
function removeStale(path: string): void {
  const prefix = `.${basename(path)}.k8sim-`;
  const parent = dirname(path);
  const dead: { name: string; kind: string }[] = [];
  for (const name of readdirSync(parent).sort()) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(staging|old)-(\d+)$/.exec(name.slice(prefix.length));
    if (m && !processAlive(Number(m[2]))) dead.push({ name, kind: m[1]! });
  }
  // A run killed between its two renames left the report path empty and the previous report, whole, under its
  // old-PID name: put it back rather than delete the only copy (the newest, should there be several).
  if (!existsSync(path)) {
    const olds = dead.filter((d) => d.kind === "old").map((d) => ({ ...d, mtime: statSync(join(parent, d.name)).mtimeMs }));
    const newest = olds.sort((a, b) => b.mtime - a.mtime)[0];
    if (newest) {
      renameSync(join(parent, newest.name), path);
      dead.splice(dead.findIndex((d) => d.name === newest.name), 1);
    }
  }
  for (const d of dead) rmSync(join(parent, d.name), { recursive: true, force: true, maxRetries: 2 });
  let inside: string[];
  try {
    inside = readdirSync(path);
  } catch {
    return;
  }
  for (const name of inside) {
    const pid = legacyTemp(name);
    if (pid !== undefined && !processAlive(pid)) rmSync(join(path, name), { force: true });
  }
}


/**
 * Creates the missing folders down to `dir`, one level at a time: a recursive mkdir loops forever on some
 * pseudo file systems (/proc), and one level at a time gives a clear error. Returns what it created, deepest last.
 */
function createAncestors(dir: string): string[] {
  const missing: string[] = [];
  for (let p = dir; ; p = dirname(p)) {
    try {
      const st = lstatSync(p);
      if (!st.isDirectory() && !st.isSymbolicLink()) throw new ReportDirError(`ENOTDIR: ${p} is a file, not a folder`, "ENOTDIR");
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOTDIR") throw fileInTheWay(dir);
      if (code !== "ENOENT") throw e;
      missing.unshift(p);
      if (dirname(p) === p) break;
    }
  }
  const created: string[] = [];
  try {
    for (const p of missing) {
      mkdirSync(p);
      created.push(p);
    }
  } catch (e) {
    removeCreated(created);
    throw e;
  }
  return created;
}

function removeCreated(created: readonly string[]): void {
  for (const p of [...created].reverse()) {
    try {
      rmdirSync(p);
    } catch {
      return; // not empty (someone else wrote there) or gone: leave it and its parents
    }
  }
}

/** The path with symlinks resolved as far as it exists, so `--out ../here` and symlinked spellings compare equal. */
function canonical(p: string): string {
  const rest: string[] = [];
  for (let q = p; ; q = dirname(q)) {
    try {
      return join(realpathSync(q), ...rest);
    } catch {
      if (dirname(q) === q) return p;
      rest.unshift(basename(q));
    }
  }
}


/** Flushes a folder's entries (the renames) to disk where the platform allows; best effort. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms and file systems cannot fsync a folder; the renames are still atomic.
  }
}

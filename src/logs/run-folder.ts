/**
 * Finds the logs.jsonl of a run folder: the finished report's (`<dir>/logs.jsonl`), or the one a run in progress
 * is appending to in its staging folder (`<parent>/.<base>.k8sim-staging-<pid>/logs.jsonl`, src/metrics/report-dir.ts
 * tempSibling), whose process is alive.
 */
import { readdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** Where a query's records are: a finished report, or a run still writing (`pid`). */
export type LogsSource = { readonly kind: "finished"; readonly file: string } | { readonly kind: "live"; readonly file: string; readonly pid: number };

/** The folder holds no logs k8sim can read: `message` says why (for `k8sim: `), exit code 2. */
export type LocateError = { readonly kind: "error"; readonly message: string };

/**
 * Whether `pid` is a running process other than this one (signal 0 probes without sending anything). Only ESRCH
 * means it is gone: EPERM (another user's) and any other answer count as alive, so that neither the report folder
 * (src/metrics/report-dir.ts, which removes a dead run's temporary files) nor a follower takes a live run for dead.
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * The staging folder of a live run into `dir`, if any: the newest (by modification time) whose process `alive`
 * says is running. With `needFile`, only one that already holds a logs.jsonl.
 */
export function liveStaging(dir: string, alive: (pid: number) => boolean, needFile: boolean): { staging: string; pid: number } | undefined {
  const path = resolve(dir);
  const prefix = `.${basename(path)}.k8sim-staging-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return undefined;
  }
  let best: { staging: string; pid: number; mtime: number } | undefined;
  for (const name of names.sort()) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    if (!alive(pid)) continue;
    const staging = join(dirname(path), name);
    let mtime: number;
    try {
      mtime = statSync(needFile ? join(staging, "logs.jsonl") : staging).mtimeMs;
    } catch {
      continue;
    }
    if (!best || mtime > best.mtime) best = { staging, pid, mtime };
  }
  return best && { staging: best.staging, pid: best.pid };
}

/**
 * Where to read the logs of `dir` from. Following (`follow`), a live run comes first, else the finished report;
 * otherwise the finished report comes first, and a run in progress (with no finished report yet) is read as far as
 * it has got.
 */
export function locateLogs(dir: string, follow: boolean, alive: (pid: number) => boolean = processAlive): LogsSource | LocateError {
  const shown = dir.replace(/\/+$/, "") || dir;
  const live = liveStaging(dir, alive, !follow);
  const liveSource = (l: { staging: string; pid: number }): LogsSource => ({ kind: "live", file: join(l.staging, "logs.jsonl"), pid: l.pid });
  if (follow && live) return liveSource(live);
  let st;
  try {
    st = statSync(dir);
  } catch {
    if (live) return liveSource(live);
    return { kind: "error", message: `${shown}: no such run folder (name a report folder such as reports/<scenario>/seed-<seed>)` };
  }
  if (!st.isDirectory()) return { kind: "error", message: `${shown} is a file, not a run folder (name a report folder such as reports/<scenario>/seed-<seed>)` };
  const logs = join(dir, "logs.jsonl");
  if (isFile(logs)) return { kind: "finished", file: logs };
  if (live) return liveSource(live);
  if (isFile(join(dir, "summary.json"))) {
    return { kind: "error", message: `the run in ${shown} has no container logs: its report has no logs.jsonl (it was written by a k8sim version before container logs); run the scenario again to record them` };
  }
  return { kind: "error", message: `${shown} is not a k8sim run folder: it holds neither logs.jsonl nor summary.json (name a report folder such as reports/<scenario>/seed-<seed>)` };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Reading the files a scenario names, safely: only regular files (a FIFO would block forever, /dev/zero never
 * ends), at most `maxBytes` of them (checked while reading, since /proc files report size 0), only UTF-8 text, and
 * — unless the user passes --allow-outside — only files inside the scenario file's folder tree after symlinks are
 * resolved, so a scenario from someone else cannot read ~/.ssh or /proc/self/environ and echo it in an error.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { dirname, relative, resolve, sep, isAbsolute } from "node:path";
import { formatLimit, raiseHint } from "./limits.js";

/** Where files may be read from and how large they may be. */
export interface ReadPolicy {
  /** Largest file read, in bytes (limits.fileSize). */
  maxBytes: number;
  /** Real path of the folder whose tree files must lie in; undefined when --allow-outside was given. */
  root: string | undefined;
  /** Called with each file read in full (its path as given, its bytes): the loader records a run's inputs. */
  onRead?: (path: string, bytes: Buffer) => void;
}

/** The outcome of `readInputFile`: the text, or why it cannot be read (a sentence without the file's content). */
export type ReadResult = { ok: true; text: string; bytes: Buffer } | { ok: false; error: string };

/** The policy for a scenario at `scenarioFile`: its folder is the sandbox unless `allowOutside`. */
export function readPolicy(scenarioFile: string, maxBytes: number, allowOutside: boolean): ReadPolicy {
  if (allowOutside) return { maxBytes, root: undefined };
  const folder = resolve(dirname(scenarioFile));
  let root = folder;
  try {
    root = realpathSync(folder);
  } catch {
    // The scenario itself could not be read; its own error says so.
  }
  return { maxBytes, root };
}

const KIND_NAMES: [test: (s: import("node:fs").Stats) => boolean, name: string][] = [
  [(s) => s.isDirectory(), "a directory"],
  [(s) => s.isFIFO(), "a named pipe (FIFO)"],
  [(s) => s.isCharacterDevice(), "a character device"],
  [(s) => s.isBlockDevice(), "a block device"],
  [(s) => s.isSocket(), "a socket"],
];

function kindOf(s: import("node:fs").Stats): string {
  return KIND_NAMES.find(([t]) => t(s))?.[1] ?? "not a regular file";
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ELOOP") return "too many levels of symbolic links";
  if (code === "ENAMETOOLONG") return "the file name is too long";
  return code ?? "cannot be read";
}

/**
 * Reads `path` as UTF-8 text under `policy`. Checks, before anything is read: the file is inside `policy.root`
 * (after resolving symlinks), is a regular file, and is not larger than `policy.maxBytes`; the size is checked again
 * while reading. Never throws; never blocks on a FIFO or device.
 */
export function readInputFile(path: string, policy: ReadPolicy): ReadResult {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    return { ok: false, error: errnoText(e) };
  }
  if (policy.root !== undefined && !isInside(real, policy.root)) {
    return {
      ok: false,
      error: `it is outside the scenario's folder ${policy.root}${real !== resolve(path) ? ` (it resolves to ${real})` : ""}; a scenario reads only files in its own folder tree unless run with --allow-outside`,
    };
  }
  let st;
  try {
    st = statSync(real);
  } catch (e) {
    return { ok: false, error: errnoText(e) };
  }
  if (!st.isFile()) return { ok: false, error: `it is ${kindOf(st)}; expected a regular file` };
  if (st.size > policy.maxBytes) return { ok: false, error: tooLarge(st.size, policy.maxBytes) };
  let fd: number;
  try {
    // O_NONBLOCK: should the file have become a FIFO since the stat, opening it must not wait for a writer.
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, error: errnoText(e) };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { ok: false, error: `it is ${kindOf(opened)}; expected a regular file` };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, policy.maxBytes + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > policy.maxBytes) return { ok: false, error: tooLarge(total, policy.maxBytes, true) };
    }
    const bytes = Buffer.concat(chunks, total);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return { ok: false, error: "it is not UTF-8 text; expected a YAML file" };
    }
    policy.onRead?.(path, bytes);
    // A BOM is allowed, as kubectl allows it; the YAML parser skips it.
    return { ok: true, text, bytes };
  } catch (e) {
    return { ok: false, error: errnoText(e) };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: number, max: number, stillGrowing = false): string {
  const what = stillGrowing ? `more than ${max.toLocaleString("en-US")} bytes` : `${size.toLocaleString("en-US")} bytes`;
  return `it is ${what}, above the limit of ${formatLimit("fileSize", max)} per file (limits.fileSize); ${raiseHint("fileSize")}`;
}

/** True when real path `file` lies in the tree of real path `folder`. */
export function isInside(file: string, folder: string): boolean {
  const rel = relative(folder, file);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

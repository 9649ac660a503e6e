/**
 * Reading a bug bundle someone else made, which may be hostile: it is read whole into memory and judged before
 * anything touches the disk. The gzip is inflated with a cap on its output (a zip bomb stops at the cap), the tar
 * is parsed by node-tar in strict mode (a bad checksum or a truncated archive is an error, not a skipped entry),
 * and each entry must be a regular file (directory entries are ignored) at a relative path without `..`, within
 * the size and count limits, and listed in bundle.json with its sha256. Nothing here writes a file.
 */
import { closeSync, fstatSync, openSync, readSync, constants } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Parser, type ReadEntry } from "tar";
import { INPUT_FOLDER, MANIFEST_ENTRY, parseManifest, type BundleManifest } from "./manifest.js";
import { sha256 } from "./write.js";

/** Largest bundle file read (bytes, compressed): 64 MiB. */
export const MAX_BUNDLE_BYTES = 64 * 2 ** 20;
/** Largest tar a bundle may inflate to (bytes): 256 MiB. */
export const MAX_UNPACKED_BYTES = 256 * 2 ** 20;
/** Largest single entry (bytes): 64 MiB. */
export const MAX_ENTRY_BYTES = 64 * 2 ** 20;
/** Most entries a bundle may hold. */
export const MAX_ENTRIES = 10_000;

/** A bundle read and checked: its manifest and its input files (path under scenario/ => bytes), sorted by path. */
export interface Bundle {
  manifest: BundleManifest;
  inputs: { path: string; bytes: Buffer }[];
}

/** The outcome of readBundle: the bundle, or every problem found (sentences naming what is wrong). */
export type BundleResult = { ok: true; bundle: Bundle } | { ok: false; errors: string[] };

const MIB = 2 ** 20;

/** Reads and checks the bundle at `path`. Never throws for bad input. */
export async function readBundle(path: string): Promise<BundleResult> {
  const raw = readFileCapped(path);
  if (!raw.ok) return { ok: false, errors: [raw.error] };
  let tar: Buffer;
  try {
    tar = gunzipSync(raw.bytes, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) return { ok: false, errors: [`it inflates to more than ${MAX_UNPACKED_BYTES / MIB} MiB, the most a bundle may hold`] };
    return { ok: false, errors: [`it is not a gzip file, or the gzip is truncated or corrupted (${err.message}); expected a .tgz made by k8sim run --bundle`] };
  }
  const entries = await parseTar(tar);
  if (!entries.ok) return entries;
  return checkEntries(entries.files);
}

function readFileCapped(path: string): { ok: true; bytes: Buffer } | { ok: false; error: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, error: code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot be read (${code})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, error: "it is not a regular file; expected a .tgz made by k8sim run --bundle" };
    if (st.size > MAX_BUNDLE_BYTES) return { ok: false, error: `it is ${st.size.toLocaleString("en-US")} bytes, above the ${MAX_BUNDLE_BYTES / MIB} MiB a bundle may be` };
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, null);
      if (n === 0) break;
      off += n;
    }
    return { ok: true, bytes: buf.subarray(0, off) };
  } finally {
    closeSync(fd);
  }
}

const ENTRY_TYPES: Record<string, string> = {
  SymbolicLink: "a symbolic link",
  Link: "a hard link",
  CharacterDevice: "a character device",
  BlockDevice: "a block device",
  FIFO: "a named pipe (FIFO)",
};

/** Why an entry path is unsafe or not one a bundle holds, or undefined for a good one. */
export function entryPathProblem(p: string): string | undefined {
  if (p.includes("\0")) return "its path holds a NUL character";
  if (p.includes("\\")) return "its path holds a backslash; expected /-separated relative paths";
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p)) return "its path is absolute; expected a path relative to the bundle";
  const parts = p.replace(/\/$/, "").split("/");
  if (parts.includes("..")) return "its path holds a .. component, which would reach outside the folder it is extracted to";
  if (parts.some((s) => s === "" || s === ".")) return "its path holds an empty or . component";
  if (p.length > 4096) return "its path is longer than 4096 characters";
  return undefined;
}

async function parseTar(tar: Buffer): Promise<{ ok: true; files: Map<string, Buffer> } | { ok: false; errors: string[] }> {
  const files = new Map<string, Buffer>();
  const errors: string[] = [];
  let count = 0;
  let total = 0;
  let stopped = false;
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      if (stopped) return entry.resume();
      const name = JSON.stringify(entry.path);
      const fail = (msg: string) => {
        errors.push(`entry ${name}: ${msg}`);
        stopped = true;
        entry.resume();
        parser.abort(new Error("refused"));
      };
      if (++count > MAX_ENTRIES) return fail(`the bundle holds more than ${MAX_ENTRIES.toLocaleString("en-US")} entries, the most a bundle may hold`);
      const pathProblem = entryPathProblem(entry.path);
      if (pathProblem) return fail(pathProblem);
      if (entry.type === "Directory") return entry.resume();
      if (entry.type !== "File" && entry.type !== "OldFile") return fail(`it is ${ENTRY_TYPES[entry.type] ?? `a ${entry.type} entry`}; a bundle holds regular files only`);
      const size = entry.size;
      if (size > MAX_ENTRY_BYTES) return fail(`it declares ${size.toLocaleString("en-US")} bytes, above the ${MAX_ENTRY_BYTES / MIB} MiB an entry may hold`);
      total += size;
      if (total > MAX_UNPACKED_BYTES) return fail(`the entries hold more than ${MAX_UNPACKED_BYTES / MIB} MiB in all, the most a bundle may hold`);
      const key = entry.path;
      if (files.has(key)) return fail("it appears twice in the bundle");
      const chunks: Buffer[] = [];
      entry.on("data", (c: Buffer) => chunks.push(c));
      entry.on("end", () => files.set(key, Buffer.concat(chunks)));
    },
  });
  await new Promise<void>((resolveDone) => {
    let settled = false;
    const done = () => {
      if (!settled) resolveDone();
      settled = true;
    };
    parser.on("error", (e: Error & { code?: string }) => {
      if (!stopped) errors.push(`it is not a valid tar archive (${tarError(e)})`);
      stopped = true;
      done();
    });
    parser.on("abort", done);
    parser.on("end", done);
    parser.on("close", done);
    parser.end(tar);
  });
  if (errors.length > 0) return { ok: false, errors };
  if (count === 0) return { ok: false, errors: ["it holds no entries; expected bundle.json and the scenario's files"] };
  return { ok: true, files };
}

function tarError(e: Error & { code?: string }): string {
  const m = e.message.replace(/^TAR_\w+:\s*/, "");
  return e.code ? `${e.code}: ${m}` : m;
}

function checkEntries(files: Map<string, Buffer>): BundleResult {
  const text = files.get(MANIFEST_ENTRY);
  if (text === undefined) return { ok: false, errors: [`it holds no ${MANIFEST_ENTRY}; expected a bundle made by k8sim run --bundle`] };
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(text);
  } catch {
    return { ok: false, errors: [`${MANIFEST_ENTRY} is not UTF-8 text`] };
  }
  const parsed = parseManifest(decoded);
  if (!parsed.ok) return parsed;
  const m = parsed.manifest;
  const errors: string[] = [];
  const prefix = `${INPUT_FOLDER}/`;
  const inputs: { path: string; bytes: Buffer }[] = [];
  for (const [p, bytes] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (p === MANIFEST_ENTRY) continue;
    if (!p.startsWith(prefix)) {
      errors.push(`entry ${JSON.stringify(p)}: not part of a bundle; expected only ${MANIFEST_ENTRY} and files under ${prefix}`);
      continue;
    }
    const rel = p.slice(prefix.length);
    const want = m.inputs[rel];
    if (want === undefined) errors.push(`entry ${JSON.stringify(p)}: not listed in ${MANIFEST_ENTRY} inputs`);
    else if (sha256(bytes) !== want) errors.push(`entry ${JSON.stringify(p)}: its sha256 is ${sha256(bytes)}, but ${MANIFEST_ENTRY} records ${want}; the bundle is corrupted or was edited`);
    inputs.push({ path: rel, bytes });
  }
  // A file and a folder of the same name cannot both be extracted.
  const paths = new Set(inputs.map((f) => f.path));
  for (const f of inputs) {
    const parts = f.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (paths.has(dir)) errors.push(`entry ${JSON.stringify(prefix + dir)}: it is a file, and entry ${JSON.stringify(prefix + f.path)} needs it to be a folder`);
    }
  }
  for (const rel of Object.keys(m.inputs).sort()) {
    if (!files.has(prefix + rel)) errors.push(`${MANIFEST_ENTRY} inputs lists ${JSON.stringify(rel)}, but the bundle holds no ${prefix}${rel}${rel === m.scenario ? " (the scenario file)" : ""}`);
    else if (entryPathProblem(rel)) errors.push(`${MANIFEST_ENTRY} inputs: ${JSON.stringify(rel)}: ${entryPathProblem(rel)}`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, bundle: { manifest: m, inputs } };
}

/**
 * Hostile bug bundles (issue 10) for `k8sim replay`: broken gzip and tar, entries that would escape the folder they
 * are extracted to or are not regular files, sizes and counts above the limits, and a missing or invalid
 * bundle.json or scenario. Each case builds its bundle from raw tar headers (node-tar's Header encodes them, so a
 * case can declare what no honest packer writes) and states what the error must say. The property
 * (test/bundle.test.ts): exit 2, every error line names the bundle, nothing extracted, nothing written outside.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Header, type EntryTypeName } from "tar";
import { BUNDLE_FORMAT, manifestText, type BundleManifest } from "../../src/bundle/manifest.js";
import { sha256 } from "../../src/bundle/write.js";
import { K8SIM_VERSION } from "../../src/version.js";

/** One entry of a hand-made tar: a header (any type, any declared size) and the data that follows it. */
export interface RawEntry {
  path: string;
  type?: EntryTypeName;
  data?: Buffer | string;
  /** The size the header declares (default the data's length). */
  size?: number;
  linkpath?: string;
}

/** The bytes of a tar holding `entries` (512-byte header, data padded to 512), and the two-block end marker. */
export function rawTar(entries: readonly RawEntry[], end = true): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.from(e.data ?? "");
    const h = new Header({ path: e.path, type: e.type ?? "File", size: e.size ?? data.length, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), linkpath: e.linkpath, devmaj: 0, devmin: 0 });
    const block = Buffer.alloc(512);
    h.encode(block, 0);
    blocks.push(block, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  if (end) blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A small valid scenario for the cases (one pool, a 1m run). */
export const SCENARIO = ["apiVersion: k8sim.dev/v1alpha1", "kind: Scenario", "metadata: {name: tiny}", "spec:", "  duration: 1m", "  cluster:", "    nodePools:", "      - {name: w, count: 1, capacity: {cpu: '2', memory: 4Gi}}", ""].join("\n");

/** A manifest describing `inputs` (path => text) that is valid but for `patch`. */
export function manifestFor(inputs: Record<string, string>, patch: Partial<BundleManifest> = {}): string {
  const hashes: Record<string, string> = {};
  for (const [p, t] of Object.entries(inputs)) hashes[p] = sha256(t);
  const m: BundleManifest = {
    format: BUNDLE_FORMAT,
    k8simVersion: K8SIM_VERSION,
    platform: "linux-x64",
    node: "v20.0.0",
    scenario: "tiny.yaml",
    seed: 42,
    flags: { seed: null, set: [], limit: [] },
    digest: "0000000000000000",
    simulatedDuration: "1m",
    inputs: hashes,
    outputs: {},
    ...patch,
  };
  return manifestText(m);
}

/** The entries of a well-formed bundle of SCENARIO. */
export function goodEntries(): RawEntry[] {
  return [
    { path: "bundle.json", data: manifestFor({ "tiny.yaml": SCENARIO }) },
    { path: "scenario/tiny.yaml", data: SCENARIO },
  ];
}

/** A hostile bundle: how to make it in `dir` (returns its path), and what the error must say. */
export interface BundleCase {
  name: string;
  make: (dir: string) => string;
  error: RegExp;
  /** A path (relative to `dir`) that must not exist afterwards: where an escaping entry would have landed. */
  escapeTarget?: string;
}

const file = (dir: string, name: string, bytes: Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const tgz = (entries: readonly RawEntry[]) => gzipSync(rawTar(entries));

/** The cases. */
export const BUNDLE_CASES: readonly BundleCase[] = [
  { name: "missing bundle file", make: (d) => join(d, "nope.tgz"), error: /nope\.tgz: no such file/ },
  { name: "a folder, not a file", make: (d) => d, error: /not a regular file/ },
  { name: "not gzip at all", make: (d) => file(d, "b.tgz", Buffer.from("hello, this is text\n")), error: /not a gzip file, or the gzip is truncated or corrupted/ },
  { name: "truncated gzip", make: (d) => { const g = tgz(goodEntries()); return file(d, "b.tgz", g.subarray(0, Math.floor(g.length / 2))); }, error: /gzip is truncated or corrupted \(unexpected end of file\)/ },
  {
    name: "corrupted gzip (a byte of the deflate stream flipped)",
    make: (d) => {
      const g = Buffer.from(tgz(goodEntries()));
      // Past the 10-byte header; the CRC-32 and length at the end catch whatever inflate lets through.
      g[20] ^= 0xff;
      g[g.length - 6] ^= 0xff;
      return file(d, "b.tgz", g);
    },
    error: /gzip is truncated or corrupted/,
  },
  {
    name: "corrupted tar header (bad checksum)",
    make: (d) => {
      const t = rawTar(goodEntries());
      t[0] = "x".charCodeAt(0); // the first header's path changes, its checksum no longer matches
      return file(d, "b.tgz", gzipSync(t));
    },
    error: /not a valid tar archive/,
  },
  {
    name: "truncated tar (cut inside an entry's data)",
    make: (d) => {
      const t = rawTar([{ path: "bundle.json", data: "x".repeat(2000) }], false);
      return file(d, "b.tgz", gzipSync(t.subarray(0, 512 + 700)));
    },
    error: /not a valid tar archive/,
  },
  { name: "no entries", make: (d) => file(d, "b.tgz", gzipSync(Buffer.alloc(1024))), error: /not a valid tar archive \(TAR_BAD_ARCHIVE: Unrecognized archive format\)/ },
  { name: "absolute path", make: (d) => file(d, "b.tgz", tgz([...goodEntries(), { path: join(d, "escaped-abs"), data: "x" }])), error: /its path is absolute/, escapeTarget: "escaped-abs" },
  { name: ".. entry", make: (d) => file(d, "b.tgz", tgz([...goodEntries(), { path: "scenario/../../escaped-dots", data: "x" }])), error: /holds a \.\. component/, escapeTarget: "escaped-dots" },
  { name: "symlink", make: (d) => file(d, "b.tgz", tgz([...goodEntries(), { path: "scenario/link.yaml", type: "SymbolicLink", linkpath: "/etc/passwd" }])), error: /it is a symbolic link; a bundle holds regular files only/ },
  { name: "hard link", make: (d) => file(d, "b.tgz", tgz([...goodEntries(), { path: "scenario/hard.yaml", type: "Link", linkpath: "/etc/passwd" }])), error: /it is a hard link/ },
  { name: "character device", make: (d) => file(d, "b.tgz", tgz([...goodEntries(), { path: "scenario/zero", type: "CharacterDevice" }])), error: /it is a character device/ },
  { name: "FIFO", make: (d) => file(d, "b.tgz", tgz([...goodEntries(), { path: "scenario/pipe", type: "FIFO" }])), error: /it is a named pipe/ },
  // 10 GB = 10 * 2^30 = 10,737,418,240 bytes: above what the octal size field holds, so Header writes it in base-256.
  { name: "an entry declaring 10 GB", make: (d) => file(d, "b.tgz", gzipSync(rawTar([{ path: "scenario/huge.yaml", size: 10 * 2 ** 30 }], false))), error: /declares 10,737,418,240 bytes, above the 64 MiB an entry may hold/ },
  {
    name: "too many entries (10,001 empty files)",
    make: (d) => file(d, "b.tgz", tgz(Array.from({ length: 10_001 }, (_, i) => ({ path: `scenario/f${i}` })))),
    error: /more than 10,000 entries/,
  },
  { name: "gzip bomb (inflates past 256 MiB)", make: (d) => file(d, "b.tgz", gzipSync(Buffer.alloc(257 * 2 ** 20), { level: 1 })), error: /inflates to more than 256 MiB/ },
  { name: "missing bundle.json", make: (d) => file(d, "b.tgz", tgz([{ path: "scenario/tiny.yaml", data: SCENARIO }])), error: /holds no bundle\.json/ },
  { name: "missing scenario", make: (d) => file(d, "b.tgz", tgz([{ path: "bundle.json", data: manifestFor({ "tiny.yaml": SCENARIO }) }])), error: /inputs lists "tiny\.yaml", but the bundle holds no scenario\/tiny\.yaml \(the scenario file\)/ },
  { name: "bundle.json not JSON", make: (d) => file(d, "b.tgz", tgz([{ path: "bundle.json", data: "{format: k8sim" }, { path: "scenario/tiny.yaml", data: SCENARIO }])), error: /bundle\.json is not valid JSON/ },
  {
    name: "bundle.json with wrong field types",
    make: (d) => {
      const bad = JSON.parse(manifestFor({ "tiny.yaml": SCENARIO }));
      bad.seed = -1;
      bad.flags.set = "spec.duration=1m";
      bad.extra = true;
      return file(d, "b.tgz", tgz([{ path: "bundle.json", data: JSON.stringify(bad) }, { path: "scenario/tiny.yaml", data: SCENARIO }]));
    },
    error: /bundle\.json: unknown key "extra"[\s\S]*seed: expected a whole number[\s\S]*flags\.set: expected a list of strings/,
  },
  { name: "bundle.json of another format", make: (d) => file(d, "b.tgz", tgz([{ path: "bundle.json", data: manifestFor({ "tiny.yaml": SCENARIO }).replace(BUNDLE_FORMAT, "k8sim.dev/bundle/v9") }, { path: "scenario/tiny.yaml", data: SCENARIO }])), error: /format: expected "k8sim\.dev\/bundle\/v1", got "k8sim\.dev\/bundle\/v9"/ },
  { name: "edited scenario (sha256 mismatch)", make: (d) => file(d, "b.tgz", tgz([{ path: "bundle.json", data: manifestFor({ "tiny.yaml": SCENARIO }) }, { path: "scenario/tiny.yaml", data: SCENARIO.replace("1m", "2m") }])), error: /its sha256 is [0-9a-f]{64}, but bundle\.json records [0-9a-f]{64}; the bundle is corrupted or was edited/ },
  { name: "an entry outside scenario/", make: (d) => file(d, "b.tgz", tgz([...goodEntries(), { path: "run.sh", data: "rm -rf ~" }])), error: /entry "run\.sh": not part of a bundle/ },
  { name: "a file where a folder must be", make: (d) => file(d, "b.tgz", tgz([{ path: "bundle.json", data: manifestFor({ "tiny.yaml": SCENARIO, m: "x", "m/a.yaml": "y" }) }, { path: "scenario/m", data: "x" }, { path: "scenario/m/a.yaml", data: "y" }, { path: "scenario/tiny.yaml", data: SCENARIO }])), error: /entry "scenario\/m": it is a file, and entry "scenario\/m\/a\.yaml" needs it to be a folder/ },
  { name: "a duplicate entry", make: (d) => file(d, "b.tgz", tgz([...goodEntries(), { path: "scenario/tiny.yaml", data: SCENARIO }])), error: /appears twice/ },
];

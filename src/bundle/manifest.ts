/**
 * bundle.json, the description a bug bundle carries beside the scenario's files: what was run (the scenario's path
 * in the bundle, the flags that change a run: --seed, --set, --limit), by what (k8sim version, platform, Node), and
 * what came out (the run's digest, sha256 of each input and output file). It holds no wall-clock value, so the
 * same run on the same machine gives the same bytes.
 */

/** The `format` of bundle.json this k8sim writes and reads. */
export const BUNDLE_FORMAT = "k8sim.dev/bundle/v1";

/** The entry holding the BundleManifest. */
export const MANIFEST_ENTRY = "bundle.json";

/** The folder of the bundle holding the files the loader read, at their paths relative to the scenario's folder. */
export const INPUT_FOLDER = "scenario";

/** The run flags a replay passes again, exactly as given to `k8sim run`. */
export interface BundleFlags {
  /** --seed, or null when the run took spec.seed. */
  seed: number | null;
  /** --set values, in order. */
  set: string[];
  /** --limit values, in order. */
  limit: string[];
}

/** bundle.json. Keys are written in this order. */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  /** K8SIM_VERSION of the k8sim that made the bundle. */
  k8simVersion: string;
  /** `${process.platform}-${process.arch}` of that machine (it makes bundles from different machines differ). */
  platform: string;
  /** process.version of that machine's Node. */
  node: string;
  /** The scenario file's path under INPUT_FOLDER. */
  scenario: string;
  /** The seed the run used (--seed or spec.seed; for people reading the bundle). */
  seed: number;
  flags: BundleFlags;
  /** summary.json's digest of the run. */
  digest: string;
  /** The simulated duration the digest is for (summary.json's simulatedDuration). */
  simulatedDuration: string;
  /** sha256 (hex) of each file under INPUT_FOLDER, by path. */
  inputs: Record<string, string>;
  /** sha256 (hex) of each file of the report folder but run-info.json, by name. */
  outputs: Record<string, string>;
}

/** bundle.json's text: two-space JSON, keys in BundleManifest order, a final newline. */
export function manifestText(m: BundleManifest): string {
  const ordered: BundleManifest = {
    format: m.format,
    k8simVersion: m.k8simVersion,
    platform: m.platform,
    node: m.node,
    scenario: m.scenario,
    seed: m.seed,
    flags: { seed: m.flags.seed, set: m.flags.set, limit: m.flags.limit },
    digest: m.digest,
    simulatedDuration: m.simulatedDuration,
    inputs: sortedRecord(m.inputs),
    outputs: sortedRecord(m.outputs),
  };
  return JSON.stringify(ordered, null, 2) + "\n";
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks bundle.json's text; returns the manifest or every problem found, each naming the field and what was
 * expected (the caller prefixes the bundle's name). Unknown keys are refused, as the scenario schema refuses them.
 */
export function parseManifest(text: string): { ok: true; manifest: BundleManifest } | { ok: false; errors: string[] } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`bundle.json is not valid JSON (${(e as Error).message})`] };
  }
  const errors: string[] = [];
  if (typeof v !== "object" || v === null || Array.isArray(v)) return { ok: false, errors: ["bundle.json: expected a JSON object"] };
  const o = v as Record<string, unknown>;
  const known = ["format", "k8simVersion", "platform", "node", "scenario", "seed", "flags", "digest", "simulatedDuration", "inputs", "outputs"];
  for (const k of Object.keys(o)) if (!known.includes(k)) errors.push(`bundle.json: unknown key ${JSON.stringify(k)}`);
  const str = (k: string) => {
    if (typeof o[k] !== "string" || o[k] === "") errors.push(`bundle.json: ${k}: expected a non-empty string, got ${show(o[k])}`);
  };
  if (o.format !== BUNDLE_FORMAT) errors.push(`bundle.json: format: expected ${JSON.stringify(BUNDLE_FORMAT)}, got ${show(o.format)}`);
  for (const k of ["k8simVersion", "platform", "node", "scenario", "digest", "simulatedDuration"]) str(k);
  if (!isSeed(o.seed)) errors.push(`bundle.json: seed: expected a whole number from 0 to 2^53-1, got ${show(o.seed)}`);
  const flags = o.flags;
  if (typeof flags !== "object" || flags === null || Array.isArray(flags)) errors.push(`bundle.json: flags: expected an object with seed, set and limit, got ${show(flags)}`);
  else {
    const f = flags as Record<string, unknown>;
    for (const k of Object.keys(f)) if (!["seed", "set", "limit"].includes(k)) errors.push(`bundle.json: flags: unknown key ${JSON.stringify(k)}`);
    if (f.seed !== null && !isSeed(f.seed)) errors.push(`bundle.json: flags.seed: expected null or a whole number from 0 to 2^53-1, got ${show(f.seed)}`);
    for (const k of ["set", "limit"]) {
      if (!Array.isArray(f[k]) || !(f[k] as unknown[]).every((s) => typeof s === "string")) errors.push(`bundle.json: flags.${k}: expected a list of strings, got ${show(f[k])}`);
    }
  }
  for (const k of ["inputs", "outputs"]) {
    const r = o[k];
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      errors.push(`bundle.json: ${k}: expected an object of sha256 hashes by file name, got ${show(r)}`);
      continue;
    }
    for (const [name, h] of Object.entries(r)) {
      if (typeof h !== "string" || !SHA256.test(h)) errors.push(`bundle.json: ${k}[${JSON.stringify(name)}]: expected a sha256 hash (64 lowercase hex digits), got ${show(h)}`);
    }
  }
  if (errors.length === 0 && !Object.hasOwn(o.inputs as object, o.scenario as string)) {
    errors.push(`bundle.json: scenario: ${JSON.stringify(o.scenario)} is not one of the inputs; expected the path of the scenario file under scenario/`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, manifest: o as unknown as BundleManifest };
}

function isSeed(v: unknown): boolean {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * `--set path=value` overrides of a scenario file, applied to the parsed YAML document before validation, so an
 * override is checked exactly like the file and its problems are reported against the flag.
 */
import { isMap, isSeq, type Node } from "yaml";
import { Diagnostics, unknownKeyMessage } from "./errors.js";
import { deref, scenarioSchema, type SchemaNode } from "./schema.js";
import { parseYaml, type YamlSource } from "./yaml-source.js";

/**
 * Splits an override path on dots; `\.` keeps a dot inside a key, as Helm's --set does
 * (`spec.cluster.nodePools.0.labels.topology\.kubernetes\.io/zone=zone-b`).
 */
export function splitOverridePath(path: string): string[] {
  const segs: string[] = [];
  let cur = "";
  for (let i = 0; i < path.length; i++) {
    if (path[i] === "\\" && path[i + 1] === ".") {
      cur += ".";
      i++;
    } else if (path[i] === ".") {
      segs.push(cur);
      cur = "";
    } else {
      cur += path[i];
    }
  }
  segs.push(cur);
  return segs;
}

/**
 * Applies `--set path=value` strings (e.g. `spec.duration=1h`, `spec.cluster.nodePools.0.count=5`) to the scenario
 * document in order. The value is read as YAML, so `5` is a number and `"5"` a string. The path must name a key the
 * schema allows (mappings on the way are created) or an existing list index (or the next one, to append). Bad
 * overrides are reported as `--set <text>: <problem>` and skipped.
 */
export function applyOverrides(src: YamlSource, overrides: readonly string[], diags: Diagnostics): void {
  for (const text of overrides) {
    const label = `--set ${text}`;
    diags.noteOverride(label);
    const eq = text.indexOf("=");
    if (eq <= 0) {
      diags.error({ override: label }, "expected path=value, e.g. spec.duration=1h");
      continue;
    }
    const path = splitOverridePath(text.slice(0, eq));
    const docPath = resolvePath(src, path);
    if (typeof docPath === "string") {
      diags.error({ override: label }, docPath);
      continue;
    }
    // The value is read like a file (same limits on nesting, aliases and keys); its problems name the flag.
    const valueDiags = new Diagnostics();
    const docs = parseYaml(label, text.slice(eq + 1), valueDiags);
    const value = docs.length === 0 ? { value: null } : docs.length === 1 ? docs[0]!.value(valueDiags) : undefined;
    if (!value || valueDiags.errorCount > 0) {
      const first = valueDiags.errors()[0]?.replace(/^.*?:\d+:\d+: /, "") ?? "expected one YAML value";
      diags.error({ override: label }, `invalid YAML value: ${first}`);
      continue;
    }
    const node = src.doc.createNode(value.value) as Node;
    src.doc.setIn(docPath, node);
    src.overrides.push({ path, label });
  }
}

/** Checks a path against the schema and the document; returns the problem, or the path with list indexes as numbers. */
function resolvePath(src: YamlSource, path: readonly string[]): string | (string | number)[] {
  const out: (string | number)[] = [];
  let schema: SchemaNode | undefined = scenarioSchema();
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const where = i === 0 ? "the top level" : path.slice(0, i).join(".");
    if (seg === "") return `empty key in path after ${where}`;
    const here = src.doc.getIn(out, true);
    if (isSeq(here) || (schema && deref(schema).type === "array")) {
      if (!/^\d+$/.test(seg)) return `expected a list index after ${where}, got ${JSON.stringify(seg)}`;
      const length = isSeq(here) ? here.items.length : 0;
      if (Number(seg) > length) return `index ${seg} is out of range: ${where} has ${length} item${length === 1 ? "" : "s"}`;
      schema = schema ? deref(schema).items : undefined;
      out.push(Number(seg));
      continue;
    }
    out.push(seg);
    if (here !== undefined && here !== null && !isMap(here)) return `${where} is not a mapping, so it has no key ${JSON.stringify(seg)}`;
    if (!schema) continue;
    const s = deref(schema);
    if (s.type !== undefined && s.type !== "object" && !isMap(here)) return `${where} is not a mapping, so it has no key ${JSON.stringify(seg)}`;
    if (s.properties && Object.hasOwn(s.properties, seg)) schema = s.properties[seg];
    else if (s.additionalProperties === false) return unknownKeyMessage(seg, Object.keys(s.properties ?? {}));
    else schema = typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
  }
  return out;
}

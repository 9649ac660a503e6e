/**
 * The "Scenario file reference" of README.md, rendered from schemas/scenario.schema.json so that the documentation
 * cannot drift from what the loader accepts (as vitest types its CLI table against its config).
 */
import { deref, scenarioSchema, type SchemaNode } from "./schema.js";

/** Marker line before the generated reference in README.md. */
export const REFERENCE_START = "<!-- scenario-reference:start -->";
/** Marker line after the generated reference in README.md. */
export const REFERENCE_END = "<!-- scenario-reference:end -->";

/** How a schema definition reads in the Type column. */
const DEFINITION_TYPES: Readonly<Record<string, string>> = {
  duration: "duration",
  quantity: "quantity",
  resourceList: "map of quantity",
  nodeResources: "map of quantity",
  dnsLabel: "DNS label",
  labels: "map of string",
  objectRef: "kind/name",
  relativePath: "path",
  manifest: "Kubernetes object",
  rfc3339: "RFC 3339 time",
  byteSize: "byte size",
  cidr: "IPv4 CIDR",
};

interface Row {
  key: string;
  type: string;
  required: string;
  default: string;
  description: string;
}

/**
 * Renders the scenario schema as a markdown table, one row per key path (`spec.cluster.nodePools[].count`), with
 * its type, whether it is required, its default and its description. Timeline keys say which actions use them.
 * Deterministic: the same schema always renders the same text.
 */
export function scenarioReference(): string {
  const rows: Row[] = [];
  walk(scenarioSchema(), "", rows);
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    "| Key | Type | Required | Default | Description |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| \`${cell(r.key)}\` | ${cell(r.type)} | ${cell(r.required)} | ${cell(r.default)} | ${cell(r.description)} |`),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * Returns `readme` with the text between the reference markers replaced by `scenarioReference()`; a README
 * without the markers gets them (and the reference) appended.
 */
export function updateReadme(readme: string): string {
  const block = `${REFERENCE_START}\n${scenarioReference()}${REFERENCE_END}`;
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) return `${readme}${readme && !readme.endsWith("\n") ? "\n" : ""}${block}\n`;
  return readme.slice(0, start) + block + readme.slice(end + REFERENCE_END.length);
}

function typeOf(node: SchemaNode): string {
  if (node.$ref) {
    const name = node.$ref.replace("#/definitions/", "");
    if (DEFINITION_TYPES[name]) return DEFINITION_TYPES[name]!;
  }
  const n = deref(node);
  if (n.const !== undefined) return `\`${String(n.const)}\``;
  if (n.enum) return n.enum.map((v) => `\`${String(v)}\``).join(" | ");
  const types = Array.isArray(n.type) ? n.type : n.type ? [n.type] : [];
  let t = types
    .map((x) => (x === "array" ? `list of ${n.items ? listItemType(n.items) : "values"}` : x === "object" ? "mapping" : x))
    .join(" or ");
  if (n.minimum !== undefined && n.maximum !== undefined) t += ` ${n.minimum}..${n.maximum}`;
  else if (n.minimum !== undefined) t += ` ≥ ${n.minimum}`;
  return t || "any";
}

function listItemType(items: SchemaNode): string {
  const n = deref(items);
  return n.properties || n.allOf ? "mappings" : typeOf(items);
}

function walk(schema: SchemaNode, prefix: string, rows: Row[], actions?: string): void {
  const n = deref(schema);
  const required = new Set(n.required ?? []);
  for (const [key, child] of Object.entries(n.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const c = deref(child);
    rows.push({
      key: path,
      type: typeOf(child),
      required: required.has(key) ? "yes" : "",
      default: c.default === undefined ? "" : `\`${String(c.default)}\``,
      description: (child.description ?? c.description ?? "") + (actions ? ` (${actions})` : ""),
    });
    if (c.properties) walk(c, path, rows);
    const items = c.items ? deref(c.items) : undefined;
    if (items?.properties && !items.allOf) walk(items, `${path}[]`, rows);
    if (items?.allOf) walkActions(items, `${path}[]`, rows);
  }
}

/** The timeline item: common keys, then each action's own keys, merged per key with the actions that use it. */
function walkActions(item: SchemaNode, prefix: string, rows: Row[]): void {
  const keys = new Map<string, { node: SchemaNode; actions: string[]; requiredBy: string[] }>();
  for (const branch of item.allOf ?? []) {
    const action = String(branch.if?.properties?.action?.const);
    const then = branch.then ?? {};
    for (const [key, node] of Object.entries(then.properties ?? {})) {
      if (key === "at" || key === "action") continue;
      const k = keys.get(key) ?? { node, actions: [], requiredBy: [] };
      k.actions.push(action);
      if (then.required?.includes(key)) k.requiredBy.push(action);
      keys.set(key, k);
    }
  }
  walk({ properties: item.properties, required: item.required }, prefix, rows);
  for (const [key, k] of keys) {
    const path = `${prefix}.${key}`;
    const c = deref(k.node);
    rows.push({
      key: path,
      type: typeOf(k.node),
      required: k.requiredBy.length ? `for ${k.requiredBy.join(", ")}` : "",
      default: c.default === undefined ? "" : `\`${String(c.default)}\``,
      description: `${k.node.description ?? c.description ?? ""} Actions: ${k.actions.join(", ")}.`,
    });
    if (c.properties) walk(c, path, rows);
  }
}

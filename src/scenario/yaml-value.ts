/**
 * Turns a parsed YAML document into plain JS values, in one linear pass, refusing what a hostile file could use
 * against the process: duplicate keys (kubectl's strict decoding refuses them too), `__proto__` keys (they would
 * turn into an object's prototype when copied with Object.assign), aliases that expand into far more values than
 * the file holds (an "alias bomb"), and nesting deeper than any Kubernetes object needs. Merge keys (`<<: *base`)
 * are resolved as YAML 1.1 and kubectl do: keys written in the mapping win, then earlier merged mappings over later
 * ones.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from "yaml";
import { fieldPath, type Diagnostics } from "./errors.js";
import type { Path, YamlSource } from "./yaml-source.js";

/** Deepest nesting of mappings and sequences k8sim reads (levels). Kubernetes objects need a few dozen at most. */
export const MAX_YAML_DEPTH = 256;

/** Aliases may add at most this many values to a document, or ALIAS_FACTOR times the values it writes, if more. */
export const ALIAS_FLOOR = 10_000;
/** See ALIAS_FLOOR. */
export const ALIAS_FACTOR = 10;

/** Thrown inside the conversion to stop it at the first fatal problem (already reported). */
class Stop extends Error {}

/**
 * Key names refused everywhere: as an own property they survive copies and become a prototype.
 * NOTE: upstream allows `__proto__` as a key of a ConfigMap's or Secret's data (any [-._a-zA-Z0-9]+ key); k8sim
 * refuses it there too, since one place where it is kept is one place where it can leak into an Object.assign.
 */
const REFUSED_KEYS = new Set(["__proto__"]);

/**
 * The plain JS value of `src`'s document, or undefined when it cannot be had (an alias bomb, nesting too deep: the
 * conversion stops there). Problems that leave a usable value (a duplicate key keeps its first value, a refused or
 * complex key and an alias to no anchor are left out) are reported to `diags` at their position and the value is
 * returned with `complete: false`, so that the caller goes on and reports every other problem of the file at once.
 * Mappings become ordinary objects with only own, enumerable data properties.
 */
export function documentValue(src: YamlSource, diags: Diagnostics): { value: unknown; complete: boolean } | undefined {
  const c = new Converter(src, diags);
  try {
    const value = c.convert(src.doc.contents as Node | null, [], 0);
    return { value, complete: !c.failed };
  } catch (e) {
    if (e instanceof Stop) return undefined;
    throw e;
  }
}

class Converter {
  failed = false;
  /** Values produced by expanding aliases so far, and how many may be. */
  private expanded = 0;
  private readonly budget: number;
  /** Anchored nodes being converted: an alias to one of them would expand forever. */
  private readonly open = new Set<Node>();
  private readonly doc: Document;

  constructor(
    private readonly src: YamlSource,
    private readonly diags: Diagnostics,
  ) {
    this.doc = src.doc;
    this.budget = Math.max(ALIAS_FLOOR, ALIAS_FACTOR * countWritten(this.doc.contents as Node | null));
  }

  private where(node: unknown, path: Path, atKey = false) {
    const pos = this.src.nodePos(node);
    return pos ?? this.src.where(path, atKey);
  }

  private error(node: unknown, path: Path, message: string, atKey = false): void {
    this.failed = true;
    const field = path.length ? `${fieldPath(path.map(String))}: ` : "";
    this.diags.error(this.where(node, path, atKey), `${field}${message}`);
  }

  /** Converts `node`; `depth` counts levels from the document root, through aliases. */
  convert(node: Node | null | undefined, path: Path, depth: number, viaAlias = false): unknown {
    if (node === null || node === undefined) return null;
    if (viaAlias && ++this.expanded > this.budget) {
      this.error(node, path, `YAML aliases expand this document to more than ${this.budget.toLocaleString("en-US")} values (an alias bomb?); k8sim expands aliases to at most ${ALIAS_FLOOR.toLocaleString("en-US")} values or ${ALIAS_FACTOR} times the values the file writes, whichever is more`);
      throw new Stop();
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc) as Node | undefined;
      if (!target) {
        this.error(node, path, `alias *${node.source} refers to no anchor; expected an anchor (&${node.source}) set earlier in the same document`);
        return null;
      }
      if (this.open.has(target)) {
        this.error(node, path, `alias *${node.source} refers to the node that contains it; expected an alias to a complete node`);
        throw new Stop();
      }
      this.open.add(target);
      try {
        return this.convert(target, path, depth, true);
      } finally {
        this.open.delete(target);
      }
    }
    if (isScalar(node)) return node.value;
    if (depth >= MAX_YAML_DEPTH) {
      this.error(node, path, `nested more than ${MAX_YAML_DEPTH} levels deep; k8sim reads at most ${MAX_YAML_DEPTH} levels of mappings and lists`);
      throw new Stop();
    }
    if (isSeq(node)) {
      const out: unknown[] = new Array(node.items.length);
      for (let i = 0; i < node.items.length; i++) out[i] = this.convert(node.items[i] as Node, [...path, i], depth + 1, viaAlias);
      return out;
    }
    if (isMap(node)) return this.mapping(node, path, depth, viaAlias);
    return null;
  }

  private mapping(node: Node & { items: { key: unknown; value: unknown }[] }, path: Path, depth: number, viaAlias: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const firstAt = new Map<string, unknown>();
    const merges: Node[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && typeof keyNode.value === "symbol") {
        merges.push(pair.value as Node);
        continue;
      }
      const key = this.keyString(keyNode, path);
      if (key === undefined) continue;
      if (REFUSED_KEYS.has(key)) {
        this.error(keyNode, [...path, key], `unknown field ${JSON.stringify(key)}; k8sim refuses this key everywhere (no Kubernetes or k8sim field has this name, and JavaScript would read it as a prototype)`, true);
        continue;
      }
      if (firstAt.has(key)) {
        const first = this.src.nodePos(firstAt.get(key));
        const at = first ? ` (first at line ${first.line}, column ${first.col})` : "";
        this.error(keyNode, [...path, key], `duplicate key ${JSON.stringify(key)}${at}; expected each key once in a mapping`, true);
        continue;
      }
      firstAt.set(key, keyNode);
      out[key] = this.convert(pair.value as Node, [...path, key], depth + 1, viaAlias);
    }
    for (const m of merges) this.merge(out, m, path, depth, viaAlias);
    return out;
  }

  /** Adds the keys of a merge source (a mapping, an alias to one, or a list of those) that `out` lacks. */
  private merge(out: Record<string, unknown>, source: Node, path: Path, depth: number, viaAlias: boolean): void {
    const sources = isSeq(source) ? (source.items as Node[]) : [source];
    for (const s of sources) {
      const target = isAlias(s) ? (s.resolve(this.doc) as Node | undefined) : s;
      if (!isMap(target)) {
        this.error(s, [...path, "<<"], "a merge key (<<) takes a mapping, an alias to one, or a list of those");
        continue;
      }
      const value = this.convert(s, path, depth, viaAlias) as Record<string, unknown>;
      for (const k of Object.keys(value)) if (!Object.hasOwn(out, k)) out[k] = value[k];
    }
  }

  private keyString(keyNode: Node | null, path: Path): string | undefined {
    if (keyNode === null) return "";
    // Keys that overrides put in (Document.setIn) are plain values, not nodes.
    if (typeof keyNode !== "object") return String(keyNode);
    const k = isAlias(keyNode) ? (keyNode.resolve(this.doc) as Node | undefined) : keyNode;
    if (isScalar(k)) return k.value === null ? "" : String(k.value);
    this.error(keyNode, path, "a mapping key must be a plain value; expected a string key, not a mapping or a list");
    return undefined;
  }
}

/** Values written in the document (aliases count once, not expanded); iterative, so depth cannot overflow it. */
function countWritten(root: Node | null): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    n++;
    if (isSeq(node)) for (const it of node.items) stack.push(it);
    else if (isMap(node)) for (const p of node.items) stack.push(p.value);
  }
  return n;
}

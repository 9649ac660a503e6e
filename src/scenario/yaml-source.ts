/**
 * A parsed YAML document that still knows where each value came from, so any problem found in the plain JS value
 * (by ajv or by hand) can be reported at `file:line:column` of the offending node.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { Diagnostics, Where } from "./errors.js";
import type { SourcePos } from "./types.js";

/** A path into a document: mapping keys and sequence indexes, as ajv's instancePath segments. */
export type Path = readonly (string | number)[];

/** A value that replaced part of the document from the command line, and how to name it in messages. */
export interface OverrideMark {
  path: readonly string[];
  /** e.g. `--set spec.duration=1h` */
  label: string;
}

/** One YAML document of a file, with the means to locate its nodes. */
export class YamlSource {
  /** Parts of the document replaced from the command line; problems inside them are reported against the flag. */
  readonly overrides: OverrideMark[] = [];

  constructor(
    /** The file name as it appears in messages. */
    readonly file: string,
    readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** The position of a character offset in the file. */
  posOf(offset: number): SourcePos {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, col };
  }

  /** The position of a node's first character; undefined for nodes built in memory (overrides). */
  nodePos(node: unknown): SourcePos | undefined {
    const range = (node as Node | null)?.range;
    return range ? this.posOf(range[0]) : undefined;
  }

  /**
   * Where to report a problem with the value at `path`: the value node itself, or its key when `atKey` (unknown
   * keys). A path that does not exist (a missing key) reports at the deepest existing mapping on the way. Values
   * that come from a command-line override are reported against the override.
   */
  where(path: Path, atKey = false): Where {
    const segs = path.map(String);
    const inside = this.overrides.find((o) => o.path.length <= segs.length && o.path.every((s, i) => s === segs[i]));
    if (inside) return { override: inside.label };
    let cur: unknown = this.doc.contents;
    let best: SourcePos | undefined = this.nodePos(cur);
    for (let i = 0; i < segs.length; i++) {
      if (isAlias(cur)) cur = cur.resolve(this.doc);
      let next: unknown;
      let keyNode: unknown;
      if (isMap(cur)) {
        const pair = cur.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === segs[i]);
        if (!pair) break;
        keyNode = pair.key;
        next = pair.value;
      } else if (isSeq(cur)) {
        next = cur.items[Number(segs[i])];
        if (next === undefined) break;
      } else {
        break;
      }
      const last = i === segs.length - 1;
      const pos = last && atKey ? this.nodePos(keyNode) : (this.nodePos(next) ?? this.nodePos(keyNode));
      if (!pos) {
        // Built in memory: it came from an override below this point.
        const below = this.overrides.find((o) => segs.slice(0, i + 1).every((s, j) => s === o.path[j]));
        if (below) return { override: below.label };
        break;
      }
      best = pos;
      cur = next;
    }
    return best ?? { file: this.file, line: 1, col: 1 };
  }
}

/**
 * Parses every document of a YAML file (a scenario has one, a manifest file may have many), reporting syntax
 * errors with their position. Empty documents are dropped. Returns no sources when the file has syntax errors,
 * since its structure cannot be trusted.
 */
export function parseYaml(file: string, text: string, diags: Diagnostics): YamlSource[] {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  let failed = false;
  const at = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  for (const doc of docs) {
    for (const e of doc.errors) {
      failed = true;
      diags.error(at(e.pos[0]), `YAML syntax error: ${e.message}`);
    }
    for (const w of doc.warnings) diags.warn(at(w.pos[0]), `YAML: ${w.message}`);
  }
  if (failed) return [];
  // A document with nothing in it ("---" at the end of a file) parses as a null scalar: skip it like kubectl does.
  const empty = (d: Document) => d.contents === null || (isScalar(d.contents) && d.contents.value === null);
  return docs.filter((d) => !empty(d)).map((d) => new YamlSource(file, d, lineCounter));
}

/**
 * A parsed YAML document that still knows where each value came from, so any problem found in the plain JS value
 * (by ajv or by hand) can be reported at `file:line:column` of the offending node.
 */
import { Composer, isAlias, isMap, isScalar, isSeq, Lexer, LineCounter, Parser, type CST, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { documentValue, MAX_YAML_DEPTH } from "./yaml-value.js";
import type { Diagnostics, Where } from "./errors.js";
import type { SourcePos } from "./types.js";

type CstToken = CST.Token;

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

  /**
   * The document as plain JS values (after any overrides), or undefined for an alias bomb or too deep a nesting;
   * see documentValue. Every problem is reported at its position. Use this, never Document.toJS.
   */
  value(diags: Diagnostics): { value: unknown; complete: boolean } | undefined {
    return documentValue(this, diags);
  }

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
        const pair = findPair(cur, segs[i]!, this.doc);
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

/** Pairs of large mappings by key, built on the first lookup, so locating many values in one is not quadratic. */
const pairIndex = new WeakMap<YAMLMap, { size: number; pairs: Map<string, Pair> }>();

/** The pair of `map` with key `key`, looking through merge keys (<<) as the value's reader does. */
function findPair(map: YAMLMap, key: string, doc: Document, depth = 0): Pair | undefined {
  let index = pairIndex.get(map);
  // Overrides may add keys after a lookup: a changed size rebuilds the index.
  if (!index || index.size !== map.items.length) {
    const pairs = new Map<string, Pair>();
    for (const p of map.items) {
      const k = isScalar(p.key) ? p.key.value : p.key;
      if (typeof k === "symbol") continue;
      const name = String(k);
      if (!pairs.has(name)) pairs.set(name, p);
    }
    index = { size: map.items.length, pairs };
    pairIndex.set(map, index);
  }
  const found = index.pairs.get(key);
  if (found || depth > 8) return found;
  for (const p of map.items) {
    if (!(isScalar(p.key) && typeof p.key.value === "symbol")) continue;
    const sources = isSeq(p.value) ? p.value.items : [p.value];
    for (const s of sources) {
      const m = isAlias(s) ? s.resolve(doc) : s;
      const hit = isMap(m) ? findPair(m, key, doc, depth + 1) : undefined;
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Parses every document of a YAML file (a scenario has one, a manifest file may have many), reporting syntax
 * errors with their position. Empty documents are dropped. Returns no sources when the file has syntax errors,
 * since its structure cannot be trusted. Linear in the file's size: keys are checked for duplicates later, in one
 * pass (documentValue), not by the parser's quadratic check; nesting deeper than MAX_YAML_DEPTH is refused while
 * lexing, before the (recursive) composer could overflow the stack or exhaust memory on it.
 */
export function parseYaml(file: string, text: string, diags: Diagnostics): YamlSource[] {
  const lineCounter = new LineCounter();
  const at = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col };
  };
  const cst = lexAndParse(text, lineCounter);
  if ("tooDeep" in cst) {
    diags.error(at(cst.tooDeep), `YAML nested more than ${MAX_YAML_DEPTH} levels deep; k8sim reads at most ${MAX_YAML_DEPTH} levels of mappings and lists`);
    return [];
  }
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false, merge: true });
  const docs = Array.from(composer.compose(cst.tokens));
  let failed = false;
  for (const doc of docs) {
    for (const e of doc.errors) {
      failed = true;
      diags.error(at(e.pos[0]), `YAML syntax error: ${clip(e.message)}`);
    }
    for (const w of doc.warnings) diags.warn(at(w.pos[0]), `YAML: ${clip(w.message)}`);
  }
  if (failed) return [];
  // A document with nothing in it ("---" at the end of a file) parses as a null scalar: skip it like kubectl does.
  const empty = (d: Document) => d.contents === null || (isScalar(d.contents) && d.contents.value === null);
  return docs.filter((d) => !empty(d)).map((d) => new YamlSource(file, d, lineCounter));
}

/** The parser's messages may quote a token: keep them short, so an error never echoes a file's content. */
function clip(message: string): string {
  return message.length > 160 ? `${message.slice(0, 157)}...` : message;
}

/**
 * Lexes and parses `text` into CST tokens, watching the nesting depth: flow collections by their brackets, block
 * collections by the CST they build. Returns the offset of the first token past MAX_YAML_DEPTH instead, if any.
 */
function lexAndParse(text: string, lineCounter: LineCounter): { tokens: CstToken[] } | { tooDeep: number } {
  const parser = new Parser(lineCounter.addNewLine);
  const tokens: CstToken[] = [];
  let flow = 0;
  lineCounter.addNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    if (lexeme === "[" || lexeme === "{") {
      if (++flow > MAX_YAML_DEPTH) return { tooDeep: parser.offset };
    } else if (lexeme === "]" || lexeme === "}") {
      flow = Math.max(0, flow - 1);
    }
    for (const t of parser.next(lexeme)) tokens.push(t);
  }
  for (const t of parser.end()) tokens.push(t);
  const deep = deepestOffset(tokens);
  return deep === undefined ? { tokens } : { tooDeep: deep };
}

/** The offset of the first CST collection nested deeper than MAX_YAML_DEPTH, walking iteratively. */
function deepestOffset(tokens: readonly CstToken[]): number | undefined {
  const stack: [CstToken | null | undefined, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (!t) continue;
    if (t.type === "document") {
      stack.push([t.value, 0]);
    } else if (t.type === "block-map" || t.type === "block-seq" || t.type === "flow-collection") {
      if (depth >= MAX_YAML_DEPTH) return t.offset;
      for (const it of t.items as { key?: CstToken | null; value?: CstToken }[]) {
        stack.push([it.key, depth + 1]);
        stack.push([it.value, depth + 1]);
      }
    }
  }
  return undefined;
}

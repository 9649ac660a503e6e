/**
 * Problems found while loading a scenario, as data (like zod's issues): each has a place and a message, and the
 * presentation (`file:line:column: message`) is applied once at the end, deduplicated and sorted by place.
 */
import type { SourcePos } from "./types.js";

/** Where a problem is: a position in a file, or a command-line override such as `--set spec.duration=1h`. */
export type Where = SourcePos | { override: string };

interface Problem {
  where: Where;
  message: string;
}

/**
 * Collects errors and warnings for one load. Files are ordered by the first time a problem or `noteFile` names
 * them (the scenario file first), problems within a file by line and column; command-line overrides come first, in
 * the order given.
 */
export class Diagnostics {
  private readonly errorList: Problem[] = [];
  private readonly warningList: Problem[] = [];
  private readonly fileOrder = new Map<string, number>();
  private readonly overrideOrder = new Map<string, number>();

  /** Makes `file` sort before files noted later (call it for the scenario file before anything else). */
  noteFile(file: string): void {
    if (!this.fileOrder.has(file)) this.fileOrder.set(file, this.fileOrder.size);
  }

  /** Makes problems of override `label` sort in the order overrides were noted (the order given on the command line). */
  noteOverride(label: string): void {
    if (!this.overrideOrder.has(label)) this.overrideOrder.set(label, this.overrideOrder.size);
  }

  /** Records an error: the load fails. `message` says what is wrong and what was expected. */
  error(where: Where, message: string): void {
    if ("file" in where) this.noteFile(where.file);
    this.errorList.push({ where, message });
  }

  /** Records a warning: the load succeeds, and the message is shown. */
  warn(where: Where, message: string): void {
    if ("file" in where) this.noteFile(where.file);
    this.warningList.push({ where, message });
  }

  /** Number of errors recorded so far (duplicates included). */
  get errorCount(): number {
    return this.errorList.length;
  }

  /** The errors as `file:line:column: message` strings, deduplicated and sorted by place. */
  errors(): string[] {
    return this.render(this.errorList);
  }

  /** The warnings, formatted, deduplicated and sorted like `errors()`. */
  warnings(): string[] {
    return this.render(this.warningList);
  }

  private render(list: Problem[]): string[] {
    const key = (p: Problem): [number, number, number] =>
      "override" in p.where ? [-1, this.overrideOrder.get(p.where.override) ?? 0, 0] : [this.fileOrder.get(p.where.file) ?? 0, p.where.line, p.where.col];
    const sorted = list
      .map((p, i) => ({ p, i, k: key(p) }))
      .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i);
    return [...new Set(sorted.map(({ p }) => formatProblem(p.where, p.message)))];
  }
}

/** "spec.cluster.nodePools[0].count" for ["spec", "cluster", "nodePools", "0", "count"]. */
export function fieldPath(path: readonly string[]): string {
  let out = "";
  for (const p of path) out += /^\d+$/.test(p) ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

/** `file:line:column`, as every message prints a position (`file` defaults to the position's own). */
export function formatPos(p: { file: string; line: number; col: number }, file: string = p.file): string {
  return `${file}:${p.line}:${p.col}`;
}

/** Formats one problem: `file:line:column: message`, or `--set path=value: message` for an override. Control
 *  characters (from the file, a file name or a flag) are escaped, so a message can never drive the terminal. */
export function formatProblem(where: Where, message: string): string {
  return escapeControl("override" in where ? `${where.override}: ${message}` : `${formatPos(where)}: ${message}`);
}

/** Like escapeControl, but keeps line breaks: for whole blocks of terminal output, one message per line. */
export function escapeTerminal(s: string): string {
  return s.includes("\n") ? s.split("\n").map(escapeControl).join("\n") : escapeControl(s);
}

/** C0 controls but tab, DEL, C1 controls, and the bidirectional overrides that reorder what a terminal shows. */
const CONTROL_RE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Writes control characters as visible escapes (`\x1b`, `\r`, `\u202e`); everything else is left as it is. */
export function escapeControl(s: string): string {
  return s.replace(CONTROL_RE, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Describes a YAML/JSON value for "got ..." in messages: `string "abc"`, `number 3`, `a list`, `nothing`. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  const text = JSON.stringify(v);
  return `${typeof v} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

/** The closest candidate to a misspelt key, if one is close enough to suggest ("did you mean ...?"). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Message for a key the schema does not allow, with a suggestion or the list of allowed keys. */
export function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const guess = closest(key, allowed);
  if (guess) return `unknown key ${JSON.stringify(key)}; did you mean ${JSON.stringify(guess)}?`;
  return allowed.length
    ? `unknown key ${JSON.stringify(key)}; expected one of: ${allowed.join(", ")}`
    : `unknown key ${JSON.stringify(key)}; no keys are allowed here`;
}

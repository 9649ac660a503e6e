/**
 * `kubectl get -o yaml`: printers.YAMLPrinter, which writes sigs.k8s.io/yaml's output (gopkg.in/yaml.v2's emitter
 * over the object's JSON form), so map keys are sorted, a sequence inside a mapping is not indented ("key:\n- a"),
 * strings that would read back as another type are double-quoted ("true", "123", "", "2026-01-01T00:00:00Z"),
 * strings that cannot be plain are single-quoted ('a: b', '@x', leading or trailing spaces), strings with a line
 * break use the literal style (|, |-), and plain and single-quoted scalars are folded at a space once the line
 * passes 80 columns (the emitter's best_width), continuing two columns deeper than their key. Checked against
 * kubectl v1.32's `create configmap --dry-run=client -o yaml` (test/inspect-print.test.ts).
 * NOTE: double-quoted strings are never folded here (yaml.v2 folds them with a trailing backslash); API objects
 * seldom hold a string that needs double quotes and is longer than a line.
 */
import { byteOrder } from "./sort-keys.js";

const BEST_WIDTH = 80;

/** The value as kubectl -o yaml prints it, ending with a newline. */
export function goYaml(value: unknown): string {
  const lines: string[] = [];
  if (isMap(value) && Object.keys(value).length > 0) emitMap(value, 0, lines);
  else if (Array.isArray(value) && value.length > 0) emitSeq(value, 0, lines);
  else lines.push(scalarOrEmpty(value, 0, 0));
  return lines.join("\n") + "\n";
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isCollection(v: unknown): boolean {
  return (isMap(v) && Object.keys(v).some((k) => v[k] !== undefined)) || (Array.isArray(v) && v.length > 0);
}

function keysOf(m: Record<string, unknown>): string[] {
  return Object.keys(m).filter((k) => m[k] !== undefined).sort(byteOrder);
}

/** Emits a non-empty mapping at `indent`; `first` is the prefix of its first line ("- " for a sequence item). */
function emitMap(m: Record<string, unknown>, indent: number, lines: string[], first?: string): void {
  let lead = first;
  for (const k of keysOf(m)) {
    const prefix = lead ?? " ".repeat(indent);
    lead = undefined;
    const key = scalar(k, 0, Number.POSITIVE_INFINITY);
    const v = m[k];
    if (isMap(v) && isCollection(v)) {
      lines.push(`${prefix}${key}:`);
      emitMap(v, indent + 2, lines);
    } else if (Array.isArray(v) && v.length > 0) {
      lines.push(`${prefix}${key}:`);
      emitSeq(v, indent, lines);
    } else {
      const head = `${prefix}${key}: `;
      const text = scalarOrEmpty(v, head.length, indent + 2);
      if (text.startsWith("|")) {
        const [indicator, ...body] = text.split("\n");
        lines.push(`${prefix}${key}: ${indicator}`, ...body);
      } else lines.push(head + text);
    }
  }
}

/** Emits a non-empty sequence whose "- " starts at `indent`. */
function emitSeq(s: readonly unknown[], indent: number, lines: string[]): void {
  const dash = " ".repeat(indent) + "- ";
  for (const v of s) {
    if (isMap(v) && isCollection(v)) emitMap(v, indent + 2, lines, dash);
    else if (Array.isArray(v) && v.length > 0) {
      const start = lines.length;
      emitSeq(v, indent + 2, lines);
      lines[start] = dash + lines[start]!.slice(indent + 2);
    } else {
      const text = scalarOrEmpty(v, dash.length, indent + 2);
      if (text.startsWith("|")) {
        const [indicator, ...body] = text.split("\n");
        lines.push(dash + indicator, ...body);
      } else lines.push(dash + text);
    }
  }
}

function scalarOrEmpty(v: unknown, column: number, indent: number): string {
  if (Array.isArray(v)) return "[]";
  if (isMap(v)) return "{}";
  return scalar(v, column, indent);
}

/** One scalar starting at `column`; folded lines continue at `indent`. */
function scalar(v: unknown, column: number, indent: number): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : goFloat(v);
  const s = String(v);
  if (s.includes("\n")) return literal(s, indent);
  if (resolvesToNonString(s)) return doubleQuoted(s);
  if (!printable(s)) return doubleQuoted(s);
  if (plainAllowed(s)) return fold(s, column, indent, false);
  return fold(s, column, indent, true);
}

function goFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? ".nan" : v > 0 ? ".inf" : "-.inf";
  // strconv.FormatFloat(v, 'g', -1, 64) with yaml.v2's exponent form, e.g. 1e+21.
  const t = String(v);
  return t.replace(/e\+?/, (e) => (e === "e" ? "e+" : e));
}

const BOOLS = new Set(["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"]);
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);

/** Would yaml.v2 read the plain scalar back as a bool, null, number or timestamp (or a base 60 float)? */
function resolvesToNonString(s: string): boolean {
  if (BOOLS.has(s) || NULLS.has(s)) return true;
  if (/^[-+]?(\.inf|\.Inf|\.INF)$/.test(s) || /^(\.nan|\.NaN|\.NAN)$/.test(s)) return true;
  if (/^[-+]?[0-9][0-9_]*$/.test(s)) return true;
  if (/^[-+]?0x[0-9a-fA-F_]+$/.test(s) || /^[-+]?0b[01_]+$/.test(s) || /^[-+]?0o?[0-7_]+$/.test(s)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return true;
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s)) return true;
  if (/^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$/.test(s)) return true;
  return false;
}

function printable(s: string): boolean {
  // yaml.v2's is_printable: tab, LF, CR and the printable ranges; other control characters need escapes.
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufeff\ufffe\uffff]/.test(s);
}

/** yaml_emitter_analyze_scalar's block_plain_allowed, for a single-line string. */
function plainAllowed(s: string): boolean {
  if (s.startsWith(" ") || s.endsWith(" ")) return false;
  const c0 = s[0]!;
  const next = s[1];
  if ("#,[]{}&*!|>'\"%@`".includes(c0)) return false;
  if ((c0 === "-" || c0 === "?" || c0 === ":") && (next === undefined || next === " ")) return false;
  if (s.startsWith("---") || s.startsWith("...")) return false;
  if (s.includes(": ") || s.endsWith(":") || s.includes(" #")) return false;
  if (s.includes("\t")) return false;
  return true;
}

/** A plain or single-quoted scalar, broken at single spaces once the line is past BEST_WIDTH. */
function fold(s: string, column: number, indent: number, quoted: boolean): string {
  const text = quoted ? s.replace(/'/g, "''") : s;
  let out = quoted ? "'" : "";
  let col = column + out.length;
  let spaces = false;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === " ") {
      const canBreak = !spaces && col > BEST_WIDTH && chars[i + 1] !== " " && (!quoted || (i > 0 && i < chars.length - 1));
      if (canBreak && Number.isFinite(indent)) {
        out += "\n" + " ".repeat(indent);
        col = indent;
      } else {
        out += ch;
        col++;
      }
      spaces = true;
    } else {
      out += ch;
      col++;
      spaces = false;
    }
  }
  return quoted ? out + "'" : out;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c === 0) out += "\\0";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c === 0x07) out += "\\a";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0b) out += "\\v";
    else if (c === 0x0c) out += "\\f";
    else if (c === 0x1b) out += "\\e";
    else if (c === 0x85) out += "\\N";
    else if (c === 0xa0) out += "\\_";
    else if (c === 0x2028) out += "\\L";
    else if (c === 0x2029) out += "\\P";
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfeff) out += "\\x" + c.toString(16).toUpperCase().padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

/** The literal style: |, |- or |+ by the trailing line breaks, each line at `indent`. */
function literal(s: string, indent: number): string {
  const trailing = /\n*$/.exec(s)![0].length;
  const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
  const lead = s.startsWith(" ") ? "2" : "";
  const body = trailing === 0 ? s : s.slice(0, s.length - (trailing === 1 ? 1 : 0));
  const pad = " ".repeat(Number.isFinite(indent) ? indent : 2);
  const lines = (trailing > 1 ? body.replace(/\n$/, "") : body).split("\n").map((l) => (l === "" ? "" : pad + l));
  return `|${lead}${chomp}\n` + lines.join("\n");
}

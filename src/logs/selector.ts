/**
 * `-l SELECTOR`: the label selector string syntax of apimachinery's labels.Parse
 * (staging/src/k8s.io/apimachinery/pkg/labels/selector.go): comma-separated requirements `key`, `!key`,
 * `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key>1`, `key<1`. The lexer and the
 * recursive descent follow upstream, so a bad selector fails with upstream's message (`unable to parse
 * requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt`).
 *
 * NOTE: upstream also validates every key and value (IsQualifiedName, IsValidLabelValue) when it builds a
 * requirement; here they are taken as written: a selector with a key no label can have just matches nothing.
 */

/** One requirement of a parsed selector. */
export interface Requirement {
  readonly key: string;
  readonly op: "exists" | "!" | "=" | "!=" | "in" | "notin" | "gt" | "lt";
  readonly values: readonly string[];
}

/** The outcome of parseSelector: the requirements (all must hold), or upstream's error text. */
export type SelectorResult = { ok: true; requirements: Requirement[] } | { ok: false; error: string };

type Tok = "id" | "!" | "," | "=" | "==" | "!=" | ">" | "<" | "in" | "notin" | "(" | ")" | "eos" | "error";

const SYMBOLS: Readonly<Record<string, Tok>> = { "!": "!", ",": ",", "=": "=", "==": "==", "!=": "!=", ">": ">", "<": "<", "(": "(", ")": ")" };
const SPECIAL = new Set(["=", "!", "(", ")", ",", ">", "<"]);
const WS = new Set([" ", "\t", "\r", "\n"]);
const BINARY = "in, notin, =, ==, !=, gt, lt";

function lex(s: string): { tok: Tok; lit: string }[] {
  const items: { tok: Tok; lit: string }[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && WS.has(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: "eos", lit: "" });
      return items;
    }
    if (SPECIAL.has(s[pos]!)) {
      // The longest run of special symbols that is still a token ("!=", "=="), as scanSpecialSymbol.
      let buf = "";
      let last: { tok: Tok; lit: string } | undefined;
      while (pos < s.length && SPECIAL.has(s[pos]!)) {
        buf += s[pos];
        const t = SYMBOLS[buf];
        if (t) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: "error", lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = "";
    while (pos < s.length && !SPECIAL.has(s[pos]!) && !WS.has(s[pos]!)) buf += s[pos++];
    items.push({ tok: buf === "in" ? "in" : buf === "notin" ? "notin" : "id", lit: buf });
  }
}

/** Parses a label selector string as labels.Parse does; the empty string selects everything. */
export function parseSelector(selector: string): SelectorResult {
  const items = lex(selector);
  let p = 0;
  // In a value position `in` and `notin` are plain identifiers (ParserContext Values).
  const look = (values: boolean) => {
    const it = items[p]!;
    return values && (it.tok === "in" || it.tok === "notin") ? { tok: "id" as Tok, lit: it.lit } : it;
  };
  const take = (values: boolean) => {
    const it = look(values);
    p++;
    return it;
  };
  class ParseError extends Error {}
  const fail = (m: string): never => {
    throw new ParseError(m);
  };

  const requirement = (): Requirement => {
    let t = take(true);
    let negated = false;
    if (t.tok === "!") {
      negated = true;
      t = take(true);
    }
    if (t.tok !== "id") fail(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const next = look(true).tok;
    // `!key` takes no operator: whatever follows is refused after the requirement, as upstream.
    if (negated) return { key, op: "!", values: [] };
    if (next === "eos" || next === ",") return { key, op: "exists", values: [] };
    const o = take(false);
    switch (o.tok) {
      case "in":
      case "notin":
        return { key, op: o.tok, values: valueSet() };
      case "=":
      case "==":
        return { key, op: "=", values: [exactValue()] };
      case "!=":
        return { key, op: "!=", values: [exactValue()] };
      case ">":
        return { key, op: "gt", values: [exactValue()] };
      case "<":
        return { key, op: "lt", values: [exactValue()] };
      default:
        return fail(`found '${o.lit}', expected: ${BINARY}`);
    }
  };
  const exactValue = (): string => {
    const t = look(true).tok;
    if (t === "eos" || t === ",") return "";
    const v = take(true);
    if (v.tok !== "id") fail(`found '${v.lit}', expected: identifier`);
    return v.lit;
  };
  const valueSet = (): string[] => {
    const open = take(true);
    if (open.tok !== "(") fail(`found '${open.lit}' expected: '('`);
    const first = look(true);
    if (first.tok === ")") {
      take(true);
      return [""];
    }
    if (first.tok !== "id" && first.tok !== ",") fail(`found '${first.lit}', expected: ',', ')' or identifier`);
    const vals = new Set<string>();
    for (;;) {
      const t = take(true);
      if (t.tok === "id") {
        vals.add(t.lit);
        const n = look(true);
        if (n.tok === ",") continue;
        if (n.tok === ")") break;
        fail(`found '${n.lit}', expected: ',' or ')'`);
      } else if (t.tok === ",") {
        if (vals.size === 0) vals.add("");
        const n = look(true).tok;
        if (n === ")") {
          vals.add("");
          break;
        }
        if (n === ",") vals.add("");
      } else {
        fail(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    const close = take(true);
    if (close.tok !== ")") fail(`found '${first.lit}', expected: ')'`);
    return [...vals].sort();
  };

  const reqs: Requirement[] = [];
  try {
    for (;;) {
      const t = look(true);
      if (t.tok === "eos") break;
      if (t.tok !== "id" && t.tok !== "!") return { ok: false, error: `found '${t.lit}', expected: !, identifier, or 'end of string'` };
      try {
        reqs.push(requirement());
      } catch (e) {
        if (e instanceof ParseError) return { ok: false, error: `unable to parse requirement: ${e.message}` };
        throw e;
      }
      const after = take(true);
      if (after.tok === "eos") break;
      if (after.tok !== ",") return { ok: false, error: `found '${after.lit}', expected: ',' or 'end of string'` };
      const n = look(true).tok;
      if (n !== "id" && n !== "!") return { ok: false, error: `found '${look(true).lit}', expected: identifier after ','` };
    }
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: e.message };
    throw e;
  }
  return { ok: true, requirements: reqs };
}

/** Whether `labels` satisfy every requirement (labels.Requirement.Matches). */
export function matchesRequirements(reqs: readonly Requirement[], labels: Readonly<Record<string, string>>): boolean {
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels[r.key]! : undefined;
    switch (r.op) {
      case "exists":
        if (!has) return false;
        break;
      case "!":
        if (has) return false;
        break;
      case "=":
        if (v !== r.values[0]) return false;
        break;
      case "!=":
        if (has && v === r.values[0]) return false;
        break;
      case "in":
        if (!has || !r.values.includes(v!)) return false;
        break;
      case "notin":
        if (has && r.values.includes(v!)) return false;
        break;
      case "gt":
      case "lt": {
        // Both sides must be integers (strconv.ParseInt), else no match.
        if (!has || !/^[+-]?\d+$/.test(v!) || !/^[+-]?\d+$/.test(r.values[0]!)) return false;
        const a = BigInt(v!);
        const b = BigInt(r.values[0]!);
        if (r.op === "gt" ? !(a > b) : !(a < b)) return false;
        break;
      }
    }
  }
  return true;
}

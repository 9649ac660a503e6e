/**
 * Go's text/tabwriter as kubectl configures it, for text that is laid out in columns: cells are tab-terminated,
 * the text after a line's last tab is not part of a column, and a column's width is that of its widest cell plus
 * the padding (at least `minWidth`) over a block of consecutive lines that all have a cell in that column, a block
 * being ended by a line with fewer cells (text/tabwriter Writer.format). Padding is with spaces.
 */

/** kubectl get's printers.GetNewTabWriter: minwidth 6, tabwidth 4, padding 3, pad ' '. */
export const GET_TABWRITER = { minWidth: 6, padding: 3 } as const;
/** kubectl describe's tabbedString: minwidth 0, tabwidth 8, padding 2, pad ' '. */
export const DESCRIBE_TABWRITER = { minWidth: 0, padding: 2 } as const;

/** Lays out `text` (lines separated by "\n", cells by "\t") as tabwriter.Writer would, then Flush. */
export function tabwrite(text: string, opts: { minWidth: number; padding: number }): string {
  const lines = text.split("\n").map((l) => l.split("\t"));
  const widthOf = (s: string) => [...s].length;
  const out: string[] = [];
  const widths: number[] = [];
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = lines[i]!;
      let s = "";
      for (let j = 0; j < line.length; j++) {
        const c = line[j]!;
        s += c;
        if (j < widths.length && j < line.length - 1) s += " ".repeat(Math.max(0, widths[j]! - widthOf(c)));
      }
      out[i] = s;
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = opts.minWidth;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        const w = widthOf(line[column]!) + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join("\n");
}

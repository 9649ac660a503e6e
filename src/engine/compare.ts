/** Code-unit order of two strings (Go's sort.Strings order), independent of the locale: for deterministic sorts. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

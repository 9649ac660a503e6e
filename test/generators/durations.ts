/** Go-syntax durations for generated scenarios. */

/** `ms` as a Go duration string the loader parses back to exactly `ms` (e.g. 90500 -> "1m30s500ms"). */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}${rest ? `${rest}ms` : ""}`;
}

/**
 * Ages as kubectl prints them: k8s.io/apimachinery/pkg/util/duration HumanDuration and the printers'
 * translateTimestampSince (pkg/printers/internalversion/printers.go, kubectl/pkg/describe/describe.go).
 */

/**
 * duration.HumanDuration for `ms` milliseconds: at most two units, coarser as the duration grows ("45s", "2m5s",
 * "12m", "3h20m", "30h", "3d4h", "20d", "2y10d", "9y"); under -1 s is "<invalid>" and -1 s..0 is "0s" (upstream
 * tolerates 2 s of clock skew). Whole units truncate, as Go's integer division does.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for an absent timestamp, else HumanDuration(now - timestamp). */
export function since(timestamp: string | undefined | null, nowMs: number): string {
  if (!timestamp) return "<unknown>";
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return "<unknown>";
  return humanDuration(nowMs - t);
}

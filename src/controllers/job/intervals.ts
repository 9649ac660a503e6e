/**
 * Index sets in the compressed text of status.completedIndexes / status.failedIndexes
 * (pkg/controller/job/indexed_job_utils.go orderedIntervals): sorted, disjoint, non-adjacent inclusive intervals,
 * printed as `1-3,5`. Pure.
 */

/** indexed_job_utils.go interval: first..last inclusive. */
export interface Interval {
  readonly first: number;
  readonly last: number;
}

/** indexed_job_utils.go orderedIntervals. */
export type OrderedIntervals = readonly Interval[];

/**
 * orderedIntervals.merge: the union of two ordered lists, overlapping or adjacent intervals joined
 * ([0-1] + [2-3] -> [0-3]).
 */
export function mergeIntervals(a: OrderedIntervals, b: OrderedIntervals): Interval[] {
  const out: { first: number; last: number }[] = [];
  const push = (iv: Interval) => {
    const last = out[out.length - 1];
    if (!last || iv.first > last.last + 1) out.push({ first: iv.first, last: iv.last });
    else if (last.last < iv.last) last.last = iv.last;
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) push(a[i]!.first < b[j]!.first ? a[i++]! : b[j++]!);
  while (i < a.length) push(a[i++]!);
  while (j < b.length) push(b[j++]!);
  return out;
}

/** orderedIntervals.withOrderedIndexes: adds indexes given in increasing order. */
export function withOrderedIndexes(oi: OrderedIntervals, newIndexes: readonly number[]): Interval[] {
  return mergeIntervals(
    oi,
    newIndexes.map((x) => ({ first: x, last: x })),
  );
}

/** orderedIntervals.total: how many indexes the intervals hold. */
export function totalIndexes(oi: OrderedIntervals): number {
  return oi.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
}

/** orderedIntervals.has (binary search). */
export function hasIndex(oi: OrderedIntervals, ix: number): boolean {
  let lo = 0;
  let hi = oi.length;
  while (hi > lo) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (oi[mid]!.last >= ix) hi = mid;
    else lo = mid + 1;
  }
  return hi < oi.length && oi[hi]!.first <= ix;
}

/**
 * orderedIntervals.String: `first` for a single index, `first,last` for two adjacent ones (not `first-last`),
 * `first-last` for three or more, joined by commas: [1-3, 5, 7-8] -> `1-3,5,7,8`.
 */
export function intervalsString(oi: OrderedIntervals): string {
  return oi.map((v) => (v.last > v.first ? `${v.first}${v.last === v.first + 1 ? "," : "-"}${v.last}` : `${v.first}`)).join(",");
}

/**
 * indexed_job_utils.go parseIndexesFromString: the intervals of `s`, dropping (as upstream logs and skips) fragments
 * that are not integers, stopping at the first interval starting at or above `completions`, clamping a last index
 * to completions - 1, and joining an interval to the previous one when it starts right after it.
 * NOTE: like upstream's strconv.Atoi, `a-b-c` reads only `a-b`; a fragment with a bad upper bound is skipped.
 */
export function parseIndexesFromString(s: string, completions: number): Interval[] {
  if (s === "") return [];
  const out: { first: number; last: number }[] = [];
  for (const part of s.split(",")) {
    const limits = part.split("-");
    const first = atoi(limits[0]!);
    if (first === null) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const l = atoi(limits[1]!);
      if (l === null) continue;
      last = l >= completions ? completions - 1 : l;
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

function atoi(s: string): number | null {
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : null;
}

/**
 * indexed_job_utils.go firstPendingIndexes: the first `count` indexes below `completions` in none of `nonPending`
 * (succeeded, active, failed and, with podReplacementPolicy Failed, terminating indexes, merged by the caller).
 */
export function firstPendingIndexes(nonPending: OrderedIntervals, count: number, completions: number): number[] {
  const out: number[] = [];
  if (count === 0) return out;
  let candidate = 0;
  for (const iv of nonPending) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++) out.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}

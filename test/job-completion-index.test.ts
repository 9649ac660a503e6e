import { describe, expect, it } from "vitest";
import {
  completionIndexEnvFieldPath,
  getCompletionIndex,
  getIndexAbsoluteFailureCount,
  indexedPodHostname,
  podGenerateNameWithIndex,
} from "../src/controllers/job/completion-index.js";
import { firstPendingIndexes, hasIndex, intervalsString, parseIndexesFromString, totalIndexes, withOrderedIndexes } from "../src/controllers/job/intervals.js";

describe("completion index", () => {
  it.each([
    [undefined, -1],
    [{}, -1],
    [{ "batch.kubernetes.io/job-completion-index": "3" }, 3],
    [{ "batch.kubernetes.io/job-completion-index": "+3" }, 3], // strconv.Atoi accepts a sign
    [{ "batch.kubernetes.io/job-completion-index": "-3" }, -1],
    [{ "batch.kubernetes.io/job-completion-index": "x" }, -1],
  ])("getCompletionIndex(%o) = %d", (a, expected) => {
    expect(getCompletionIndex(a)).toBe(expected);
  });

  it("failure counts: failure + ignored, invalid values read as 0", () => {
    expect(getIndexAbsoluteFailureCount({ "batch.kubernetes.io/job-index-failure-count": "2", "batch.kubernetes.io/job-index-ignored-failure-count": "1" })).toBe(3);
    expect(getIndexAbsoluteFailureCount({ "batch.kubernetes.io/job-index-failure-count": "2147483648" })).toBe(0); // > MaxInt32
  });

  it("hostname, generateName and env var", () => {
    expect(indexedPodHostname("job", 4)).toBe("job-4");
    expect(podGenerateNameWithIndex("job", 4)).toBe("job-4-");
    // 60 + "-12-" = 64 > 58: the name is cut to 58 - 4 = 54 characters
    expect(podGenerateNameWithIndex("a".repeat(60), 12)).toBe(`${"a".repeat(54)}-12-`);
    expect(completionIndexEnvFieldPath()).toBe("metadata.labels['batch.kubernetes.io/job-completion-index']");
    expect(completionIndexEnvFieldPath(false)).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
  });
});

describe("completedIndexes intervals", () => {
  it.each([
    [[], ""],
    [[0], "0"],
    [[1, 2], "1,2"], // two adjacent indexes print with a comma
    [[1, 2, 3, 5], "1-3,5"],
    [[0, 2, 3, 4, 7, 8], "0,2-4,7,8"],
  ])("%o -> %s", (indexes, expected) => {
    expect(intervalsString(withOrderedIndexes([], indexes))).toBe(expected);
  });

  it("merges into existing intervals", () => {
    const oi = parseIndexesFromString("1-3,7", 10);
    const merged = withOrderedIndexes(oi, [4, 6, 9]); // 1-3 + 4 -> 1-4; 6 + 7 -> 6,7; 9
    expect(intervalsString(merged)).toBe("1-4,6,7,9");
    expect(totalIndexes(merged)).toBe(7); // 4 + 2 + 1
    expect([hasIndex(merged, 5), hasIndex(merged, 6), hasIndex(merged, 9), hasIndex(merged, 10)]).toEqual([false, true, true, false]);
  });

  it.each([
    ["1-3,5", 10, "1-3,5"],
    ["1,2,3", 10, "1-3"], // adjacent fragments join
    ["2-8,9", 5, "2-4"], // last clamped to completions - 1 = 4; 9 >= 5 stops
    ["x,1,3-y,4", 10, "1,4"], // bad fragments skipped
  ])("parseIndexesFromString(%s, %d) -> %s", (s, completions, expected) => {
    expect(intervalsString(parseIndexesFromString(s, completions))).toBe(expected);
  });

  it("firstPendingIndexes skips non-pending indexes", () => {
    const nonPending = parseIndexesFromString("0,2-3,6", 10);
    expect(firstPendingIndexes(nonPending, 3, 10)).toEqual([1, 4, 5]);
    expect(firstPendingIndexes(nonPending, 10, 8)).toEqual([1, 4, 5, 7]); // bounded by completions 8
  });
});

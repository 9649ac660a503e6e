import { isNamespaced } from "../api/registry/registry.js";
import type { KubeObject } from "../api/types.js";
import type { Cluster } from "../cluster.js";
import type { ExpectOp, Expectation, SourcePos } from "./types.js";

/** The outcome of one expectation, as summary.json reports it. */
export interface ExpectationResult {
  expect: string;
  /** Virtual ms at which it was checked. */
  at: number;
  /** The field's value then (null when the object or field did not exist). */
  actual: unknown;
  passed: boolean;
  /** Where the expectation is written. */
  source: SourcePos;
}

/** Reads a dotted path ("status.availableReplicas", "spec.taints.0.key") from an object. */
export function readField(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Compares as the expectation's operator says; ordering operators need two numbers. */
export function compare(actual: unknown, op: ExpectOp, want: number | string | boolean): boolean {
  switch (op) {
    case "==":
      return actual === want;
    case "!=":
      return actual !== want;
    default: {
      if (typeof actual !== "number" || typeof want !== "number") return false;
      if (op === ">=") return actual >= want;
      if (op === "<=") return actual <= want;
      if (op === ">") return actual > want;
      return actual < want;
    }
  }
}

/**
 * Checks each expectation at its time against the API server's state (as `kubectl get` would read it). A missing
 * numeric status field counts as 0, as the API omits zero counts (omitempty).
 */
export class ExpectationChecker {
  readonly results: ExpectationResult[] = [];

  constructor(private readonly cluster: Cluster, expectations: readonly Expectation[]) {
    const ctx = cluster.sim.register<Expectation>("expectations", (e) => this.check(e));
    for (const e of expectations) ctx.scheduleAt(e.at, e);
  }

  private check(e: Expectation): void {
    const obj = this.cluster.cp.api.get<KubeObject>(e.kind, isNamespaced(e.kind) ? e.namespace : undefined, e.name);
    let actual = obj ? readField(obj, e.field) : undefined;
    if (obj && actual === undefined && typeof e.value === "number" && e.field.startsWith("status.")) actual = 0;
    this.results.push({
      expect: e.text,
      at: e.at,
      actual: actual === undefined ? null : actual,
      passed: compare(actual, e.op, e.value),
      source: e.source,
    });
  }
}

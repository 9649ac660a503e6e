import fc from "fast-check";

/** `arb` one time in `oneIn` (and undefined otherwise): for features that make most pods unschedulable if common. */
export function rarely<T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

/** Exhaustiveness check at the end of a `switch` over a discriminated union: unreachable when every case is handled. */
export function assertNever(x: never): never {
  throw new Error(`unhandled case ${JSON.stringify(x)}`);
}

/**
 * The change between two versions of a stored object, as the change log records a MODIFIED write: the changed
 * leaves only, so a heartbeat that moves one timestamp costs one entry, not the whole object. Objects are compared
 * key by key and arrays of the same length element by element (a condition list whose one lastHeartbeatTime moved
 * is one entry); anything else that differs is replaced whole.
 *
 * NOTE: not RFC 7386 merge patch: a merge patch cannot say "set this key to null" (k8sim's templates hold
 * `creationTimestamp: null`, as upstream's do) and replaces whole arrays.
 */

/** A JSON value as stored objects hold them. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** One change: [path, value] sets the value at path; [path] removes the key at path. */
export type DiffOp = [path: (string | number)[], value?: Json];

/** The ops that turn `a` into `b` (both JSON values: no undefined, no functions); [] when they are equal. */
export function diff(a: Json, b: Json): DiffOp[] {
  const ops: DiffOp[] = [];
  walk(a, b, [], ops);
  return ops;
}

function isObject(v: Json): v is { [k: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Compares a and b at `path` (a stack shared by the whole walk: copied only into the ops it makes). */
function walk(a: Json, b: Json, path: (string | number)[], ops: DiffOp[]): void {
  if (a === b) return;
  if (isObject(a) && isObject(b)) {
    for (const k in a) {
      if (!hasOwn(a, k) || a[k] === undefined) continue;
      if (!hasOwn(b, k) || b[k] === undefined) ops.push([[...path, k]]);
    }
    for (const k in b) {
      if (!hasOwn(b, k) || b[k] === undefined) continue;
      const av = hasOwn(a, k) ? a[k] : undefined;
      if (av === undefined) ops.push([[...path, k], b[k]!]);
      else if (av !== b[k]) {
        path.push(k);
        walk(av, b[k]!, path, ops);
        path.pop();
      }
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] === b[i]) continue;
      path.push(i);
      walk(a[i]!, b[i]!, path, ops);
      path.pop();
    }
    return;
  }
  ops.push([[...path], b]);
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Applies ops made by `diff(a, b)` to (a copy of) `a`, giving a value equal to `b`. Containers on the way are
 * copied, never mutated, so a state shared with an earlier reconstruction is left as it was.
 */
export function applyDiff(a: Json, ops: readonly DiffOp[]): Json {
  let root = a;
  for (const [path, value] of ops) {
    if (path.length === 0) {
      root = value === undefined ? null : value;
      continue;
    }
    root = setIn(root, path, 0, value);
  }
  return root;
}

function setIn(node: Json, path: (string | number)[], i: number, value: Json | undefined): Json {
  const key = path[i]!;
  const container: Json = Array.isArray(node) ? node.slice() : isObject(node) ? { ...node } : typeof key === "number" ? [] : {};
  const rec = container as Record<string | number, Json>;
  if (i === path.length - 1) {
    if (value === undefined) delete rec[key];
    else rec[key] = value;
  } else {
    rec[key] = setIn(rec[key] ?? null, path, i + 1, value);
  }
  return container;
}

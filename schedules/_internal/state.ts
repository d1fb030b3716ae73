/**
 * A deep copy of plain state (arrays and plain objects; other values kept as they are), as the
 * schedulers' `stateDict()`/`loadStateDict()` copy what they hand out and take in. Private to
 * `schedules/`.
 *
 * @module
 */

/** A deep copy of plain state: arrays and plain objects are copied, other values kept. */
export function copyState<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyState) as T;
  if (
    typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyState(v)])) as T;
  }
  return value;
}

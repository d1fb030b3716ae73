/**
 * What the timm ports share besides the cycle arithmetic (private to `schedules/timm/`): the
 * option keys every concrete scheduler accepts from the base class, and the state-dict copy.
 *
 * @module
 */

/** The keys of {@linkcode SchedulerOptions} that concrete schedulers accept. */
export const SCHEDULER_KEYS: readonly [
  "optimizer",
  "tInEpochs",
  "noiseRangeT",
  "noisePct",
  "noiseStd",
  "noiseSeed",
  "initialize",
] = ["optimizer", "tInEpochs", "noiseRangeT", "noisePct", "noiseStd", "noiseSeed", "initialize"];

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

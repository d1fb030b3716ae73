/**
 * What the timm ports share besides the cycle arithmetic (private to `schedules/timm/`): the
 * option keys every concrete scheduler accepts from the base class.
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

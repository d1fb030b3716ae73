/**
 * Option handling shared by detectron2's legacy schedulers (`WarmupMultiStepLR`,
 * `WarmupCosineLR`) and DeepLab's `WarmupPolyLR`. Private to `detectron2/`.
 *
 * @module
 */

import { finite, integer, oneOf } from "../_internal/validate.ts";

/** The warmup shapes detectron2 knows (its `_get_warmup_factor_at_iter`). */
export const WARMUP_METHODS: readonly ("linear" | "constant")[] = ["linear", "constant"];

/** Reads and validates the warmup options of a legacy scheduler. */
export function legacyWarmup(
  owner: string,
  o: { warmupFactor?: unknown; warmupIters?: unknown; warmupMethod?: unknown },
): { warmupFactor: number; warmupIters: number; warmupMethod: "linear" | "constant" } {
  return {
    warmupFactor: finite(owner, "warmupFactor", o.warmupFactor ?? 0.001),
    warmupIters: integer(
      owner,
      "warmupIters",
      o.warmupIters ?? 1000,
      "an integer >= 0",
      (x) => x >= 0,
    ),
    warmupMethod: oneOf(
      owner,
      "warmupMethod",
      o.warmupMethod ?? "linear",
      WARMUP_METHODS,
      " (detectron2: Unknown warmup method)",
    ),
  };
}

/** The options every legacy scheduler accepts besides its own. */
export const LEGACY_KEYS: readonly [
  "optimizer",
  "warmupFactor",
  "warmupIters",
  "warmupMethod",
  "lastEpoch",
] = ["optimizer", "warmupFactor", "warmupIters", "warmupMethod", "lastEpoch"];

/**
 * fvcore's parameter schedulers (`fvcore/common/param_scheduler.py`): pure functions of the
 * training progress `where` ∈ [0, 1], ported operation for operation.
 *
 * @example A cosine multiplier
 * ```ts
 * import { CosineParamScheduler } from "@lrspec/lrspec/fvcore";
 * import assert from "node:assert/strict";
 *
 * const s = new CosineParamScheduler({ startValue: 1, endValue: 0 });
 * assert.equal(s.at(0), 1);
 * assert.equal(s.at(1), 0);
 * ```
 *
 * @module
 */

export * from "./param_scheduler.ts";

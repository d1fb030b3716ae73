/**
 * How the `*LR` and `*Momentum` classes pass their fixed parameter name to the generic class
 * they extend (mmengine's `LRSchedulerMixin` / `MomentumSchedulerMixin` pass `'lr'` /
 * `'momentum'` positionally). Private to this folder.
 *
 * @module
 */

/** The key under which a subclass passes its fixed parameter name (never an option key). */
export const FIXED: unique symbol = Symbol("lrspec.mmengine.paramName");

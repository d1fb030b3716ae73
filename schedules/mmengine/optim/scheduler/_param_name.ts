/**
 * How the `*LR` and `*Momentum` classes pass their fixed parameter name to the generic class
 * they extend (mmengine's `LRSchedulerMixin` / `MomentumSchedulerMixin` pass `'lr'` /
 * `'momentum'` positionally), and their own name, the owner of their errors (never
 * `new.target.name` or `constructor.name`, which a minifier renames). Private to this folder.
 *
 * @module
 */

/** The key under which a subclass passes its fixed parameter name (never an option key). */
export const FIXED: unique symbol = Symbol("lrspec.mmengine.paramName");

/** The key under which a subclass passes its upstream name (never an option key). */
export const OWNER: unique symbol = Symbol("lrspec.mmengine.owner");

/** The owner a subclass passed, else the generic class's own name. */
export function ownerOf(options: unknown, own: string): string {
  const o = options as { [OWNER]?: unknown } | null | undefined;
  return typeof o === "object" && o !== null && typeof o[OWNER] === "string" ? o[OWNER] : own;
}

/**
 * How a subclass passes its upstream name to the class it extends, so that the errors the base
 * class throws name the subclass (`WarmupParamScheduler`, not `CompositeParamScheduler`) without
 * `constructor.name`, which a minifier renames. Private to `schedules/`.
 *
 * @module
 */

/** The key under which a subclass passes its name in the options (never an option key). */
export const OWNER: unique symbol = Symbol("lrspec.owner");

/** The owner a subclass passed in `options`, else the class's own name `own`. */
export function ownerOf(options: unknown, own: string): string {
  const o = options as { [OWNER]?: unknown } | null | undefined;
  return typeof o === "object" && o !== null && typeof o[OWNER] === "string" ? o[OWNER] : own;
}

/** `options` with the subclass's name added under {@linkcode OWNER} (a copy). */
export function withOwner<T extends object>(options: T, owner: string): T {
  return { ...options, [OWNER]: owner };
}

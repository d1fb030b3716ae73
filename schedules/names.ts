/**
 * Upstream keyword names and lrspec's option names: the one place that converts between them.
 * An option is its upstream keyword in camelCase (`step_size` → `stepSize`, `T_max` → `TMax`,
 * `T_0` → `T0`, `eta_min` → `etaMin`); {@linkcode snakeCase} goes back for messages and Python
 * calls, and {@linkcode sameName} is how a did-you-mean hint recognises an upstream spelling.
 *
 * @module
 */

/**
 * An upstream keyword in camelCase, as lrspec names the option: each `_x` becomes `X`; leading
 * capitals stay (`T_max` → `TMax`).
 *
 * @param keyword The upstream keyword (`num_warmup_steps`).
 * @returns The option name (`numWarmupSteps`).
 *
 * @example
 * ```ts
 * import { camelCase } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.equal(camelCase("step_size"), "stepSize");
 * assert.equal(camelCase("T_max"), "TMax");
 * assert.equal(camelCase("T_0"), "T0");
 * ```
 */
export function camelCase(keyword: string): string {
  return keyword.replace(/_+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * An option name as the upstream keyword (`stepSize` → `step_size`, `TMax` → `T_max`,
 * `numDecaySteps` → `num_decay_steps`): a capital after a lowercase letter or digit starts a
 * new word, lowercased; a leading capital that starts a word stays (`T_max`, `T_0`).
 *
 * @param name The option name.
 * @returns The upstream keyword.
 *
 * @example
 * ```ts
 * import { snakeCase } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.equal(snakeCase("numDecaySteps"), "num_decay_steps");
 * assert.equal(snakeCase("TMax"), "T_max");
 * assert.equal(snakeCase("T0"), "T_0");
 * ```
 */
export function snakeCase(name: string): string {
  // T_max → TMax, T_0 → T0, T_mult → TMult: one leading capital, then a word.
  const lead = /^([A-Z])(?=[A-Z0-9])/.exec(name);
  const head = lead ? `${lead[1]}_` : "";
  const rest = lead ? name.slice(1) : name;
  const body = rest.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(
    /^([A-Z])/,
    (c) => c.toLowerCase(),
  ).replace(/_([A-Z])/g, (_, c: string) => `_${c.toLowerCase()}`);
  return head + body;
}

/**
 * Whether two names are the same option written two ways (`T_max` and `TMax`, `step_size` and
 * `stepSize`, `warmupsteps` and `warmupSteps`): equal once underscores are dropped and case is
 * ignored.
 *
 * @param a A name.
 * @param b Another.
 * @returns Whether they match.
 */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/_/g, "").toLowerCase();
  return norm(a) === norm(b);
}

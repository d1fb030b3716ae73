/**
 * Shared set-up of the property tests: run count, seed, and helpers. fast-check prints the seed
 * and the shrunk counterexample of a failing property; this module prints the run's seed up front
 * so that any run can be replayed.
 *
 * - `LRSPEC_PROP_RUNS=N` (or `--runs N` after `--`) sets the number of runs per property
 *   (default 200, which keeps the default suite fast; `deno task test:props` uses 100,000).
 * - `LRSPEC_SEED=S` replays a run.
 *
 * @module
 */

import fc from "fast-check";
import process from "node:process";

function argRuns(): number | undefined {
  const i = process.argv.indexOf("--runs");
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

/** Runs per property. */
const RUNS: number = Number(process.env.LRSPEC_PROP_RUNS ?? argRuns() ?? 200);
/** The seed of this run. */
const SEED: number = Number(process.env.LRSPEC_SEED ?? Math.floor(Math.random() * 2 ** 31));

if (!Number.isInteger(RUNS) || RUNS <= 0) {
  throw new RangeError(`LRSPEC_PROP_RUNS must be a positive integer: got ${RUNS}`);
}
fc.configureGlobal({ numRuns: RUNS, seed: SEED });
let announced = false;

/** Prints the run count and seed once per process. */
function announce(): void {
  if (announced) return;
  announced = true;
  console.log(
    `fast-check: ${RUNS} runs per property, seed ${SEED} (replay with LRSPEC_SEED=${SEED})`,
  );
}
announce();

export { fc };

/** The distance between two doubles in units of the last place of the larger magnitude. */
export function ulpOf(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return Number.MIN_VALUE;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}

/** A finite double of moderate magnitude (no subnormals, no overflow in the schedules' arithmetic). */
export const value = (min = -1e6, max = 1e6): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((
    x,
  ) => (Math.abs(x) < 1e-300 ? 0 : x));

/** A progress point in [0, 1]. */
export const where: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.integer({ min: 0, max: 1000 }).map((i) => i / 1000),
  fc.constantFrom(0, 1, 1 - 1e-6, 1e-6, 0.5),
);

/** Two progress points a <= b. */
export const wherePair: fc.Arbitrary<[number, number]> = fc.tuple(where, where).map((
  [a, b],
) => (a <= b ? [a, b] : [b, a]));

/** Every value a thrown error must be for bad input. */
export function isTypedError(e: unknown): e is TypeError | RangeError {
  return e instanceof TypeError || e instanceof RangeError;
}

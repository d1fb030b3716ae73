/**
 * The fast-check half of `deno task fuzz`: every exported constructor and function of the
 * library's entry points called with arbitrary values, and `loadStateDict` of every scheduler
 * that can be built fed mutated state. Each call must return, or throw a `TypeError`,
 * `RangeError` or `SyntaxError` whose message is not an engine message (`x is not a function`,
 * `Cannot read properties of …`).
 *
 * @module
 */

import fc from "fast-check";

/**
 * Engine messages: what a bug in lrspec throws, never a user's mistake. Shown as `lrspec: error:`
 * they read as an answer about the file.
 */
export const ENGINE_MESSAGE: RegExp =
  /is not a function|is not iterable|is not a constructor|Cannot read propert|Cannot set propert|Cannot convert|Cannot mix BigInt|Maximum call stack|Maximum BigInt|Invalid (typed )?array length|Invalid string length|is not defined|before initialization|undefined is not|null is not|object null|\[object Object\]|out of memory/i;

const ENTRY_POINTS = [
  "../mod.ts",
  "../schedules/fvcore/mod.ts",
  "../schedules/detectron2/mod.ts",
  "../schedules/torch/mod.ts",
  "../schedules/hf/mod.ts",
  "../schedules/optax/mod.ts",
  "../schedules/timm/mod.ts",
  "../schedules/megatron/mod.ts",
  "../schedules/deepspeed/mod.ts",
  "../schedules/mmengine/mod.ts",
  "../schedules/keras/mod.ts",
  "../verify/mod.ts",
];

/** What {@linkcode fuzzApi} found. */
export interface ApiReport {
  /** Distinct exported functions and classes called. */
  targets: number;
  /** Schedulers whose `loadStateDict` was fuzzed. */
  loadStateDict: number;
  /** Calls made. */
  calls: number;
  /** Classes built from an options object, then fuzzed option by option. */
  constructors: number;
  /**
   * One line per problem with well-shaped input (an options object with one arbitrary value,
   * a state dict with one arbitrary entry): target, input, error.
   */
  problems: string[];
  /**
   * One line per problem with arbitrary positional arguments (`f(null)`, `new C(1, 2)`): what
   * the types forbid, reported apart. A `TypeError` is no problem there (see `typeRejected`);
   * anything else is: a `RangeError` with an engine message (`Invalid array length`, `Maximum
   * call stack size exceeded`), a thrown non-error, an error of another class.
   */
  unguarded: string[];
  /**
   * One line per kind of `TypeError` in the engine's words thrown for arguments the types forbid (`diffCurves()`,
   * `cosf(1n)`, `camelCase(null)`): JavaScript's own way to refuse a value of the wrong type —
   * `Math.cos(1n)` and `"".startsWith.call(null)` throw the same engine messages. Counted and
   * listed, not failures: the library validates the values of well-typed calls (`problems`).
   */
  typeRejected: string[];
}

const isClass = (f: unknown): boolean =>
  typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));

/** Whether a thrown value is an acceptable error (returns the problem otherwise). */
function judge(error: unknown): string | undefined {
  if (
    !(error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError)
  ) {
    return `threw ${error instanceof Error ? error.name : typeof error}: ${
      String(error).slice(0, 160)
    }`;
  }
  if (ENGINE_MESSAGE.test(error.message)) return `engine message: ${error.message.slice(0, 160)}`;
  return undefined;
}

const optimizer = () => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.01 }] });

/** Plausible option objects; each class is built with the first one it accepts. */
const CANDIDATES: Record<string, unknown>[] = [
  { stepSize: 3 },
  { milestones: [2, 5] },
  { gamma: 0.9 },
  { tMax: 10 },
  { totalIters: 10 },
  { lrLambda: () => 0.5 },
  { tInitial: 10 },
  { decaySteps: 10 },
  { baseLr: 0.001, maxLr: 0.1 },
  { maxLr: 0.1, totalSteps: 20 },
  { T_0: 10 },
  { t0: 10 },
  { schedulers: [], milestones: [] },
  {},
];

/** A scheduler with a state. */
interface Stateful {
  stateDict(): unknown;
  loadStateDict(s: unknown): void;
}

/** How a class was built: its arguments from an options object. */
type Shape = (opts: Record<string, unknown>) => unknown[];
const SHAPES: Shape[] = [
  (o) => [optimizer(), o],
  (o) => [{ optimizer: optimizer(), ...o }],
  (o) => [o],
];

/** The first candidate options and shape a class accepts, or undefined. */
function recipe(
  C: new (...a: unknown[]) => unknown,
): { opts: Record<string, unknown>; shape: Shape } | undefined {
  for (const opts of CANDIDATES) {
    for (const shape of SHAPES) {
      try {
        new C(...shape(opts));
        return { opts, shape };
      } catch {
        // try the next candidate
      }
    }
  }
  return undefined;
}

const anyValue = fc.oneof(
  fc.anything({
    withBigInt: true,
    withNullPrototype: true,
    withMap: true,
    withSet: true,
    maxDepth: 2,
  }),
  fc.double(),
  fc.constantFrom(
    0,
    -1,
    -0,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    2 ** 64,
    1e308,
    2n ** 64n,
    "",
    null,
    undefined,
  ),
);

/** Runs the API properties with a seed: `runs` inputs per target. */
export async function fuzzApi(
  seed: number,
  runs: number,
  onTarget?: (name: string) => void,
): Promise<ApiReport> {
  const seen = new Set<unknown>();
  const targets: [string, (...a: unknown[]) => unknown, boolean][] = [];
  for (const path of ENTRY_POINTS) {
    const mod = await import(path) as Record<string, unknown>;
    for (const [name, f] of Object.entries(mod)) {
      if (typeof f !== "function" || seen.has(f)) continue;
      seen.add(f);
      targets.push([name, f as (...a: unknown[]) => unknown, isClass(f)]);
    }
  }
  const report: ApiReport = {
    targets: targets.length,
    loadStateDict: 0,
    constructors: 0,
    calls: 0,
    problems: [],
    unguarded: [],
    typeRejected: [],
  };
  const kinds = new Set<string>();
  const record = (what: string, input: unknown, error: unknown, list = report.problems) => {
    const p = judge(error);
    // One report per target and kind of message (numbers and quoted names aside).
    const kind = `${what}: ${p?.replace(/\d+|'[^']*'|`[^`]*`/g, "_")}`;
    if (p !== undefined && !kinds.has(kind)) {
      kinds.add(kind);
      let shown: string;
      try {
        shown = fc.stringify(input).slice(0, 200);
      } catch {
        shown = "?";
      }
      list.push(`${what}(${shown}): ${p}`);
    }
  };
  for (const [name, f, cls] of targets) {
    onTarget?.(name);
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 3 }), (args) => {
        report.calls++;
        try {
          const r = cls
            ? new (f as unknown as new (...a: unknown[]) => unknown)(...args)
            : f(...args);
          if (r instanceof Promise) r.catch(() => {});
        } catch (error) {
          // A call the types forbid: a TypeError is the language's answer, whatever its words.
          record(
            name,
            args,
            error,
            error instanceof TypeError ? report.typeRejected : report.unguarded,
          );
        }
      }),
      { seed, numRuns: runs },
    );
    if (!cls) continue;
    const C = f as unknown as new (...a: unknown[]) => unknown;
    const r = recipe(C);
    if (r === undefined) continue;
    report.constructors++;
    const optKeys = [
      ...Object.keys(r.opts),
      "lastEpoch",
      "verbose",
      "x",
      "__proto__",
      "constructor",
    ];
    fc.assert(
      fc.property(fc.constantFrom(...optKeys), anyValue, (key, value) => {
        report.calls++;
        const opts = { ...r.opts };
        Object.defineProperty(opts, key, {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
        try {
          new C(...r.shape(opts));
        } catch (error) {
          record(`new ${name}`, opts, error);
        }
      }),
      { seed, numRuns: runs },
    );
    const build = () => new C(...r.shape(r.opts)) as Partial<Stateful>;
    const s0 = build();
    if (typeof s0.stateDict !== "function" || typeof s0.loadStateDict !== "function") continue;
    report.loadStateDict++;
    const state = (s0 as Stateful).stateDict() as Record<string, unknown>;
    const keys = Object.keys(state);
    fc.assert(
      fc.property(
        fc.oneof(
          anyValue,
          fc.record({ key: fc.constantFrom(...(keys.length ? keys : ["x"])), value: anyValue }).map(
            ({ key, value }) => ({ ...state, [key]: value }),
          ),
        ),
        (dict) => {
          report.calls++;
          const s = build() as Stateful;
          try {
            s.loadStateDict(dict);
          } catch (error) {
            record(`${name}.loadStateDict`, dict, error);
          }
        },
      ),
      { seed, numRuns: runs },
    );
  }
  return report;
}

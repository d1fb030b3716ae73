/**
 * Case handlers of the keras suite (`fixtures/keras`): Keras 3.15.1's schedules, rebuilt from the
 * very `{"class_name", "config"}` Keras was built from, on the backend the case ran on, compared
 * with Keras' float32 value at every step; and its LR callbacks, stepped as `model.fit` steps
 * them.
 *
 * Policy: exact float32, or a difference proven to come from the backend's own `cos` / `log`
 * (numpy's and torch's are not correctly rounded; lrspec uses the correctly rounded ones): each
 * case runs a second time with `backendMath` answering from the backend's results recorded by the
 * generator (`libmf.csv`); it must then be exact, and a value that differed in the first run is
 * counted as a libm difference with its distance in ULPs (of the double widening of the float32
 * values: divide by 2^29 for float32 ULPs).
 *
 * @module
 */

import * as keras from "../schedules/keras/mod.ts";
import { type Backend, backendMath, DEFAULT_BACKEND_MATH } from "../schedules/keras/ops.ts";
import { parseNumber, type Table } from "../verify/csv.ts";
import {
  type CaseHandler,
  type CaseSpec,
  errorName,
  type HandlerContext,
  type Observation,
  type Outcome,
} from "./runner.ts";

type Expected = string | { error: string; message: string };

/** One backend's recorded float32 `cos`, `log` and `pow`, keyed by argument. */
interface Recorded {
  cos: Map<number, number>;
  log: Map<number, number>;
  pow: Map<string, number>;
}

const recordings = new WeakMap<Table, Record<Backend, Recorded>>();

/** Reads `libmf.csv` (`backend,op,x,y,result`) into per-backend maps. */
export function readRecorded(table: Table): Record<Backend, Recorded> {
  const cached = recordings.get(table);
  if (cached !== undefined) return cached;
  const fresh = (): Recorded => ({ cos: new Map(), log: new Map(), pow: new Map() });
  const out: Record<Backend, Recorded> = { numpy: fresh(), jax: fresh(), torch: fresh() };
  const col = (name: string) => table.header.indexOf(name);
  const [b, op, x, y, r] = ["backend", "op", "x", "y", "result"].map(col) as number[];
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const rec = out[row.cells[b!] as Backend];
    const xv = parseNumber(row.cells[x!]!, at);
    const rv = parseNumber(row.cells[r!]!, at);
    if (row.cells[op!] === "cos") rec.cos.set(xv, rv);
    else if (row.cells[op!] === "log") rec.log.set(xv, rv);
    else rec.pow.set(`${xv}|${parseNumber(row.cells[y!]!, at)}`, rv);
  }
  recordings.set(table, out);
  return out;
}

/** Counters of the recorded-libm runs: lookups answered, and arguments Keras never evaluated. */
export const recordedLookups = { hits: 0, misses: 0 };

/** Runs `fn` with `backend`'s functions answering from Keras' recorded results. */
function withRecorded<T>(backend: Backend, rec: Recorded, fn: () => T): T {
  const defaults = DEFAULT_BACKEND_MATH[backend];
  const look = <K>(map: Map<K, number>, key: K, fallback: () => number): number => {
    const v = map.get(key);
    if (v === undefined) {
      recordedLookups.misses++;
      return fallback();
    }
    recordedLookups.hits++;
    return v;
  };
  backendMath[backend] = {
    cos: (x) => look(rec.cos, x, () => defaults.cos(x)),
    log: (x) => look(rec.log, x, () => defaults.log(x)),
    pow: (x, y) => look(rec.pow, `${x}|${y}`, () => defaults.pow(x, y)),
  };
  try {
    return fn();
  } finally {
    backendMath[backend] = { ...defaults };
  }
}

const camel = (name: string): string =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function expectedOutcome(e: Expected): { outcome: Outcome; accepts?: readonly string[] } {
  if (typeof e !== "string") return { outcome: { error: e.error } };
  const value = Number(e);
  if (!Number.isFinite(value)) {
    // Keras returns NaN or ±Infinity; lrspec throws a RangeError instead (never returns one).
    return { outcome: { error: `non-finite (${e})` }, accepts: ["RangeError"] };
  }
  return { outcome: { value } };
}

function run(fn: () => number): Outcome {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: errorName(error) };
  }
}

function scheduleValues(c: CaseSpec, backend: Backend): Outcome[] {
  let schedule: keras.LearningRateSchedule | undefined;
  let failure: string | undefined;
  try {
    schedule = keras.deserialize({ class_name: c.class_name, config: c.config }, { backend });
  } catch (error) {
    failure = errorName(error);
  }
  return (c.values as [number, Expected][]).map(([step]) =>
    schedule === undefined ? { error: failure! } : run(() => schedule!.call(step))
  );
}

const text = (value: unknown): Outcome => ({ text: JSON.stringify(value) });

function scheduleCase(c: CaseSpec, ctx: HandlerContext): Observation[] {
  const backend = c.backend as Backend;
  if (c.error !== undefined) {
    let actual: Outcome;
    try {
      const s = keras.deserialize({ class_name: c.class_name, config: c.config }, { backend });
      s.call(0);
      actual = { text: "constructed" };
    } catch (error) {
      actual = { error: errorName(error) };
    }
    const e = c.error as { type: string; message: string } | null;
    return [{
      at: "construct",
      column: e?.message ?? "",
      expected: e === null ? { text: "constructed" } : { error: e.type },
      actual,
    }];
  }
  const out: Observation[] = [];
  const observed = scheduleValues(c, backend);
  const rec = readRecorded(ctx.table("libmf.csv"))[backend];
  const proven = withRecorded(backend, rec, () => scheduleValues(c, backend));
  (c.values as [number, Expected][]).forEach(([step, e], i) => {
    const { outcome, accepts } = expectedOutcome(e);
    const actual = observed[i]!;
    const o: Observation = {
      at: `step ${step}`,
      column: "lr",
      expected: outcome,
      actual,
      ...(accepts ? { accepts } : {}),
    };
    if ("value" in outcome && "value" in actual && !Object.is(outcome.value, actual.value)) {
      const p = proven[i]!;
      if ("value" in p && Object.is(p.value, outcome.value)) {
        o.explained = `${backend}'s float32 cos/log is not correctly rounded here`;
      }
    }
    out.push(o);
  });
  // serialize() / get_config() round trips, and the optimizer config's "learning_rate" entry
  // (when lrspec constructs the schedule: it throws at construction where Keras raises at the
  // first call, which the steps above compare).
  let built: keras.LearningRateSchedule;
  try {
    built = keras.deserialize(c.serialized, { backend });
  } catch {
    return out;
  }
  const serialized = c.serialized as keras.SerializedSchedule;
  out.push({
    at: "serialize",
    column: "",
    expected: text(serialized),
    actual: text(keras.serialize(built)),
  });
  const fromEntry = keras.deserialize(c.optimizerEntry, { backend });
  out.push({
    at: "optimizer learning_rate entry",
    column: "",
    expected: text(serialized.config),
    actual: text(fromEntry.getConfig()),
  });
  return out;
}

/** The LearningRateScheduler functions of the generator, in TypeScript. */
export const LR_SCHEDULES: Readonly<Record<string, (epoch: number, lr: number) => number>> = {
  "step-decay": (epoch, lr) => epoch < 3 ? lr : lr * 0.9,
  "exp": (epoch) => 0.1 * 0.5 ** epoch,
  "halve-every-2": (epoch, lr) => epoch % 2 === 1 ? lr * 0.5 : lr,
  "warmup-linear": (epoch, lr) => epoch < 5 ? 0.01 * (epoch + 1) : lr,
};

function callbackCase(c: CaseSpec): Observation[] {
  const kwargs = (c.kwargs ?? {}) as Record<string, unknown>;
  const options: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camel(k), v])),
    ...(c.callback === "ReduceLROnPlateau" ? { backend: c.backend } : {}),
  };
  if (c.callback === "ReduceLROnPlateau") {
    if (c.error !== undefined) {
      let actual: Outcome;
      try {
        new keras.ReduceLROnPlateau(options);
        actual = { text: "constructed" };
      } catch (error) {
        actual = { error: errorName(error) };
      }
      const e = c.error as { type: string; message: string };
      return [{ at: "construct", column: e.message, expected: { error: e.type }, actual }];
    }
    const cb = new keras.ReduceLROnPlateau(options);
    const optimizer = { learningRate: Math.fround(c.initialLr as number) };
    cb.onTrainBegin();
    return (c.monitored as number[]).map((v, epoch) => {
      const actual = run(() => {
        cb.onEpochEnd(epoch, { [options.monitor as string]: v }, optimizer);
        return optimizer.learningRate;
      });
      return {
        at: `epoch ${epoch}`,
        column: "lr",
        expected: { value: Number((c.lrs as string[])[epoch]) },
        actual,
      };
    });
  }
  const fn = LR_SCHEDULES[c.schedule as string];
  if (fn === undefined) throw new Error(`unknown LearningRateScheduler function ${c.schedule}`);
  const cb = new keras.LearningRateScheduler({ schedule: fn });
  const optimizer = { learningRate: Math.fround(c.initialLr as number) };
  return (c.lrs as string[]).map((lr, epoch) => ({
    at: `epoch ${epoch}`,
    column: "lr",
    expected: { value: Number(lr) },
    actual: run(() => {
      cb.onEpochBegin(epoch, optimizer);
      return optimizer.learningRate;
    }),
  }));
}

/** The keras suite's handlers, by case kind. */
export const KERAS_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  keras_schedule: scheduleCase,
  keras_callback: callbackCase,
};

/** The distance between two float32 values in float32 ULPs. */
export function ulpDistanceF32(a: number, b: number): number {
  const bits = (x: number) => {
    const i = new Int32Array(new Float32Array([x]).buffer)[0]!;
    return i < 0 ? -(i & 0x7fffffff) : i;
  };
  return Math.abs(bits(a) - bits(b));
}

/** How a backend's float32 function compares with lrspec's default for it. */
export interface LibmMeasure {
  /** `numpy`, `jax`, `torch`. */
  backend: Backend;
  /** `cos`, `log`, `pow`. */
  op: string;
  /** Arguments Keras evaluated in the goldens. */
  calls: number;
  /** Of those, results that differ from lrspec's default (correctly rounded, or glibc's). */
  differ: number;
  /** The largest difference, in float32 ULPs. */
  maxUlp: number;
}

/**
 * Compares every `cos`/`log`/`pow` result Keras' backends returned on the goldens (`libmf.csv`)
 * with lrspec's default function for that backend.
 */
export function measureBackendLibm(table: Table): LibmMeasure[] {
  const rec = readRecorded(table);
  const out: LibmMeasure[] = [];
  for (const backend of ["numpy", "jax", "torch"] as const) {
    const d = DEFAULT_BACKEND_MATH[backend];
    const one = (op: string, entries: [number, number, number][]) => {
      const m: LibmMeasure = { backend, op, calls: 0, differ: 0, maxUlp: 0 };
      for (const [x, y, r] of entries) {
        const mine = op === "cos" ? d.cos(x) : op === "log" ? d.log(x) : d.pow(x, y);
        m.calls++;
        if (!Object.is(mine, r) && !(Number.isNaN(mine) && Number.isNaN(r))) {
          m.differ++;
          m.maxUlp = Math.max(m.maxUlp, ulpDistanceF32(mine, r));
        }
      }
      out.push(m);
    };
    one("cos", [...rec[backend].cos].map(([x, r]) => [x, 0, r]));
    one("log", [...rec[backend].log].map(([x, r]) => [x, 0, r]));
    one("pow", [...rec[backend].pow].map(([k, r]) => [...k.split("|").map(Number), r] as never));
  }
  return out;
}

/** Per schedule class and backend: values compared, exact, and the largest float32 ULP gap. */
export interface ValueMeasure {
  /** `CosineDecay (numpy)`. */
  group: string;
  /** Finite values compared. */
  values: number;
  /** Bit-identical with lrspec's default functions. */
  exact: number;
  /** The largest difference, in float32 ULPs. */
  maxUlp: number;
}

/** Measures the schedule cases of a loaded keras manifest in float32 ULPs. */
export function measureValues(cases: readonly CaseSpec[]): ValueMeasure[] {
  const groups = new Map<string, ValueMeasure>();
  for (const c of cases) {
    if (c.kind !== "keras_schedule" || c.values === undefined) continue;
    const g = groups.get(c.group as string) ??
      { group: c.group as string, values: 0, exact: 0, maxUlp: 0 };
    groups.set(g.group, g);
    const observed = scheduleValues(c, c.backend as Backend);
    (c.values as [number, Expected][]).forEach(([, e], i) => {
      const a = observed[i]!;
      if (typeof e !== "string" || !Number.isFinite(Number(e)) || !("value" in a)) return;
      g.values++;
      if (Object.is(a.value, Number(e))) g.exact++;
      else g.maxUlp = Math.max(g.maxUlp, ulpDistanceF32(a.value, Number(e)));
    });
  }
  return [...groups.values()];
}

// Work that stays O(output) at any length (issue 26): a diff of two 10⁹-iteration curves reads a
// budget of rows and samples the rest, a chart of a curve that changes every row reads samples,
// and a stepped schedule that can start anywhere computes only what is read. Each test counts
// the values read (or steps taken) and stops the curve once it reads far more than the bound,
// so that a regression fails at once instead of reading 10⁹ rows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { getCfg, lrCurveRuns, ScheduleCursor } from "../mod.ts";
import {
  type CurveRun,
  type CurveRuns,
  paramSchedulerRuns,
  RUN_CHUNK,
  steppedRuns,
  type Stepper,
} from "./runs.ts";
import { diffRuns } from "./diff.ts";
import { curveEnvelope } from "../plot/envelope.ts";

function cfgWith(solver: Record<string, unknown>) {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, solver);
  return cfg;
}

/** A curve that counts the values its runs fill, and throws past `limit` of them. */
function counted(curve: CurveRuns, limit: number): CurveRuns & { reads: number } {
  const out = {
    ...curve,
    reads: 0,
    runs(from: number, to: number): Iterable<CurveRun> {
      const inner = curve.runs(from, to);
      return (function* () {
        for (const run of inner) {
          yield {
            ...run,
            fill(column: number, a: number, b: number, into: Float64Array) {
              out.reads += b - a;
              if (out.reads > limit) throw new Error(`read more than ${limit} values`);
              run.fill(column, a, b, into);
            },
          };
        }
      })();
    },
  };
  return out;
}

const BILLION = 1e9;
const cosine = () =>
  lrCurveRuns(cfgWith({ LR_SCHEDULER_NAME: "WarmupCosineLR", MAX_ITER: BILLION }));
const multistep = (steps: number[]) => lrCurveRuns(cfgWith({ STEPS: steps, MAX_ITER: BILLION }));

test("diffRuns with exactRows: a 10⁹-iteration cosine against a multistep reads its budget", () => {
  const a = counted(cosine(), 40_000), b = counted(multistep([6e8, 8e8]), 40_000);
  const d = diffRuns(a, b, { exactRows: 10_000, samples: 64 });
  assert.equal(d.compared, BILLION + 1);
  // 10,000 rows compared value by value (the warmups and the cosine's start), 64 sampled.
  assert.ok(a.reads <= 10_000 + 64 && b.reads <= 10_000 + 64, `${a.reads}, ${b.reads}`);
  const u = d.unchecked!;
  assert.deepEqual([u.rows, u.from, u.to], [BILLION + 1 - 10_000, 10_000, BILLION]);
  assert.deepEqual([u.sampled, u.differing, u.rounding, u.firstDifference], [64, 64, 0, 10_000]);
  // The largest difference sampled: the cosine far below B's 0.001 before the first step.
  assert.ok(u.largest!.at < 6e8 && u.largest!.b === 0.001, JSON.stringify(u.largest));
  assert.equal(d.identical + d.differences.reduce((n, r) => n + r.to - r.from + 1, 0), 10_000);
});

test("diffRuns with exactRows: two cosines (another BASE_LR) differ at every sample", () => {
  const lr = (x: number) =>
    lrCurveRuns(cfgWith({ LR_SCHEDULER_NAME: "WarmupCosineLR", MAX_ITER: BILLION, BASE_LR: x }));
  const a = counted(lr(0.02), 20_000), b = counted(lr(0.01), 20_000);
  const d = diffRuns(a, b, { exactRows: 5_000, samples: 100 });
  const u = d.unchecked!;
  assert.equal(u.sampled, 100);
  assert.ok(u.differing >= 99, `${u.differing}`); // the last row is 0 in both
  assert.equal(d.identical, 0);
  assert.equal(d.differences.length, 1);
  assert.deepEqual([d.differences[0]!.from, d.differences[0]!.to], [0, 4_999]);
});

test("diffRuns with exactRows: two multisteps are compared whole (constant stretches are free)", () => {
  const a = counted(multistep([6e8, 8e8]), 10_000), b = counted(multistep([7e8, 8e8]), 10_000);
  const d = diffRuns(a, b, { exactRows: 5_000, samples: 100 });
  assert.equal(d.unchecked, undefined);
  assert.equal(d.identical, BILLION + 1 - 1e8);
  const last = d.differences[d.differences.length - 1]!;
  assert.deepEqual([last.from, last.to, last.b[0] / last.a[0]], [599_999_000, 699_998_999, 10]);
  // The same answer as with no bound.
  assert.deepEqual(diffRuns(multistep([6e8, 8e8]), multistep([7e8, 8e8])), d);
});

test("diffRuns with exactRows: a curve that can only be stepped stops at the budget, said so", () => {
  let steps = 0;
  const stepped = steppedRuns({
    columns: ["lr"],
    rows: 1e8,
    raises: false,
    start: () => {
      let i = 0;
      return { values: (out) => (out[0] = 1 / (1 + i)), step: () => void (steps++, i++) };
    },
  });
  const d = diffRuns(stepped, multistep([6e8]), { exactRows: 50_000, samples: 100 });
  assert.ok(steps <= 50_000 + RUN_CHUNK, `${steps} steps`);
  assert.deepEqual(
    [d.compared, d.unchecked!.rows, d.unchecked!.from, d.unchecked!.sampled],
    [1e8, 1e8 - 50_000, 50_000, 0],
  );
});

/** A stepped curve of `rows` rows that changes every row (not monotone), which can start anywhere. */
function wiggly(rows: number, counter: { steps: number; starts: number }): CurveRuns {
  const at = (i: number): Stepper => {
    counter.starts++;
    return {
      values: (out) => (out[0] = 1 + 0.5 * Math.sin(i / 1000)),
      step: () => void (counter.steps++, i++),
    };
  };
  return steppedRuns({ columns: ["lr"], rows, raises: false, start: () => at(0), startAt: at });
}

test("steppedRuns with startAt: random access, computing only what is read", () => {
  const counter = { steps: 0, starts: 0 };
  const curve = wiggly(1e9, counter);
  assert.equal(curve.random, true);
  let runs = 0;
  for (const _ of curve.runs(0, 1e9)) runs++;
  assert.equal(runs, 1);
  assert.deepEqual(counter, { steps: 0, starts: 0 }, "walking the runs computes nothing");
  // Read backwards, in pieces: the same values as reading in order.
  const inOrder = new Float64Array(3000), backwards = new Float64Array(3000);
  for (const run of curve.runs(5e8, 5e8 + 3000)) run.fill(0, run.start, run.end, inOrder);
  assert.equal(counter.starts, 1);
  assert.equal(counter.steps, 2999);
  for (let k = 2; k >= 0; k--) {
    for (const run of curve.runs(5e8 + k * 1000, 5e8 + (k + 1) * 1000)) {
      run.fill(0, run.start, run.end, backwards.subarray(k * 1000));
    }
  }
  assert.deepEqual([...backwards], [...inOrder]);
  assert.equal(inOrder[0], 1 + 0.5 * Math.sin(5e5));
});

test("steppedRuns with probeAt: the first raising row without a pass, as the pass finds it", () => {
  // Rows from `from` on raise (a suffix of the piece [100, rows)), as a domain error past a step.
  const make = (rows: number, from: number, probe: boolean) => {
    const count = { starts: 0, steps: 0 };
    const at = (i: number): Stepper => {
      count.starts++;
      const check = () => {
        if (i >= from) throw new RangeError(`math domain error at ${i}`);
        // A pass over every row would take minutes: stop it here, as a wrong answer.
        if (++count.steps > 1e6) throw new Error("stepped through a million rows");
      };
      check();
      return { values: (out) => (out[0] = i), step: () => (i++, check()) };
    };
    const curve = steppedRuns({
      columns: ["lr"],
      rows,
      start: () => at(0),
      startAt: at,
      ...(probe ? { probeAt: [100] } : {}),
    });
    return { curve, count };
  };
  const probed = make(1e9, 500_000_017, true);
  assert.deepEqual(probed.curve.error, {
    iteration: 500_000_017,
    name: "RangeError",
    message: "math domain error at 500000017",
  });
  assert.ok(probed.count.starts < 100, `${probed.count.starts} starts`);
  // The pass (a short curve) finds the same kind of answer.
  assert.deepEqual(make(5000, 1234, false).curve.error, {
    iteration: 1234,
    name: "RangeError",
    message: "math domain error at 1234",
  });
  assert.equal(make(5000, 1234, true).curve.error?.iteration, 1234);
});

test("curveEnvelope with exactRows: a curve changing every row is sampled per bucket", () => {
  const counter = { steps: 0, starts: 0 };
  const curve = counted(wiggly(1e8, counter), 200_000);
  const p = curveEnvelope(curve, { buckets: 1600, exactRows: 1 << 20 });
  assert.ok(curve.reads <= 1600 * 8 + 8, `${curve.reads} values read`);
  assert.equal(p.sampled, 1e8 - curve.reads);
  assert.equal(p.x[0], 0);
  assert.equal(p.x[p.x.length - 1], 1e8 - 1);
  // Within the bound, every row is read (the points of a short curve are unchanged).
  const short = counted(wiggly(50_000, counter), 60_000);
  const exact = curveEnvelope(short, { buckets: 100, exactRows: 1 << 20 });
  assert.equal(short.reads, 50_000);
  assert.equal(exact.sampled, undefined);
  assert.deepEqual(exact, curveEnvelope(wiggly(50_000, counter), { buckets: 100 }));
  assert.throws(() => curveEnvelope(short, { samples: 1 }), /`samples` must be an integer >= 2/);
});

test("the runs of a schedule with 10⁵ steps cost a few piece evaluations each, not a search", () => {
  // A duck-typed schedule with a plan: a step every 1,000 iterations, 10⁵ of them, counted.
  let calls = 0;
  const n = 1e8;
  const at = (w: number) => 0.99999 ** Math.floor((w * n) / 1000);
  const steps = {
    at,
    plan: () => ({
      at,
      piece: (w: number) => (calls++, Math.floor((w * n) / 1000)),
      resolve: (p: number) => ({ kind: "value", value: 0.99999 ** p }),
    }),
  };
  const curve = paramSchedulerRuns(steps, { numUpdates: n });
  calls = 0;
  const ends: number[] = [];
  for (const run of curve.runs(0, n)) {
    assert.ok(run.constant, `[${run.start}, ${run.end})`);
    ends.push(run.end);
  }
  const runs = ends.length;
  const walked = calls;
  // The same runs as looking each one up (ScheduleCursor.runAt), which searches from the top.
  const cursor = new ScheduleCursor(steps, { numUpdates: n });
  calls = 0;
  for (let i = 0, k = 0; i < n; k++) {
    i = Math.min(cursor.runAt(i).end, n);
    assert.equal(i, ends[k]);
  }
  assert.ok(runs >= 99_990 && runs <= 100_010, `${runs} runs`);
  assert.ok(calls > 15 * runs, `runAt: ${calls} evaluations`);
  calls = walked;
  // Two evaluations to confirm each guessed end, one for the piece (a search from the top for
  // each run, as runAt does: about 25).
  assert.ok(calls <= 4 * runs, `${calls} evaluations for ${runs} runs`);
});

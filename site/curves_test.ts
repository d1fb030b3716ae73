import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  CosineParamScheduler,
  getCfg,
  lrCurve,
  lrCurveRuns,
  paramSchedulerRuns,
  steppedRuns,
} from "../mod.ts";
import { type CurveRuns, valuesRuns } from "../curve/runs.ts";
import { loadConfig } from "../config/yaml.ts";
import { main } from "../cli/main.ts";
import { ulpDistance } from "../schedules/math.ts";
import { curveEnvelope } from "../plot/envelope.ts";
import {
  COMPARE_CHART_EXACT_ROWS,
  COMPARE_EXACT_ROWS,
  COMPARE_SAMPLES,
  compareRuns,
  curveCsv,
  differenceRuns,
  headline,
  materialize,
  steppedValues,
  uncheckedText,
  ValueReader,
} from "./curves.ts";

const ROOT = new URL("..", import.meta.url).pathname;

async function cliCurve(path: string): Promise<string> {
  let out = "", err = "";
  const code = await main(["curve", path], {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
  });
  assert.equal(code, 0, err);
  return out;
}

test("curveCsv: the CSV `lrspec curve` writes, byte for byte", async (t) => {
  for (const name of ["multistep", "cosine", "step-fixed-gamma"]) {
    await t.test(name, async () => {
      const path = `${ROOT}docs/configs/${name}.yaml`;
      const { cfg } = loadConfig(path, { readFile: (p) => readFileSync(p, "utf8") });
      assert.equal(curveCsv(lrCurveRuns(cfg)), await cliCurve(path));
    });
  }
  await t.test("a bias column", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { BIAS_LR_FACTOR: 2.0, MAX_ITER: 3, WARMUP_ITERS: 0, STEPS: [2] });
    assert.equal(
      curveCsv(lrCurveRuns(cfg)),
      "iter,lr,lr_bias\n0,0.001,0.002\n1,0.001,0.002\n2,0.0001,0.0002\n3,0.0001,0.0002\n",
    );
  });
});

test("ValueReader: one value, from memory or from the runs", () => {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, { STEPS: [3000], MAX_ITER: 5000, WARMUP_ITERS: 100 });
  const expected = lrCurve(cfg).columns[0]!.values;
  const reader = new ValueReader(lrCurveRuns(cfg));
  for (const i of [0, 1, 99, 100, 2999, 3000, 5000]) {
    assert.ok(Object.is(reader.at(i), expected[i]));
  }
  for (const i of [-1, 5001, 1.5, NaN]) assert.ok(Number.isNaN(reader.at(i)), `${i}`);
  // 10^8 iterations are read from the runs, not held in memory.
  Object.assign(cfg.SOLVER, { STEPS: [6e7], MAX_ITER: 1e8, WARMUP_ITERS: 0 });
  const big = new ValueReader(lrCurveRuns(cfg));
  assert.equal(big.at(0), 0.001);
  assert.equal(big.at(1e8), 0.001 * 0.1);
});

test("differenceRuns: |a − b| or the ULP distance, constant where both are", async (t) => {
  const a = paramSchedulerRuns(new CosineParamScheduler({ startValue: 1, endValue: 0 }), {
    numUpdates: 100,
  });
  const step = (n: number) =>
    steppedRuns({
      columns: ["x"],
      rows: n,
      start: () => {
        let v = 1;
        return { values: (out) => (out[0] = v), step: () => void (v = v / 2) };
      },
    });
  const b = step(120);
  const va = materialize(a)[0]!, vb = materialize(b)[0]!;
  for (const mode of ["difference", "ulp"] as const) {
    await t.test(mode, () => {
      const d = differenceRuns(a, b, mode);
      assert.equal(d.rows, 100, "the rows both have");
      assert.deepEqual(d.columns, [mode === "ulp" ? "ulp" : "|a-b|"]);
      const got = materialize(d)[0]!;
      for (let i = 0; i < 100; i++) {
        const want = mode === "ulp" ? ulpDistance(va[i]!, vb[i]!) : Math.abs(va[i]! - vb[i]!);
        assert.ok(Object.is(got[i], want), `${mode} at ${i}`);
      }
    });
  }
  await t.test("constant runs stay constant; the first error is kept", () => {
    const cfg = getCfg();
    Object.assign(cfg.SOLVER, { STEPS: [600], MAX_ITER: 1000, WARMUP_ITERS: 0 });
    const x = lrCurveRuns(cfg);
    cfg.SOLVER.STEPS = [700];
    const y = lrCurveRuns(cfg);
    const d = differenceRuns(x, y, "difference");
    const runs = [...d.runs(0, d.rows)].map((r) => [r.start, r.end, r.constant, r.values[0]]);
    assert.deepEqual(runs, [
      [0, 600, true, 0],
      [600, 700, true, Math.abs(0.0001 - 0.001)],
      [700, 1001, true, 0],
    ]);
    const raising = getCfg();
    Object.assign(raising.SOLVER, {
      LR_SCHEDULER_NAME: "WarmupStepWithFixedGammaLR",
      MAX_ITER: 1000,
      WARMUP_ITERS: 0,
    });
    const r = lrCurveRuns(raising);
    assert.equal(r.error?.iteration, 1000);
    assert.equal(differenceRuns(r, x, "ulp").error?.iteration, 1000);
    assert.equal(materialize(differenceRuns(r, x, "ulp"))[0]!.length, 1001);
  });
});

test("headline and valuesRuns", () => {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, { BIAS_LR_FACTOR: 2.0, MAX_ITER: 10, WARMUP_ITERS: 2, STEPS: [5] });
  const two: CurveRuns = lrCurveRuns(cfg);
  const one = headline(two);
  assert.deepEqual(one.columns, ["lr"]);
  assert.deepEqual([...materialize(one)[0]!], [...materialize(two)[0]!]);
  const values = new Float64Array([0.1, 0.2, 0.3]);
  const arr = valuesRuns(values, { column: "x" });
  assert.deepEqual(arr.columns, ["x"]);
  assert.deepEqual([...materialize(arr)[0]!], [0.1, 0.2, 0.3]);
  assert.deepEqual([...arr.runs(3, 5)], []);
  assert.equal(curveCsv(arr), "iter,x\n0,0.1\n1,0.2\n2,0.3\n");
  // Equal neighbours are one constant run; a view's numbering is the CSV's.
  const steps = valuesRuns(new Float64Array([1, 1, 1, 0.5, 0.25, 0.25]));
  assert.deepEqual([...steps.runs(0, 6)].map((r) => [r.start, r.end, r.constant]), [
    [0, 3, true],
    [3, 4, false],
    [4, 6, true],
  ]);
  assert.deepEqual([...materialize(steps)[0]!], [1, 1, 1, 0.5, 0.25, 0.25]);
  assert.equal(
    curveCsv({ ...steps, indexColumn: "step", firstIndex: 1 }),
    "step,lr\n1,1.0\n2,1.0\n3,1.0\n4,0.5\n5,0.25\n6,0.25\n",
  );
});

test("steppedValues: steppedRuns' values and first raising iteration, in one pass", () => {
  const make = (raiseAt: number) => () => {
    let i = 0;
    return {
      values: (out: number[]) => (out[0] = 1 / (i + 1)),
      step: () => {
        if (++i === raiseAt) throw new RangeError(`raises at ${i}`);
      },
    };
  };
  for (const raiseAt of [Infinity, 7, 1]) {
    const a = steppedValues({ column: "lr", rows: 10, start: make(raiseAt) });
    const b = steppedRuns({ columns: ["lr"], rows: 10, start: make(raiseAt) });
    assert.equal(a.rows, 10);
    assert.deepEqual(a.columns, ["lr"]);
    assert.deepEqual(a.error, b.error, `raising at ${raiseAt}`);
    assert.deepEqual([...materialize(a)[0]!], [...materialize(b)[0]!]);
    assert.equal(curveCsv(a), curveCsv(b));
  }
});

/** A curve whose `fill` counts the values it computes. */
function counted(curve: CurveRuns, count: { values: number }): CurveRuns {
  return {
    ...curve,
    runs: function* (from, to) {
      for (const run of curve.runs(from, to)) {
        yield {
          ...run,
          fill: (c, a, b, out) => {
            count.values += b - a;
            run.fill(c, a, b, out);
          },
        };
      }
    },
  };
}

test("compareRuns: two 10⁹-row cosines compared with lrspec diff's budget, the rest sampled, and the panel says so", () => {
  const rows = 1e9 + 1;
  const cosine = (end: number) =>
    headline(
      paramSchedulerRuns(new CosineParamScheduler({ startValue: 1, endValue: end }), {
        numUpdates: rows,
      }),
    );
  const count = { values: 0 };
  const a = counted(cosine(0), count), b = counted(cosine(1e-3), count);
  assert.equal(a.random, true);
  const d = compareRuns(a, b);
  // Both sides: the exact budget plus the samples, not 2·10⁹ values.
  assert.ok(count.values <= 2 * (COMPARE_EXACT_ROWS + COMPARE_SAMPLES), `${count.values}`);
  assert.equal(d.compared, rows);
  assert.equal(d.unchecked!.rows, rows - COMPARE_EXACT_ROWS);
  assert.equal(d.unchecked!.sampled, COMPARE_SAMPLES);
  assert.equal(d.unchecked!.differing, COMPARE_SAMPLES);
  assert.ok(d.differences[0]!.from < COMPARE_EXACT_ROWS); // 150: the first rows round alike
  const text = uncheckedText(d, "iteration", 0)!;
  assert.match(
    text,
    /^262,144 iterations compared exactly .*; 999,737,857 not compared exactly \(iterations 262144–1000000000\): 4,096 of them sampled, about every 244,077th: 4,096 differ/,
  );
  // The panel's chart of the difference: random access too, so sampled past its own budget.
  const diff = differenceRuns(a, b, "ulp");
  assert.equal(diff.random, true);
  count.values = 0;
  const env = curveEnvelope(diff, {
    from: 0,
    to: diff.rows,
    buckets: 800,
    exactRows: COMPARE_CHART_EXACT_ROWS,
  });
  assert.ok(env.x.length > 0);
  assert.ok(count.values <= 2 * (COMPARE_CHART_EXACT_ROWS + 8 * 2 * 800 + 8), `${count.values}`);
  // Identical curves: every row within the budget is identical, the samples too.
  const same = compareRuns(cosine(0), cosine(0));
  assert.equal(same.differences.length, 0);
  assert.equal(same.identical, COMPARE_EXACT_ROWS);
  assert.match(uncheckedText(same, "iteration", 0)!, /: all identical\.$/);
  // Within the budget: everything compared exactly, nothing to say.
  const small = (end: number) =>
    headline(
      paramSchedulerRuns(new CosineParamScheduler({ startValue: 1, endValue: end }), {
        numUpdates: 1000,
      }),
    );
  const exact = compareRuns(small(0), small(0));
  assert.equal(exact.unchecked, undefined);
  assert.equal(exact.identical, 1000);
  assert.equal(uncheckedText(exact, "iteration", 0), undefined);
});

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
import {
  curveCsv,
  differenceRuns,
  headline,
  materialize,
  steppedValues,
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

// A negative learning rate (issue 26): upstreams that compute one (Keras, optax, …) are followed,
// and the CLI says so on stderr — one `lrspec: warning:` line per schedule, with the first row and
// its value, on curve, plot and explain; torch-optimizer families (detectron2, timm, hf) refuse it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { REPO_ROOT, run } from "../testing/cli.ts";
import { firstNegativeRate, NEGATIVE_CHECK_ROWS, watchNegativeRate } from "./_negative.ts";
import { curveView } from "../views/view.ts";
import { type CurveRuns, valuesRuns } from "../curve/runs.ts";
import { classify, type RunResult } from "../scripts/fuzz.ts";

const TMP = `${REPO_ROOT}.tmp/negative`;
mkdirSync(TMP, { recursive: true });

function keras(name: string, className: string, config: Record<string, unknown>): string {
  const path = `${TMP}/${name}.json`;
  writeFileSync(
    path,
    JSON.stringify({ module: "keras.optimizers.schedules", class_name: className, config }),
  );
  return path;
}

test("Keras PiecewiseConstantDecay with a negative value (fuzz seed 28 #1889): faithful, with a warning", async () => {
  const path = keras("piecewise", "PiecewiseConstantDecay", {
    boundaries: [100, 200],
    values: [0.1, 0.01, -2147483648],
  });
  const warning = `lrspec: warning: ${path}: the learning rate goes negative at step 201 ` +
    `(lr = -2147483648.0); upstream (keras) computes it as written and so does lrspec, but an ` +
    `optimizer stepping with a negative rate ascends the gradient`;
  const curve = await run("curve", "--keras", path);
  assert.equal(curve.code, 0);
  const rows = curve.stdout.split("\n");
  assert.equal(rows[201], "200,0.009999999776482582");
  assert.equal(rows[202], "201,-2147483648.0");
  for (const command of ["curve", "plot", "explain"]) {
    const r = command === "curve" ? curve : await run(command, "--keras", path);
    assert.equal(r.code, 0, command);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("lrspec: warning:"));
    assert.deepEqual(warnings, [warning], command);
  }
  // The fuzzer's classifier takes it (the warning names the CSV's first negative row).
  assert.equal(classify(result(curve), "curve").cls, "ok");
});

test("a rate that crosses zero inside a computed stretch: the first negative row, found exactly", async () => {
  const path = keras("poly", "PolynomialDecay", {
    initial_learning_rate: 0.1,
    decay_steps: 1000,
    end_learning_rate: -0.1,
    power: 1.0,
    cycle: false,
  });
  const r = await run("curve", "--keras", path);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trimEnd().split("\n").slice(1).map((l) => l.split(","));
  const first = rows.find((f) => Number(f[1]) < 0)!;
  assert.ok(first !== undefined);
  assert.match(
    r.stderr,
    new RegExp(`the learning rate goes negative at step ${first[0]} \\(lr = ${first[1]}\\)`),
  );
  assert.equal(classify(result(r), "curve").cls, "ok");
  // A schedule that never goes negative: no warning.
  const fine = keras("fine", "PolynomialDecay", { initial_learning_rate: 0.1, decay_steps: 1000 });
  const ok = await run("curve", "--keras", fine);
  assert.equal(ok.code, 0);
  assert.doesNotMatch(ok.stderr, /warning/);
});

function result(r: { code: number; stdout: string; stderr: string }): RunResult {
  return { ...r, signal: null, timedOut: false, truncated: false, ms: 1 };
}

test("the fuzzer: a negative rate without the warning, or not where it says, is suspicious", () => {
  const csv = "step,lr\n0,0.1\n1,-0.5\n2,-0.25\n";
  const warned = (at: number) =>
    `lrspec: warning: k.json: the learning rate goes negative at step ${at} (lr = -0.5); …\n`;
  assert.equal(classify(result({ code: 0, stdout: csv, stderr: "" }), "curve").cls, "suspicious");
  assert.equal(classify(result({ code: 0, stdout: csv, stderr: warned(1) }), "curve").cls, "ok");
  assert.deepEqual(classify(result({ code: 0, stdout: csv, stderr: warned(2) }), "curve"), {
    cls: "suspicious",
    why: "row 2: negative lr -0.5 at 1, the warning says 2",
  });
  assert.equal(
    classify(result({ code: 0, stdout: "step,lr\n0,0.1\n", stderr: warned(0) }), "curve").cls,
    "suspicious",
  );
});

/** A view over values, or over one monotone computed stretch. */
function view(runs: CurveRuns) {
  return curveView(runs, { family: "test", path: "t", unit: "step" });
}

test("firstNegativeRate: constant, monotone and computed stretches; its bound on computed rows", () => {
  const values = new Float64Array(1000).fill(0.5);
  values.fill(-1, 700);
  assert.deepEqual(firstNegativeRate(view(valuesRuns(values))), {
    row: 700,
    column: "lr",
    value: -1,
  });
  // Computed row by row (values that change every row).
  const changing = Float64Array.from({ length: 1000 }, (_, i) => (i === 613 ? -i : i + 1));
  assert.deepEqual(firstNegativeRate(view(valuesRuns(changing))), {
    row: 613,
    column: "lr",
    value: -613,
  });
  assert.equal(firstNegativeRate(view(valuesRuns(values.fill(0.5)))), undefined);
  // A monotone stretch of 10¹² rows: bisection, no row-by-row walk.
  let fills = 0;
  const rows = 1e12;
  const line = (i: number) => 1 - (2 * i) / rows;
  const monotone: CurveRuns = {
    columns: ["lr"],
    rows,
    error: undefined,
    warnings: [],
    *runs(from, to) {
      yield {
        start: from,
        end: to,
        constant: false,
        monotone: true,
        values: [],
        fill(_c, a, b, out) {
          fills++;
          for (let i = a; i < b; i++) out[i - a] = line(i);
        },
      };
    },
  };
  const n = firstNegativeRate(view(monotone))!;
  assert.ok(line(n.row) < 0 && line(n.row - 1) >= 0, `${n.row}`);
  assert.ok(fills < 100, `${fills} fills`);
  // Rows that change every row and never end: checked up to the bound, then left alone.
  const endless: CurveRuns = {
    ...monotone,
    *runs(from, to) {
      for (let i = from; i < to; i += 32768) {
        yield {
          start: i,
          end: Math.min(to, i + 32768),
          constant: false,
          monotone: false,
          values: [],
          fill(_c, a, b, out) {
            for (let k = a; k < b; k++) out[k - a] = k < NEGATIVE_CHECK_ROWS + 5 ? 1 : -1;
          },
        };
      }
    },
  };
  assert.equal(firstNegativeRate(view(endless)), undefined);
});

test("curve: a negative rate past what is looked at first is warned of as it is written", () => {
  const at = NEGATIVE_CHECK_ROWS * 3 + 17;
  const rows = at + 100_000;
  const changing: CurveRuns = {
    columns: ["lr", "lr_bias"],
    rows,
    error: undefined,
    warnings: [],
    *runs(from, to) {
      for (let i = from; i < to; i += 32768) {
        yield {
          start: i,
          end: Math.min(to, i + 32768),
          constant: false,
          monotone: false,
          values: [],
          // lr_bias goes negative 5 rows before lr.
          fill(c, a, b, out) {
            for (let k = a; k < b; k++) out[k - a] = k < at - 5 * c ? 1 + (k % 3) : -k;
          },
        };
      }
    },
  };
  const v = view(changing);
  assert.equal(firstNegativeRate(v), undefined);
  const said: string[] = [];
  const watched = watchNegativeRate(v, (t) => said.push(t));
  assert.equal(watched.path, "t");
  assert.equal(watched.explain(), v.explain());
  const out = new Float64Array(32768);
  let n = 0;
  let written = 0;
  for (const run of watched.runs(0, rows)) {
    // Said once the stretch holding it has been written (when the next is asked for), not before.
    assert.equal(said.length, written > at - 5 ? 1 : 0);
    for (let c = 0; c < 2; c++) run.fill(c, run.start, run.end, out);
    written = run.end;
    n++;
  }
  assert.ok(n > 5);
  assert.deepEqual(said, [
    `t: the learning rate goes negative at step ${at - 5} (lr_bias = -${at - 5}.0); upstream ` +
    `(test) computes it as written and so does lrspec, but an optimizer stepping with a ` +
    `negative rate ascends the gradient`,
  ]);
  // Where the first look saw the whole curve, the view is written as it is.
  const short = view(valuesRuns(new Float64Array(10).fill(0.1)));
  assert.equal(watchNegativeRate(short, () => {}), short);
});

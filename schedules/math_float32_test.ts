// lrspec's float32 `cosf` and `powf` against glibc's (what XLA:CPU calls for float32 `cos` and
// `pow`): every argument of the optax golden suite, a seeded sample, the inputs where glibc's
// FMA build differs from a plain evaluation, and C99's special cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { cosf, libm, powf, RUNTIME_LIBM } from "./math.ts";
import { parseNumber } from "../verify/csv.ts";

const LIBMF = new URL("../fixtures/optax/libmf.csv.gz", import.meta.url);

/** Rows of libmf.csv: op, x, y, glibc's result, the correctly rounded result, source. */
function rows(): { op: string; x: number; y: number; glibc: number; cr: number }[] {
  const [header, ...lines] = gunzipSync(readFileSync(LIBMF)).toString("utf8").trim()
    .split("\n");
  assert.equal(header, "op,x,y,glibc,correctlyRounded,source");
  // Python's repr: `inf` where glibc returns one (powf(0, -0.5)); cosf rows have no y.
  const num = (cell: string | undefined, i: number) =>
    cell === "" ? NaN : parseNumber(cell!, `libmf.csv:${i + 2}`);
  return lines.map((line, i) => {
    const [op, x, y, glibc, cr] = line.split(",");
    return { op: op!, x: num(x, i), y: num(y, i), glibc: num(glibc, i), cr: num(cr, i) };
  });
}

const show = (x: number) => (Object.is(x, -0) ? "-0" : String(x));

test("cosf and powf equal glibc's on every recorded argument", () => {
  const all = rows();
  const cos = all.filter((r) => r.op === "cosf");
  const pow = all.filter((r) => r.op === "powf");
  assert.ok(cos.length > 5000 && pow.length > 6000, "the table covers both functions");
  for (const r of cos) {
    assert.ok(Object.is(cosf(r.x), r.glibc), `cosf(${r.x}) = ${cosf(r.x)}, glibc ${r.glibc}`);
  }
  for (const r of pow) {
    const v = powf(r.x, r.y);
    assert.ok(Object.is(v, r.glibc), `powf(${r.x}, ${r.y}) = ${v}, glibc ${r.glibc}`);
  }
  // glibc is not correctly rounded everywhere, and lrspec follows glibc, not the exact value.
  const notCorrectlyRounded = all.filter((r) => !Object.is(r.glibc, r.cr));
  assert.ok(notCorrectlyRounded.length > 40, "the table holds glibc's misrounded results");
});

test("the fused multiply-adds of glibc's FMA build are reproduced", async (t) => {
  await t.test("cosf: range reduction x − n·π/2 rounded once", () => {
    // glibc (FMA build) on x86-64; a plain x − n·hpi gives 1 ULP less or more on each.
    const cases: [number, number][] = [
      [17.278738021850586, -2.1572894183918834e-05],
      [23.55803108215332, -0.003913810010999441],
      [32.72977828979492, 0.2541266083717346],
      [-32.72977828979492, 0.2541266083717346],
    ];
    for (const [x, expected] of cases) {
      assert.equal(Math.fround(x), x);
      assert.ok(Object.is(cosf(x), expected), `cosf(${x}) = ${cosf(x)}, glibc ${expected}`);
    }
  });
  await t.test("powf: z·invc − 1 rounded once", () => {
    assert.equal(powf(0.7816358208656311, 1.2029794454574585), 0.7435095310211182);
  });
});

test("C99 special cases, as glibc returns them", async (t) => {
  await t.test("cosf", () => {
    const cases: [number, number][] = [
      [0, 1],
      [-0, 1],
      [9.999999747378752e-06, 1],
      [0.7499998807907104, 0.7316889762878418],
      [0.75, 0.7316888570785522],
      [0.7853981256484985, 0.7071068286895752],
      [0.7853981852531433, 0.7071067690849304],
      [1.5707963705062866, -4.371138828673793e-08],
      [3.1415927410125732, -1],
      [-3, -0.9899924993515015],
      [119.98999786376953, 0.8199474811553955],
      [120, 0.8141809701919556],
      [-120, 0.8141809701919556],
      [10000000000, 0.8731196522712708],
      [-1.0000000150474662e+30, -0.6116048097610474],
      [3.3999999521443642e+38, 0.9697538614273071],
      [9.99994610111476e-41, 1],
    ];
    for (const [x, expected] of cases) {
      assert.ok(Object.is(cosf(x), expected), `cosf(${show(x)}) = ${cosf(x)}, glibc ${expected}`);
    }
    for (const x of [Infinity, -Infinity, NaN]) assert.ok(Number.isNaN(cosf(x)), `cosf(${x})`);
  });
  await t.test("powf", () => {
    const cases: [number, number, number][] = [
      [0, -1, Infinity],
      [-0, -1, -Infinity],
      [-0, -2, Infinity],
      [-0, 3, -0],
      [-2, 3, -8],
      [-1, Infinity, 1],
      [-1, -Infinity, 1],
      [0.5, Infinity, 0],
      [2, Infinity, Infinity],
      [2, -Infinity, 0],
      [0.5, -Infinity, Infinity],
      [1, NaN, 1],
      [NaN, 0, 1],
      [2, 200, Infinity],
      [-2, 201, -Infinity],
      [0.5, 200, 0],
      [-0.5, 201, -0],
      [9.99994610111476e-41, 0.5, 9.999973025467516e-21],
      [1.401298464324817e-45, 1, 1.401298464324817e-45],
      [-9.99994610111476e-41, 3, -0],
      [1.0000001192092896, 1000000000, Infinity],
      [0.9998999834060669, 10000000, 0],
      [0.30000001192092896, -2.5, 20.28601837158203],
      [10, 38, 9.999999680285692e+37],
      [10, 39, Infinity],
      [2, -149, 1.401298464324817e-45],
      [2, -150, 0],
      [2, 127.99999237060547, 3.4028056178648374e+38],
      [3, 0, 1],
      [-3, -0, 1],
      [Infinity, 0.5, Infinity],
      [Infinity, -0.5, 0],
      [-Infinity, 3, -Infinity],
      [-Infinity, -3, -0],
      [-Infinity, 2, Infinity],
    ];
    for (const [x, y, expected] of cases) {
      const v = powf(x, y);
      assert.ok(
        Object.is(v, expected),
        `powf(${show(x)}, ${show(y)}) = ${show(v)}, glibc ${expected}`,
      );
    }
    for (const [x, y] of [[-2, 0.5], [NaN, 1], [2, NaN], [-8, 0.3333333432674408]]) {
      assert.ok(Number.isNaN(powf(x!, y!)), `powf(${x}, ${y}) is NaN`);
    }
  });
});

test("results are float32 values", () => {
  for (let i = 0; i < 2000; i++) {
    const x = Math.fround(i * 0.0123);
    assert.equal(Math.fround(cosf(x)), cosf(x));
    const p = powf(Math.fround(i / 2000), Math.fround(i * 0.37));
    assert.equal(Math.fround(p), p);
  }
});

test("libm.cosf and libm.powf are the seam, defaulting to lrspec's functions", () => {
  assert.equal(libm.cosf, cosf);
  assert.equal(libm.powf, powf);
  assert.equal(RUNTIME_LIBM.cosf, cosf);
  assert.equal(RUNTIME_LIBM.powf, powf);
});

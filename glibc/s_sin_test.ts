// cos's fast path (unfused kernels settled by a rounding proof, falling back to the emulated
// fused multiply-adds) against cosExact, the straight port that schedules/libm/libm_test.ts checks
// against glibc's own results: the same bits on every argument, in every branch.
// scripts/libm/cos_fast_proof.ts runs the 10^8-argument comparison (BENCH.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc } from "../testing/props.ts";
import { cos, cosExact } from "./s_sin.ts";

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The next double above (`+1`) or below (`-1`) a positive finite x. */
function step(x: number, by: 1 | -1): number {
  f64[0] = x;
  u64[0] = u64[0]! + BigInt(by);
  return f64[0]!;
}

function same(x: number): void {
  const got = cos(x);
  const want = cosExact(x);
  assert.ok(Object.is(got, want), `cos(${x}) = ${got}, glibc's ${want}`);
}

test("cos: arguments where the unfused kernels round differently from glibc's", () => {
  // Found by evaluating the fast kernels without their proof over π·i/(2·10^7): each of these
  // comes out one ulp off unproven, so the proof must send it to the exact kernel.
  const cases = {
    "do_cos (|x| < 0.855469)": [
      0.010833782265904403,
      0.028241661318710806,
      0.039230481182069864,
      0.04170684159126201,
    ],
    "TAYLOR_SIN (|π/2 − |x|| < 0.126)": [
      1.444815948111823,
      1.4448724967795876,
      1.4451630941000446,
      1.4452147732991962,
    ],
    "do_sin (|x| < 2.426265)": [
      0.8555367326629633,
      0.8555439583260666,
      0.8560128410296148,
      0.8561031618184054,
    ],
    "reduced by ±π (|x| < 3.5)": [
      2.426360391313946,
      2.42646202183629,
      2.4265261103264226,
      2.4266773780126933,
    ],
  };
  for (const xs of Object.values(cases)) {
    for (const x of xs) {
      same(x);
      same(-x);
    }
  }
});

test("cos: every argument of a 10^5-step cosine schedule, π · i / n", () => {
  const n = 100_000;
  for (let i = 0; i <= n; i++) {
    const x = Math.PI * (i / n);
    const got = cos(x);
    if (got !== cosExact(x)) assert.fail(`cos(π·${i}/${n}) = ${got}, glibc's ${cosExact(x)}`);
  }
});

test("cos: each branch's edges, signs and special values", () => {
  const edges = [
    2 ** -27, // below: 1
    0.855469, // do_cos | do_sin through π/2 − |x|
    Math.PI / 2 - 0.126, // do_sin's table | TAYLOR_SIN
    Math.PI / 2 + 0.126,
    Math.PI / 2, // the reduced argument is hp1 alone
    2.426265, // | reduction by ±π
    3.5, // | cosExact
    Math.PI,
    0.5, // exactly a table point (r = 0)
    1 / 256, // halfway between table points
    3 / 256,
  ];
  for (const e of edges) {
    for (let k = -3; k <= 3; k++) {
      let x = e;
      for (let j = 0; j < Math.abs(k); j++) x = step(x, k < 0 ? -1 : 1);
      same(x);
      same(-x);
    }
  }
  for (const x of [0, -0, NaN, Infinity, -Infinity, 1e300, -1e-300, 5e-324, 105414350, 4, 1e6]) {
    same(x);
  }
  assert.equal(cos(0), 1);
  assert.equal(cos(Math.PI), -1);
  assert.equal(cos(Math.PI / 2), 6.123233995736766e-17);
  assert.equal(cos(Math.PI * 0.3), 0.5877852522924731);
});

test("cos: any double, and dense in (−3.6, 3.6), as the exact kernels", () => {
  fc.assert(fc.property(fc.double(), (x) => Object.is(cos(x), cosExact(x))));
  fc.assert(
    fc.property(
      fc.double({ min: -3.6, max: 3.6, noNaN: true }),
      fc.integer({ min: 1, max: 2 ** 30 }),
      fc.nat(2 ** 30),
      (x, n, i) => {
        const y = Math.PI * ((i % (n + 1)) / n);
        return Object.is(cos(x), cosExact(x)) && Object.is(cos(y), cosExact(y));
      },
    ),
  );
});

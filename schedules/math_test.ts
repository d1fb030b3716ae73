import { test } from "node:test";
import assert from "node:assert/strict";
import {
  currentLibm,
  GLIBC_LIBM,
  libm,
  powInt,
  roundHalfEven,
  roundRational,
  RUNTIME_LIBM,
  setLibm,
  withLibm,
} from "./math.ts";

/** Correctly rounded x ** k by exact rational arithmetic (independent of powInt's code paths). */
function exact(x: number, k: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const m = e === 0 ? bits & 0xfffffffffffffn : (bits & 0xfffffffffffffn) | (1n << 52n);
  const exp = e === 0 ? -1074 : e - 1075;
  const mk = m ** BigInt(Math.abs(k));
  const v = k >= 0 ? roundRational(mk, 1n, exp * k) : roundRational(1n, mk, -exp * Math.abs(k));
  return x < 0 && k % 2 !== 0 ? -v : v;
}

test("powInt is correctly rounded", async (t) => {
  await t.test("Python's gamma ** k for the usual gammas", () => {
    assert.equal(powInt(0.1, 2), 0.010000000000000002);
    assert.equal(powInt(0.1, 3), 0.0010000000000000002);
    assert.equal(powInt(0.1, 4), 0.00010000000000000002);
    assert.equal(powInt(0.9, 4), 0.6561);
    assert.equal(powInt(0.5, 10), 1 / 1024);
    assert.equal(powInt(0.1, 0), 1);
    assert.equal(powInt(2, 1023), 2 ** 1023);
  });
  await t.test("random bases and exponents agree with exact BigInt rounding", () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3000; i++) {
      const x = rand() * 2 - (i % 7 === 0 ? 1 : 0);
      const k = 1 + Math.floor(rand() * 200) - (i % 11 === 0 ? 100 : 0);
      assert.equal(powInt(x, k), exact(x, k), `${x} ** ${k}`);
    }
  });
  await t.test("subnormal and overflowing results", () => {
    assert.equal(powInt(0.5, 1074), 5e-324);
    assert.equal(powInt(0.5, 1075), 0);
    assert.equal(powInt(10, 309), Infinity);
    assert.equal(powInt(-2, 3), -8);
    assert.equal(powInt(0.1, 330), exact(0.1, 330));
  });
  await t.test("huge exponents: bounded time, exact where it matters", () => {
    const started = performance.now();
    assert.equal(powInt(0.5, 2 ** 22), 0); // far below 2^-1075
    assert.equal(powInt(0.5, 2 ** 40), 0);
    assert.equal(powInt(-0.5, 2 ** 40 + 1), -0);
    assert.equal(powInt(2, 2 ** 40), Infinity);
    assert.equal(powInt(-2, 2 ** 40 + 1), -Infinity);
    assert.equal(powInt(0.5, -(2 ** 40)), Infinity);
    assert.equal(powInt(1 - 2 ** -53, 2 ** 52), 0.6065306597126334); // e^-0.5 (mpmath), double-double
    assert.equal(powInt(-1, 2 ** 53 - 1), -1);
    assert.ok(Number.isFinite(powInt(1 + 2 ** -40, -(2 ** 45))));
    assert.equal(powInt(0.999, 2 ** 16), exact(0.999, 2 ** 16));
    assert.equal(powInt(0.99, -(2 ** 12)), exact(0.99, -(2 ** 12)));
    assert.ok(performance.now() - started < 5000, "no exponential blow-up");
  });
  await t.test("halfway cases round to even", () => {
    // 2^53 + 1 is not a double: (2^53 + 1) lies exactly between two doubles.
    assert.equal(roundRational(2n ** 53n + 1n, 1n, 0), 2 ** 53);
    assert.equal(roundRational(2n ** 53n + 3n, 1n, 0), 2 ** 53 + 4);
  });
});

test("powInt of an exponent that is not an integer is the runtime's x ** k, and returns", () => {
  // powInt(1, NaN) looped forever (its binary exponentiation halves k until 0; found by the fuzzer).
  for (const x of [4, 0.5, 1, -1, 1e300]) {
    for (const k of [0.5, -2.5, NaN, Infinity, -Infinity]) {
      assert.ok(Object.is(powInt(x, k), x ** k), `powInt(${x}, ${k})`);
    }
  }
});

test("roundHalfEven is Python's round()", () => {
  const cases: [number, number][] = [
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [-0.5, 0],
    [-1.5, -2],
    [-2.5, -2],
    [2.4999999999999996, 2],
    [5.5, 6],
    [1e16 + 2, 1e16 + 2],
  ];
  for (const [x, r] of cases) assert.equal(roundHalfEven(x), r, String(x));
});

test("the libm seam holds lrspec's exact glibc libm by default; setLibm and withLibm switch it", async (t) => {
  await t.test("default: glibc", () => {
    assert.equal(currentLibm(), "glibc");
    for (const k of Object.keys(GLIBC_LIBM) as (keyof typeof GLIBC_LIBM)[]) {
      assert.equal(libm[k], GLIBC_LIBM[k], k);
    }
    // Python 3.11 on glibc 2.36: math.cos(math.pi * 0.3), 0.9 ** 0.5, math.log(10)
    assert.equal(libm.cos(Math.PI * 0.3), 0.5877852522924731);
    assert.equal(libm.pow(0.1, 4), 0.00010000000000000002);
    assert.equal(libm.log(10), 2.302585092994046);
    assert.equal(libm.sqrt, Math.sqrt);
  });
  await t.test("setLibm returns the previous choice and installs every function", () => {
    assert.equal(setLibm("runtime"), "glibc");
    try {
      assert.equal(currentLibm(), "runtime");
      assert.equal(libm.cos, Math.cos);
      assert.equal(libm.log, Math.log);
      assert.equal(libm.powi, powInt);
      assert.equal(RUNTIME_LIBM.log(1), 0);
    } finally {
      assert.equal(setLibm("glibc"), "runtime");
    }
    assert.equal(currentLibm(), "glibc");
  });
  await t.test("withLibm restores the libm installed before, also on a throw", () => {
    assert.equal(withLibm("runtime", () => libm.cos), Math.cos);
    assert.equal(currentLibm(), "glibc");
    assert.throws(() =>
      withLibm("runtime", () => {
        throw new Error("inside");
      }), /inside/);
    assert.equal(currentLibm(), "glibc");
    const saved = libm.cos;
    libm.cos = () => 0.5;
    try {
      assert.equal(currentLibm(), "custom");
      withLibm("glibc", () => assert.equal(currentLibm(), "glibc"));
      assert.equal(libm.cos(1), 0.5, "the custom function is back");
    } finally {
      libm.cos = saved;
    }
  });
  await t.test("an unknown name is a TypeError naming it", () => {
    assert.throws(() => setLibm("musl" as "glibc"), {
      name: "TypeError",
      message: /setLibm: expected "glibc" or "runtime", got "musl"/,
    });
    assert.equal(currentLibm(), "glibc");
  });
});

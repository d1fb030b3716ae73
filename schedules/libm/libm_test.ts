// lrspec's glibc libm against this machine's glibc: 10^5 seeded arguments per function (digests of
// glibc's results recorded by scripts/libm/make_fixture.ts), every argument the golden suites
// recorded in their libm.csv tables, C99's special cases, and the fused multiply-add against exact
// BigInt arithmetic. scripts/libm/proof.ts runs the 10^8-argument comparison.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { exp, expm1, fma, log, log1p, pow, tanh } from "./mod.ts";
import { cos, sin } from "../../glibc/mod.ts";
import { roundRational } from "../math.ts";
import { parseNumber } from "../../verify/csv.ts";
import {
  bitsDigest,
  LIBM_FUNCTIONS,
  libmCases,
  type LibmFunction,
} from "../../testing/libm_cases.ts";

const FIXTURE = JSON.parse(
  readFileSync(new URL("../../fixtures/libm/glibc.json", import.meta.url), "utf8"),
) as { count: number; chunk: number; seed: number; functions: Record<LibmFunction, string[]> };

const FUNCTIONS: Record<LibmFunction, (x: number, y: number) => number> = {
  cos: (x) => cos(x),
  sin: (x) => sin(x),
  exp: (x) => exp(x),
  log: (x) => log(x),
  log1p: (x) => log1p(x),
  tanh: (x) => tanh(x),
  expm1: (x) => expm1(x),
  pow: (x, y) => pow(x, y),
};

// bun's node:test ignores bunfig's timeout: the slower tests declare their own (a loaded CI machine).
test(
  "10^5 arguments per function: the same bits as glibc 2.36 on x86-64",
  { timeout: 120_000 },
  async (t) => {
    for (const fn of LIBM_FUNCTIONS) {
      await t.test(fn, () => {
        const { count, chunk, seed } = FIXTURE;
        const args = libmCases(fn, count, seed);
        const width = fn === "pow" ? 2 : 1;
        const results = new Float64Array(count);
        const f = FUNCTIONS[fn];
        for (let i = 0; i < count; i++) {
          results[i] = f(args[width * i]!, width === 2 ? args[width * i + 1]! : 0);
        }
        const expected = FIXTURE.functions[fn];
        assert.equal(expected.length, count / chunk);
        for (let c = 0; c < expected.length; c++) {
          const got = bitsDigest(results.slice(c * chunk, (c + 1) * chunk));
          assert.equal(
            got,
            expected[c],
            `${fn}: arguments ${c * chunk}..${
              (c + 1) * chunk - 1
            } of libmCases("${fn}", ${count}, ` +
              `${seed}) differ from glibc's (run scripts/libm/proof.ts to see which)`,
          );
        }
      });
    }
  },
);

/** Every `op,x,y,result` row of the golden suites' libm tables. */
function recorded(): { source: string; op: string; x: number; y: number; result: number }[] {
  const out: { source: string; op: string; x: number; y: number; result: number }[] = [];
  const files = [
    "configs/libm.csv",
    "detectron2/libm.csv",
    "torch/libm.csv",
    "hf/libm.csv.gz",
    "timm/libm.csv.gz",
    "optax/libm.csv.gz",
  ];
  for (const file of files) {
    const bytes = readFileSync(new URL(`../../fixtures/${file}`, import.meta.url));
    const text = (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8").trim();
    const [header, ...lines] = text.split("\n");
    assert.equal(header, "op,x,y,result", file);
    lines.forEach((line, i) => {
      const [op, x, y, result] = line.split(",") as [string, string, string, string];
      const at = `${file}:${i + 2}`;
      out.push({
        source: at,
        op,
        x: parseNumber(x, at),
        y: y === "" ? NaN : parseNumber(y, at),
        result: parseNumber(result, at),
      });
    });
  }
  return out;
}

test("every argument of the golden suites' libm.csv tables gives glibc's recorded result", {
  timeout: 120_000,
}, () => {
  const rows = recorded();
  const ops = new Map<string, number>();
  for (const r of rows) {
    const f = r.op === "sqrt" ? Math.sqrt : FUNCTIONS[r.op as LibmFunction];
    assert.ok(f !== undefined, `${r.source}: unknown op ${r.op}`);
    const v = f(r.x, r.y);
    assert.ok(
      Object.is(v, r.result),
      `${r.source}: ${r.op}(${r.x}, ${r.y}) = ${v}, glibc ${r.result}`,
    );
    ops.set(r.op, (ops.get(r.op) ?? 0) + 1);
  }
  assert.ok(rows.length > 40000, `${rows.length} rows`);
  for (const op of ["cos", "pow", "log", "tanh", "sin", "log1p"]) {
    assert.ok((ops.get(op) ?? 0) > 0, `the tables record ${op}`);
  }
});

test("C99 special cases, as glibc", async (t) => {
  await t.test("cos and sin", () => {
    assert.equal(cos(0), 1);
    assert.equal(cos(-0), 1);
    assert.ok(
      Number.isNaN(cos(Infinity)) && Number.isNaN(cos(-Infinity)) && Number.isNaN(cos(NaN)),
    );
    assert.ok(Object.is(sin(-0), -0) && Object.is(sin(0), 0));
    assert.equal(sin(1e-300), 1e-300);
    assert.ok(Number.isNaN(sin(Infinity)));
    assert.equal(cos(1e22), 0.523214785395139); // branred
    assert.equal(sin(1e22), -0.8522008497671888);
  });
  await t.test("exp, expm1, log, log1p", () => {
    assert.equal(exp(0), 1);
    assert.equal(exp(-Infinity), 0);
    assert.equal(exp(Infinity), Infinity);
    assert.equal(exp(710), Infinity);
    assert.equal(exp(-746), 0);
    assert.equal(exp(-745.1332191019411), 5e-324);
    assert.ok(Object.is(expm1(-0), -0));
    assert.equal(expm1(-Infinity), -1);
    assert.equal(expm1(-50), -1);
    assert.equal(log(0), -Infinity);
    assert.equal(log(-0), -Infinity);
    assert.ok(Number.isNaN(log(-1)));
    assert.equal(log(1), 0);
    assert.equal(log(Infinity), Infinity);
    assert.equal(log(5e-324), -744.4400719213812);
    assert.equal(log1p(-1), -Infinity);
    assert.ok(Number.isNaN(log1p(-2)));
    assert.ok(Object.is(log1p(-0), -0));
  });
  await t.test("tanh", () => {
    assert.equal(tanh(Infinity), 1);
    assert.equal(tanh(-Infinity), -1);
    assert.equal(tanh(30), 1);
    assert.ok(Object.is(tanh(-0), -0));
    assert.ok(Number.isNaN(tanh(NaN)));
  });
  await t.test("pow", () => {
    assert.equal(pow(NaN, 0), 1);
    assert.equal(pow(1, NaN), 1);
    assert.equal(pow(-1, Infinity), 1);
    assert.equal(pow(0.5, Infinity), 0);
    assert.equal(pow(0.5, -Infinity), Infinity);
    assert.equal(pow(2, -Infinity), 0);
    assert.ok(Object.is(pow(-0, 3), -0));
    assert.equal(pow(-0, -3), -Infinity);
    assert.equal(pow(0, -2), Infinity);
    assert.ok(Object.is(pow(-Infinity, -3), -0));
    assert.equal(pow(-Infinity, 2), Infinity);
    assert.ok(Number.isNaN(pow(-2, 0.5)));
    assert.equal(pow(-2, 3), -8);
    assert.equal(pow(0.1, 4), 0.00010000000000000002);
    assert.equal(pow(2, 1024), Infinity);
    assert.equal(pow(-2, 1025), -Infinity);
    assert.equal(pow(2, -1075), 0);
    assert.equal(pow(2, -1074), 5e-324);
    assert.equal(pow(5e-324, 0.5), 2.2227587494850775e-162); // subnormal base
  });
});

/** The exact a·b + c rounded once, by BigInt arithmetic (independent of fma.ts's own path). */
function exactFma(a: number, b: number, c: number): number {
  const scaled = (x: number): [bigint, number] => {
    if (x === 0) return [0n, 0];
    let e = 0;
    let m = Math.abs(x);
    while (!Number.isInteger(m)) {
      m *= 2;
      e--;
    }
    while (m > 2 ** 53) {
      m /= 2;
      e++;
    }
    return [BigInt(x < 0 ? -m : m), e];
  };
  const [ma, ea] = scaled(a), [mb, eb] = scaled(b), [mc, ec] = scaled(c);
  const e = Math.min(ea + eb, ec);
  const sum = ((ma * mb) << BigInt(ea + eb - e)) + (mc << BigInt(ec - e));
  if (sum === 0n) return (a * b === 0 ? a * b + c : 0); // signed zeros as IEEE (round to nearest)
  const r = e >= 0
    ? roundRational(sum < 0n ? -sum : sum, 1n, e)
    : roundRational(sum < 0n ? -sum : sum, 1n << BigInt(-e), 0);
  return sum < 0n ? -r : r;
}

test("fma is a·b + c rounded once", { timeout: 120_000 }, async (t) => {
  // xorshift32, so that a failure names its inputs and replays everywhere.
  let s = 2463534242;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  /** A double with `bits` significant bits: ties and exact cancellations become common. */
  const few = (bits: number, spread: number) =>
    (next() % 2 ? -1 : 1) * (1 + (next() % 2 ** Math.min(bits, 30)) / 2 ** Math.min(bits, 30)) *
    2 ** ((next() % (2 * spread + 1)) - spread);
  await t.test("random, few-bit and cancelling operands against BigInt arithmetic", () => {
    for (let i = 0; i < 20000; i++) {
      const a = few(1 + (next() % 30), 40), b = few(1 + (next() % 30), 40);
      const pick = next() % 3;
      const c = pick === 0
        ? few(1 + (next() % 30), 80)
        : pick === 1
        ? -(a * b) + few(5, 10) * 2 ** -60 * Math.abs(a * b)
        : -(a * b);
      const got = fma(a, b, c);
      const want = exactFma(a, b, c);
      assert.ok(Object.is(got, want), `fma(${a}, ${b}, ${c}) = ${got}, exactly ${want}`);
    }
  });
  await t.test("halfway cases broken by the product's low part", () => {
    // (1 + 2^-27)^2 = 1 + 2^-26 + 2^-54: plus 2^-53 the exact sum is just above a tie.
    const a = 1 + 2 ** -27;
    assert.equal(fma(a, a, 2 ** -53), 1 + 2 ** -26 + 2 ** -52);
    assert.equal(fma(a, a, -(2 ** -54)), 1 + 2 ** -26);
    assert.equal(fma(-a, a, 1), -(2 ** -26) - 2 ** -54);
    assert.equal(fma(1 + 2 ** -52, 1 - 2 ** -53, -1), 2 ** -53 - 2 ** -105);
  });
  await t.test("outside the fast path: huge, tiny, infinite and NaN operands", () => {
    assert.equal(fma(2 ** 1000, 2 ** 20, -Infinity), -Infinity);
    assert.equal(fma(2 ** 1000, 2 ** 30, -(2 ** 1023)), 2 ** 1030 - 2 ** 1023);
    assert.equal(fma(2 ** 600, 2 ** 600, -Infinity), -Infinity);
    assert.equal(fma(2 ** -600, 2 ** -600, 1), 1);
    assert.ok(Object.is(fma(2 ** -600, 2 ** -500, 0), 0)); // 2^-1100 underflows to +0
    assert.equal(fma(3 * 2 ** -541, 2 ** -534, 0), 2 ** -1073); // 1.5·2^-1074 rounds to even
    assert.equal(fma(2 ** 1000, 2 ** -1000, 2 ** -1074), 1);
    assert.ok(Number.isNaN(fma(Infinity, 0, 1)));
    assert.ok(Number.isNaN(fma(NaN, 1, 1)));
    assert.equal(fma(Infinity, 2, 1), Infinity);
    assert.ok(Object.is(fma(-0, 1, 0), 0));
    assert.ok(Object.is(fma(-0, 1, -0), -0));
    assert.ok(Object.is(fma(1, -1, 1), 0));
    for (let i = 0; i < 2000; i++) {
      const a = few(53, 1020), b = few(53, 1020), c = few(53, 1020);
      assert.ok(Object.is(fma(a, b, c), exactFma(a, b, c)), `fma(${a}, ${b}, ${c})`);
    }
  });
});

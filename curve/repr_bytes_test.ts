// writeRepr (Python's repr written as bytes, with its own shortest-digit generator for (1e-5, 1))
// against pyFloatRepr and String(x): the same text for every double, each decision of the digit
// search exercised. scripts/repr_proof.ts runs the 10^8-value comparison (BENCH.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc } from "../testing/props.ts";
import { pyFloatRepr } from "../schedules/python.ts";
import { REPR_MAX_BYTES, writeRepr, writeShortFraction } from "./repr_bytes.ts";

const buf = new Uint8Array(64);
const decoder = new TextDecoder();

function written(x: number, at = 3): string {
  buf.fill(120); // "x": bytes outside [at, at + REPR_MAX_BYTES) must stay untouched
  const end = writeRepr(x, buf, at);
  assert.ok(end - at <= REPR_MAX_BYTES, `${x}: ${end - at} bytes`);
  assert.equal(buf[at - 1], 120);
  assert.ok(buf.subarray(at + REPR_MAX_BYTES).every((b) => b === 120));
  return decoder.decode(buf.subarray(at, end));
}

function same(x: number): void {
  assert.equal(written(x), pyFloatRepr(x), `repr(${x})`);
  // Where Python's repr and JavaScript's String agree on the layout, the digits are String's.
  if (x >= 1e-4 && x < 1) assert.equal(written(x), String(x), `String(${x})`);
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
function fromBits(bits: bigint): number {
  u64[0] = bits;
  return f64[0]!;
}
function step(x: number, by: number): number {
  f64[0] = x;
  u64[0] = u64[0]! + BigInt(by);
  return f64[0]!;
}

test("writeRepr: the shortest digits, every decision of the search", () => {
  // Few digits: the truncation (low) or the digit above (high) reads back after 1–3 digits.
  for (const x of [0.1, 0.2, 0.3, 0.5, 0.7, 0.02, 0.001, 0.0001, 0.25, 0.125, 0.015625]) same(x);
  // Seventeen digits (j = 0): neither shortening reads back.
  for (const x of [0.1 + 0.2, 1 - 2 ** -53, 0.30000000000000004, 0.0001 + 2 ** -66]) same(x);
  // Powers of two (m = 2^52: the gap below is half the gap above), and their neighbours.
  for (let e = -16; e <= -1; e++) {
    for (let k = -2; k <= 2; k++) same(step(2 ** e, k));
  }
  // Even and odd significands at a decimal boundary (the boundary reads back only when m is even).
  for (const x of [0.1, 0.01, 0.001, 0.0001, 0.3, 0.7, 0.9]) {
    for (let k = -3; k <= 3; k++) same(step(x, k));
  }
  // The exponent form below 1e-4 (one digit, several), and its edges.
  for (const x of [2e-5, 1.5e-5, 9.5367431640625e-5, 1.0000000000000001e-5, 9.999999999999999e-5]) {
    same(x);
  }
  for (const x of [1e-5, 1e-4]) for (let k = -3; k <= 3; k++) same(step(x, k));
  // Outside the fast path: Python's repr all the same.
  for (
    const x of [
      0,
      -0,
      1,
      -1,
      1.5,
      123.456,
      1e16,
      1e22,
      1e-7,
      5e-324,
      -0.02,
      NaN,
      Infinity,
      -Infinity,
    ]
  ) same(x);
});

test("writeRepr: learning rates of a cosine schedule, row by row", () => {
  const n = 20_000;
  for (let i = 0; i <= n; i++) {
    const x = 1e-5 + 0.5 * (0.02 - 1e-5) * (1 + Math.cos(Math.PI * (i / n)));
    const got = written(x);
    if (got !== pyFloatRepr(x)) assert.fail(`repr(${x}): ${got}`);
  }
});

test("writeRepr: the tail of a decay, 0 < x ≤ 1e-5, from String's digits", () => {
  // String writes 0.00000ddd down to 1e-6 and d.ddde-n below; Python always d.ddde-0n.
  for (
    const x of [
      1e-5,
      9.999999999999999e-6,
      1.5e-6,
      1e-6,
      9.99999999999999e-7,
      1.2345678901234567e-7,
      3e-10,
      1e-100,
      2.2250738585072014e-308,
      5e-324,
    ]
  ) same(x);
  for (let k = -10; k <= 10; k++) same(step(1e-6, k));
  fc.assert(fc.property(fc.double({ min: 0, max: 1e-5, noNaN: true }), (x) => {
    return written(x) === pyFloatRepr(x);
  }));
});

test("writeShortFraction: (1e-5, 1) only; elsewhere -1", () => {
  for (const x of [1e-5, 1, 0, -0.5, 2, NaN, Infinity, 5e-6]) {
    assert.equal(writeShortFraction(x, buf, 0), -1, `${x}`);
  }
  assert.equal(writeShortFraction(0.5, buf, 0), 3);
});

test("writeRepr: any double, any bit pattern in (1e-5, 1), as Python's repr", () => {
  fc.assert(fc.property(fc.double(), (x) => written(x) === pyFloatRepr(x)));
  const lo = 0x3ee4f8b588e368f1n; // 1e-5
  const hi = 0x3fefffffffffffffn; // 1 − 2^-53
  fc.assert(
    fc.property(fc.bigInt({ min: lo, max: hi }), (bits) => {
      const x = fromBits(bits);
      return written(x) === pyFloatRepr(x) && (x < 1e-4 || written(x) === String(x));
    }),
  );
  fc.assert(
    fc.property(fc.double({ min: 1e-5, max: 1, noNaN: true }), (x) => {
      return written(x) === pyFloatRepr(x);
    }),
  );
});

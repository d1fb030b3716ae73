// Proof at scale that `lrspec curve`'s byte writer (curve/repr_bytes.ts: its own exact
// shortest-digit generator for (1e-5, 1), pyFloatRepr elsewhere) writes Python's repr of every
// value: its bytes against pyFloatRepr(x) (toExponential's digits, laid out as Python does), and
// in [1e-4, 1), where the layouts agree, against String(x) — the runtime's own shortest
// round-trip conversion — byte for byte.
//
//   deno run scripts/repr_proof.ts [--scale F] [--seed S]
//   bun scripts/repr_proof.ts …     node --import tsx scripts/repr_proof.ts …
//
// Values (--scale 1: 100,590,012 in all): every learning rate of a 10^7-row detectron2-style
// cosine (0.02 → 0, lrspec's exact cos, as the CLI computes it); random bit patterns in
// (1e-5, 1); uniform doubles in [0, 0.1); random bit patterns over all doubles (subnormals,
// every exponent, negative, NaN, infinite); and 1,000 neighbours on each side of 10^-5 … 10^-1,
// 0.2 … 0.9, 2^-17 … 2^-1 (both shortening decisions, even and odd significands, the exponent
// form's edges). Prints a Markdown table.
import process from "node:process";
import { REPR_MAX_BYTES, writeRepr } from "../curve/repr_bytes.ts";
import { pyFloatRepr } from "../schedules/python.ts";
import { cos } from "../glibc/mod.ts";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const scale = Number(option("scale", "1"));
const seed = BigInt(option("seed", "1"));

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const u64 = new BigUint64Array(f64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

// Two 32-bit generators combined (xorshift32 and an LCG): enough for drawing values.
let s0 = Number(seed & 0xffffffffn) | 1;
let s1 = Number((seed >> 32n) & 0xffffffffn) ^ 0x9e3779b9;
function next32(): number {
  s0 ^= s0 << 13;
  s0 ^= s0 >>> 17;
  s0 ^= s0 << 5;
  s1 = (Math.imul(s1, 1664525) + 1013904223) | 0;
  return (s0 ^ s1) >>> 0;
}
function uniform(): number {
  return (next32() * 2 ** 21 + (next32() >>> 11)) * 2 ** -53;
}

interface Row {
  range: string;
  values: number;
  differ: number;
  againstString: number;
  seconds: number;
}
const rows: Row[] = [];
const firstDiffs: string[] = [];
const buf = new Uint8Array(1 << 16);

function check(range: string, n: number, value: (i: number) => number): void {
  const t0 = process.cpuUsage();
  let differ = 0;
  let againstString = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const x = value(i);
    if (pos > buf.length - REPR_MAX_BYTES) pos = 0;
    const end = writeRepr(x, buf, pos);
    const want = pyFloatRepr(x);
    let ok = end - pos === want.length;
    for (let k = 0; ok && k < want.length; k++) ok = buf[pos + k] === want.charCodeAt(k);
    if (ok && x >= 1e-4 && x < 1) {
      // Python's layout is JavaScript's here: the runtime's own shortest digits, byte for byte.
      const js = String(x);
      againstString++;
      ok = end - pos === js.length;
      for (let k = 0; ok && k < js.length; k++) ok = buf[pos + k] === js.charCodeAt(k);
    }
    if (!ok) {
      differ++;
      if (firstDiffs.length < 10) {
        const got = new TextDecoder().decode(buf.subarray(pos, end));
        firstDiffs.push(`${range}: ${String(x)} → ${got}, repr ${want}`);
      }
    }
    pos = end;
  }
  const t = process.cpuUsage(t0);
  rows.push({ range, values: n, differ, againstString, seconds: (t.user + t.system) / 1e6 });
}

const N = 10_000_000;
check("cosine 0.02 → 0, 10^7 rows", N + 1, (i) => 0 + 0.01 * (1 + cos(Math.PI * (i / N))));
check("bits in (1e-5, 1)", Math.round(60_000_000 * scale), () => {
  // exponents 2^-17 … 2^-1, random significands; values ≤ 1e-5 go to the reference path.
  u32[LO] = next32();
  u32[1 - LO] = ((1006 + (next32() % 17)) << 20) | (next32() & 0xfffff);
  return f64[0]!;
});
check("uniform [0, 0.1)", Math.round(20_000_000 * scale), () => uniform() * 0.1);
check("bits, all doubles", Math.round(10_000_000 * scale), () => {
  u32[LO] = next32();
  u32[1 - LO] = next32();
  return f64[0]!;
});
const points: number[] = [];
points.push(0.1, 0.01, 0.001, 0.0001, 0.00001); // literals: Node 20's `10 ** -4` is not 1e-4
for (let k = 2; k <= 9; k++) points.push(k / 10);
for (let k = 1; k <= 17; k++) points.push(2 ** -k);
const W = 1000;
check(`edges (${points.length} points ± ${W} ulps)`, points.length * (2 * W + 1), (i) => {
  f64[0] = points[Math.floor(i / (2 * W + 1))]!;
  u64[0] = u64[0]! + BigInt((i % (2 * W + 1)) - W);
  return f64[0]!;
});

const runtime = "Deno" in globalThis
  ? `Deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`
  : "Bun" in globalThis
  ? `Bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `Node ${process.version}`;
console.log(`writeRepr vs pyFloatRepr and String(x), ${runtime}, seed ${option("seed", "1")}\n`);
console.log("| values | count | also vs String(x) | differ | CPU s |");
console.log("| ------ | ----: | ----------------: | -----: | ----: |");
let total = 0;
let totalString = 0;
let totalDiffer = 0;
for (const r of rows) {
  total += r.values;
  totalString += r.againstString;
  totalDiffer += r.differ;
  console.log(
    `| ${r.range} | ${r.values.toLocaleString("en-US")} | ${
      r.againstString.toLocaleString("en-US")
    } | ${r.differ} | ${r.seconds.toFixed(1)} |`,
  );
}
console.log(
  `| **all** | ${total.toLocaleString("en-US")} | ${
    totalString.toLocaleString("en-US")
  } | ${totalDiffer} | |`,
);
for (const d of firstDiffs) console.log(d);
if (totalDiffer > 0) process.exitCode = 1;

// Proof at scale that cos's fast path changes no bit: glibc/s_sin.ts's `cos` (unfused kernels
// settled by a rounding proof, the exact kernels where it fails) against `cosExact` (every fused
// multiply-add emulated, the straight port that scripts/libm/proof.ts and libm_test.ts compare
// with glibc itself), argument by argument, bit for bit (all NaNs equal).
//
//   deno run scripts/libm/cos_fast_proof.ts [--scale F] [--seed S]
//   bun scripts/libm/cos_fast_proof.ts …     node --import tsx scripts/libm/cos_fast_proof.ts …
//
// Arguments (--scale 1: 101,000,002 in all): every argument of a 10^7-row cosine schedule
// (π·i/n, n = 10^7, i = 0 … n) and of the 90k-iteration one; uniform in (−3.6, 3.6); random bit
// patterns with exponents from 2^-40 to 2^2 (every branch of the fast path, both signs);
// random bit patterns over all doubles (huge, subnormal, NaN, infinite); and 2,000 neighbours
// on each side of every branch edge (2^-27, 0.855469, π/2 ± 0.126, 2.426265, 3.5), of
// multiples of 1/256 up to π, and of π/2 and π. Prints a Markdown table.
import process from "node:process";
import { cos, cosExact } from "../../glibc/s_sin.ts";

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

// Two 32-bit generators combined (xorshift32 and an LCG): enough for drawing arguments.
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
  args: number;
  differ: number;
  seconds: number;
}
const rows: Row[] = [];
const firstDiffs: string[] = [];

function check(range: string, n: number, arg: (i: number) => number): void {
  const t0 = process.cpuUsage();
  let differ = 0;
  for (let i = 0; i < n; i++) {
    const x = arg(i);
    const a = cos(x);
    const b = cosExact(x);
    if (a !== b && !(a !== a && b !== b)) {
      differ++;
      if (firstDiffs.length < 10) firstDiffs.push(`${range}: cos(${x}) = ${a}, exact ${b}`);
    }
  }
  const t = process.cpuUsage(t0);
  rows.push({ range, args: n, differ, seconds: (t.user + t.system) / 1e6 });
}

const N = 10_000_000;
check(`schedule π·i/n, n = 10^7`, N + 1, (i) => Math.PI * (i / N));
check(`schedule π·i/n, n = 90,000`, 90_001, (i) => Math.PI * (i / 90_000));
check("uniform (−3.6, 3.6)", Math.round(50_000_000 * scale), () => (uniform() - 0.5) * 7.2);
check("bits, 2^-40 ≤ abs(x) < 4", Math.round(35_000_000 * scale), () => {
  u32[LO] = next32();
  u32[1 - LO] = ((983 + (next32() % 42)) << 20) | (next32() & 0xfffff) | (next32() & 1) << 31;
  return f64[0]!;
});
check("bits, all doubles", Math.round(5_000_000 * scale), () => {
  u32[LO] = next32();
  u32[1 - LO] = next32();
  return f64[0]!;
});
const edges = [2 ** -27, 0.855469, Math.PI / 2 - 0.126, Math.PI / 2 + 0.126, 2.426265, 3.5];
for (let k = 1; k * (1 / 256) < Math.PI; k++) edges.push(k / 256);
edges.push(Math.PI / 2, Math.PI);
const W = 2000;
check(`edges (${edges.length} points ± ${W} ulps, both signs)`, edges.length * (4 * W + 2), (i) => {
  const e = edges[Math.floor(i / (4 * W + 2))]!;
  const r = i % (4 * W + 2);
  const k = (r >> 1) - W; // −W … W
  f64[0] = e;
  u64[0] = u64[0]! + BigInt(k);
  return r & 1 ? -f64[0]! : f64[0]!;
});

const runtime = "Deno" in globalThis
  ? `Deno ${(globalThis as unknown as { Deno: { version: { deno: string } } }).Deno.version.deno}`
  : "Bun" in globalThis
  ? `Bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `Node ${process.version}`;
console.log(`cos fast path vs cosExact, ${runtime}, seed ${option("seed", "1")}\n`);
console.log("| arguments | count | differ | CPU s |");
console.log("| --------- | ----: | -----: | ----: |");
let total = 0;
let totalDiffer = 0;
for (const r of rows) {
  total += r.args;
  totalDiffer += r.differ;
  console.log(
    `| ${r.range} | ${r.args.toLocaleString("en-US")} | ${r.differ} | ${r.seconds.toFixed(1)} |`,
  );
}
console.log(`| **all** | ${total.toLocaleString("en-US")} | ${totalDiffer} | |`);
for (const d of firstDiffs) console.log(d);
if (totalDiffer > 0) process.exitCode = 1;

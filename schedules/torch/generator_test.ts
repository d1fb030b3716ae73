import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { DEFAULT_RNG_SEED_VAL, TorchGenerator } from "./generator.ts";
import { readTable } from "../../verify/csv.ts";

// Expected draws were produced by torch (torch.Generator, torch.randn(1) / torch.rand(1)); torch
// 1.13 and 2.11 give the same ones.

function draws(g: TorchGenerator, kind: "randn" | "rand", n: number): number[] {
  return Array.from({ length: n }, () => g[kind]());
}

test("TorchGenerator", async (t) => {
  await t.test("new TorchGenerator() is seeded with torch's default seed", () => {
    const g = new TorchGenerator();
    assert.equal(g.initialSeed(), 67280421310721n);
    assert.equal(DEFAULT_RNG_SEED_VAL, 67280421310721n);
    assert.deepEqual(draws(g, "randn", 2), [0.9772631525993347, 1.1568583250045776]);
    assert.equal(g.rand(), 0.7871196866035461);
  });
  await t.test("seed 0 and 42", () => {
    const g = new TorchGenerator().manualSeed(0);
    assert.deepEqual(draws(g, "randn", 2), [1.5409960746765137, -0.293428897857666]);
    g.manualSeed(0);
    assert.deepEqual(draws(g, "rand", 2), [0.49625658988952637, 0.7682217955589294]);
    g.manualSeed(42);
    assert.deepEqual(draws(g, "randn", 2), [0.33669036626815796, 0.12880940735340118]);
    assert.equal(g.initialSeed(), 42n);
  });
  await t.test("only the low 32 bits seed mt19937; initialSeed keeps all 64", () => {
    const g = new TorchGenerator().manualSeed(2 ** 32 + 42);
    assert.equal(g.initialSeed(), 4294967338n);
    assert.deepEqual(draws(g, "randn", 2), [0.33669036626815796, 0.12880940735340118]);
    g.manualSeed(2n ** 63n);
    assert.deepEqual(draws(g, "rand", 2), [0.49625658988952637, 0.7682217955589294]);
  });
  await t.test("64-bit seeds: 2^64 − 1, and negative seeds as two's complement", () => {
    const g = new TorchGenerator().manualSeed(2n ** 64n - 1n);
    assert.equal(g.initialSeed(), 18446744073709551615n);
    const expected = [1.2197630405426025, -0.3929794728755951];
    assert.deepEqual(draws(g, "randn", 2), expected);
    g.manualSeed(-1);
    assert.equal(g.initialSeed(), 18446744073709551615n);
    assert.deepEqual(draws(g, "randn", 2), expected);
    g.manualSeed(-(2n ** 63n));
    assert.equal(g.initialSeed(), 2n ** 63n);
  });
  await t.test("a number seed beyond 2^53 is the integer it holds", () => {
    const g = new TorchGenerator().manualSeed(2 ** 60);
    assert.equal(g.initialSeed(), 2n ** 60n);
  });
  await t.test("seeds outside [−2^63, 2^64) and non-integers are refused, as torch refuses them", () => {
    const g = new TorchGenerator();
    assert.throws(() => g.manualSeed(2n ** 64n), RangeError);
    // The same limits for plain numbers, which are exact integers beyond 2^53.
    assert.throws(() => g.manualSeed(2 ** 64), RangeError);
    assert.throws(() => g.manualSeed(2 ** 70), RangeError);
    assert.throws(() => g.manualSeed(-(2 ** 63) - 2 ** 11), RangeError);
    assert.equal(g.manualSeed(2 ** 64 - 2 ** 11).initialSeed(), 2n ** 64n - 2n ** 11n);
    assert.equal(g.manualSeed(-(2 ** 63)).initialSeed(), 2n ** 63n);
    assert.throws(() => g.manualSeed(-(2n ** 63n) - 1n), RangeError);
    assert.throws(() => g.manualSeed(1.5), TypeError);
    assert.throws(() => g.manualSeed(NaN), TypeError);
    assert.throws(() => g.manualSeed("1" as unknown as number), TypeError);
  });
  await t.test("randn caches the second Box–Muller normal; rand does not touch it; seeding drops it", () => {
    const g = new TorchGenerator().manualSeed(5);
    const a = g.randn();
    const r = g.rand();
    const b = g.randn(); // the cached sin() half of the first pair
    const c = g.randn();
    assert.deepEqual([a, r, b, c], [
      -0.4867807626724243,
      0.9201034307479858,
      -0.6038215756416321,
      1.973966360092163,
    ]);
    g.manualSeed(5);
    g.randn();
    g.manualSeed(5); // the cached normal is discarded
    assert.equal(g.randn(), a);
  });
  await t.test("rand has 24 random bits; randn and rand return float32 values", () => {
    const g = new TorchGenerator().manualSeed(123);
    for (let i = 0; i < 1000; i++) {
      const u = g.rand();
      assert.ok(u >= 0 && u < 1);
      assert.equal(u * 2 ** 24, Math.floor(u * 2 ** 24));
      const n = g.randn();
      assert.equal(Math.fround(n), n);
    }
  });
  await t.test("random(): mt19937's words, refilled every 624 draws", () => {
    // std::mt19937 seeded with 5489 yields 3499211612 first; its 10000th output is 4123659995.
    const g = new TorchGenerator().manualSeed(5489);
    assert.equal(g.random(), 3499211612);
    for (let i = 2; i < 10000; i++) g.random();
    assert.equal(g.random(), 4123659995);
  });
});

test(
  "TorchGenerator reproduces every reference draw (torch 2.11: 3,000 seeds × 4 randn and rand)",
  { timeout: 120_000 },
  () => {
    const url = new URL("../../fixtures/timm/reference/torch_rng.csv.gz", import.meta.url);
    const table = readTable(gunzipSync(readFileSync(url)).toString("utf8"), url.pathname);
    const col = (name: string) => table.header.indexOf(name);
    const [seedAt, seqAt, indexAt, valueAt] = ["seed", "sequence", "index", "value"].map(col);
    const g = new TorchGenerator();
    const counts = { randn: 0, rand: 0 };
    const seeds = new Set<string>();
    for (const { cells, line } of table.rows) {
      const seq = cells[seqAt!] as "randn" | "rand" | "initial_seed";
      if (seq === "initial_seed") continue;
      seeds.add(cells[seedAt!]!);
      if (cells[indexAt!] === "0") g.manualSeed(BigInt(cells[seedAt!]!));
      const value = g[seq]();
      assert.equal(value, Number(cells[valueAt!]), `line ${line}: seed ${cells[seedAt!]} ${seq}`);
      counts[seq]++;
    }
    assert.equal(seeds.size, 3000);
    assert.deepEqual(counts, { randn: 12000, rand: 12000 });
  },
);

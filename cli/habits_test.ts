// A CLI that fits people's habits: help everywhere, negative numbers as values, one validation
// path, errors that name the file, the key and the line, one-sided diff overrides, right
// ordinals, numbers printed exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { failure, run } from "../testing/cli.ts";
import { ordinal } from "./_text.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/habits`;
mkdirSync(TMP, { recursive: true });
const CONFIGS = "fixtures/detectron2-configs/configs";
const R50_1X = `${CONFIGS}/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml`;
const GOLDEN = "fixtures/configs/curve/mask_rcnn_R_50_FPN_instant_test.csv";

function file(name: string, text: string): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, text);
  return path;
}

const COMMANDS = ["curve", "plot", "explain", "diff", "verify", "accumulate", "golden-script"];

test("--help and -h on every subcommand", async () => {
  for (const command of COMMANDS) {
    for (const flag of ["--help", "-h"]) {
      const r = await run(command, flag);
      assert.equal(r.code, 0, `${command} ${flag}: ${r.stderr}`);
      assert.equal(r.stderr, "");
      assert.match(r.stdout, new RegExp(`^usage: lrspec ${command}\\b`), `${command} ${flag}`);
    }
  }
  // golden-script --help describes the script instead of printing it.
  const help = await run("golden-script", "--help");
  assert.doesNotMatch(help.stdout, /^import /m);
  // `help COMMAND` too.
  assert.match((await run("help", "plot")).stdout, /^usage: lrspec plot\b/);
});

test("the top-level help lists every option of every command", async () => {
  const top = (await run("--help")).stdout;
  for (const command of COMMANDS) {
    const own = (await run(command, "--help")).stdout;
    for (const option of new Set(own.match(/--[a-z][a-z-]*/g) ?? [])) {
      assert.ok(top.includes(option), `lrspec --help omits ${option} (from ${command} --help)`);
    }
  }
  for (const option of ["--no-marks", "--verbose", "--range", "--opts-a", "--opts-b"]) {
    assert.ok(top.includes(option), option);
  }
});

test("negative numbers are values, and the validation says what is wrong", async () => {
  assert.equal(
    await failure("curve", R50_1X, "--num-workers", "-2"),
    '--num-workers must be a positive integer: got "-2" (see lrspec curve --help)',
  );
  assert.match(
    await failure("verify", "--golden", GOLDEN, "--candidate", GOLDEN, "--max-ulp", "-1"),
    /^--max-ulp must be a non-negative integer: got "-1"/,
  );
  assert.match(await failure("plot", R50_1X, "--width", "-800"), /^--width must be a positive/);
});

test("one validation path: every command rejects what curve rejects, naming file, key, line", async () => {
  const negative = file(
    "negative.yaml",
    "SOLVER:\n  BASE_LR: -0.02\n  MAX_ITER: 100\n  STEPS: (50,)\n",
  );
  const nan = file("nan.yaml", "SOLVER:\n  BASE_LR: .nan\n  MAX_ITER: 100\n  STEPS: (50,)\n");
  for (const [path, what] of [[negative, /must be >= 0: got -0\.02/], [nan, /must be finite/]]) {
    const messages = [
      await failure("curve", path as string),
      await failure("explain", path as string),
      await failure("plot", path as string),
      await failure("diff", path as string, path as string),
      await failure("accumulate", path as string, "--num-workers", "1", "--micro-batch", "1"),
    ];
    for (const m of messages) {
      assert.equal(m, messages[0]);
      assert.match(
        m,
        new RegExp(`^${(path as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2: `),
      );
      assert.match(m, /SOLVER\.BASE_LR/);
      assert.match(m, what as RegExp);
    }
  }
});

test("file errors name the path: a directory, a missing file, an unwritable output", async () => {
  assert.equal(await failure("curve", TMP), `cannot read ${TMP}: is a directory`);
  assert.equal(
    await failure("explain", `${TMP}/nope.yaml`),
    `cannot read ${TMP}/nope.yaml: no such file`,
  );
  assert.equal(
    await failure("verify", "--golden", TMP, "--candidate", GOLDEN),
    `cannot read ${TMP}: is a directory`,
  );
  assert.equal(
    await failure("plot", R50_1X, "--out", `${TMP}/missing/x.svg`),
    `cannot write ${TMP}/missing/x.svg: no such directory`,
  );
  assert.equal(await failure("plot", R50_1X, "--out", TMP), `cannot write ${TMP}: is a directory`);
  assert.equal(
    await failure(
      "accumulate",
      R50_1X,
      "--num-workers",
      "1",
      "--micro-batch",
      "2",
      "--plot",
      `${TMP}/missing/a.svg`,
    ),
    `cannot write ${TMP}/missing/a.svg: no such directory`,
  );
});

test("diff --opts-a / --opts-b: a config against its own override", async () => {
  const r = await run("diff", R50_1X, R50_1X, "--opts-b", "SOLVER.BASE_LR", "0.01");
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /B {2}\S+ --opts SOLVER\.BASE_LR 0\.01: .* from 1e-05 to 0\.01/);
  assert.match(
    r.stdout,
    /iterations 0–90000: A 2e-05…0\.02, B 1e-05…0\.01 \(max \|A−B\| 0\.01, 50%\)/,
  );
  const a = await run("diff", R50_1X, R50_1X, "--opts-a", "SOLVER.STEPS", "(50000, 80000)");
  assert.equal(a.code, 1, a.stderr);
  assert.match(a.stdout, /iterations 50000–59999: A 0\.002, B 0\.02/);
  // --opts still applies to both sides: identical.
  const both = await run("diff", R50_1X, R50_1X, "--opts", "SOLVER.BASE_LR", "0.01");
  assert.equal(both.code, 0, both.stdout);
});

test("ordinals", async () => {
  const expected: [number, string][] = [
    [1, "1st"],
    [2, "2nd"],
    [3, "3rd"],
    [4, "4th"],
    [11, "11th"],
    [12, "12th"],
    [13, "13th"],
    [21, "21st"],
    [22, "22nd"],
    [23, "23rd"],
    [101, "101st"],
    [111, "111th"],
    [112, "112th"],
  ];
  for (const [n, text] of expected) assert.equal(ordinal(n), text);
  const two = await run("accumulate", R50_1X, "--num-workers", "4", "--micro-batch", "2");
  assert.equal(two.code, 0, two.stderr);
  assert.match(two.stdout, /after every 2nd: optimizer\.step\(\)/);
  assert.doesNotMatch(two.stdout, /\b\d+th\b.*\b(1|2|3)th\b|\b[123]th\b/);
  const one = await run("accumulate", R50_1X, "--num-workers", "8", "--micro-batch", "2");
  assert.match(one.stdout, /after every micro-batch: optimizer\.step\(\)/);
});

test("explain prints each number at its shortest round-trip form", async () => {
  const path = file(
    "digits.yaml",
    "SOLVER:\n  BASE_LR: 0.0123456789\n  GAMMA: 0.123456789\n  STEPS: (60,)\n  MAX_ITER: 100\n  WARMUP_ITERS: 10\n",
  );
  const r = await run("explain", path);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /to 0\.0123456789,/);
  assert.match(r.stdout, /×0\.123456789 at 60/);
  assert.doesNotMatch(r.stdout, /0\.0123457/);
});

test("verify: a malformed iter is an error with the file and line", async () => {
  const candidate = file("candidate.csv", "iter,lr,error\n0,5e-06,\n1.5,5e-06,\n");
  assert.equal(
    await failure("verify", "--golden", GOLDEN, "--candidate", candidate),
    `${candidate}:3: iter must be a non-negative integer: got "1.5"`,
  );
});

test("verifyCsv is importable from the package", async () => {
  // By name, as users import it: JSR's @lrspec/lrspec/verify on Deno, npm's lrspec/verify on Bun
  // and on Node (whose "default" condition is the build in dist/, made by `npm run build`).
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8"));
  const deno = JSON.parse(readFileSync(`${ROOT}deno.json`, "utf8"));
  assert.equal(deno.exports["./verify"], "./verify/mod.ts");
  assert.equal(pkg.exports["./verify"].default, "./dist/verify/mod.js");
  const name = g.Deno ? "@lrspec/lrspec/verify" : "lrspec/verify";
  const built = existsSync(`${ROOT}dist/verify/mod.js`);
  const mod = g.Deno || g.Bun || built
    ? await import(name)
    : await import(new URL(`../${pkg.exports["./verify"].bun}`, import.meta.url).href);
  assert.equal(mod.verifyCsv("iter,lr\n0,0.5\n", "iter,lr\n0,0.5\n").ok, true);
});

// Any input, bounded: hostile or unlucky files get a clear one-line error quickly, in bounded
// memory — special files, huge files, alias bombs, base diamonds and chains — and `verify` cannot
// pass by accident.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { failure, run } from "../testing/cli.ts";
import { knownReadWhy, MAX_CONFIG_BYTES, readWhy } from "./_read.ts";
import { MAX_ALIAS_EXPANSION, MAX_BASE_DEPTH } from "../config/yaml.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/bounded`;
mkdirSync(TMP, { recursive: true });
const GOLDEN = "fixtures/configs/curve/mask_rcnn_R_50_FPN_instant_test.csv";

function file(name: string, text: string | Uint8Array): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, text);
  return path;
}

/**
 * Fails the test if `body` takes longer than `ms`: a guard against a hang, generous because test
 * machines are shared (each case takes well under a second on an idle one; see BENCH.md).
 */
async function within<T>(ms: number, body: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await body();
  const took = performance.now() - t0;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms (limit ${ms} ms)`);
  return out;
}

/** A document whose aliases multiply by nine at each of `depth` levels. */
function laughs(depth: number, style: "list" | "merge"): string {
  const lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  if (style === "merge") lines[0] = "l0: &l0 {a: lol, b: lol, c: lol, d: lol, e: lol}";
  for (let i = 1; i <= depth; i++) {
    const refs = Array.from({ length: 9 }, () => `*l${i - 1}`).join(", ");
    lines.push(
      style === "list" ? `l${i}: &l${i} [${refs}]` : `l${i}: &l${i} {<<: [${refs}], k${i}: 1}`,
    );
  }
  return lines.join("\n") + "\n";
}

test("special files are refused by name: a FIFO, /dev/zero as a base or through a link", async () => {
  const linkToZero = `${TMP}/zero.yaml`;
  rmSync(linkToZero, { force: true });
  // `ln -s`: Deno's symlinkSync needs unscoped write permission, which the suite does not grant.
  assert.equal(spawnSync("ln", ["-s", "/dev/zero", linkToZero]).status, 0);
  for (const flag of [[], ["--hf"], ["--timm"]]) {
    const args = flag.length ? [...flag, linkToZero] : [linkToZero];
    const message = await within(30_000, () => failure("curve", ...args));
    assert.equal(message, `cannot read ${linkToZero}: a character device, not a regular file`);
  }
  // A LazyConfig CONFIG.py is read the same way (it used to be read whole, without a bound).
  const pyToZero = `${TMP}/zero.py`;
  rmSync(pyToZero, { force: true });
  assert.equal(spawnSync("ln", ["-s", "/dev/zero", pyToZero]).status, 0);
  assert.equal(
    await within(30_000, () => failure("curve", pyToZero)),
    `cannot read ${pyToZero}: a character device, not a regular file`,
  );
  const withBase = file("base-zero.yaml", "_BASE_: /dev/zero\nSOLVER:\n  MAX_ITER: 10\n");
  assert.match(
    await within(30_000, () => failure("curve", withBase)),
    /base-zero\.yaml:1: cannot read _BASE_ '\/dev\/zero' \(\/dev\/zero\): a character device, not a regular file$/,
  );
  const fifo = `${TMP}/fifo.yaml`;
  rmSync(fifo, { force: true });
  const made = spawnSync("mkfifo", [fifo]);
  if (made.status === 0 && existsSync(fifo)) {
    assert.equal(
      await within(30_000, () => failure("curve", "--hf", fifo)),
      `cannot read ${fifo}: a named pipe (FIFO), not a regular file`,
    );
    assert.equal(
      await within(30_000, () => failure("verify", "--golden", fifo, "--candidate", GOLDEN)),
      `cannot read ${fifo}: a named pipe (FIFO), not a regular file`,
    );
  }
});

test("one wording for a file that cannot be read, whichever kind reads it", async () => {
  assert.equal(knownReadWhy({ code: "ENOENT" }), "no such file");
  assert.equal(knownReadWhy({ code: "ELOOP" }), "too many levels of symbolic links");
  for (const odd of [{ code: "constructor" }, { code: 2 }, null, undefined, new Error("x")]) {
    assert.equal(knownReadWhy(odd), undefined);
  }
  assert.equal(readWhy(new Error("something else")), "something else");
  const missing = `${TMP}/missing.py`;
  rmSync(missing, { force: true });
  const loop = `${TMP}/loop.py`;
  rmSync(loop, { force: true });
  assert.equal(spawnSync("ln", ["-s", "loop.py", loop]).status, 0);
  for (const flag of [[], ["--mmengine"]]) {
    assert.equal(await failure("curve", ...flag, missing), `cannot read ${missing}: no such file`);
    assert.equal(
      await failure("curve", ...flag, loop),
      `cannot read ${loop}: too many levels of symbolic links`,
    );
  }
});

test("a settings file larger than any config is refused before it is parsed", async () => {
  const big = new Uint8Array(MAX_CONFIG_BYTES + 1).fill(0x23); // '#': a comment
  big[MAX_CONFIG_BYTES] = 0x0a;
  const path = file("huge.yaml", big);
  for (const flag of [[], ["--hf"], ["--timm"]]) {
    assert.equal(
      await within(30_000, () => failure("explain", ...flag, path)),
      `cannot read ${path}: larger than ${MAX_CONFIG_BYTES} bytes; no learning-rate config is that large`,
    );
  }
  rmSync(path);
});

test("YAML alias bombs stop at the expansion budget, in every format", async () => {
  for (const style of ["list", "merge"] as const) {
    const path = file(`laughs-${style}.yaml`, laughs(9, style));
    for (const flag of [[], ["--hf"], ["--timm"]]) {
      const message = await within(30_000, () => failure("curve", ...flag, path));
      assert.match(
        message,
        new RegExp(
          `laughs-${style}\\.yaml:\\d+: aliases and merge keys expand to more than ${MAX_ALIAS_EXPANSION} values`,
        ),
        `${flag.join(" ")}: ${message}`,
      );
    }
  }
  // A merge key naming its own mapping, and brackets nested thousands deep.
  assert.match(
    await failure("curve", file("self-merge.yaml", "a: &a {<<: *a}\n")),
    /self-merge\.yaml:1: a merge key `<<` names its own mapping/,
  );
  assert.match(
    await failure(
      "curve",
      "--hf",
      file("deep.yaml", `a: ${"[".repeat(5000)}${"]".repeat(5000)}\n`),
    ),
    /deep\.yaml:1(?::\d+)?: too deeply nested/,
  );
});

test("thousands of aliases after a long list: each alias resolved at once, not by a walk", async () => {
  // The yaml package's Alias.resolve walks the whole document for every alias: 9,000 aliases
  // after a 20,000-item list took tens of seconds (deno task fuzz: an alias bomb beside a
  // 300,000-item list never finished). lrspec finds every alias's node in one pass.
  const { parseYaml } = await import("../config/yaml.ts");
  const list = Array.from({ length: 20_000 }, (_, i) => i + 1).join(", ");
  const refs = Array.from({ length: 9_000 }, () => "*s").join(", ");
  const doc = await within(
    8_000,
    () =>
      Promise.resolve(parseYaml(`X: [${list}]\ns: &s 1\nY: [${refs}]\n`, { fileName: "a.yaml" })),
  );
  const y = (doc as unknown as { value: Map<string, { value: unknown[] }> }).value.get("Y")!.value;
  assert.equal(y.length, 9_000);
  // A bomb after the list: the budget still stops it, at once.
  const bomb = laughs(9, "list").replace(/^l0: .*$/m, `l0: &l0 [${list}]`);
  assert.throws(
    () => parseYaml(bomb, { fileName: "b.yaml" }),
    new RegExp(`b\\.yaml:\\d+: aliases and merge keys expand to more than ${MAX_ALIAS_EXPANSION}`),
  );
});

test("_BASE_ files: a diamond is read once per file, a long chain stops with its path", async () => {
  // File i names file i+1 twice: 2^30 loads without the cache.
  const n = 30;
  for (let i = 0; i < n; i++) {
    file(
      `diamond-${i}.yaml`,
      `_BASE_: ["diamond-${i + 1}.yaml", "diamond-${i + 1}.yaml"]\nSOLVER:\n  MAX_ITER: ${
        100 + i
      }\n`,
    );
  }
  file(`diamond-${n}.yaml`, "SOLVER:\n  BASE_LR: 0.01\n  STEPS: (50,)\n");
  const r = await within(30_000, () => run("explain", `${TMP}/diamond-0.yaml`));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /100 iterations/);

  const depth = MAX_BASE_DEPTH + 5;
  for (let i = 0; i < depth; i++) file(`chain-${i}.yaml`, `_BASE_: chain-${i + 1}.yaml\n`);
  file(`chain-${depth}.yaml`, "SOLVER:\n  MAX_ITER: 10\n");
  assert.match(
    await within(30_000, () => failure("curve", `${TMP}/chain-0.yaml`)),
    new RegExp(
      `chain-${
        MAX_BASE_DEPTH - 1
      }\\.yaml:1: _BASE_ chain longer than ${MAX_BASE_DEPTH} files: .*chain-0\\.yaml → .* more … → .*chain-${MAX_BASE_DEPTH}\\.yaml$`,
    ),
  );
});

test("verify cannot pass by accident, on the command line", async () => {
  const rows = (n: number) =>
    ["iter,lr", ...Array.from({ length: n }, (_, i) => `${i},${0.1 * 0.9 ** i}`)].join("\n") +
    "\n";
  const full = file("full.csv", rows(101));
  const cut = file("cut.csv", rows(49));
  const header = file("header.csv", "iter,lr\n");
  const empty = await run("verify", "--golden", header, "--candidate", full);
  assert.equal(empty.code, 1);
  assert.match(empty.stdout, /has a header and no rows: there is nothing to compare/);
  assert.match(empty.stdout, /FAIL/);
  const truncated = await run("verify", "--golden", cut, "--candidate", full);
  assert.equal(truncated.code, 1);
  assert.match(truncated.stdout, /52 rows the golden file lacks .*--allow-subset/);
  const subset = await run("verify", "--golden", cut, "--candidate", full, "--allow-subset");
  assert.equal(subset.code, 0, subset.stdout);
  assert.match(subset.stdout, /PASS$/m);
  const dup = file("dup.csv", "iter,lr\n0,0.1\n1,0.09\n1,0.09\n");
  assert.equal(
    await failure("verify", "--golden", dup, "--candidate", full),
    `${dup}:4: duplicate iter 1 (first on line 3)`,
  );
});

test("HF keys named like Object's own members are unknown keys, not crashes", async () => {
  for (const key of ["constructor", "toString", "valueOf", "__proto__", "hasOwnProperty"]) {
    const path = file(
      `proto-${key}.json`,
      `{"output_dir": "x", "learning_rate": 1e-4, "max_steps": 100, "${key}": 1}`,
    );
    const message = await failure("curve", "--hf", path);
    assert.match(
      message,
      new RegExp(
        `Some keys are not used by the HfArgumentParser: \`${key}\` \\(TrainingArguments\\) \\(keys of other`,
      ),
    );
  }
});

test("half a million unknown keys: named up to twenty, answered at once", async () => {
  const o: Record<string, unknown> = { output_dir: "x", learning_rate: 1e-4, max_steps: 100 };
  for (let i = 0; i < 500_000; i++) o[`k${i}`] = i;
  const path = file("many-keys.json", JSON.stringify(o));
  const message = await within(60_000, () => failure("curve", "--hf", path));
  assert.match(
    message,
    /`k100012`, and 499980 more \(TrainingArguments\) \(keys of other dataclasses/,
  );
  rmSync(path);
});

test("a bug is an internal error, never printed as if it were an answer about the input", async () => {
  const config = "fixtures/detectron2-configs/configs/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml";
  const bugs: [string, () => never][] = [
    ["a property of null", () => (null as unknown as { x: { y: number } }).x.y as never],
    ["a stack overflow", () => {
      const f = (n: number): number => f(n + 1) + 1;
      return f(0) as never;
    }],
    ["not a function", () => (({}) as { go: () => never }).go()],
    ["an impossible allocation", () => new Array(-1) as never],
  ];
  for (const [what, bug] of bugs) {
    let stderr = "";
    const { main } = await import("./main.ts");
    const code = await main(["explain", config], {
      stdout: () => bug(),
      stderr: (s) => (stderr += s),
    });
    assert.equal(code, 2, what);
    assert.match(
      stderr,
      /^lrspec: error: internal error: (?:TypeError|RangeError): .+ \(a bug in lrspec [\d.]+, not a problem with your input: please report it with the command and the files it read\)\n$/,
      what,
    );
  }
  // Input errors stay plain, in the library's words.
  assert.doesNotMatch(await failure("curve", `${TMP}/nope.yaml`), /internal error/);
});

test("JSON syntax errors keep their line and column, in the same words, on every runtime", async () => {
  const cases: [string, string][] = [
    [
      '{\n  "output_dir": "x",\n  "max_steps": 100,, \n}',
      "3:20: not valid JSON: Expecting property name enclosed in double quotes",
    ],
    ['{\n  "output_dir": "x"', "2:20: not valid JSON: Expecting ',' delimiter or '}'"],
    ['{"a": [1, 2}', "1:12: not valid JSON: Expecting ',' delimiter"],
    ['{"a": 1} x', "1:10: not valid JSON: Expecting value"],
    ['{"a": 1, // no comments\n}', "1:10: not valid JSON: Expecting value (JSON has no comments)"],
    ['{"a": "no end}', "1:7: not valid JSON: Unterminated string"],
  ];
  for (const [text, expected] of cases) {
    const path = file("syntax-error.json", text);
    assert.equal(await failure("curve", "--hf", path), `${path}:${expected}`, text);
  }
});

test("a deeply nested JSON text with a syntax error is a clean error, not an internal one", async () => {
  // jsonc-parser, which locates JSON errors, recursed past the stack (deno task fuzz, seed 26 #63).
  const n = 20_000;
  const path = file("deep-syntax-error.json", '{"a":'.repeat(n) + "1" + "}".repeat(n) + " x");
  const message = await failure("curve", "--hf", path);
  assert.match(message, /not valid JSON/);
  assert.doesNotMatch(message, /internal error|call stack/);
});

test("DeepSpeed: total_num_steps 1e8 streams at once in bounded memory; 0 steps is an error", async () => {
  const config = (total: string) =>
    `{"train_batch_size": 32, "optimizer": {"type": "AdamW", "params": {"lr": 3e-4}},\n` +
    ` "scheduler": {"type": "WarmupCosineLR", "params": {"total_num_steps": ${total},\n` +
    `   "warmup_num_steps": 100}}}\n`;
  const big = file("ds-1e8.json", config("1e8"));
  // The first rows come at once (the rates were computed for all 10⁸ steps first: 800 MB).
  const { deepspeedView } = await import("../views/deepspeed.ts");
  const view = await within(
    10_000,
    () => Promise.resolve(deepspeedView(config("1e8"), { path: "ds.json" })),
  );
  assert.equal(view.rows, 1e8);
  const out = new Float64Array(3);
  for (const r of view.runs(99_999_997, 1e8)) {
    r.fill(0, r.start, r.end, out.subarray(r.start - 99_999_997));
  }
  // The end of the cosine: cos_min_ratio (0.0001) × lr, as DeepSpeed's engine steps it.
  assert.ok(out.every((v) => v > 0 && v < 3e-4 * 0.001), String(out));
  const { deepspeedSchedule } = await import("../schedules/deepspeed/mod.ts");
  const small = deepspeedView(config("3000"), { path: "ds.json", steps: 1_500_000 });
  const lib = deepspeedSchedule(JSON.parse(config("3000")), { steps: 1_500_000 }).lr[0]!;
  const tail = new Float64Array(5000);
  for (const r of small.runs(1_495_000, 1_500_000)) {
    r.fill(0, r.start, r.end, tail.subarray(r.start - 1_495_000));
  }
  assert.deepEqual([...tail], [...lib.subarray(1_495_000)]);
  const head = new Float64Array(5000);
  for (const r of small.runs(0, 5000)) r.fill(0, r.start, r.end, head.subarray(r.start));
  assert.deepEqual([...head], [...lib.subarray(0, 5000)]);
  const explain = await within(20_000, () => run("explain", "--deepspeed", big));
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(explain.stdout, /100,000,000 optimizer steps, lr 0 at step 1/);
  assert.match(explain.stdout, /2 update\(s\) at lr 0 in the first 1,048,576 steps \(step 1, 2\)/);
  // total_num_steps -0 (or 0): no step to show, said so (it printed NaN in diff).
  for (const total of ["-0", "0"]) {
    const zero = file("ds-zero.json", config(total));
    const diff = await run("diff", "--deepspeed", big, "--deepspeed", zero);
    assert.equal(diff.code, 2);
    assert.equal(diff.stdout, "");
    assert.match(
      diff.stderr,
      /\nlrspec: error: \S+ds-zero\.json:2: 0 optimizer steps \(the scheduler's total_num_steps\): nothing to show; give --steps N\n$/,
    );
    assert.match(await failure("curve", "--deepspeed", zero), /0 optimizer steps/);
  }
  rmSync(big);
});

test("a valid JSON settings file nested 20,000 deep is refused by name, not a stack overflow", async () => {
  // deno task fuzz seed 28 #322: a ds_config.json with a deeply nested list under --hf-args
  // overflowed the stack of the walk that fills "auto" values.
  const n = 20_000;
  const text = `{"X": ${"[".repeat(n)}${"]".repeat(n)}, "optimizer": {"type": "AdamW"}, ` +
    `"scheduler": {"type": "WarmupLR", "params": {"warmup_num_steps": 10}}}`;
  const path = file("deep-valid.json", text);
  for (
    const args of [
      ["--deepspeed", path, "--hf-args", "docs/configs/deepspeed/training_args.json"],
      ["--deepspeed", path, "--steps", "20"],
      [
        "--hf",
        file("deep-valid-hf.json", `{"max_steps": 10, "X": ${"[".repeat(n)}${"]".repeat(n)}}`),
      ],
    ]
  ) {
    const message = await failure("curve", ...args, "--dataset-size", "5691");
    assert.match(
      message,
      /deep-valid(?:-hf)?\.json: too deeply nested \(20001 levels of brackets, more than 200\)/,
    );
  }
  rmSync(path);
});

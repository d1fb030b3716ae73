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

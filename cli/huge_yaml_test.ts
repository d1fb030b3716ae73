// Huge YAML configs through the CLI (issue 26): the fuzzer's hang of seed 28 (#1255, a 6.9 MB
// detectron2 file of 300,000-item lists that the `yaml` package took over 10 CPU-s to parse) and
// documents of more keys and values than any config has answer with one clean line in seconds;
// a valid config with a long STEPS list is read whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { failure, REPO_ROOT, run } from "../testing/cli.ts";
import { MAX_YAML_SCALARS } from "../config/yaml.ts";
import { mutant, seeds } from "../scripts/fuzz.ts";

const TMP = `${REPO_ROOT}.tmp/huge-yaml`;
mkdirSync(TMP, { recursive: true });

function file(name: string, text: string): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, text);
  return path;
}

/** Fails if `body` takes longer than `ms` (generous: test machines are shared). */
async function within<T>(ms: number, body: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await body();
  const took = performance.now() - t0;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms (limit ${ms} ms)`);
  return out;
}

test("fuzz seed 28 #1255: 300,000-item lists in a 6.9 MB detectron2 YAML, a clean error in seconds", async () => {
  const m = mutant(seeds(), 28, 1255);
  assert.ok(m.text.length > 6_000_000, `${m.text.length} bytes`);
  const path = file("seed28-1255.yaml", m.text);
  // Parsing alone took over 10 CPU-s; now the lists are read by lrspec's scanner, and one of
  // them, aliased, meets the alias budget.
  const message = await within(8_000, () => failure(m.command, path));
  assert.match(message, /seed28-1255\.yaml:\d+: aliases and merge keys expand to more than/);
});

test("a YAML config of more keys and values than any config has: refused by name", async () => {
  const keys = Array.from({ length: 3 * MAX_YAML_SCALARS }, (_, i) => `K${i}: ${i}`);
  for (const flag of [[], ["--timm"], ["--hf"]]) {
    const path = file(`many${flag.join("")}.yaml`, `${keys.join("\n")}\n`);
    const message = await within(15_000, () => failure("curve", ...flag, path));
    assert.equal(
      message,
      `${path}: more than ${MAX_YAML_SCALARS} keys and values (besides lists of plain numbers) in ` +
        `one YAML document; no learning-rate config comes near that, and lrspec stops here`,
    );
  }
});

test("a detectron2 config with 20,000 STEPS, in block style (as yaml.dump writes it): read whole", async () => {
  const steps = Array.from({ length: 20_000 }, (_, i) => `  - ${(i + 1) * 4}`);
  const path = file(
    "steps.yaml",
    `SOLVER:\n  BASE_LR: 0.1\n  GAMMA: 0.99\n  MAX_ITER: 80005\n  WARMUP_ITERS: 0\n  STEPS:\n${
      steps.join("\n")
    }\n`,
  );
  const r = await within(30_000, () => run("curve", path));
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trimEnd().split("\n");
  assert.equal(rows.length, 80007);
  assert.equal(rows[1], "0,0.1");
  // After the last step, 20,000 decays of 0.99: 0.1 · 0.99²⁰⁰⁰⁰.
  assert.match(rows.at(-1)!, /^80005,5\.05698\d*e-89$/);
});

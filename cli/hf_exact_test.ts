// `npx lrspec curve --hf` of a cosine Trainer run equals transformers' own logged learning rates,
// bit for bit (`lrspec verify --max-ulp 0`), on the runtime running the test: the golden is a real
// transformers 5.17 Trainer run (fixtures/generate_hf_cosine_run.py) of the README's example,
// docs/configs/hf/training_args.json with 5,691 examples — 1,068 steps of linear warmup and cosine.
// With the runtime's libm (setLibm("runtime")) 28 of the 1,068 values differ on Node 20 (V8's
// fdlibm cos), none on Deno 2.9 and Bun 1.4; with the default, none anywhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { spawnLrspec } from "../testing/cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

test("curve --hf of a cosine run equals transformers' Trainer with verify --max-ulp 0", {
  timeout: 120_000,
}, () => {
  const dir = `${ROOT}.tmp/hf-exact`;
  mkdirSync(dir, { recursive: true });
  const golden = `${dir}/golden.csv`;
  writeFileSync(
    golden,
    gunzipSync(readFileSync(`${ROOT}fixtures/hf-cosine-run/golden.csv.gz`)).toString("utf8"),
  );
  const curve = spawnLrspec(
    "curve",
    "--hf",
    "docs/configs/hf/training_args.json",
    "--dataset-size",
    "5691",
  );
  assert.equal(curve.status, 0, curve.stderr);
  const candidate = `${dir}/lrspec.csv`;
  writeFileSync(candidate, curve.stdout);
  assert.equal(curve.stdout.trim().split("\n").length, 1069, "header and 1,068 steps");
  const verify = spawnLrspec(
    "verify",
    "--golden",
    golden,
    "--candidate",
    candidate,
    "--max-ulp",
    "0",
  );
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /1068 compared, 1068 bit-identical \(100%\)/);
  assert.match(verify.stdout, /max ULP\s+0/);
});

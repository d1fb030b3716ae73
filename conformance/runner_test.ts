import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { FIXTURES_DIR } from "./report.ts";
import { loadSuite, readFixture } from "./runner.ts";

test("readFixture reads a plain file, or else its gzip-compressed copy", () => {
  const plain = `${FIXTURES_DIR}detectron2/libm.csv`;
  assert.ok(existsSync(plain) && !existsSync(`${plain}.gz`), "detectron2 stays plain");
  assert.equal(readFixture(plain), readFileSync(plain, "utf8"));
  const packed = `${FIXTURES_DIR}hf/libm.csv`;
  assert.ok(!existsSync(packed) && existsSync(`${packed}.gz`), "hf is stored compressed");
  const text = readFixture(packed);
  assert.equal(text, gunzipSync(readFileSync(`${packed}.gz`)).toString("utf8"));
  assert.ok(text.startsWith("op,x,y,result\n"), "the CSV itself, decompressed");
});

test("readFixture names both paths when neither exists", () => {
  const missing = `${FIXTURES_DIR}hf/no-such-case.csv`;
  assert.throws(() => readFixture(missing), (e: Error) => {
    assert.match(e.message, /no-such-case\.csv \(nor .*no-such-case\.csv\.gz\)/);
    return true;
  });
});

test("the generated suites load from their compressed manifests and CSVs", () => {
  for (const name of ["hf", "timm", "optax"]) {
    const dir = `${FIXTURES_DIR}${name}`;
    assert.ok(existsSync(`${dir}/manifest.json.gz`), `${name}: manifest.json.gz`);
    const { manifest, ctx } = loadSuite(dir);
    const first = manifest.cases.find((c) => c.file !== undefined)!;
    assert.ok(existsSync(`${dir}/${first.file}.gz`), `${name}: ${first.file}.gz`);
    assert.ok(ctx.table(first.file!).rows.length > 0, `${name}: ${first.file} reads`);
  }
});

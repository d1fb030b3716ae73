// Checks the npm package as Node users get it: built JavaScript + declarations, importable by
// name on plain Node (no TypeScript loader), and nothing but the library in the tarball.
// Run after `npm run build`.
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";

const { buildLrScheduler, getCfg, CosineParamScheduler } = await import("lrspec");
const cfg = getCfg();
const optimizer = { paramGroups: [{ lr: 0.02 }] };
const scheduler = buildLrScheduler(cfg, optimizer);
for (let i = 0; i < 30000; i++) scheduler.step();
assert.equal(
  optimizer.paramGroups[0].lr,
  0.02 * 0.1,
  "the built package computes detectron2's default schedule",
);
assert.equal(new CosineParamScheduler({ startValue: 1, endValue: 0 }).at(1), 0);

const [pack] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8" }),
);
const files = pack.files.map((f) => f.path);
for (
  const required of [
    "dist/mod.js",
    "dist/mod.d.ts",
    "dist/schedules/param_scheduler.js",
    "mod.ts",
    "README.md",
    "LICENSE",
  ]
) {
  assert.ok(files.includes(required), `the tarball contains ${required}`);
}
for (const f of files) {
  assert.ok(
    !/_test\.|^fixtures\/|^conformance\/|^bench\/|^testing\//.test(f),
    `the tarball must not contain ${f}`,
  );
}
console.log(`npm package ok: ${files.length} files, ${(pack.size / 1024).toFixed(0)} KiB packed`);

// Smoke test of the hf benchmark section: every body runs once (the benchmarks themselves are
// `deno task bench --sections hf`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { runOnce } from "./_harness.ts";
import { hfGroup } from "./hf.ts";

test("every hf benchmark body runs once", () => {
  const g = hfGroup();
  assert.ok(g.benches.some((b) => b.baseline === "cos"), "has the Math.cos baseline");
  assert.equal(g.benches.filter((b) => b.baseline === undefined).length, 8);
  for (const b of g.benches) runOnce(b.body);
});

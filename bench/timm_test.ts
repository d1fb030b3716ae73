// Smoke test of the timm benchmark section: every body runs once and does what it is named for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runOnce } from "./_harness.ts";
import { timmBenches } from "./timm.ts";

test("every timm benchmark body runs once", () => {
  const benches = timmBenches();
  assert.equal(benches.length, 10);
  for (const b of benches) runOnce(b.body);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { LEGACY_KEYS, legacyWarmup, WARMUP_METHODS } from "./_legacy.ts";

test("legacyWarmup defaults: detectron2's warmup_factor 0.001, warmup_iters 1000, linear", () => {
  assert.deepEqual(legacyWarmup("X", {}), {
    warmupFactor: 0.001,
    warmupIters: 1000,
    warmupMethod: "linear",
  });
});

test("legacyWarmup validation names the owner and the option", async (t) => {
  await t.test("warmupIters: an integer >= 0", () => {
    assert.deepEqual(legacyWarmup("X", { warmupIters: 0 }).warmupIters, 0);
    assert.throws(() => legacyWarmup("X", { warmupIters: -1 }), {
      name: "RangeError",
      message: "X: `warmupIters` must be an integer >= 0: got -1",
    });
    assert.throws(() => legacyWarmup("X", { warmupIters: 1.5 }), RangeError);
  });
  await t.test("warmupMethod: one of detectron2's (its ValueError)", () => {
    assert.equal(legacyWarmup("X", { warmupMethod: "constant" }).warmupMethod, "constant");
    assert.throws(() => legacyWarmup("X", { warmupMethod: "exp" }), {
      name: "RangeError",
      message:
        'X: `warmupMethod` must be one of "linear", "constant": got "exp" (detectron2: Unknown warmup method)',
    });
  });
  await t.test("warmupFactor: finite", () => {
    assert.throws(() => legacyWarmup("X", { warmupFactor: Infinity }), {
      name: "RangeError",
      message: "X: `warmupFactor` must be finite: got Infinity",
    });
  });
});

test("the legacy option keys and warmup methods", () => {
  assert.deepEqual(WARMUP_METHODS, ["linear", "constant"]);
  assert.deepEqual(LEGACY_KEYS, [
    "optimizer",
    "warmupFactor",
    "warmupIters",
    "warmupMethod",
    "lastEpoch",
  ]);
});

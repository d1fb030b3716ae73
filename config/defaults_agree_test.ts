import { test } from "node:test";
import assert from "node:assert/strict";
import { CfgNode, getCfg } from "../mod.ts";

// detectron2's defaults are generated twice from get_cfg(): as plain values for getCfg()
// (schedules/_config_defaults.ts) and as Python reprs for the yacs merge
// (config/_detectron2_defaults.ts). They must never drift apart.
test("getCfg() and CfgNode.getCfg() hold the same defaults", () => {
  const plain = getCfg() as unknown as Record<string, Record<string, unknown>>;
  const merged = CfgNode.getCfg().toConfig() as unknown as Record<string, Record<string, unknown>>;
  // getCfg() adds DeepLab's two poly keys so that WarmupPolyLR can be built.
  assert.equal(plain.SOLVER!.POLY_LR_POWER, 0.9);
  assert.equal(plain.SOLVER!.POLY_LR_CONSTANT_ENDING, 0);
  delete plain.SOLVER!.POLY_LR_POWER;
  delete plain.SOLVER!.POLY_LR_CONSTANT_ENDING;
  assert.deepEqual(merged, plain);
});

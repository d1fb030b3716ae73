import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CfgNode,
  checkAndCoerceCfgValueType,
  CONFIG_VERSION,
  DEEPLAB_CONFIG,
  downgradeConfig,
  fromJs,
  getCfg,
  guessVersion,
  literalEval,
  mergeConfigFile,
  optionProblem,
  type PyNode,
  upgradeConfig,
} from "../mod.ts";

const tree = (data: unknown): PyNode => fromJs(data) as PyNode;

test("CfgNode.getCfg", async (t) => {
  await t.test("detectron2's get_cfg(): the same values as lrspec's getCfg(), with types", () => {
    const node = CfgNode.getCfg();
    const plain = getCfg() as unknown as { SOLVER: Record<string, unknown> };
    delete plain.SOLVER.POLY_LR_POWER;
    delete plain.SOLVER.POLY_LR_CONSTANT_ENDING;
    assert.deepEqual(node.toConfig(), plain);
    assert.equal(node.get("SOLVER.BASE_LR")?.type, "float");
    assert.equal(node.get("SOLVER.MAX_ITER")?.type, "int");
    assert.equal(node.get("SOLVER.STEPS")?.type, "tuple");
    assert.equal(node.get("MODEL.PIXEL_STD")?.type, "list");
    assert.equal(node.get("SOLVER.WEIGHT_DECAY_BIAS")?.type, "None");
    assert.equal(node.get("SOLVER")?.type, "node");
    assert.equal(node.get("VERSION")?.type, "int");
  });
  await t.test("DeepLab's keys exist only with its extension, as in detectron2", () => {
    assert.equal(CfgNode.getCfg().get("SOLVER.POLY_LR_POWER"), undefined);
    const deeplab = CfgNode.getCfg({ extensions: [DEEPLAB_CONFIG] });
    assert.deepEqual(deeplab.get("SOLVER.POLY_LR_POWER"), { type: "float", value: 0.9 });
    assert.deepEqual(deeplab.get("INPUT.CROP.SINGLE_CATEGORY_MAX_AREA"), {
      type: "float",
      value: 1,
    });
    assert.equal(deeplab.get("MODEL.RESNETS.RES5_MULTI_GRID")?.type, "list");
    assert.equal(deeplab.toConfig().MODEL.SEM_SEG_HEAD.NAME, "SemSegFPNHead");
  });
  await t.test("toConfig returns a fresh object each time", () => {
    const node = CfgNode.getCfg();
    const a = node.toConfig();
    a.SOLVER.STEPS.push(1);
    assert.deepEqual(node.toConfig().SOLVER.STEPS, [30000]);
  });
});

test("CfgNode.mergeFromOtherCfg", async (t) => {
  const base = CfgNode.getCfg();
  await t.test("strings are decoded as Python literals, tuples and lists cast", () => {
    const node = base.mergeFromOtherCfg(tree({
      SOLVER: { STEPS: "(60000, 80000)", BASE_LR: 0.02, IMS_PER_BATCH: "8" },
      DATASETS: { TRAIN: ["a", "b"] },
      MODEL: { WEIGHTS: "detectron2://x.pkl", PIXEL_STD: "(1.0, 2.0, 3.0)" },
    }));
    assert.deepEqual(node.get("SOLVER.STEPS")?.type, "tuple");
    assert.equal(node.get("DATASETS.TRAIN")?.type, "tuple");
    assert.equal(node.get("MODEL.PIXEL_STD")?.type, "list");
    const cfg = node.toConfig();
    assert.deepEqual(cfg.SOLVER.STEPS, [60000, 80000]);
    assert.equal(cfg.SOLVER.IMS_PER_BATCH, 8);
    assert.equal(cfg.MODEL.WEIGHTS, "detectron2://x.pkl");
  });
  await t.test("None replaces anything and anything replaces None", () => {
    const node = base.mergeFromOtherCfg(tree({ SOLVER: { WEIGHT_DECAY_BIAS: "0.0" } }));
    assert.equal(node.get("SOLVER.WEIGHT_DECAY_BIAS")?.type, "float");
    const back = node.mergeFromList(["SOLVER.WEIGHT_DECAY_BIAS", "None"]);
    assert.equal(back.get("SOLVER.WEIGHT_DECAY_BIAS")?.type, "None");
    // Once a float, an int no longer fits: detectron2 checks against the current value.
    assert.throws(() => node.mergeFromList(["SOLVER.WEIGHT_DECAY_BIAS", "0"]), /Type mismatch/);
  });
  await t.test("detectron2's error for an unknown key, with a hint", () => {
    assert.throws(
      () => base.mergeFromOtherCfg(tree({ SOLVER: { MAX_ITERS: 1 } })),
      (e: Error) =>
        e instanceof TypeError &&
        e.message === "Non-existent config key: SOLVER.MAX_ITERS (did you mean SOLVER.MAX_ITER?)",
    );
  });
  await t.test("detectron2's error for a wrong type", () => {
    assert.throws(
      () => base.mergeFromOtherCfg(tree({ SOLVER: { BASE_LR: 1 } })),
      {
        name: "TypeError",
        message:
          "Type mismatch (<class 'float'> vs. <class 'int'>) with values (0.001 vs. 1) for config key: SOLVER.BASE_LR",
      },
    );
    assert.throws(() => base.mergeFromOtherCfg(tree({ SOLVER: 0.1 })), /CfgNode\(SOLVER/);
  });
  await t.test("_BASE_ is only for files", () => {
    assert.throws(
      () => base.mergeFromOtherCfg(tree({ _BASE_: "x.yaml" })),
      /The reserved key '_BASE_' can only be used in files!/,
    );
  });
  await t.test("new_allowed adds keys and whole nodes", () => {
    assert.throws(() => base.mergeFromOtherCfg(tree({ MODEL: { NEW: { DIM: 3 } } })), TypeError);
    const node = base.setNewAllowed(true).mergeFromOtherCfg(tree({ MODEL: { NEW: { DIM: 3 } } }));
    assert.deepEqual(node.get("MODEL.NEW.DIM"), { type: "int", value: 3 });
    assert.equal(node.isNewAllowed("MODEL"), true);
    assert.equal(node.isNewAllowed("MODEL.NEW"), false); // yacs: new nodes are not new_allowed
  });
  await t.test("never modifies either input", () => {
    const other = tree({ SOLVER: { BASE_LR: 0.5 } });
    const merged = base.mergeFromOtherCfg(other);
    assert.equal(base.toConfig().SOLVER.BASE_LR, 0.001);
    assert.equal(merged.toConfig().SOLVER.BASE_LR, 0.5);
    assert.deepEqual(other.value.get("SOLVER")?.type, "node");
  });
});

test("CfgNode.mergeFromList", async (t) => {
  const base = CfgNode.getCfg();
  await t.test("decodes each value, as detectron2's --opts", () => {
    const cfg = base.mergeFromList([
      "SOLVER.BASE_LR",
      "0.01",
      "SOLVER.STEPS",
      "1000,2000",
      "MODEL.MASK_ON",
      "True",
      "MODEL.RESNETS.NORM",
      "SyncBN",
      "SOLVER.MAX_ITER",
      "3000",
    ]).toConfig();
    assert.equal(cfg.SOLVER.BASE_LR, 0.01);
    assert.deepEqual(cfg.SOLVER.STEPS, [1000, 2000]);
    assert.equal(cfg.MODEL.MASK_ON, true);
    assert.equal(cfg.MODEL.RESNETS.NORM, "SyncBN");
    assert.equal(cfg.SOLVER.MAX_ITER, 3000);
  });
  await t.test("yacs' errors", () => {
    assert.throws(
      () => base.mergeFromList(["SOLVER.BASE_LR"]),
      /Override list has odd length: \['SOLVER.BASE_LR'\]/,
    );
    assert.throws(
      () => base.mergeFromList(["SOLVER.MAX_ITERS", "1"]),
      /Non-existent key: SOLVER.MAX_ITERS \(did you mean SOLVER.MAX_ITER\?\)/,
    );
    assert.throws(() => base.mergeFromList(["SOLVER.BASE_LR.X", "1"]), /Non-existent key/);
    assert.throws(() => base.mergeFromList(["_BASE_", "x"]), /reserved key/);
    assert.throws(
      () => base.mergeFromList(["SOLVER.MAX_ITER", "1e4"]),
      /<class 'int'> vs\. <class 'float'>/,
    );
    assert.throws(() => base.mergeFromList([1 as unknown as string, "2"]), TypeError);
  });
});

test("checkAndCoerceCfgValueType", () => {
  const t = checkAndCoerceCfgValueType(literalEval("[1]"), literalEval("(2,)"), "K");
  assert.deepEqual(t, { type: "tuple", value: [{ type: "int", value: 1 }] });
  assert.throws(
    () => checkAndCoerceCfgValueType(literalEval("True"), literalEval("1"), "K"),
    /<class 'int'> vs\. <class 'bool'>/,
  );
});

test("CfgNode.set and extend", async (t) => {
  await t.test("sets like Python attribute assignment, creating nodes", () => {
    const node = CfgNode.getCfg().set("FOO.BAR", "1.0").set("SOLVER.BASE_LR", "1");
    assert.deepEqual(node.get("FOO.BAR"), { type: "float", value: 1 });
    assert.equal(node.get("SOLVER.BASE_LR")?.type, "int"); // no type check on assignment
    assert.throws(() => node.set("SOLVER.BASE_LR.X", "1"), TypeError);
    assert.throws(() => node.set("X", "{1: 2}"), /Invalid type <class 'dict'>/);
  });
});

test("versions", async (t) => {
  const node = CfgNode.getCfg();
  await t.test("downgrade then upgrade gives the same keys and values back", () => {
    const v0 = downgradeConfig(node, 0);
    assert.equal(v0.get("VERSION")?.type, "int");
    assert.deepEqual(v0.toConfig().VERSION, 0);
    assert.ok(v0.get("MODEL.WEIGHT") !== undefined);
    assert.ok(v0.get("MODEL.RPN_HEAD.NAME") !== undefined);
    assert.equal(v0.get("MODEL.PANOPTIC_FPN.COMBINE"), undefined);
    const back = upgradeConfig(v0);
    assert.deepEqual(new Set(back.keys()), new Set(node.keys()));
    for (const key of node.keys()) {
      if (node.get(key)!.type !== "node") assert.deepEqual(back.get(key), node.get(key), key);
    }
    assert.throws(() => upgradeConfig(node, 1), RangeError);
    assert.throws(() => downgradeConfig(node, 3), RangeError);
  });
  await t.test("guessVersion and mergeConfigFile, with detectron2's warnings", () => {
    const warnings: string[] = [];
    assert.equal(
      guessVersion(tree({ MODEL: { WEIGHT: "x" } }), "a.yaml", (w) => warnings.push(w)),
      1,
    );
    assert.equal(guessVersion(tree({}), "b.yaml", (w) => warnings.push(w)), CONFIG_VERSION);
    assert.deepEqual(warnings, [
      "Config 'a.yaml' has no VERSION. Assuming it to be v1.",
      "Config 'b.yaml' has no VERSION. Assuming it to be compatible with latest v2.",
    ]);
    const merged = mergeConfigFile(node, tree({ VERSION: 1, MODEL: { WEIGHT: "old.pkl" } }), {
      fileName: "old.yaml",
    });
    assert.equal(merged.toConfig().MODEL.WEIGHTS, "old.pkl");
    assert.equal(merged.toConfig().VERSION, 2);
    assert.throws(
      () => mergeConfigFile(node, tree({ VERSION: 3 }), { fileName: "new.yaml" }),
      { name: "RangeError", message: "Cannot merge a v3 config into a v2 config." },
    );
    assert.throws(
      () => mergeConfigFile(node, tree({ VERSION: "2" }), { fileName: "s.yaml" }),
      TypeError,
    );
    assert.throws(() => mergeConfigFile(node, tree([1]), { fileName: "l.yaml" }), TypeError);
  });
});

test("key errors carry the key and the value as data (error.cause), by who raised them", () => {
  const problem = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return optionProblem(e);
    }
    assert.fail("no error");
  };
  const node = CfgNode.getCfg();
  assert.deepEqual(problem(() => node.mergeFromList(["SOLVER.MAX_ITERS", "1"])), {
    owner: "mergeFromList",
    option: "cfg.SOLVER.MAX_ITERS",
    value: "1",
  });
  assert.deepEqual(problem(() => node.mergeFromList(["SOLVER.BASE_LR", "1"])), {
    owner: "mergeFromList",
    option: "cfg.SOLVER.BASE_LR",
    value: "1",
  });
  assert.deepEqual(
    problem(() => node.mergeFromOtherCfg(tree({ SOLVER: { BASE_LR: "x" } }))),
    { owner: "mergeFromOtherCfg", option: "cfg.SOLVER.BASE_LR", value: "x" },
  );
  assert.deepEqual(problem(() => node.mergeFromOtherCfg(tree({ SOLVER: { NOPE: 1 } }))), {
    owner: "mergeFromOtherCfg",
    option: "cfg.SOLVER.NOPE",
    value: "1",
  });
  // Values that are not the user's own (the page's form) are not called --opts.
  assert.throws(
    () => node.mergeFromList(["SOLVER.BASE_LR", "1"], { source: "" }),
    /^TypeError: Type mismatch/,
  );
  assert.throws(() => node.mergeFromList(["SOLVER.BASE_LR", "1"]), /^TypeError: --opts: Type/);
});

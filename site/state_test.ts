import { test } from "node:test";
import assert from "node:assert/strict";
import {
  decodeState,
  defaultState,
  encodeState,
  packText,
  type PageState,
  unpackText,
} from "./state.ts";

const INITIAL: Record<string, Record<string, string>> = {
  "torch/StepLR": { stepSize: "30", gamma: "", lr: "", steps: "" },
  "detectron2/config": { "SOLVER.BASE_LR": "", "SOLVER.STEPS": "" },
  "detectron2/yaml": { yaml: "SOLVER:\n  MAX_ITER: 10\n", file: "" },
};
const initialText = (id: string, name: string) => INITIAL[id]?.[name];
const fallback = defaultState("detectron2/config", INITIAL["detectron2/config"]!);
const decode = (query: string) => decodeState(query, fallback, (id) => INITIAL[id]);

test("the default view is an empty query, and back", async () => {
  assert.equal(await encodeState(fallback, initialText), "a=detectron2%2Fconfig");
  assert.deepEqual(await decode(""), fallback);
  assert.deepEqual(await decode("?a=detectron2/config"), fallback);
});

test("a whole view round-trips through its URL", async () => {
  const long = "SOLVER:\n" + "  # a long comment to deflate\n".repeat(200) + "  MAX_ITER: 90000\n";
  const state: PageState = {
    curves: [
      {
        id: "torch/StepLR",
        values: { stepSize: "", gamma: "0.5", lr: "", steps: "60" },
        files: {},
      },
      {
        id: "detectron2/yaml",
        values: { yaml: long, file: "configs/my config.yaml" },
        files: { "Base-RCNN-FPN.yaml": "MODEL:\n  MASK_ON: False\n", "b&c=d.yaml": "x: 1\n" },
      },
    ],
    selected: 1,
    log: true,
    range: [5, 81],
    tab: "verify",
    compare: [1, 0],
    diff: "ulp",
    verify: {
      golden: { name: "golden.csv", text: "iter,lr\n0,0.1\n" },
      candidate: { name: "mine.csv", text: "iter,lr\n" + "0,0.1\n".repeat(1000) },
      maxUlp: "2",
    },
  };
  const query = await encodeState(state, initialText);
  assert.match(query, /^a=torch%2FStepLR&a.stepSize=&a.gamma=0.5&a.steps=60&b=detectron2%2Fyaml/);
  assert.ok(!query.includes("a.lr="), "a field at its initial text is left out");
  assert.match(query, /b.yaml=%7E/, "a long text is deflated");
  assert.ok(query.length < long.length, `${query.length} characters`);
  assert.deepEqual(await decode(query), state);
});

test("what a query does not say, or says wrong, is the default's", async () => {
  const s = await decode("?a=no/such&b=torch/StepLR&sel=z&range=9:3&tab=nope&cmp=a&diff=x&log=0");
  assert.deepEqual(
    s.curves,
    [{ id: "torch/StepLR", values: INITIAL["torch/StepLR"], files: {} }],
    "an unknown schedule is skipped",
  );
  const gap = await decode("?a=torch/StepLR&c=torch/StepLR");
  assert.equal(gap.curves.length, 1, "a missing letter ends the list");
  const none = await decode("?a=no/such");
  assert.deepEqual(none.curves, fallback.curves, "no known schedule: the default view");
  assert.equal(s.selected, 0);
  assert.equal(s.range, undefined);
  assert.equal(s.tab, "explain");
  assert.deepEqual(s.compare, [0, 1]);
  assert.equal(s.diff, "difference");
  assert.equal(s.log, false);
  const two = await decode("?a=torch/StepLR&b=torch/StepLR&b.stepSize=5&sel=b");
  assert.equal(two.selected, 1);
  assert.equal(two.curves[1]!.values.stepSize, "5");
  assert.equal(two.curves[1]!.values.gamma, "", "fields start at their initial texts");
});

test("packText: short texts as they are, long ones deflated; a leading ~ survives", async () => {
  assert.equal(await packText("0.1"), "0.1");
  for (const text of ["~x", "x".repeat(5000), "é ✓ " + "ü".repeat(3000), ""]) {
    assert.equal(await unpackText(await packText(text)), text);
  }
  assert.ok((await packText("x".repeat(5000))).length < 100);
});

// Curves that count different things share an x axis only as what they are: never an epoch
// drawn at the x of an iteration (the page drew every curve in the first curve's unit).
import { test } from "node:test";
import assert from "node:assert/strict";
import { type AxisView, sharedAxis } from "./axis.ts";

const detectron2: AxisView = { unit: "iteration", label: "d2" };
const hf: AxisView = { unit: "step", label: "hf" };
const timm: AxisView = { unit: "epoch", label: "timm" };
const timmUpdates: AxisView = { unit: "update", label: "timm updates" };
const mmdet: AxisView = { unit: "iteration", rowsPerEpoch: 500, label: "mmdet" };

test("one count: drawn as it is", () => {
  assert.deepEqual(sharedAxis([detectron2, detectron2]), {
    unit: "iteration",
    scales: [1, 1],
    notes: [],
  });
  assert.deepEqual(sharedAxis([timm, timm]).unit, "epoch");
  assert.deepEqual(sharedAxis([]), { unit: "iteration", scales: [], notes: [] });
  assert.deepEqual(sharedAxis([undefined, hf]), {
    unit: "step",
    scales: [undefined, 1],
    notes: [],
  });
});

test("iterations, steps and updates: a row per optimizer step each, one axis naming them all", () => {
  assert.deepEqual(sharedAxis([detectron2, hf, timmUpdates]), {
    unit: "iteration / step / update",
    scales: [1, 1, 1],
    notes: [],
  });
});

test("epochs and iterations with an epoch length: the iterations converted to epochs", () => {
  for (const reference of [0, 1]) {
    assert.deepEqual(sharedAxis([mmdet, timm], reference), {
      unit: "epoch",
      scales: [1 / 500, 1],
      notes: ["mmdet: iterations drawn as epochs (500 iterations an epoch)"],
    });
  }
});

test("epochs and iterations without one: the reference's count, the other curve left off", () => {
  assert.deepEqual(sharedAxis([detectron2, timm], 0, ["A", "B"]), {
    unit: "iteration",
    scales: [1, undefined],
    notes: [
      "B not drawn: it counts epochs; the axis counts iterations (as A), and not every curve " +
      "says how many iterations an epoch has",
    ],
  });
  assert.deepEqual(sharedAxis([detectron2, timm], 1, ["A", "B"]), {
    unit: "epoch",
    scales: [undefined, 1],
    notes: [
      "A not drawn: it counts iterations and does not say how many an epoch has; the axis " +
      "counts epochs (as B)",
    ],
  });
  // An epoch length known for some: those are converted on an axis of epochs, the rest left off.
  const three = sharedAxis([mmdet, detectron2, timm], 2, ["A", "B", "C"]);
  assert.deepEqual(three.scales, [1 / 500, undefined, 1]);
  assert.equal(three.unit, "epoch");
  // On an axis of iterations, mmdet stays in iterations and the epochs are left off.
  const iters = sharedAxis([mmdet, detectron2, timm], 1, ["A", "B", "C"]);
  assert.deepEqual(iters.scales, [1, 1, undefined]);
  assert.equal(iters.unit, "iteration");
  // A reference with no view: the first view's count.
  assert.deepEqual(sharedAxis([undefined, detectron2, timm], 0).scales, [undefined, 1, undefined]);
});

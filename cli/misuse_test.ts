// A library method called out of turn inside the CLI (`getLr()` of a combinator, `getLastLr()`
// before a step) or one of lrspec's own invariants (`unreachable: …`) is a bug in lrspec: an
// internal error, known from the error's data (its option is the method, `getLr()`), never
// printed as if it were an answer about the input. An option error stays the user's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { main } from "./main.ts";
import { ReduceLROnPlateau, StepLR } from "../schedules/torch/mod.ts";
import { WarmupLR } from "../schedules/deepspeed/mod.ts";

const CONFIG = "fixtures/detectron2-configs/configs/COCO-Detection/faster_rcnn_R_50_FPN_1x.yaml";
const groups = () => ({ paramGroups: [{ lr: 0.1 }] });

async function stderrOf(thrower: () => never): Promise<string> {
  let stderr = "";
  const code = await main(["explain", CONFIG], {
    stdout: () => thrower(),
    stderr: (s) => (stderr += s),
  });
  assert.equal(code, 2);
  return stderr;
}

test("a method called out of turn, an invariant: internal errors; an option error: the user's", async () => {
  const internal =
    /^lrspec: error: internal error: (?:TypeError|RangeError|Error): .+ \(a bug in lrspec [\d.]+, not a problem with your input: please report it with the command and the files it read\)\n$/;
  const bugs: [string, () => never][] = [
    [
      "getLr() of ReduceLROnPlateau",
      () => new ReduceLROnPlateau({ optimizer: groups() }).getLr() as never,
    ],
    [
      "getLastLr() before a step",
      () => new WarmupLR({ optimizer: groups(), lastBatchIteration: 3 }).getLastLr() as never,
    ],
    ["an invariant", () => {
      throw new Error("unreachable: the last phase always matches");
    }],
  ];
  for (const [what, bug] of bugs) assert.match(await stderrOf(bug), internal, what);
  assert.equal(
    await stderrOf(() => new StepLR({ optimizer: groups(), stepSize: 0 }) as never),
    "lrspec: error: StepLR: `stepSize` must be a positive integer: got 0\n",
  );
});

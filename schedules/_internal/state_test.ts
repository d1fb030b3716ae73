// checkStateGroups: the one check that a restored state's per-group lists match the optimizer,
// for every scheduler that keeps such lists (torch LRScheduler and ReduceLROnPlateau, Hugging
// Face GreedyLR, timm Scheduler) — each with its owner's words and the failing list as data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkStateGroups } from "./state.ts";
import { optionProblem } from "../errors.ts";
import { ReduceLROnPlateau, StepLR } from "../torch/mod.ts";
import { GreedyLR } from "../hf/mod.ts";
import { StepLRScheduler } from "../timm/mod.ts";
import { groups } from "../../testing/resume.ts";

test("checkStateGroups: one entry per group, or a RangeError naming the list", () => {
  checkStateGroups("X", { a: [1, 2], b: "not a list", c: null }, ["a", "b", "c", "absent"], 2);
  assert.throws(
    () => checkStateGroups("X", { a: [1, 2], b: [1, 2, 3] }, ["a", "b"], 2),
    (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.equal(e.message, "X: state `b` has 3 entries for 2 parameter groups");
      assert.deepEqual(optionProblem(e), { owner: "X", option: "state.b", value: [1, 2, 3] });
      return true;
    },
  );
});

test("every scheduler with per-group state refuses a list for other groups, changing nothing", () => {
  const cases: [string, string, { stateDict(): object; loadStateDict(s: never): void }][] = [
    ["StepLR", "baseLrs", new StepLR({ optimizer: groups(), stepSize: 2 })],
    ["StepLR", "_lastLr", new StepLR({ optimizer: groups(), stepSize: 2 })],
    ["ReduceLROnPlateau", "minLrs", new ReduceLROnPlateau({ optimizer: groups() })],
    ["GreedyLR", "maxLrs", new GreedyLR({ optimizer: groups() })],
    ["GreedyLR", "_initLrs", new GreedyLR({ optimizer: groups() })],
    ["StepLRScheduler", "baseValues", new StepLRScheduler({ optimizer: groups(), decayT: 3 })],
  ];
  for (const [owner, key, s] of cases) {
    const before = JSON.stringify(s.stateDict());
    const list = [0.1, 0.2, 0.3];
    assert.throws(
      () => s.loadStateDict({ [key]: list } as never),
      (e: unknown) => {
        assert.ok(e instanceof RangeError, `${owner} ${key}`);
        assert.equal(e.message, `${owner}: state \`${key}\` has 3 entries for 2 parameter groups`);
        assert.deepEqual(optionProblem(e), { owner, option: `state.${key}`, value: list });
        return true;
      },
    );
    assert.equal(JSON.stringify(s.stateDict()), before, `${owner}: changed by a refused state`);
  }
});

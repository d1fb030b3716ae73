// Resuming through JSON in every mode (testing/resume.ts), and state checked when it is loaded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ReduceLROnPlateau, StepLR } from "../mod.ts";
import { groups, resumesExactly } from "../../../testing/resume.ts";
import type { StateDict } from "../../optimizer.ts";

test("torch ReduceLROnPlateau resumes through JSON in every mode", () => {
  for (const mode of ["min", "max"] as const) {
    for (const thresholdMode of ["rel", "abs"] as const) {
      for (const torch of ["1.13", "2.11"] as const) {
        resumesExactly(`${mode}/${thresholdMode}/${torch}`, () => {
          const optimizer = groups();
          const s = new ReduceLROnPlateau({
            optimizer,
            mode,
            thresholdMode,
            patience: 1,
            cooldown: 1,
            torch,
          });
          return {
            optimizer,
            step: (m) => s.step(mode === "max" ? -m : m),
            stateDict: () => s.stateDict(),
            loadStateDict: (st) => s.loadStateDict(st),
          };
        });
      }
    }
  }
});

test("loadStateDict checks what it is given, and restores nothing from a refused state", () => {
  const cases: [string, () => { stateDict(): StateDict; loadStateDict(s: StateDict): void }][] = [
    ["StepLR", () => new StepLR({ optimizer: groups(), stepSize: 2 })],
    ["ReduceLROnPlateau", () => new ReduceLROnPlateau({ optimizer: groups() })],
  ];
  for (const [name, make] of cases) {
    const s = make();
    const before = JSON.stringify(s.stateDict());
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ _lastLr: null }, /state `_lastLr` must be an array: got null/],
      [{ _lastLr: [0.1, "x"] }, /state `_lastLr\[1\]` must be a number: got "x"/],
      [{ _lastLr: [0.1] }, /state `_lastLr` has 1 entries for 2 parameter groups/],
    ];
    if (name === "StepLR") {
      bad.push([{ baseLrs: "garbage" }, /state `baseLrs` must be an array: got "garbage"/]);
      bad.push([{ lastEpoch: NaN }, /state `lastEpoch` must be a number, not NaN/]);
    } else {
      bad.push([{ mode: "sideways" }, /mode/]);
      bad.push([{ best: "0.5" }, /best/]);
    }
    for (const [state, message] of bad) {
      assert.throws(() => s.loadStateDict(state), message, `${name} ${JSON.stringify(state)}`);
      assert.equal(JSON.stringify(s.stateDict()), before, `${name}: changed by a refused state`);
    }
  }
});

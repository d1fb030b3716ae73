// Resuming through JSON in every mode (testing/resume.ts), and state checked when it is loaded.
import { test } from "node:test";
import assert from "node:assert/strict";
import { GreedyLR } from "./mod.ts";
import { groups, resumesExactly } from "../../testing/resume.ts";

test("Hugging Face GreedyLR resumes through JSON in every mode, smoothed or not", () => {
  for (const mode of ["min", "max"] as const) {
    for (const smooth of [false, true]) {
      resumesExactly(`GreedyLR ${mode} smooth=${smooth}`, () => {
        const optimizer = groups();
        const s = new GreedyLR({
          optimizer,
          mode,
          patience: 1,
          cooldown: 1,
          warmup: 1,
          smooth,
          windowSize: 3,
          resetStart: 4,
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
});

test("GreedyLR: loadStateDict checks what it is given, and restores nothing from a refused state", () => {
  const s = new GreedyLR({ optimizer: groups() });
  const before = JSON.stringify(s.stateDict());
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ _lastLr: null }, /state `_lastLr` must be an array: got null/],
    [{ _lastLr: [0.1, "x"] }, /state `_lastLr\[1\]` must be a number: got "x"/],
    [{ _lastLr: [0.1] }, /state `_lastLr` has 1 entries for 2 parameter groups/],
    [{ mode: "sideways" }, /mode/],
    [{ best: "0.5" }, /best/],
    [{ patience: "3" }, /state `patience` must be a number/],
  ];
  for (const [state, message] of bad) {
    assert.throws(() => s.loadStateDict(state), message, JSON.stringify(state));
    assert.equal(JSON.stringify(s.stateDict()), before, "changed by a refused state");
  }
});

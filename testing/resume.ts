/**
 * Resuming through JSON, for the tests of every scheduler that keeps a `best` (±Infinity before
 * its first metric, which JSON writes as `null`): from a checkpoint at any step — including before
 * the first — a run continues exactly as from the state object itself, and, where upstream's state
 * is complete, exactly as a run that never stopped.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Optimizer, StateDict } from "../schedules/optimizer.ts";

/** A metric that improves, stalls, worsens and improves again, for every mode. */
export const METRICS = [
  5,
  4,
  4,
  4,
  4,
  3.9999,
  6,
  6,
  6,
  6,
  2,
  2,
  2,
  1,
  1,
  7,
  7,
  7,
  0.5,
  0.5,
  0.5,
  0.5,
];

export interface Stepper {
  optimizer: Optimizer;
  step(metric: number, at: number): void;
  stateDict(): StateDict;
  loadStateDict(state: StateDict): void;
}

/**
 * Runs `make()` over METRICS, checkpointing at each step `k` and resuming from the checkpoint:
 * through JSON it must continue exactly as from the state object itself, and — where upstream's
 * state is complete (`uninterrupted`) — exactly as a run that never stopped.
 */
export function resumesExactly(label: string, make: () => Stepper, uninterrupted = true): void {
  const rates = (s: Stepper) => s.optimizer.paramGroups.map((g) => g.lr);
  const whole = make();
  const expected: number[][] = [];
  METRICS.forEach((m, i) => {
    whole.step(m, i);
    expected.push(rates(whole));
  });
  for (let k = 0; k <= METRICS.length; k++) {
    const first = make();
    for (let i = 0; i < k; i++) first.step(METRICS[i]!, i);
    const state = first.stateDict();
    const [direct, viaJson] = [state, JSON.parse(JSON.stringify(state)) as StateDict].map((st) => {
      const resumed = make();
      resumed.loadStateDict(st);
      // The optimizer's rates travel with the optimizer's own state, as in torch.
      resumed.optimizer.paramGroups.forEach((g, i) => (g.lr = first.optimizer.paramGroups[i]!.lr));
      return resumed;
    }) as [Stepper, Stepper];
    for (let i = k; i < METRICS.length; i++) {
      direct.step(METRICS[i]!, i);
      viaJson.step(METRICS[i]!, i);
      assert.deepEqual(rates(viaJson), rates(direct), `${label}: JSON resume at ${k}, step ${i}`);
      if (uninterrupted) {
        assert.deepEqual(rates(viaJson), expected[i], `${label}: resumed at ${k}, step ${i}`);
      }
    }
  }
}

/** Two parameter groups, as the tests' optimizers. */
export const groups = (): Optimizer => ({ paramGroups: [{ lr: 0.1 }, { lr: 0.02 }] });

/**
 * Helpers shared by the scheduler tests: a torch-like SGD optimizer, recording a run, and the
 * resume check (checkpoint through JSON, continue a fresh twin, compare bit for bit).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { LRScheduler, Optimizer } from "../mod.ts";

/** An optimizer with one group per learning rate, each with `momentum: 0.9` (torch's SGD). */
export function sgd(...lrs: number[]): Optimizer {
  return { paramGroups: lrs.map((lr) => ({ lr, momentum: 0.9 })) };
}

/** `read(optimizer)` after construction and after each of `n` calls to `s.step()`. */
export function series<T = number>(
  optimizer: Optimizer,
  s: { step(): void },
  n: number,
  read: (o: Optimizer) => T = (o) => o.paramGroups[0]!.lr as T,
): T[] {
  const out = [read(optimizer)];
  for (let i = 0; i < n; i++) {
    s.step();
    out.push(read(optimizer));
  }
  return out;
}

/**
 * Steps a scheduler `k` times, checkpoints it through JSON (with the optimizer's groups, as torch
 * users restore the optimizer too), loads the checkpoint into a fresh twin, and checks that the
 * next `more` steps are bit-identical: groups, last learning rates and `lastEpoch`.
 */
export function assertResumes(
  make: () => { optimizer: Optimizer; s: LRScheduler },
  k: number,
  more: number = 3 * k,
): void {
  const a = make();
  for (let i = 0; i < k; i++) a.s.step();
  const state = JSON.parse(JSON.stringify(a.s.stateDict()));
  const groups = JSON.parse(JSON.stringify(a.optimizer.paramGroups));
  const b = make();
  b.optimizer.paramGroups = groups;
  b.s.loadStateDict(state);
  for (let i = 0; i < more; i++) {
    a.s.step();
    b.s.step();
    assert.deepEqual(b.optimizer.paramGroups, a.optimizer.paramGroups, `step ${k + i + 1}`);
    assert.deepEqual(b.s.getLastLr(), a.s.getLastLr());
  }
  assert.equal(b.s.lastEpoch, a.s.lastEpoch);
}

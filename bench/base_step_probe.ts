/**
 * Measures a proposed change to `LRScheduler.applyLrs()` (the end of the base class's `step()`,
 * in `schedules/torch_lr_scheduler.ts`) without touching that file: copies `schedules/` and
 * `mod.ts` into a scratch directory, patches the copy, and benchmarks the legacy schedulers and
 * `LRMultiplier`'s base-class path on both builds in one process (mitata `summary()` pairs).
 *
 * The change: write the groups in one loop with `verbose` checked once, and set
 * `_lastLr.length` only when it differs (assigning an array's length is a slow path in V8).
 *
 * ```sh
 * deno run -A bench/base_step_probe.ts      # also: bun bench/base_step_probe.ts,
 *                                           #       node --import tsx bench/base_step_probe.ts
 * ```
 *
 * @module
 */

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bench, run, summary } from "mitata";

const CURRENT = `  protected applyLrs(values: readonly number[], epoch?: number): void {
    const groups = this.optimizer.paramGroups;
    for (let i = 0; i < groups.length; i++) {
      const lr = values[i]!;
      groups[i]!.lr = lr;
      if (this.verbose) this.printLr(i, lr, epoch);
    }
    const last = this._lastLr;
    last.length = groups.length;
    for (let i = 0; i < groups.length; i++) last[i] = groups[i]!.lr;
  }`;

/** The proposed `applyLrs`: the same writes, in the same order, with the same results. */
const PROPOSED = `  protected applyLrs(values: readonly number[], epoch?: number): void {
    const groups = this.optimizer.paramGroups;
    const n = groups.length;
    if (this.verbose) {
      for (let i = 0; i < n; i++) {
        const lr = values[i]!;
        groups[i]!.lr = lr;
        this.printLr(i, lr, epoch);
      }
    } else {
      for (let i = 0; i < n; i++) groups[i]!.lr = values[i]!;
    }
    const last = this._lastLr;
    if (last.length !== n) last.length = n;
    for (let i = 0; i < n; i++) last[i] = groups[i]!.lr;
  }`;

const root = fileURLToPath(new URL("../", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "lrspec-base-step-"));
try {
  cpSync(join(root, "schedules"), join(scratch, "schedules"), { recursive: true });
  cpSync(join(root, "mod.ts"), join(scratch, "mod.ts"));
  const file = join(scratch, "schedules", "torch_lr_scheduler.ts");
  const source = readFileSync(file, "utf8");
  if (!source.includes(CURRENT)) {
    console.log("applyLrs() has changed since this probe was written: the patch does not apply");
  } else {
    writeFileSync(file, source.replace(CURRENT, PROPOSED));
    type Lib = typeof import("../mod.ts");
    const current: Lib = await import(pathToFileURL(join(root, "mod.ts")).href);
    const proposed: Lib = await import(pathToFileURL(join(scratch, "mod.ts")).href);
    const N = 90_000;
    const make = (lib: Lib, kind: string, groups: number) => {
      const optimizer = {
        paramGroups: Array.from({ length: groups }, (_, i) => ({ lr: 0.02 * (i + 1) })),
      };
      if (kind === "WarmupMultiStepLR") {
        return new lib.WarmupMultiStepLR({ optimizer, milestones: [60000, 80000] });
      }
      if (kind === "WarmupCosineLR") return new lib.WarmupCosineLR({ optimizer, maxIters: N });
      class BasePath extends lib.LRMultiplier {
        override getLr(): number[] {
          return super.getLr();
        }
      }
      return new BasePath({
        optimizer,
        multiplier: new lib.MultiStepParamScheduler({
          values: [1, 0.1, 0.01],
          milestones: [60000, 80000],
          numUpdates: N,
        }),
        maxIter: N,
      });
    };
    for (const kind of ["WarmupMultiStepLR", "WarmupCosineLR", "LRMultiplier (base path)"]) {
      for (const groups of [1, 4]) {
        summary(() => {
          for (const [name, lib] of [["current", current], ["proposed", proposed]] as const) {
            const body = new Function(
              "s",
              "N",
              `return function* () { let k = 0; yield { [0]() { return s; }, bench(x) { x.step(); if (++k === N - 1) { k = 0; x.lastEpoch = 0; } } }; }`,
            )(make(lib, kind, groups), N);
            bench(`${kind}, ${groups} group${groups > 1 ? "s" : ""}: ${name}`, body).baseline(
              name === "current",
            );
          }
        });
      }
    }
    await run();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/**
 * Shows that the test suites can fail: applies deliberate one-line mutations to the ports, one at
 * a time, in a scratch copy of the repository, and runs the conformance suite and the unit and
 * property tests against each. Every mutant must be killed (some suite must fail); a surviving
 * mutant fails this script.
 *
 * Usage: deno run -A scripts/mutants.ts [--only NAME] [--json FILE]
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** A one-line mutation: `from` must occur exactly once in `file`. */
export interface Mutant {
  /** Short name. */
  name: string;
  /** What kind of mistake it models. */
  kind: string;
  /** File, relative to the repository root. */
  file: string;
  /** The original text. */
  from: string;
  /** The mutated text. */
  to: string;
}

/** The mutants. Each models a mistake a port could plausibly make. */
export const MUTANTS: Mutant[] = [
  {
    name: "multistep-no-epsilon",
    kind: "drop WHERE_EPSILON",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "Math.trunc((where + WHERE_EPSILON) * this.numUpdates)",
    to: "Math.trunc(where * this.numUpdates)",
  },
  {
    name: "step-no-epsilon",
    kind: "drop WHERE_EPSILON",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "let ind = Math.trunc((where + WHERE_EPSILON) * n);",
    to: "let ind = Math.trunc(where * n);",
  },
  {
    name: "constant-gt",
    kind: "`>` for `>=`",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "if (where >= 1.0) {",
    to: "if (where > 1.0) {",
  },
  {
    name: "composite-segment-ge",
    kind: "`>=` for `>`",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "if (x > totals[mid]!) lo = mid + 1;",
    to: "if (x >= totals[mid]!) lo = mid + 1;",
  },
  {
    name: "composite-algebraic-position",
    kind: "algebraically equal rewrite (running_total → it / W)",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "const local = (where - this.#starts[i]!) / length;",
    to: "const local = where / length - this.#starts[i]! / length;",
  },
  {
    name: "linear-operand-order",
    kind: "swap operand order",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "this.endValue * where + this.startValue * (1 - where),",
    to: "this.startValue + (this.endValue - this.startValue) * where,",
  },
  {
    name: "cosine-from-start",
    kind: "algebraically equal rewrite (start − h·(1 − cos))",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "return this.endValue + this.#halfRange * (1 + libm.cos(Math.PI * where));",
    to: "return this.startValue - this.#halfRange * (1 - libm.cos(Math.PI * where));",
  },
  {
    name: "legacy-multistep-reassociate",
    kind: "swap operand order",
    file: "schedules/detectron2/lr_scheduler.ts",
    from: "return this.baseLrs.map((baseLr) => baseLr * warmupFactor * decay);",
    to: "return this.baseLrs.map((baseLr) => baseLr * (warmupFactor * decay));",
  },
  {
    name: "composite-no-length-correction",
    kind: "skip upstream's lengths[-1] correction",
    file: "schedules/fvcore/param_scheduler.ts",
    from:
      "if (sum(lengths) !== 1.0) lengths[lengths.length - 1] = 1.0 - sum(lengths.slice(0, -1));",
    to: "",
  },
  {
    name: "auto-scale-round-half-up",
    kind: "JavaScript's Math.round for Python's round",
    file: "schedules/detectron2/config.ts",
    from: "roundHalfEven(finite(owner, name, x) / scale);",
    to: "Math.round(finite(owner, name, x) / scale);",
  },
  {
    name: "steplr-closed-form",
    kind: "closed form for recursive",
    file: "schedules/torch/optim/lr_scheduler.ts",
    from:
      "      return groups.map((g) => g.lr);\n    }\n    return groups.map((g) => g.lr * this.gamma);\n  }\n\n  /** `initialLr · gamma ** ⌊lastEpoch / stepSize⌋`. */",
    to:
      "      return groups.map((g) => g.lr);\n    }\n    return this.getClosedFormLr();\n  }\n\n  /** `initialLr · gamma ** ⌊lastEpoch / stepSize⌋`. */",
  },
  {
    name: "cosine-annealing-closed-form",
    kind: "closed form for recursive",
    file: "schedules/torch/optim/lr_scheduler_cosine.ts",
    from:
      "    return groups.map((g) =>\n      trueDiv(owner, 1 + libm.cos(Math.PI * e / T), 1 + libm.cos(Math.PI * (e - 1) / T)) *",
    to:
      "    if (owner) return this.getClosedFormLr();\n    return groups.map((g) =>\n      trueDiv(owner, 1 + libm.cos(Math.PI * e / T), 1 + libm.cos(Math.PI * (e - 1) / T)) *",
  },
  {
    name: "cosine-annealing-no-special-branch",
    kind: "drop an upstream special case",
    file: "schedules/torch/optim/lr_scheduler_cosine.ts",
    from: "if ((e - 1 - T) % (2 * T) === 0) {",
    to: "if (false) {",
  },
  {
    name: "cursor-multistep-no-epsilon",
    kind: "drop WHERE_EPSILON (in the cursor's copy of the branch)",
    file: "schedules/fast/_runs.ts",
    from:
      "w > 1.0 ? last : bisectRightF64(milestones, Math.trunc((w + WHERE_EPSILON) * numUpdates)),",
    to: "w > 1.0 ? last : bisectRightF64(milestones, Math.trunc(w * numUpdates)),",
  },
  {
    name: "hf-restarts-js-modulo",
    kind: "JavaScript's % for Python's on floats",
    file: "schedules/hf/optimization.ts",
    from: "floatMod(owner, numCycles * progress, 1.0, UPSTREAM)",
    to: "(numCycles * progress) % 1.0",
  },
  {
    name: "hf-cosine-warmup-min-lr-unshifted",
    kind: "drop cosine_warmup_with_min_lr's one-step shift",
    file: "schedules/hf/optimization.ts",
    from: "(s - w + 1.0) / pyMax(1.0, n - w)",
    to: "(s - w) / pyMax(1.0, n - w)",
  },
  {
    name: "hf-shard-floor",
    kind: "floor for accelerate's even_batches ceil",
    file: "schedules/hf/trainer.ts",
    from: "return dropLast ? length : length + 1;",
    to: "return length;",
  },
  {
    name: "hf-warmup-ratio-round",
    kind: "round for get_warmup_steps' ceil",
    file: "schedules/hf/training_args.ts",
    from: "Math.ceil(numTrainingSteps * w)",
    to: "Math.round(numTrainingSteps * w)",
  },
  // torch 1.13 | 2.11 and Python 3.11 | 3.12: each version-specific branch.
  {
    name: "torch2-no-initial-mode",
    kind: "drop torch 2's _is_initial (1.13 rule for 2.11)",
    file: "schedules/torch/optim/lr_scheduler.ts",
    from: "this._isInitial = true;",
    to: "this._isInitial = false;",
  },
  {
    name: "torch2-multiplicative-epoch-rule",
    kind: "1.13's `last_epoch > 0` for 2.11's `not _is_initial`",
    file: "schedules/torch/optim/lr_scheduler.ts",
    from: 'if (this.torch === "1.13" ? e > 0 : !this._isInitial) {',
    to: "if (e > 0) {",
  },
  {
    name: "torch2-linear-accepts-zero",
    kind: "1.13's start_factor check for 2.11",
    file: "schedules/torch/optim/lr_scheduler.ts",
    from: 'if (torch === "2.11" && (startFactor > 1.0 || startFactor <= 0)) {',
    to: 'if (torch === "2.11" && (startFactor > 1.0 || startFactor < 0)) {',
  },
  {
    name: "torch2-strict-zip-dropped",
    kind: "zip to the shorter list in 2.11",
    file: "schedules/torch/optim/lr_scheduler.ts",
    from: 'if (this.#torch === "2.11" && values.length !== groups.length) {',
    to: "if (false) {",
  },
  {
    name: "torch2-sequential-step-0",
    kind: "1.13's step(0) restart for 2.11's _update_lr(0)",
    file: "schedules/torch/optim/lr_scheduler_sequential.ts",
    from: "else scheduler.updateLr(0);",
    to: "else scheduler.step(0);",
  },
  {
    name: "torch2-sequential-flat-undo",
    kind: "1.13's flat undo for 2.11's recursive one",
    file: "schedules/torch/optim/lr_scheduler_sequential.ts",
    from: "      recursiveUndo(schedulers);",
    to: "      for (const scheduler of schedulers) scheduler.lastEpoch -= 1;",
  },
  {
    name: "torch2-cyclic-no-beta1",
    kind: "never cycle Adam's beta1",
    file: "schedules/torch/optim/lr_scheduler_cyclic.ts",
    from: 'const useBeta1 = cycleMomentum && torch === "2.11" && hasBetas(groups);',
    to: "const useBeta1 = false;",
  },
  {
    name: "python312-sum-left-to-right",
    kind: "Python 3.11's sum() for 3.12's",
    file: "schedules/_internal/python.ts",
    from: 'if (python === "3.11") {',
    to: "if (python) {",
  },
  {
    name: "optax-correctly-rounded-cosf",
    kind: "float32 cos rounded from the double (not XLA's glibc cosf)",
    file: "schedules/optax/_jax.ts",
    from: "cos: (x) => libm.cosf(x),",
    to: "cos: (x) => Math.fround(Math.cos(x)),",
  },
  {
    name: "optax-python-arithmetic-in-float32",
    kind: "Python-side `init − end` done in float32",
    file: "schedules/optax/schedule.ts",
    from:
      "const range = jax.float(initValue - endValue); // Python arithmetic, then it meets the array",
    to: "const range = jax.sub(jax.float(initValue), jax.float(endValue));",
  },
  {
    name: "optax-join-no-where-rounding",
    kind: "jnp.where's float32 result not rounded",
    file: "schedules/optax/join.ts",
    from: "return finiteResult(owner, step, jax.float(value));",
    to: "return finiteResult(owner, step, value);",
  },
  {
    name: "timm-multistep-t",
    kind: "drop timm's `t + 1` (decay at the milestone, as torch's MultiStepLR)",
    file: "schedules/timm/multistep_lr.ts",
    from: "return bisectRight(this.decayT, t + 1);",
    to: "return bisectRight(this.decayT, t);",
  },
  {
    name: "timm-step-js-floor",
    kind: "JavaScript's floor(a / b) for Python's a // b",
    file: "schedules/timm/step_lr.ts",
    from: "v * pyPow(owner, this.decayRate, floorDiv(owner, t, this.decayT))",
    to: "v * pyPow(owner, this.decayRate, Math.floor(t / this.decayT))",
  },
  {
    name: "timm-cosine-from-max",
    kind: "algebraically equal rewrite (lrMax − h·(1 − cos))",
    file: "schedules/timm/cosine_lr.ts",
    from: "this.lrMin +\n        0.5 * (lrMax - this.lrMin) *\n          (1 + libm.cos(",
    to: "lrMax -\n        0.5 * (lrMax - this.lrMin) *\n          (1 - libm.cos(",
  },
  {
    name: "timm-noise-factored",
    kind: "algebraically equal rewrite (v · (1 + noise) for v + v · noise)",
    file: "schedules/timm/scheduler.ts",
    from: "return lrs.map((v) => v + v * noise);",
    to: "return lrs.map((v) => v * (1 + noise));",
  },
  {
    name: "torch-randn-no-cache",
    kind: "drop the cached second Box–Muller normal",
    file: "schedules/torch/generator.ts",
    from: "this.#nextDoubleNormal = r * libm.sin(theta);",
    to: "this.#nextDoubleNormal = undefined;",
  },
];

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DENO = join(ROOT, "node_modules/.bin/deno");

function run(cwd: string, args: string[]): { ok: boolean; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(DENO, args, {
    cwd,
    stdio: "ignore",
    env: { ...process.env, LRSPEC_PROP_RUNS: "200" },
  });
  return { ok: r.status === 0, ms: performance.now() - t0 };
}

/** The suites each mutant is run against. */
const SUITES: Record<string, string[]> = {
  conformance: [
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "conformance/cli.ts",
    "conformance",
    "--quiet",
    "--json",
    "mutant-report.json",
  ],
  tests: ["test", "--allow-read", "--allow-env", "--no-check", "schedules/"],
};

function main(): number {
  const only = process.argv.includes("--only")
    ? process.argv[process.argv.indexOf("--only") + 1]
    : undefined;
  const jsonOut = process.argv.includes("--json")
    ? process.argv[process.argv.indexOf("--json") + 1]
    : undefined;
  const scratch = mkdtempSync(join(tmpdir(), "lrspec-mutants-"));
  const results: { mutant: Mutant; killedBy: string[] }[] = [];
  try {
    cpSync(ROOT, scratch, {
      recursive: true,
      filter: (src) =>
        !/\/(node_modules|\.git|conformance\/report)(\/|$)/.test(src.slice(ROOT.length - 1)),
    });
    symlinkSync(join(ROOT, "node_modules"), join(scratch, "node_modules"));
    for (const suite of Object.keys(SUITES)) {
      if (!run(scratch, SUITES[suite]!).ok) {
        throw new Error(`the unmutated ${suite} suite fails: fix that first`);
      }
    }
    for (const mutant of MUTANTS.filter((m) => !only || m.name === only)) {
      const path = join(scratch, mutant.file);
      const original = readFileSync(path, "utf8");
      const count = original.split(mutant.from).length - 1;
      if (count !== 1) {
        throw new Error(
          `${mutant.name}: expected the text once in ${mutant.file}, found ${count} times`,
        );
      }
      writeFileSync(path, original.replace(mutant.from, mutant.to));
      const killedBy = Object.keys(SUITES).filter((suite) => !run(scratch, SUITES[suite]!).ok);
      writeFileSync(path, original);
      results.push({ mutant, killedBy });
      console.log(
        `${killedBy.length ? "killed  " : "SURVIVED"} ${mutant.name.padEnd(32)} ${
          mutant.kind.padEnd(52)
        } ${killedBy.join(", ") || "-"}`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1) + "\n");
  const survivors = results.filter((r) => r.killedBy.length === 0);
  console.log(`${results.length - survivors.length} of ${results.length} mutants killed`);
  return survivors.length === 0 ? 0 : 1;
}

if ((import.meta as { main?: boolean }).main) process.exitCode = main();

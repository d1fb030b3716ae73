/**
 * Shows that the test suites can fail: applies deliberate one-line mutations to the ports, one at
 * a time, in a scratch copy of the repository, and runs against each the golden suites and the
 * unit and property tests of the family it mutates ({@linkcode scopeOf}: a torch mutant meets
 * the torch suites and tests, and those of the families built on torch). Every mutant must be
 * killed (one of them must fail); a surviving mutant fails this script. Two workers, each with
 * its own scratch copy, share the mutants.
 *
 * Usage: deno run -A scripts/mutants.ts [--only NAME] [--json FILE] [--workers N] [--ci]
 * [--record-killers]
 *
 * By default every mutant meets both its golden suites and its tests, and the report says which of
 * the two killed it (the full campaign, `deno task mutants`). `--ci` (what `npm test` runs) stops
 * at the first killer — the golden suites first, then, for a mutant they miss, the test folders
 * one by one, the mutated file's own first — and skips the check that the unmutated tree passes,
 * because `npm test` has just run every suite and test on it. It proves the same thing (every
 * mutant killed) for less CPU; the README's "Mutation check" gives both runs' times.
 *
 * `--ci` first tries the mutant's recorded killer (`scripts/mutants_killers.json`: one golden
 * suite, `suite:NAME`, or one test file), so most mutants cost one short run. A recorded killer that
 * no longer kills its mutant is not trusted: the search above runs, and the report says so (the
 * mutant still counts as killed when the search kills it). `--record-killers` rewrites that file:
 * for every mutant, the first golden suite, else the first test file (its own folder first), that
 * fails on it, each run alone.
 *
 * @module
 */

import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { SUITES } from "../conformance/suites.ts";

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
    from: "const epochNum = Math.trunc((where + WHERE_EPSILON) * numUpdates);",
    to: "const epochNum = Math.trunc(where * numUpdates);",
  },
  {
    name: "step-no-epsilon",
    kind: "drop WHERE_EPSILON",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "return Math.trunc((where + WHERE_EPSILON) * length);",
    to: "return Math.trunc(where * length);",
  },
  {
    name: "constant-gt",
    kind: "`>` for `>=`",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "return where >= 1.0;",
    to: "return where > 1.0;",
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
    from: "return endValue * where + startValue * (1 - where);",
    to: "return startValue + (endValue - startValue) * where;",
  },
  {
    name: "cosine-from-start",
    kind: "algebraically equal rewrite (start − h·(1 − cos))",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "return endValue + halfRange * (1 + cos(Math.PI * where));",
    to: "return endValue + 2 * halfRange - halfRange * (1 - cos(Math.PI * where));",
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
  // The fast path: the engine (fast/_runs.ts, fast/cursor.ts) and the plans the ports carry.
  {
    name: "engine-plan-at-unchecked",
    kind: "use a plan that does not describe the scheduler's at()",
    file: "schedules/fast/_runs.ts",
    from: 'if (at !== s.at || typeof resolve !== "function") return OPAQUE_NODE;',
    to: 'if (typeof resolve !== "function") return OPAQUE_NODE;',
  },
  {
    name: "engine-monotone-claimed",
    kind: "drop a monotone check",
    file: "schedules/fast/_runs.ts",
    from: "monotone: piece.monotone === true,",
    to: "monotone: true,",
  },
  {
    name: "engine-formula-nonfinite-kept",
    kind: "write a formula's non-finite value instead of calling at()",
    file: "schedules/fast/_runs.ts",
    from: "out[k] = v - v === 0 ? v : scheduler.at(j / n);",
    to: "out[k] = v;",
  },
  {
    name: "engine-fill-minus-zero",
    kind: "turn iteration -0 into 0 (i + 0)",
    file: "schedules/fast/_runs.ts",
    from: "for (let k = fill(out, a, b, i, n);",
    to: "for (let k = fill(out, a, b, i + 0, n);",
  },
  {
    name: "engine-nonfinite-where-to-piece",
    kind: "pass a non-finite mapped where to a piece function",
    file: "schedules/fast/_runs.ts",
    from: "piece: (w) => (w - w !== 0 ? (w > 0 ? Infinity : -Infinity) : piece(w)),",
    to: "piece: (w) => piece(w),",
  },
  {
    name: "engine-identity-stage",
    kind: "skip a stage's map when only its length is 1",
    file: "schedules/fast/_runs.ts",
    from: "return start === 0 && length === 1 ? child",
    to: "return length === 1 ? child",
  },
  {
    name: "cursor-run-monotone-dropped",
    kind: "report only constant runs as monotone",
    file: "schedules/fast/cursor.ts",
    from: "monotone: run.monotone,",
    to: "monotone: run.constant,",
  },
  {
    name: "plan-smooth-piece-lt",
    kind: "`<` for `<=` in a piece function",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "piece: (where) => (where < 0 ? -1 : where <= 1 ? 0 : 1),",
    to: "piece: (where) => (where < 0 ? -1 : where < 1 ? 0 : 1),",
  },
  {
    name: "plan-step-out-of-range-value",
    kind: "a value piece where at() raises (IndexError)",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "return ind < 0 ? OPAQUE : valuePiece(values[ind]!);",
    to: "return valuePiece(values[ind < 0 ? 0 : ind]!);",
  },
  {
    name: "plan-composite-fixed-rescaled",
    kind: "describe a fixed segment as rescaled",
    file: "schedules/fvcore/param_scheduler.ts",
    from: 'if (!this.#rescaled[i]) return { kind: "stage", schedule, start: 0, length: 1 };',
    to:
      'if (!this.#rescaled[i]) return { kind: "stage", schedule, start: this.#starts[i]!, length: this.#lengths[i]! };',
  },
  // Defaults: each must be pinned by a test that omits the option.
  {
    name: "default-warmup-method",
    kind: "a wrong default",
    file: "schedules/detectron2/lr_scheduler.ts",
    from: 'o.warmupMethod ?? "linear",',
    to: 'o.warmupMethod ?? "constant",',
  },
  {
    name: "default-rescale-interval",
    kind: "a wrong default",
    file: "schedules/detectron2/lr_scheduler.ts",
    from: "o.rescaleInterval ?? false",
    to: "o.rescaleInterval ?? true",
  },
  {
    name: "default-legacy-warmup-iters",
    kind: "a wrong default",
    file: "schedules/detectron2/_legacy.ts",
    from: "o.warmupIters ?? 1000,",
    to: "o.warmupIters ?? 100,",
  },
  {
    name: "default-poly-power",
    kind: "a wrong default",
    file: "schedules/detectron2/deeplab_lr_scheduler.ts",
    from: "o.power ?? 0.9",
    to: "o.power ?? 1",
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
  // torch 1.13 | 2.11 | 2.13 and Python 3.11 | 3.12: each version-specific branch.
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
    from: 'if (torch !== "1.13" && (startFactor > 1.0 || startFactor <= 0)) {',
    to: 'if (torch !== "1.13" && (startFactor > 1.0 || startFactor < 0)) {',
  },
  {
    name: "torch2-strict-zip-dropped",
    kind: "zip to the shorter list in 2.11",
    file: "schedules/torch/optim/lr_scheduler.ts",
    from: 'if (this.#torch !== "1.13" && values.length !== groups.length) {',
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
    name: "torch213-sequential-first-child",
    kind: "2.11's initial step on schedulers[0] for 2.13's bisect_right(milestones, 0)",
    file: "schedules/torch/optim/lr_scheduler_sequential.ts",
    from: 'const first = torch === "2.13" ? bisectRight(milestones, 0) : 0;',
    to: "const first = 0;",
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
    from: 'const useBeta1 = cycleMomentum && torch !== "1.13" && hasBetas(groups);',
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
    name: "megatron-warmup-exclusive",
    kind: "`<` for `<=` (Megatron's warmup test is inclusive)",
    file: "schedules/megatron/core/optimizer_param_scheduler.ts",
    from: "if (warmup > 0 && n <= warmup)",
    to: "if (warmup > 0 && n < warmup)",
  },
  {
    name: "megatron-warmup-ratio-first",
    kind: "algebraically equal rewrite ((max − init) · (n / W) for (max − init) · n / W)",
    file: "schedules/megatron/core/optimizer_param_scheduler.ts",
    from: "return this.initLr + (maxLr - this.initLr) * n / warmup;",
    to: "return this.initLr + (maxLr - this.initLr) * (n / warmup);",
  },
  {
    name: "megatron-skipped-steps",
    kind: "step the scheduler on an unsuccessful update",
    file: "schedules/megatron/training/training.ts",
    from: "else if (skippedUpdates.has(iteration)) skipped[k] = 1;",
    to: "else if (skippedUpdates.has(iteration)) (skipped[k] = 1), scheduler.step(increment);",
  },
  {
    name: "deepspeed-warmup-no-clamp",
    kind: "drop DeepSpeed's max(2, warmup_num_steps)",
    file: "schedules/deepspeed/runtime/lr_schedules.ts",
    from: "this.warmupNumSteps = steps > 2 ? steps : 2;\n    this.warmupType = this.#warmupType",
    to: "this.warmupNumSteps = steps;\n    this.warmupType = this.#warmupType",
  },
  {
    name: "deepspeed-cosine-factored",
    kind: "algebraically equal rewrite (1 − (1 − c)·(1 − cosine) for c + (1 − c)·cosine)",
    file: "schedules/deepspeed/runtime/lr_schedules.ts",
    from: "const ratio = this.cosMinRatio + ratioDelta * cosine;",
    to: "const ratio = 1 - ratioDelta * (1 - cosine);",
  },
  {
    name: "deepspeed-step-on-overflow",
    kind: "step the scheduler on an overflowed fp16 step",
    file: "schedules/deepspeed/runtime/engine.ts",
    from: "      overflow[k] = 1;\n      continue;",
    to: "      overflow[k] = 1;",
  },
  {
    name: "mmengine-linear-total-iters",
    kind: "LinearLR dividing by end − begin (mmengine divides by end − begin − 1)",
    file: "schedules/mmengine/optim/scheduler/param_scheduler.ts",
    from: "this.endFactor = endFactor;\n    this.totalIters = this.end - this.begin - 1;",
    to: "this.endFactor = endFactor;\n    this.totalIters = this.end - this.begin;",
  },
  {
    name: "mmengine-convert-round",
    kind: "rounding begin · epochLength instead of int()",
    file: "schedules/mmengine/optim/scheduler/param_scheduler.ts",
    from: "o.begin = Math.trunc(begin * epochLength);",
    to: "o.begin = Math.round(begin * epochLength);",
  },
  {
    name: "mmengine-scale-pseudo-group",
    kind: "auto_scale_lr scaling the OptimWrapper's pseudo-group too",
    file: "schedules/mmengine/runner/runner.ts",
    from: "for (const group of optimWrapper.optimizer.paramGroups) group.lr = group.lr * ratio;",
    to: "for (const group of optimWrapper.paramGroups) group.lr = group.lr * ratio;",
  },
  {
    name: "keras-jax-unfused-warmup",
    kind: "JAX's compiled lax.cond branch without XLA's fused multiply-add",
    file: "schedules/keras/optimizers/schedules/learning_rate_schedule.ts",
    from: "value = fused ? fmaf(delta, completed, init) : f(f(delta * completed) + init);",
    to: "value = f(f(delta * completed) + init);",
  },
  {
    name: "keras-float-boundary-not-float32",
    kind: "a float boundary truncated from the double (Keras converts it to float32 first)",
    file: "schedules/keras/optimizers/schedules/learning_rate_schedule.ts",
    from: "if (!Number.isInteger(b)) return castToInt32(this.backend, f(b));",
    to: "if (!Number.isInteger(b)) return castToInt32(this.backend, b);",
  },
  {
    name: "keras-plateau-compare-float64",
    kind:
      "ReduceLROnPlateau's ops.less in float64 on every backend (JAX and torch compare float32)",
    file: "schedules/keras/callbacks/reduce_lr_on_plateau.ts",
    from: 'const f32 = this.backend !== "numpy";',
    to: "const f32 = false;",
  },
  {
    name: "mmengine-default-end",
    kind: "default end always max_iters",
    file: "schedules/mmengine/runner/runner.ts",
    from: "cfg.end = (cfg.by_epoch ?? true) ? loop.maxEpochs : loop.maxIters;",
    to: "cfg.end = loop.maxIters;",
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
    from: 'floatPow(owner, this.decayRate, floorDiv(owner, t, this.decayT, "timm"), "timm")',
    to: 'floatPow(owner, this.decayRate, Math.floor(t / this.decayT), "timm")',
  },
  {
    name: "timm-cosine-from-max",
    kind: "algebraically equal rewrite (lrMax − h·(1 − cos))",
    file: "schedules/timm/cosine_lr.ts",
    from:
      "this.lrMin +\n        0.5 * (lrMax - this.lrMin) *\n          (1 +\n            libm.cos(",
    to: "lrMax -\n        0.5 * (lrMax - this.lrMin) *\n          (1 -\n            libm.cos(",
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
  // Issue 26: mistakes that survived every test before, each now killed by a test of its own.
  {
    name: "greedy-json-best-min",
    kind: "a JSON `null` best restored as min mode's worst in every mode",
    file: "schedules/hf/optimization.ts",
    from:
      'this.best = best === null ? (this.mode === "min" ? Infinity : -Infinity) : best as number;',
    to: "this.best = best === null ? Infinity : best as number;",
  },
  {
    name: "plateau-json-best-min",
    kind: "a JSON `null` best restored as min mode's worst in every mode",
    file: "schedules/torch/optim/lr_scheduler_plateau.ts",
    from: "if (best === null) this.best = this.modeWorse;",
    to: "if (best === null) this.best = Infinity;",
  },
  {
    name: "greedy-reset-keeps-window",
    kind: "a reset that keeps the smoothing window",
    file: "schedules/hf/optimization.ts",
    from:
      "      this._streamingAvg = new StreamingAverage(this.windowSize);\n    }\n    if (this.verbose)",
    to: "      this._streamingAvg = this._streamingAvg;\n    }\n    if (this.verbose)",
  },
  {
    name: "hf-kwargs-every-dot",
    kind: '`replaceAll` for Python\'s `replace(".", "", 1)`',
    file: "schedules/hf/training_args.ts",
    from: 'else if (/^[0-9]+$/.test(v.replace(".", ""))) out[key] = Number(v);',
    to: 'else if (/^[0-9]+$/.test(v.replaceAll(".", ""))) out[key] = Number(v);',
  },
  {
    name: "torch-seed-number-wraps",
    kind: "a plain-number seed wrapped modulo 2^64 instead of refused",
    file: "schedules/torch/generator.ts",
    from: 'else if (typeof seed === "number" && Number.isInteger(seed)) s = BigInt(seed);',
    to:
      'else if (typeof seed === "number" && Number.isInteger(seed)) s = BigInt(seed) % 2n ** 64n;',
  },
  {
    name: "fast-scale-constant-runs",
    kind: "`scale` forgotten on constant stretches",
    file: "schedules/fast/_runs.ts",
    from: "out.fill(scale === undefined ? run.value : scale * run.value, a, b);",
    to: "out.fill(run.value, a, b);",
  },
  {
    name: "timm-noise-unbounded",
    kind: "normal noise accepted however many draws it needs",
    file: "schedules/timm/scheduler.ts",
    from: "if (expected > MAX_EXPECTED_NOISE_DRAWS) {",
    to: "if (expected > Infinity) {",
  },
];

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DENO = join(ROOT, "node_modules/.bin/deno");

function runSync(cwd: string, args: string[]): boolean {
  const r = spawnSync(DENO, args, {
    cwd,
    stdio: "ignore",
    env: { ...process.env, LRSPEC_PROP_RUNS: "200" },
  });
  return r.status === 0;
}

function run(cwd: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(DENO, args, {
      cwd,
      stdio: "ignore",
      env: { ...process.env, LRSPEC_PROP_RUNS: "200" },
    });
    child.on("close", (code) => resolve(code === 0));
    child.on("error", () => resolve(false));
  });
}

/** The golden suites (conformance/report.ts) and test paths that a mutant of a family meets. */
interface Scope {
  /** Conformance suites. */
  suites: readonly string[];
  /** Test files and folders (relative to the repository root). */
  tests: readonly string[];
}

const DETECTRON2: Scope = {
  suites: ["detectron2", "detectron2-py3.12", "configs", "configs-py3.12"],
  tests: ["schedules/fvcore/", "schedules/fast/", "schedules/detectron2/"],
};

/**
 * What a mutant of `file` is run against: its family's golden suites and tests, and those of the
 * families that build on it (detectron2 on fvcore and the fast path; hf and timm on torch);
 * everything for the files every family shares.
 */
function scopeOf(file: string): Scope {
  const family = /^schedules\/([a-z0-9]+)\//.exec(file)?.[1];
  switch (family) {
    case "fvcore":
    case "fast":
    case "detectron2":
      return DETECTRON2;
    case "torch":
      return file.startsWith("schedules/torch/generator")
        ? { suites: ["timm"], tests: ["schedules/torch/", "schedules/timm/"] }
        : {
          suites: ["torch", "torch-2.11", "torch-2.13", "hf", "timm"],
          tests: ["schedules/torch/", "schedules/hf/", "schedules/timm/"],
        };
    case "hf":
      return { suites: ["hf"], tests: ["schedules/hf/"] };
    case "timm":
      return { suites: ["timm"], tests: ["schedules/timm/"] };
    case "optax":
      return { suites: ["optax"], tests: ["schedules/optax/", "schedules/math_float32_test.ts"] };
    case "megatron":
      return { suites: ["megatron"], tests: ["schedules/megatron/"] };
    case "deepspeed":
      return { suites: ["deepspeed"], tests: ["schedules/deepspeed/"] };
    case "mmengine":
      return { suites: ["mmengine"], tests: ["schedules/mmengine/"] };
    case "keras":
      return { suites: ["keras"], tests: ["schedules/keras/"] };
    default:
      return { suites: [], tests: ["schedules/"] }; // shared code: every suite, every test
  }
}

function conformanceArgs(suites: readonly string[], out: string): string[] {
  return [
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--no-check", // types are checked once, by `deno task check`
    "conformance/cli.ts",
    "conformance",
    ...suites.flatMap((s) => ["--suite", s]),
    "--quiet",
    "--json",
    out,
  ];
}

function testArgs(tests: readonly string[]): string[] {
  return ["test", "--allow-read", "--allow-env", "--no-check", ...tests];
}

/** Every golden suite, for a mutant of code every family shares. */
const ALL_SUITES: readonly string[] = Object.keys(SUITES);

/** The recorded first killers: mutant name → `suite:NAME` or a test file. */
const KILLERS_FILE = join(ROOT, "scripts/mutants_killers.json");

/** The recorded first killers (`scripts/mutants_killers.json`). */
export function readKillers(): Record<string, string> {
  return existsSync(KILLERS_FILE)
    ? JSON.parse(readFileSync(KILLERS_FILE, "utf8")) as Record<string, string>
    : {};
}

/** The `*_test.ts` files under a test path (a file or a folder), sorted. */
function testFiles(path: string): string[] {
  const abs = join(ROOT, path);
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith("_test.ts"))
    .map((f) => join(path, f))
    .sort();
}

/** Runs one recorded killer (`suite:NAME` or a test file): whether it failed (killed). */
async function kills(scratch: string, killer: string): Promise<boolean> {
  return killer.startsWith("suite:")
    ? !(await run(scratch, conformanceArgs([killer.slice(6)], "mutant-report.json")))
    : !(await run(scratch, testArgs([killer])));
}

/** Every suite, then every test file, that a mutant of `file` meets, one at a time, nearest first. */
function candidates(file: string): string[] {
  const scope = scopeOf(file);
  const near = (t: string) => file.startsWith(t) ? 0 : 1;
  return [
    ...(scope.suites.length > 0 ? scope.suites : ALL_SUITES).map((s) => `suite:${s}`),
    ...[...scope.tests].sort((a, b) => near(a) - near(b)).flatMap(testFiles),
  ];
}

/** Applies a mutant in a scratch copy for the duration of `body`. */
async function mutated<T>(scratch: string, mutant: Mutant, body: () => Promise<T>): Promise<T> {
  const path = join(scratch, mutant.file);
  const original = readFileSync(path, "utf8");
  const count = original.split(mutant.from).length - 1;
  if (count !== 1) {
    throw new Error(
      `${mutant.name}: expected the text once in ${mutant.file}, found ${count} times`,
    );
  }
  writeFileSync(path, original.replace(mutant.from, mutant.to));
  try {
    return await body();
  } finally {
    writeFileSync(path, original);
  }
}

function scratchCopy(): string {
  const scratch = mkdtempSync(join(tmpdir(), "lrspec-mutants-"));
  cpSync(ROOT, scratch, {
    recursive: true,
    filter: (src) =>
      !/\/(node_modules|\.git|conformance\/report|site\/dist|dist|\.tmp)(\/|$)/.test(
        src.slice(ROOT.length - 1),
      ),
  });
  symlinkSync(join(ROOT, "node_modules"), join(scratch, "node_modules"));
  return scratch;
}

async function killers(
  scratch: string,
  mutant: Mutant,
  firstOnly: boolean,
  recorded?: string,
): Promise<string[]> {
  return await mutated(scratch, mutant, async () => {
    if (firstOnly && recorded !== undefined && await kills(scratch, recorded)) return [recorded];
    const scope = scopeOf(mutant.file);
    const killedBy: string[] = [];
    if (!(await run(scratch, conformanceArgs(scope.suites, "mutant-report.json")))) {
      killedBy.push("conformance");
      if (firstOnly) return killedBy;
    }
    if (!firstOnly) {
      if (!(await run(scratch, testArgs(scope.tests)))) killedBy.push("tests");
      return killedBy;
    }
    // One path at a time, the mutated file's own folder first: the first failing one kills it.
    const near = (t: string) => mutant.file.startsWith(t) ? 0 : 1;
    for (const tests of [...scope.tests].sort((a, b) => near(a) - near(b))) {
      if (!(await run(scratch, testArgs([tests])))) return [...killedBy, "tests"];
    }
    return killedBy;
  });
}

/** The first suite or test file that kills a mutant, each run alone (`--record-killers`). */
async function firstKiller(scratch: string, mutant: Mutant): Promise<string | undefined> {
  return await mutated(scratch, mutant, async () => {
    for (const killer of candidates(mutant.file)) {
      if (await kills(scratch, killer)) return killer;
    }
    return undefined;
  });
}

async function main(): Promise<number> {
  const arg = (name: string) =>
    process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
  const only = arg("--only");
  const jsonOut = arg("--json");
  const workers = Number(arg("--workers") ?? 2);
  const ci = process.argv.includes("--ci");
  const record = process.argv.includes("--record-killers");
  const recorded = readKillers();
  const mutants = MUTANTS.filter((m) => !only || m.name === only);
  const scratches = Array.from(
    { length: Math.max(1, Math.min(workers, mutants.length)) },
    scratchCopy,
  );
  const results: { mutant: Mutant; killedBy: string[] }[] = [];
  try {
    // The unmutated tree must pass everything the mutants will be run against (under --ci, the
    // suites and tests `npm test` ran just before this script have shown it).
    if (!ci && !runSync(scratches[0]!, conformanceArgs([], "mutant-report.json"))) {
      throw new Error("the unmutated conformance suite fails: fix that first");
    }
    if (!ci && !runSync(scratches[0]!, testArgs(["schedules/"]))) {
      throw new Error("the unmutated tests fail: fix that first");
    }
    let next = 0;
    if (record) {
      const found: Record<string, string> = only ? { ...recorded } : {};
      await Promise.all(scratches.map(async (scratch) => {
        while (next < mutants.length) {
          const mutant = mutants[next++]!;
          const killer = await firstKiller(scratch, mutant);
          if (killer !== undefined) found[mutant.name] = killer;
          console.log(`${mutant.name.padEnd(32)} ${killer ?? "SURVIVED"}`);
          results.push({ mutant, killedBy: killer === undefined ? [] : [killer] });
        }
      }));
      const sorted = Object.fromEntries(
        MUTANTS.filter((m) => found[m.name] !== undefined).map((m) => [m.name, found[m.name]!]),
      );
      writeFileSync(KILLERS_FILE, JSON.stringify(sorted, null, 2) + "\n");
      console.log(`recorded ${Object.keys(sorted).length} killers in ${KILLERS_FILE}`);
      return results.some((r) => r.killedBy.length === 0) ? 1 : 0;
    }
    await Promise.all(scratches.map(async (scratch) => {
      while (next < mutants.length) {
        const mutant = mutants[next++]!;
        const hint = recorded[mutant.name];
        const killedBy = await killers(scratch, mutant, ci, hint);
        if (ci && hint !== undefined && killedBy[0] !== hint) {
          console.log(
            `note: ${mutant.name} was not killed by its recorded killer ${hint} ` +
              `(deno task mutants --record-killers --only ${mutant.name} updates it)`,
          );
        }
        results.push({ mutant, killedBy });
        console.log(
          `${killedBy.length ? "killed  " : "SURVIVED"} ${mutant.name.padEnd(32)} ${
            mutant.kind.padEnd(52)
          } ${killedBy.join(", ") || "-"}`,
        );
      }
    }));
  } finally {
    for (const scratch of scratches) rmSync(scratch, { recursive: true, force: true });
  }
  results.sort((a, b) => MUTANTS.indexOf(a.mutant) - MUTANTS.indexOf(b.mutant));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1) + "\n");
  const survivors = results.filter((r) => r.killedBy.length === 0);
  console.log(`${results.length - survivors.length} of ${results.length} mutants killed`);
  return survivors.length === 0 ? 0 : 1;
}

if ((import.meta as { main?: boolean }).main) process.exitCode = await main();

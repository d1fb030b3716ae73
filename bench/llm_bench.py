#!/usr/bin/env python3
"""Times Megatron-core's and DeepSpeed's own schedulers, for the llm section of `deno task bench`.

Measures, on this machine, per call, as the training loops call them:
  - Megatron `OptimizerParamScheduler.step(increment)` (cosine, 1 group; WSD, Megatron's 3 groups);
  - DeepSpeed `WarmupLR.step()`, `WarmupDecayLR.step()`, `WarmupCosineLR.step()`,
    `OneCycle.step()` (Adam: rate and betas), 1 group.

Both modules load from source by file path with one logging stub each (as the fixture
generators do: `megatron.core.utils.log_single_rank`, `deepspeed.utils.logger`).
Prints one JSON object on stdout; {"skipped": "<why>"} (exit 0) without torch or the sources.

Usage: LRSPEC_MEGATRON=<Megatron-LM checkout> LRSPEC_DEEPSPEED=<DeepSpeed checkout> \
       python3 bench/llm_bench.py [--long]
"""

import importlib.util
import json
import logging
import os
import platform
import statistics
import sys
import time
import types


def skipped(reason):
    print(json.dumps({"skipped": reason}))
    sys.exit(0)


try:
    import torch
except Exception as e:  # noqa: BLE001
    skipped(f"{sys.executable} has no torch ({type(e).__name__}: {e})")

MEGATRON = os.environ.get("LRSPEC_MEGATRON", "/tmp/megatron")
DEEPSPEED = os.environ.get("LRSPEC_DEEPSPEED", "/tmp/deepspeed")


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


try:
    utils = types.ModuleType("megatron.core.utils")
    utils.log_single_rank = lambda logger, level, msg: None
    sys.modules.setdefault("megatron", types.ModuleType("megatron"))
    sys.modules["megatron.core"] = types.ModuleType("megatron.core")
    sys.modules["megatron.core.utils"] = utils
    M = load("optimizer_param_scheduler",
             os.path.join(MEGATRON, "megatron/core/optimizer_param_scheduler.py"))
    dutils = types.ModuleType("deepspeed.utils")
    dutils.logger = logging.getLogger("deepspeed-stub")
    dutils.logger.disabled = True
    sys.modules.setdefault("deepspeed", types.ModuleType("deepspeed"))
    sys.modules["deepspeed.utils"] = dutils
    D = load("lr_schedules", os.path.join(DEEPSPEED, "deepspeed/runtime/lr_schedules.py"))
except Exception as e:  # noqa: BLE001
    skipped(f"Megatron-LM / DeepSpeed sources not importable ({type(e).__name__}: {e}); "
            "set LRSPEC_MEGATRON and LRSPEC_DEEPSPEED")

LONG = "--long" in sys.argv
REPEATS = 7 if LONG else 5
CALLS = 20_000 if LONG else 10_000


def per_op(fn, ops):
    fn()
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - t0) / ops)
    return statistics.median(samples), min(samples)


def adamw(groups):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in groups]
    return torch.optim.AdamW([{"params": [p], **g} for p, g in zip(params, groups)], lr=1e-3)


def bench_megatron(make, increment):
    s = make()

    def run():
        s.num_steps = 0
        for _ in range(CALLS):
            s.step(increment)

    return per_op(run, CALLS)


def bench_deepspeed(make):
    s = make()

    def run():
        s.last_batch_iteration = -1
        for _ in range(CALLS):
            s.step()

    return per_op(run, CALLS)


def main():
    results = {}

    def record(key, what, median_min):
        results[key] = {"what": what, "medianNs": median_min[0], "minNs": median_min[1]}

    base = dict(init_lr=0.0, max_lr=3e-4, min_lr=3e-5, lr_warmup_steps=512 * 500,
                lr_decay_steps=512 * CALLS, start_wd=0.1, end_wd=0.1,
                wd_incr_steps=512 * CALLS, wd_incr_style="constant")
    record("megatron_cosine_1", "OptimizerParamScheduler(cosine).step(512), 1 group",
           bench_megatron(lambda: M.OptimizerParamScheduler(adamw([{"lr": 0.0}]),
                                                            lr_decay_style="cosine", **base), 512))
    groups = [{"lr": 0.0, "max_lr": 3e-4, "min_lr": 3e-5, "wd_mult": 1.0},
              {"lr": 0.0, "max_lr": 1e-4, "min_lr": 1e-6, "wd_mult": 1.0},
              {"lr": 0.0, "max_lr": 3e-4, "min_lr": 3e-5, "wd_mult": 0.0}]
    record("megatron_wsd_3", "OptimizerParamScheduler(WSD linear).step(512), Megatron's 3 groups",
           bench_megatron(lambda: M.OptimizerParamScheduler(
               adamw(groups), lr_decay_style="WSD", wsd_decay_steps=512 * CALLS // 5,
               lr_wsd_decay_style="linear", **base), 512))
    record("ds_warmuplr_1", "WarmupLR(log warmup).step(), 1 group",
           bench_deepspeed(lambda: D.WarmupLR(adamw([{"lr": 1e-3}]), warmup_num_steps=CALLS // 2)))
    record("ds_warmupdecaylr_1", "WarmupDecayLR.step(), 1 group",
           bench_deepspeed(lambda: D.WarmupDecayLR(adamw([{"lr": 1e-3}]), total_num_steps=CALLS,
                                                   warmup_num_steps=CALLS // 10)))
    record("ds_warmupcosinelr_1", "WarmupCosineLR.step(), 1 group",
           bench_deepspeed(lambda: D.WarmupCosineLR(adamw([{"lr": 1e-3}]), total_num_steps=CALLS,
                                                    warmup_num_steps=CALLS // 10)))
    record("ds_onecycle_1", "OneCycle.step() (rate and betas), 1 group",
           bench_deepspeed(lambda: D.OneCycle(adamw([{"lr": 1e-3}]), cycle_min_lr=1e-4,
                                              cycle_max_lr=1e-3, cycle_first_step_size=CALLS // 2)))
    print(json.dumps({"python": platform.python_version(), "torch": torch.__version__,
                      "results": results}))


if __name__ == "__main__":
    main()

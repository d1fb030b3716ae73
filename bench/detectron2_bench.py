#!/usr/bin/env python3
"""Times upstream's own scheduler code, for the speed-up ratios of `deno task bench`.

Measures, on this machine:
  - detectron2 `build_lr_scheduler(cfg, optimizer).step()` with 4 param groups (1x multistep with
    warmup, and cosine with warmup; MAX_ITER 90k), as detectron2's trainer calls it;
  - fvcore `ParamScheduler.__call__(where)` (MultiStep 1x, Cosine, WarmupParamScheduler 1x);
  - torch `StepLR.step()` (1 param group).

Prints one JSON object on stdout. When python3 lacks torch or the upstream sources are not on
PYTHONPATH, prints {"skipped": "<why>"} and exits 0 (CI has no torch).

Usage: PYTHONPATH=<detectron2>:<fvcore>:<yacs>:<iopath>:<stubs> python3 bench/detectron2_bench.py [--long]
"""

import json
import platform
import statistics
import sys
import time
import warnings


def skipped(reason):
    print(json.dumps({"skipped": reason}))
    sys.exit(0)


try:
    import torch
except Exception as e:  # noqa: BLE001 - any import failure means "not available here"
    skipped(f"python3 has no torch ({type(e).__name__}: {e})")

try:
    import fvcore
    from detectron2.config import get_cfg
    from detectron2.solver import build_lr_scheduler
    from fvcore.common.param_scheduler import (
        CosineParamScheduler,
        MultiStepParamScheduler,
    )
    from detectron2.solver.lr_scheduler import WarmupParamScheduler
except Exception as e:  # noqa: BLE001
    skipped(f"detectron2/fvcore sources not importable ({type(e).__name__}: {e}); set PYTHONPATH")

LONG = "--long" in sys.argv
REPEATS = 7 if LONG else 5
MAX_ITER = 90_000


def per_op(fn, ops):
    """Runs fn() REPEATS times; returns (median, min) nanoseconds per op."""
    fn()  # warm up
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - t0) / ops)
    return statistics.median(samples), min(samples)


def optimizer(groups):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(groups)]
    opt = torch.optim.SGD(
        [{"params": [p], "lr": 0.02 * (i + 1)} for i, p in enumerate(params)], lr=0.02, momentum=0.9
    )
    opt.step()  # torch warns when scheduler.step() comes before any optimizer.step()
    return opt


def d2_cfg(name):
    cfg = get_cfg()
    cfg.SOLVER.LR_SCHEDULER_NAME = name
    cfg.SOLVER.BASE_LR = 0.02
    cfg.SOLVER.STEPS = (60000, 80000)
    cfg.SOLVER.MAX_ITER = MAX_ITER
    return cfg


def bench_d2_step(name, groups):
    steps = 20_000 if LONG else 10_000
    holder = {}

    def fresh():
        holder["s"] = build_lr_scheduler(d2_cfg(name), optimizer(groups))

    fresh()

    def run():
        s = holder["s"]
        if s.last_epoch + steps >= MAX_ITER:  # stay inside the schedule (multistep raises past it)
            fresh()
            s = holder["s"]
        step = s.step
        for _ in range(steps):
            step()

    return per_op(run, steps)


def bench_call(sched):
    wheres = [((i * 7919) % 1000) / 1000 for i in range(1000)]
    rounds = 40 if LONG else 20

    def run():
        for _ in range(rounds):
            for w in wheres:
                sched(w)

    def empty():
        f = lambda w: 0.0  # noqa: E731
        for _ in range(rounds):
            for w in wheres:
                f(w)

    raw = per_op(run, rounds * len(wheres))
    loop = per_op(empty, rounds * len(wheres))
    return raw, loop


def bench_steplr():
    steps = 20_000 if LONG else 10_000
    holder = {}

    def fresh():
        opt = optimizer(1)
        holder["s"] = torch.optim.lr_scheduler.StepLR(opt, step_size=30000, gamma=0.1)

    fresh()

    def run():
        s = holder["s"]
        if s.last_epoch + steps >= MAX_ITER:
            fresh()
            s = holder["s"]
        step = s.step
        for _ in range(steps):
            step()

    return per_op(run, steps)


def main():
    warnings.simplefilter("ignore")
    import logging

    logging.disable(logging.WARNING)
    results = {}

    def record(key, what, median_min, loop=None):
        median, best = median_min
        entry = {"what": what, "medianNs": median, "minNs": best}
        if loop is not None:
            entry["loopOverheadNs"] = loop[0]
            entry["netMedianNs"] = median - loop[0]
        results[key] = entry

    record(
        "detectron2_step_multistep_4groups",
        "detectron2 build_lr_scheduler(1x WarmupMultiStepLR, 4 groups).step()",
        bench_d2_step("WarmupMultiStepLR", 4),
    )
    record(
        "detectron2_step_multistep_1group",
        "detectron2 build_lr_scheduler(1x WarmupMultiStepLR, 1 group).step()",
        bench_d2_step("WarmupMultiStepLR", 1),
    )
    record(
        "detectron2_step_cosine_4groups",
        "detectron2 build_lr_scheduler(WarmupCosineLR, 4 groups).step()",
        bench_d2_step("WarmupCosineLR", 4),
    )
    ms = MultiStepParamScheduler(values=[1.0, 0.1, 0.01], milestones=[60000, 80000], num_updates=MAX_ITER)
    raw, loop = bench_call(ms)
    record("fvcore_call_multistep", "fvcore MultiStepParamScheduler(1x).__call__(where)", raw, loop)
    cos = CosineParamScheduler(1.0, 0.0)
    raw, loop = bench_call(cos)
    record("fvcore_call_cosine", "fvcore CosineParamScheduler(1, 0).__call__(where)", raw, loop)
    warm = WarmupParamScheduler(ms, 0.001, 1000 / MAX_ITER)
    raw, loop = bench_call(warm)
    record("fvcore_call_warmup_multistep", "detectron2 WarmupParamScheduler(1x).__call__(where)", raw, loop)
    record("torch_steplr_step", "torch StepLR(step_size=30000).step(), 1 group", bench_steplr())

    import detectron2

    print(
        json.dumps(
            {
                "python": platform.python_version(),
                "implementation": platform.python_implementation(),
                "torch": torch.__version__,
                "detectron2": getattr(detectron2, "__version__", "?"),
                "fvcore": getattr(fvcore, "__version__", "?"),
                "repeats": REPEATS,
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()

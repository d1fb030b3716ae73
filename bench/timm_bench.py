#!/usr/bin/env python3
"""Times timm's own schedulers, for the timm section of `deno task bench`.

Measures, on this machine, per call, as timm's train.py calls them:
  - `CosineLRScheduler.step(epoch)` (warmup, 1 and 4 param groups), `.step_update(n)` per update;
  - `TanhLRScheduler`, `PolyLRScheduler`, `StepLRScheduler`, `MultiStepLRScheduler` `.step(epoch)`;
  - `PlateauLRScheduler.step(epoch, metric)`;
  - `CosineLRScheduler.step(epoch)` with noise at every epoch (a torch.Generator per call);
  - `torch.Generator().manual_seed(s)` + `torch.randn(1, generator=g).item()`.

Prints one JSON object on stdout; {"skipped": "<why>"} (exit 0) without torch or timm.
timm: an installed timm, or its source on PYTHONPATH (only timm.scheduler is imported; without
torchvision the package is entered without running timm/__init__.py).

Usage: PYTHONPATH=<timm checkout> python3 bench/timm_bench.py [--long]
"""

import json
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
except Exception as e:  # noqa: BLE001 - any import failure means "not available here"
    skipped(f"python3 has no torch ({type(e).__name__}: {e})")

try:
    try:
        import timm  # noqa: F401

        version = timm.__version__
    except ImportError:
        for name in [m for m in sys.modules if m == "timm" or m.startswith("timm.")]:
            del sys.modules[name]
        src = next(d for d in sys.path if d and os.path.isfile(os.path.join(d, "timm", "scheduler", "__init__.py")))
        pkg = types.ModuleType("timm")
        pkg.__path__ = [os.path.join(src, "timm")]
        sys.modules["timm"] = pkg
        scope = {}
        with open(os.path.join(src, "timm", "version.py")) as f:
            exec(f.read(), scope)
        version = scope["__version__"]
    from timm.scheduler import (
        CosineLRScheduler,
        MultiStepLRScheduler,
        PlateauLRScheduler,
        PolyLRScheduler,
        StepLRScheduler,
        TanhLRScheduler,
    )
except Exception as e:  # noqa: BLE001
    skipped(f"timm's source not importable ({type(e).__name__}: {e}); set PYTHONPATH")

LONG = "--long" in sys.argv
REPEATS = 7 if LONG else 5
CALLS = 20_000 if LONG else 10_000


def per_op(fn, ops):
    """Runs fn() REPEATS times; returns (median, min) nanoseconds per op."""
    fn()
    samples = []
    for _ in range(REPEATS):
        t0 = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - t0) / ops)
    return statistics.median(samples), min(samples)


def optimizer(groups):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in range(groups)]
    return torch.optim.SGD([{"params": [p], "lr": 0.1} for p in params], lr=0.1, momentum=0.9)


def bench_step(make, period, calls=CALLS, metric=None, update=False):
    """`s.step(t)` (or `s.step_update(t)`) for t spread over 0 … period − 1."""
    s = make()
    ts = [(t * 7919) % period for t in range(calls)]  # spread over the whole schedule

    def run():
        step = s.step_update if update else s.step
        if metric is None:
            for t in ts:
                step(t)
        else:
            for t in ts:
                step(t, metric(t))

    def empty():
        f = lambda t: None  # noqa: E731
        for t in ts:
            f(t)

    return per_op(run, calls), per_op(empty, calls)


def bench_generator(calls=CALLS // 4):
    def run():
        for s in range(calls):
            g = torch.Generator()
            g.manual_seed(42 + s)
            torch.randn(1, generator=g).item()

    return per_op(run, calls)


def main():
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    results = {}

    def record(key, what, median_min, loop=None):
        median, best = median_min
        entry = {"what": what, "medianNs": median, "minNs": best}
        if loop is not None:
            entry["loopOverheadNs"] = loop[0]
            entry["netMedianNs"] = median - loop[0]
        results[key] = entry

    cos = dict(t_initial=300, warmup_t=5, warmup_lr_init=1e-5)
    for key, what, make, period, kw in [
        ("cosine_step_1", "CosineLRScheduler(300 epochs, warmup 5).step(epoch), 1 group",
         lambda: CosineLRScheduler(optimizer(1), **cos), 310, {}),
        ("cosine_step_4", "CosineLRScheduler(300 epochs, warmup 5).step(epoch), 4 groups",
         lambda: CosineLRScheduler(optimizer(4), **cos), 310, {}),
        ("cosine_step_update_1", "CosineLRScheduler(per update, 1.5M).step_update(n), 1 group",
         lambda: CosineLRScheduler(optimizer(1), t_initial=1_500_000, warmup_t=25_000, t_in_epochs=False),
         1_500_000, {"update": True}),
        ("tanh_step_1", "TanhLRScheduler(300 epochs).step(epoch), 1 group",
         lambda: TanhLRScheduler(optimizer(1), t_initial=300), 300, {}),
        ("poly_step_1", "PolyLRScheduler(300 epochs).step(epoch), 1 group",
         lambda: PolyLRScheduler(optimizer(1), t_initial=300, power=2.0), 300, {}),
        ("step_step_1", "StepLRScheduler(decay 30).step(epoch), 1 group",
         lambda: StepLRScheduler(optimizer(1), decay_t=30, decay_rate=0.1), 300, {}),
        ("multistep_step_1", "MultiStepLRScheduler([90, 180, 270]).step(epoch), 1 group",
         lambda: MultiStepLRScheduler(optimizer(1), decay_t=[90, 180, 270], decay_rate=0.1), 300, {}),
        ("plateau_step_1", "PlateauLRScheduler.step(epoch, metric), 1 group",
         lambda: PlateauLRScheduler(optimizer(1), patience_t=5), 300,
         {"metric": lambda t: 0.5 + (t % 7) * 0.01}),
        ("cosine_noise_step_1", "CosineLRScheduler(noise every epoch).step(epoch), 1 group",
         lambda: CosineLRScheduler(optimizer(1), noise_range_t=0, **cos), 310, {"calls": CALLS // 4}),
    ]:
        raw, loop = bench_step(make, period, **kw)
        record(key, what, raw, loop)
    record("torch_generator_randn", "torch.Generator().manual_seed(s); torch.randn(1, generator=g).item()",
           bench_generator())
    print(json.dumps({
        "python": platform.python_version(),
        "torch": torch.__version__,
        "timm": version,
        "results": results,
    }))


if __name__ == "__main__":
    main()

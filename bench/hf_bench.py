#!/usr/bin/env python3
"""Times Hugging Face transformers' own schedules, for the speed-up ratios of `deno task bench`.

Measures `scheduler.step()` of what transformers' `get_scheduler` returns (torch `LambdaLR`s
running transformers' lambdas; `GreedyLR.step(metric)`), 90,000 training steps with 2,700 warmup
steps, one param group (and four for `linear`), rewound before it runs out.

transformers comes from an installed package, or — on machines without it (Debian has none) —
from its `optimization.py` file, executed unchanged with stand-ins for its three relative imports
(`fixtures/hf_standalone.py`): set `LRSPEC_HF_OPTIMIZATION=/path/to/transformers/optimization.py`
(from `pip download transformers==5.17.0 --no-deps`). Either way the schedules are upstream's
code on this machine's torch.

Prints one JSON object on stdout; {"skipped": "<why>"} (exit 0) without torch or transformers.

Usage: [LRSPEC_HF_OPTIMIZATION=…] python3 bench/hf_bench.py [--long]
"""

import json
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path


def skipped(reason):
    print(json.dumps({"skipped": reason}))
    sys.exit(0)


try:
    import torch
except Exception as e:  # noqa: BLE001 - any import failure means "not available here"
    skipped(f"python3 has no torch ({type(e).__name__}: {e})")

try:
    from transformers import optimization as O
    import transformers

    SOURCE = f"transformers {transformers.__version__}"
except Exception:  # noqa: BLE001
    path = os.environ.get("LRSPEC_HF_OPTIMIZATION")
    if not path or not Path(path).exists():
        skipped("no transformers: install it, or set LRSPEC_HF_OPTIMIZATION to its optimization.py "
                "(pip download transformers==5.17.0 --no-deps; unzip transformers/optimization.py)")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))
    from hf_standalone import load_standalone

    O, SOURCE = load_standalone(Path(path))

LONG = "--long" in sys.argv
REPEATS = 7 if LONG else 5
N, W = 90_000, 2_700


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
    opt = torch.optim.AdamW([{"params": [p], "lr": 2e-5 * (i + 1)} for i, p in enumerate(params)], lr=2e-5)
    opt.step()  # torch warns when scheduler.step() comes before any optimizer.step()
    return opt


def bench_step(name, groups=1, kwargs=None, metric=False):
    steps = 20_000 if LONG else 10_000
    holder = {}
    metrics = [1.0 - 1e-4 * (i % 1000) + (0.01 if i % 7 == 0 else 0.0) for i in range(steps)]

    def fresh():
        holder["s"] = O.get_scheduler(name, optimizer(groups), num_warmup_steps=W, num_training_steps=N,
                                      scheduler_specific_kwargs=dict(kwargs or {}))
        holder["k"] = 0

    fresh()

    def run():
        if holder["k"] + steps >= N:
            fresh()
        s = holder["s"]
        step = s.step
        if metric:
            for m in metrics:
                step(m)
        else:
            for _ in range(steps):
                step()
        holder["k"] += steps

    return per_op(run, steps)


CASES = [
    ("linear_1group", "get_scheduler('linear').step(), 1 group", "linear", 1, None, False),
    ("linear_4groups", "get_scheduler('linear').step(), 4 groups", "linear", 4, None, False),
    ("cosine_1group", "get_scheduler('cosine').step(), 1 group", "cosine", 1, None, False),
    ("cosine_with_min_lr_1group", "get_scheduler('cosine_with_min_lr', min_lr_rate=0.1).step()",
     "cosine_with_min_lr", 1, {"min_lr_rate": 0.1}, False),
    ("polynomial_1group", "get_scheduler('polynomial', power=2.0).step()", "polynomial", 1, {"power": 2.0}, False),
    ("inverse_sqrt_1group", "get_scheduler('inverse_sqrt').step()", "inverse_sqrt", 1, None, False),
    ("wsd_1group", "get_scheduler('warmup_stable_decay', 1-sqrt decay).step()", "warmup_stable_decay", 1,
     {"num_decay_steps": 9_000, "decay_type": "1-sqrt"}, False),
    ("greedy_1group", "get_scheduler('greedy').step(metric)", "greedy", 1, None, True),
]


def main():
    warnings.simplefilter("ignore")
    results = {}
    for key, what, name, groups, kwargs, metric in CASES:
        median, best = bench_step(name, groups, kwargs, metric)
        results[key] = {"what": f"transformers {what}", "medianNs": median, "minNs": best}
    print(json.dumps({
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "torch": torch.__version__,
        "transformers": SOURCE,
        "repeats": REPEATS,
        "results": results,
    }))


if __name__ == "__main__":
    main()

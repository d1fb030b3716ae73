/**
 * The Python script `lrspec golden-script` prints: detectron2's own learning-rate curve for a
 * YAML config, in the CSV format of `lrspec curve` (plus an `error` column).
 *
 * @module
 */

/** The script's text. */
export const GOLDEN_SCRIPT: string = `#!/usr/bin/env python3
"""detectron2's learning-rate curve for a YAML config, as CSV: iter,lr[,lr_bias],error.

Written by \`lrspec golden-script\`. Run it where detectron2 (and torch) can be imported:

    python3 golden.py CONFIG.yaml [--num-workers N] [--deeplab] [--opts KEY VALUE ...] > golden.csv
    npx lrspec verify --golden golden.csv --candidate <(npx lrspec curve CONFIG.yaml)

The learning rate of iteration i is read before the i-th scheduler.step(), as detectron2's
LRScheduler hook does; iteration MAX_ITER is the rate after the last step of training. Parameter
groups come from detectron2's build_optimizer on a model with one weight and one bias, so a
BIAS_LR_FACTOR != 1 adds the lr_bias column. DeepLab configs need --deeplab and
detectron2/projects/DeepLab on PYTHONPATH.
"""
import argparse
import csv
import logging
import sys
import warnings

import torch
from detectron2.config import get_cfg
from detectron2.engine import DefaultTrainer
from detectron2.solver import build_lr_scheduler, build_optimizer

warnings.filterwarnings("ignore", message="Detected call of")
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("config")
parser.add_argument("--num-workers", type=int, default=None)
parser.add_argument("--deeplab", action="store_true", help="apply add_deeplab_config (WarmupPolyLR)")
parser.add_argument("--opts", nargs=argparse.REMAINDER, default=[])
args = parser.parse_args()

cfg = get_cfg()
if args.deeplab:
    from deeplab import add_deeplab_config
    from deeplab import build_lr_scheduler  # noqa: F811 - DeepLab's builder also knows WarmupPolyLR

    add_deeplab_config(cfg)
cfg.merge_from_file(args.config)
cfg.merge_from_list(args.opts)
if args.num_workers is not None:
    cfg = DefaultTrainer.auto_scale_workers(cfg, args.num_workers)

model = torch.nn.Linear(1, 1)
optimizer = build_optimizer(cfg, model)
group_of = {id(p): g for g in optimizer.param_groups for p in g["params"]}
groups = [("lr", group_of[id(model.weight)])]
if group_of[id(model.bias)]["lr"] != group_of[id(model.weight)]["lr"]:
    groups.append(("lr_bias", group_of[id(model.bias)]))
scheduler = build_lr_scheduler(cfg, optimizer)

out = csv.writer(sys.stdout, lineterminator="\\n")
out.writerow(["iter"] + [name for name, _ in groups] + ["error"])
max_iter = cfg.SOLVER.MAX_ITER
for it in range(max_iter + 1):
    out.writerow([it] + [repr(g["lr"]) for _, g in groups] + [""])
    if it == max_iter:
        break
    try:
        scheduler.step()
    except Exception as exc:  # detectron2 raises here too: no learning rate for the next iterations
        for later in range(it + 1, max_iter + 1):
            out.writerow([later] + [""] * len(groups) + [type(exc).__name__])
        break
`;

/**
 * The CLI's timm source (`--timm FILE`): a `train.py` `args.yaml` read from disk and opened as
 * the timm view (`views/timm.ts`) with `--updates-per-epoch` and `--num-processes`.
 *
 * @module
 */

import { timmView } from "../views/timm.ts";
import { positiveOption } from "./hf.ts";
import { readSettingsBytes } from "./_read.ts";
import type { SourceKind } from "./source_kind.ts";

/** `--timm FILE`: a timm `args.yaml`. */
export const TIMM_SOURCE: SourceKind = {
  id: "timm",
  flag: "timm",
  what: "a timm train.py args.yaml",
  files: "--timm files",
  arg: "args.yaml",
  rows: "epoch,lr for epochs 0..N-1 (update,lr with sched_on_updates)",
  rowsMore: "the rate each epoch (update) trains with",
  explains: "the lr_base rule, warmup, decay, noise and cooldown, the rate at its epochs",
  help: "a timm train.py args.yaml (read as train.py --config reads it): one row\n" +
    "per epoch, or per optimizer update with sched_on_updates",
  options: [
    {
      name: "updates-per-epoch",
      type: "string",
      perFile: true,
      help: 'N  --timm with sched_on_updates: the N of train.py\'s log "Train: 0 [0/N]"',
    },
    {
      name: "num-processes",
      type: "string",
      perFile: true,
      help: "P  --timm: the world size of the lr_base rule (train.py's world_size; default 1)",
    },
  ],
  recognize: (text) =>
    /^(?:sched|epochs|warmup_epochs|lr_base|opt|model|aa|smoothing)\s*:/m.test(text) &&
    /^(?:sched|lr_base|warmup_lr|decay_epochs|cooldown_epochs)\s*:/m.test(text),
  open(path, context) {
    return [
      timmView(readSettingsBytes(path), {
        path,
        updatesPerEpoch: positiveOption(
          context,
          "updates-per-epoch",
          context.value("updates-per-epoch"),
        ),
        numProcesses: positiveOption(context, "num-processes", context.value("num-processes")) ??
          1,
        label: context.label,
      }),
    ];
  },
};

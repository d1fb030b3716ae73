/**
 * The CLI's schedule sources, in one table: every family the commands read (a detectron2
 * `CONFIG.yaml`, `--hf FILE`, `--timm FILE`, …) is one {@linkcode SourceKind} — its flag, its
 * options, their help, and how it opens a file as {@linkcode ScheduleView}s. Parsing, `--help`,
 * the "is for" checks, per-file options and the wrong-file hints all come from this table;
 * `cli/main.ts` and the commands never name a family.
 *
 * ## Adding a family
 *
 * Write its view (`views/<family>.ts`: text and options in, a `ScheduleView` out), then one
 * `SourceKind` (in `cli/<family>.ts`: read the file, read the flags, call the view) and one line
 * in {@linkcode SOURCES} below.
 *
 * @module
 */

import type { SourceKind } from "./source_kind.ts";
import { DETECTRON2_SOURCE } from "./detectron2.ts";
import { HF_SOURCE } from "./hf.ts";
import { TIMM_SOURCE } from "./timm.ts";
import { MEGATRON_ARGS_SOURCE, MEGATRON_SOURCE } from "./megatron.ts";
import { DEEPSPEED_SOURCE } from "./deepspeed.ts";
import { MMENGINE_SOURCE } from "./mmengine.ts";
import { KERAS_SOURCE } from "./keras.ts";

export type { OpenContext, ScheduleView, SourceKind, SourceOption } from "./source_kind.ts";

/** Every source kind, in `--help`'s order. The positional kind (no flag) comes first. */
export const SOURCES: readonly SourceKind[] = [
  DETECTRON2_SOURCE,
  HF_SOURCE,
  TIMM_SOURCE,
  MEGATRON_SOURCE,
  MEGATRON_ARGS_SOURCE,
  DEEPSPEED_SOURCE,
  MMENGINE_SOURCE,
  KERAS_SOURCE,
];

/**
 * The conformance suites, in one table: a fixture directory under `fixtures/` and the handlers
 * that run its cases through lrspec. A family adds its suite here — one line — and
 * `deno task conformance`, the report, the per-suite tests and `scripts/conformance-all.mjs`
 * pick it up.
 *
 * @module
 */

import { CONFIGS_HANDLERS } from "./configs.ts";
import { DETECTRON2_HANDLERS } from "./detectron2.ts";
import { HF_HANDLERS } from "./hf.ts";
import { KERAS_HANDLERS } from "./keras.ts";
import { MEGATRON_HANDLERS } from "./megatron.ts";
import { DEEPSPEED_HANDLERS } from "./deepspeed.ts";
import { MMENGINE_HANDLERS } from "./mmengine.ts";
import { OPTAX_HANDLERS } from "./optax.ts";
import { TORCH_HANDLERS } from "./torch.ts";
import { TIMM_HANDLERS } from "./timm.ts";
import { CONFIGS_PY_HANDLERS } from "./configs_py.ts";
import type { CaseHandler } from "./runner.ts";

/** Every suite: its directory name and its handlers. */
export const SUITES: Record<string, Readonly<Record<string, CaseHandler>>> = {
  detectron2: DETECTRON2_HANDLERS,
  torch: TORCH_HANDLERS,
  configs: CONFIGS_HANDLERS,
  hf: HF_HANDLERS,
  // The same generator under torch 2.11 / Python 3.12 (fixtures/import_suites.py).
  "detectron2-py3.12": DETECTRON2_HANDLERS,
  "torch-2.11": TORCH_HANDLERS,
  // The same generator under torch 2.13 (the local CPU wheel) and Python 3.11.
  "torch-2.13": TORCH_HANDLERS,
  "configs-py3.12": CONFIGS_HANDLERS,
  optax: OPTAX_HANDLERS,
  timm: TIMM_HANDLERS,
  megatron: MEGATRON_HANDLERS,
  deepspeed: DEEPSPEED_HANDLERS,
  mmengine: MMENGINE_HANDLERS,
  // Python config files in the Pyodide sandbox (mmengine, detectron2 LazyConfig).
  "configs-py": CONFIGS_PY_HANDLERS,
  keras: KERAS_HANDLERS,
};

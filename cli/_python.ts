/**
 * `.py` configs for the CLI's kinds (`CONFIG.py` LazyConfigs, `--mmengine CONFIG.py`): read in
 * lrspec's Pyodide sandbox (`config/pyodide/`), a Python error reported as the CLI reports a
 * config's errors — the file and line where it raised (a `_base_` file's own, when it raised
 * there), a `SyntaxError` kept as one.
 *
 * @module
 */

import {
  type LoadPythonConfigOptions,
  loadPythonConfigSync,
  PythonConfigError,
} from "../config/pyodide/load.ts";
import { placed } from "../views/view.ts";
import { noteInput } from "./_output.ts";

/**
 * `--opts` as a `.py` config's overrides (LazyConfig's `KEY=VALUE` arguments, mmengine's
 * `--cfg-options`): `KEY=VALUE` tokens as they are; a `KEY VALUE` pair (yacs style) joined as
 * `KEY=VALUE`.
 *
 * @param opts The tokens after `--opts`.
 * @returns The overrides.
 */
export function pythonOverrides(opts: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < opts.length; i++) {
    const token = opts[i]!;
    if (token.includes("=")) out.push(token);
    else if (i + 1 < opts.length) out.push(`${token}=${opts[++i]!}`);
    else out.push(`${token}=`);
  }
  return out;
}

/**
 * Whether a `.py` file's text reads as an mmengine config (`_base_`, `param_scheduler`,
 * `optim_wrapper`, `read_base()`) rather than a detectron2 LazyConfig (`lr_multiplier`,
 * `LazyCall`, `model_zoo`).
 */
export function looksMmengine(text: string): boolean {
  return !/\blr_multiplier\b|\bLazyCall\b|model_zoo/.test(text) &&
    /^(?:_base_\s*=|param_scheduler\s*=|optim_wrapper\s*=)|read_base\(\)/m.test(text);
}

/**
 * The config a `.py` file builds, as its framework's loader builds it; every file it read (its
 * `_base_` files) is noted as an input of the run.
 *
 * @param path The config file.
 * @param options The loader's options (`kind`, `overrides`, …).
 * @returns The config.
 * @throws {Error} A Python error, placed at its file and line; anything else as it came.
 */
export function loadPythonConfig(
  path: string,
  options: LoadPythonConfigOptions,
): Record<string, unknown> {
  let loaded;
  try {
    loaded = loadPythonConfigSync(path, options);
  } catch (error) {
    if (error instanceof PythonConfigError) {
      // The CLI prints the message of its own error kinds (plain Error, SyntaxError, ...).
      const Kind = error.pythonType === "SyntaxError" ? SyntaxError : Error;
      throw placed(new Kind(error.message, { cause: error }), {
        file: error.location?.file ?? path,
        ...(error.location ? { line: error.location.line } : {}),
      });
    }
    throw error;
  }
  // Its `_base_` files are inputs of this run as much as the config: no --out may replace one.
  for (const file of loaded.files) noteInput(file);
  return loaded.config;
}

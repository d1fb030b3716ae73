/**
 * Loading detectron2 YAML configs from the file system, on Deno, Bun and Node (through
 * `node:fs` and `node:path`).
 *
 * @module
 */

import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { readSettingsText } from "./_read.ts";
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from "../config/yaml.ts";

/** Options of {@linkcode loadConfigFile}: those of `loadConfig`, with files read from disk. */
export type LoadConfigFileOptions = Omit<LoadConfigOptions, "readFile" | "resolveBase">;

/**
 * fvcore's `_BASE_` rule with the platform's paths: `~` expanded, absolute paths and URLs as
 * they are, others relative to the including file's directory.
 *
 * @param base The `_BASE_` entry.
 * @param includingFile The file that names it.
 * @returns The path to read.
 */
export function resolveBaseFile(base: string, includingFile: string): string {
  const expanded = base.startsWith("~") ? homedir() + base.slice(1) : base;
  if (/^(?:\/|https?:\/\/)/.test(expanded) || /^[A-Za-z]:[\\/]/.test(expanded)) return expanded;
  return join(dirname(includingFile), expanded);
}

/**
 * Loads a detectron2 YAML config and its `_BASE_` files from disk, as detectron2's
 * `cfg.merge_from_file(path)` does (see `@lrspec/lrspec/config`'s `loadConfig`).
 *
 * @param path The config file.
 * @param options Project, extensions, `opts`, new keys, warnings.
 * @returns The merged config.
 * @throws {Error} If a file cannot be read; `SyntaxError`, `TypeError`, `RangeError` as
 * `loadConfig`.
 *
 * @example
 * ```ts
 * import { loadConfigFile } from "@lrspec/lrspec/cli";
 * import assert from "node:assert/strict";
 *
 * const path = "fixtures/detectron2-configs/configs/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml";
 * const { cfg } = loadConfigFile(path);
 * assert.equal(cfg.SOLVER.MAX_ITER, 270000);
 * ```
 */
export function loadConfigFile(path: string, options: LoadConfigFileOptions = {}): LoadedConfig {
  return loadConfig(path, {
    ...options,
    // Regular files only, of a config's size: `_BASE_: /dev/zero` or a FIFO is an error.
    readFile: (file) => readSettingsText(file),
    resolveBase: resolveBaseFile,
  });
}

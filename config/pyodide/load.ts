/**
 * Python config files — mmengine's `Config.fromfile` and detectron2's `LazyConfig.load` — read
 * with real Python semantics and without host privileges.
 *
 * A config file is a Python program. lrspec runs it in CPython compiled to WebAssembly (the
 * `pyodide` npm package) inside a worker thread, with:
 *
 * - only the config's own directory tree readable (and, for `model_zoo.get_config`, a
 *   detectron2 checkout's `configs/`), read-only; a read or write elsewhere fails with a
 *   `PermissionError` naming the path;
 * - imports limited to a list of standard modules and recording stand-ins for the frameworks
 *   (`torch`, `detectron2`, `fvcore`, `mmengine`, `mmdet`, …): `import os` fails with an
 *   `ImportError` naming the allowed modules;
 * - a time limit: a config that runs too long (an infinite loop) is stopped by terminating the
 *   worker.
 *
 * The result is the config as plain JSON-like data (Python dicts and DictConfigs as objects,
 * lists and tuples as arrays; `_target_`/`type` callables as their dotted names), and the files
 * that were read. The library (`mod.ts`) does not import this module: Pyodide loads only when a
 * `.py` config is read.
 *
 * @module
 */

import { Worker } from "node:worker_threads";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve, sep } from "node:path";
import { type PythonConfig, PythonConfigError, type Reply, settle } from "./reply.ts";

/** Which framework's loader to follow. */
export type PythonConfigKind = "mmengine" | "lazyconfig";

/** Options of {@linkcode loadPythonConfig}. */
export interface LoadPythonConfigOptions {
  /** `mmengine` (`Config.fromfile`) or `lazyconfig` (detectron2's `LazyConfig.load`). */
  kind: PythonConfigKind;
  /**
   * `KEY=VALUE` overrides: mmengine's `--cfg-options` (parsed like `tools/train.py`'s
   * `DictAction`, merged with `Config.merge_from_dict`), or detectron2's command-line overrides
   * (`LazyConfig.apply_overrides`).
   * @default {[]}
   */
  overrides?: readonly string[];
  /**
   * The directory tree the config may read. Defaults to the nearest enclosing directory named
   * `configs` (MMDetection's and detectron2's layout: bases live beside the config's folder),
   * else the config's own directory.
   */
  root?: string;
  /** A detectron2 checkout: its `configs/` serves `model_zoo.get_config(...)` (read-only). */
  detectron2Root?: string;
  /**
   * Milliseconds the config may run (after the interpreter has started) before it is stopped.
   * @default {10000}
   */
  timeoutMs?: number;
}

export { type PythonConfig, PythonConfigError } from "./reply.ts";

const STARTUP_LIMIT_MS = 120_000;

interface Pending {
  resolve: (value: PythonConfig) => void;
  reject: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  path: string;
  timeoutMs: number;
}

/** The nearest enclosing directory named `configs`, else the file's own directory. */
function defaultRoot(file: string): string {
  const dir = dirname(file);
  for (let d = dir;; d = dirname(d)) {
    if (basename(d) === "configs") return d;
    if (dirname(d) === d) break;
  }
  return dir;
}

function real(path: string, what: string): string {
  try {
    return realpathSync(path);
  } catch {
    throw new PythonConfigError(`${what} not found: ${path}`, {
      pythonType: "FileNotFoundError",
      file: path,
    });
  }
}

function timedOut(path: string, timeoutMs: number, file: string): PythonConfigError {
  return new PythonConfigError(
    `${path}: stopped after ${timeoutMs} ms (the config did not finish; an endless loop?)`,
    { pythonType: "Timeout", file },
  );
}

/** The worker's request for a file: options validated, paths made real. */
function prepare(
  path: string,
  options: LoadPythonConfigOptions,
): { request: WorkerRequest; timeoutMs: number } {
  const { kind, overrides = [], timeoutMs = 10_000 } = options;
  if (kind !== "mmengine" && kind !== "lazyconfig") {
    throw new TypeError(
      `loadPythonConfig: \`kind\` must be "mmengine" or "lazyconfig": got ${JSON.stringify(kind)}`,
    );
  }
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new RangeError(`loadPythonConfig: \`timeoutMs\` must be > 0: got ${timeoutMs}`);
  }
  const file = real(isAbsolute(path) ? path : resolve(path), "config file");
  if (!statSync(file).isFile()) {
    throw new PythonConfigError(`not a file: ${path}`, { pythonType: "IsADirectoryError", file });
  }
  const roots = [real(options.root ?? defaultRoot(file), "config root")];
  let detectron2Root: string | undefined;
  if (options.detectron2Root !== undefined) {
    detectron2Root = real(options.detectron2Root, "detectron2 checkout");
    roots.push(real(`${detectron2Root}${sep}configs`, "detectron2 configs/"));
  }
  const request: WorkerRequest = {
    kind,
    path: file,
    roots,
    cwd: dirname(file),
    overrides: [...overrides],
    ...(detectron2Root === undefined ? {} : { detectron2Root }),
  };
  return { request, timeoutMs };
}

const IS_BUN = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

/** `loadSync` in a child process running the worker script (Bun). */
function loadInChild(request: WorkerRequest, path: string, timeoutMs: number): PythonConfig {
  const script = fileURLToPath(new URL("./_worker.mjs", import.meta.url));
  const result = spawnSync(process.execPath, [script], {
    input: JSON.stringify(request),
    // The interpreter's start is not the config's time.
    timeout: STARTUP_LIMIT_MS + timeoutMs,
    maxBuffer: 1 << 30,
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (result.error !== undefined || result.status !== 0) {
    if (result.signal !== null) throw timedOut(path, timeoutMs, request.path);
    throw new PythonConfigError(
      `${path}: the Python worker failed: ${String(result.error ?? result.stderr)}`,
      { pythonType: "Error", file: request.path },
    );
  }
  return settle(JSON.parse(result.stdout.toString("utf8")) as Reply, path);
}

/** What the worker is asked. */
interface WorkerRequest {
  kind: PythonConfigKind;
  path: string;
  roots: string[];
  cwd: string;
  overrides: string[];
  detectron2Root?: string;
}

/**
 * A Pyodide worker that loads Python config files one at a time. The first load starts the
 * interpreter (seconds); later loads reuse it. {@linkcode PythonConfigLoader.close} ends it.
 *
 * @example
 * ```ts ignore
 * import { PythonConfigLoader } from "./load.ts";
 * const loader = new PythonConfigLoader();
 * const { config } = await loader.load("configs/_base_/schedules/schedule_1x.py", {
 *   kind: "mmengine",
 * });
 * await loader.close();
 * ```
 */
export class PythonConfigLoader {
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #pending = new Map<number, Pending>();
  #next = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #keepAlive: boolean;
  /** Milliseconds the last interpreter start took inside the worker (import and boot). */
  startupMs: number | undefined;

  /**
   * Creates a loader; its worker starts on the first load.
   *
   * @param options `keepAlive: false` (the default) lets the process exit while the worker
   * idles (`unref`).
   */
  constructor(options: { keepAlive?: boolean } = {}) {
    this.#keepAlive = options.keepAlive ?? false;
  }

  #spawn(): Worker {
    const worker = new Worker(new URL("./_worker.mjs", import.meta.url));
    this.#worker = worker;
    return worker;
  }

  /**
   * Starts the interpreter (seconds) and resolves when it is ready. `load` does this itself;
   * call it before `loadSync` on Bun, whose workers cannot start while the calling thread blocks.
   *
   * @returns When the worker is ready.
   */
  start(): Promise<void> {
    return this.#start();
  }

  #start(): Promise<void> {
    if (this.#ready) return this.#ready;
    const worker = this.#worker ?? this.#spawn();
    this.#ready = new Promise<void>((resolveReady, rejectReady) => {
      const timer = setTimeout(() => {
        this.#kill();
        rejectReady(
          new PythonConfigError(`the Python interpreter did not start in ${STARTUP_LIMIT_MS} ms`, {
            pythonType: "Timeout",
            file: "",
          }),
        );
      }, STARTUP_LIMIT_MS);
      worker.on("message", (msg: Record<string, unknown>) => {
        if (msg.ready) {
          clearTimeout(timer);
          this.startupMs = msg.loadMs as number;
          if (!this.#keepAlive && this.#pending.size === 0) worker.unref();
          resolveReady();
          return;
        }
        const pending = this.#pending.get(msg.id as number);
        if (!pending) return;
        this.#pending.delete(msg.id as number);
        if (pending.timer) clearTimeout(pending.timer);
        if (!this.#keepAlive && this.#pending.size === 0) worker.unref();
        try {
          pending.resolve(settle(msg as Reply, pending.path));
        } catch (error) {
          pending.reject(error);
        }
      });
      worker.on("error", (error: unknown) => {
        clearTimeout(timer);
        this.#failAll(error);
        rejectReady(error);
      });
    });
    return this.#ready;
  }

  #failAll(error: unknown): void {
    for (const p of this.#pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(error);
    }
    this.#pending.clear();
    this.#kill();
  }

  #kill(): void {
    this.startupMs = undefined;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#ready = undefined;
    if (worker) void worker.terminate();
  }

  /**
   * Loads one config file.
   *
   * @param path The config file.
   * @param options The framework, overrides, readable tree, detectron2 checkout, time limit.
   * @returns The config as JSON-like data and the files read.
   * @throws {PythonConfigError} With the Python exception (`ImportError` for a forbidden
   * import, `PermissionError` for a path outside the tree, `SyntaxError`, …) and the config's
   * file and line, or `Timeout` when the time limit is hit.
   */
  load(path: string, options: LoadPythonConfigOptions): Promise<PythonConfig> {
    const run = this.#queue.then(() => this.#load(path, options));
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Loads one config file synchronously: the calling thread blocks (`Atomics.wait`) until the
   * worker replies. The same sandbox, time limit and errors as {@linkcode PythonConfigLoader.load};
   * do not mix with an unfinished `load()` on the same loader.
   *
   * @param path The config file.
   * @param options The framework, overrides, readable tree, detectron2 checkout, time limit.
   * @returns The config as JSON-like data and the files read.
   * @throws {PythonConfigError} As {@linkcode PythonConfigLoader.load}.
   */
  loadSync(path: string, options: LoadPythonConfigOptions): PythonConfig {
    const { request, timeoutMs } = prepare(path, options);
    // A Bun worker does not start while the calling thread blocks: without a started one, the
    // file is read by the same worker script run as a child process (its own time limit).
    if (IS_BUN && this.startupMs === undefined) return loadInChild(request, path, timeoutMs);
    const worker = this.#worker ?? this.#spawn();
    const control = new Int32Array(new SharedArrayBuffer(8));
    let size = 1 << 20;
    for (;;) {
      const data = new Uint8Array(new SharedArrayBuffer(size));
      Atomics.store(control, 0, 0);
      worker.ref();
      worker.postMessage({ id: -1, request, control, data });
      if (Atomics.wait(control, 0, 0, STARTUP_LIMIT_MS) === "timed-out") {
        this.#kill();
        throw new PythonConfigError(
          `the Python interpreter did not start in ${STARTUP_LIMIT_MS} ms`,
          { pythonType: "Timeout", file: request.path },
        );
      }
      Atomics.wait(control, 0, 1, timeoutMs);
      const state = Atomics.load(control, 0);
      if (!this.#keepAlive) worker.unref();
      if (state === 1) {
        this.#kill();
        throw timedOut(path, timeoutMs, request.path);
      }
      const length = Atomics.load(control, 1);
      if (state === 3) {
        size = length;
        continue;
      }
      const reply = JSON.parse(new TextDecoder().decode(data.slice(0, length))) as Reply;
      return settle(reply, path);
    }
  }

  async #load(path: string, options: LoadPythonConfigOptions): Promise<PythonConfig> {
    const { request, timeoutMs } = prepare(path, options);
    await this.#start();
    const worker = this.#worker!;
    const id = this.#next++;
    return await new Promise<PythonConfig>((resolveLoad, rejectLoad) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        this.#kill();
        rejectLoad(timedOut(path, timeoutMs, request.path));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolveLoad, reject: rejectLoad, timer, path, timeoutMs });
      worker.ref();
      worker.postMessage({ id, request });
    });
  }

  /** Ends the worker. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#ready = undefined;
    if (worker) await worker.terminate();
  }
}

let shared: PythonConfigLoader | undefined;

/**
 * Loads a Python config file with a shared {@linkcode PythonConfigLoader} (the interpreter starts
 * on the first call and idles without keeping the process alive).
 *
 * @param path The config file.
 * @param options The framework, overrides, readable tree, detectron2 checkout, time limit.
 * @returns The config as JSON-like data and the files read.
 * @throws {PythonConfigError} As {@linkcode PythonConfigLoader.load}.
 */
export function loadPythonConfig(
  path: string,
  options: LoadPythonConfigOptions,
): Promise<PythonConfig> {
  shared ??= new PythonConfigLoader();
  return shared.load(path, options);
}

/**
 * {@linkcode loadPythonConfig}, synchronously (the calling thread blocks until the shared
 * interpreter answers; see {@linkcode PythonConfigLoader.loadSync}).
 *
 * @param path The config file.
 * @param options The framework, overrides, readable tree, detectron2 checkout, time limit.
 * @returns The config as JSON-like data and the files read.
 * @throws {PythonConfigError} As {@linkcode PythonConfigLoader.load}.
 */
export function loadPythonConfigSync(
  path: string,
  options: LoadPythonConfigOptions,
): PythonConfig {
  shared ??= new PythonConfigLoader();
  return shared.loadSync(path, options);
}

/**
 * Starts the shared interpreter of {@linkcode loadPythonConfig} and
 * {@linkcode loadPythonConfigSync} (seconds). Optional: the first load starts it; on Bun, a
 * synchronous load without a started interpreter runs in a child process instead.
 *
 * @returns When the interpreter is ready.
 */
export function startPythonConfigLoader(): Promise<void> {
  shared ??= new PythonConfigLoader();
  return shared.start();
}

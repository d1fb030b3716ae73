/**
 * The page's side of its Python worker (`site/python_worker.ts`): reads a `.py` config and the
 * files uploaded with it in the sandbox, one at a time, and remembers the result, so that a
 * family's synchronous `build` asks {@linkcode PagePython.resolve} and gets the config, its error,
 * or `undefined` while it is read — the page builds again when the worker answers.
 *
 * @module
 */

import { settle } from "../config/pyodide/reply.ts";
import type { PythonResolver, PythonResult } from "./families/family.ts";
import { pythonTree, type PythonUpload } from "./python_files.ts";

/** The interpreter's start (download and boot of Pyodide), at most. */
const STARTUP_LIMIT_MS = 120_000;

/** What the page needs of a Web Worker. */
export interface WorkerLike {
  /** Sends a message. */
  postMessage(message: unknown): void;
  /** Ends it. */
  terminate(): void;
  /** Its messages. */
  onmessage: ((event: { data: Record<string, unknown> }) => void) | null;
  /** A failed start. */
  onerror: ((event: unknown) => void) | null;
}

/** Reads `.py` configs in a worker for the page; results are kept (the last 16). */
export class PagePython {
  readonly #start: () => WorkerLike;
  readonly #done: () => void;
  readonly #timeoutMs: number;
  #worker: Promise<WorkerLike> | undefined;
  #results = new Map<string, PythonResult | "pending">();
  #queue: Promise<unknown> = Promise.resolve();
  #next = 0;

  /**
   * @param start Starts the worker (`new Worker(url, { type: "module" })`).
   * @param done Called when a result came in (the page builds again).
   * @param timeoutMs How long a config may run, after the interpreter started.
   */
  constructor(start: () => WorkerLike, done: () => void, timeoutMs = 10_000) {
    this.#start = start;
    this.#done = done;
    this.#timeoutMs = timeoutMs;
  }

  /** {@linkcode PythonResolver}: the result, or undefined while the worker reads the config. */
  resolve: PythonResolver = (upload) => {
    const key = JSON.stringify([
      upload.kind,
      upload.name,
      upload.text,
      upload.files,
      upload.overrides ?? [],
    ]);
    const known = this.#results.get(key);
    if (known === "pending") return undefined;
    if (known !== undefined) return known;
    this.#results.set(key, "pending");
    this.#queue = this.#queue.then(() => this.#read(key, upload));
    return undefined;
  };

  async #read(key: string, upload: PythonUpload): Promise<void> {
    let result: PythonResult;
    try {
      result = { config: await this.#load(upload) };
    } catch (error) {
      result = { error: error instanceof Error ? error : new Error(String(error)) };
    }
    this.#results.delete(key);
    this.#results.set(key, result);
    while (this.#results.size > 16) this.#results.delete(this.#results.keys().next().value!);
    this.#done();
  }

  #ready(): Promise<WorkerLike> {
    this.#worker ??= new Promise<WorkerLike>((resolve, reject) => {
      const worker = this.#start();
      const timer = setTimeout(() => {
        this.#stop();
        reject(new Error(`the Python interpreter did not start in ${STARTUP_LIMIT_MS / 1000} s`));
      }, STARTUP_LIMIT_MS);
      worker.onmessage = ({ data }) => {
        if (!data.ready) return;
        clearTimeout(timer);
        resolve(worker);
      };
      worker.onerror = () => {
        clearTimeout(timer);
        this.#stop();
        reject(new Error("the Python worker failed to start (python/worker.js)"));
      };
    });
    return this.#worker;
  }

  #stop(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.then((w) => w.terminate(), () => {});
  }

  async #load(upload: PythonUpload): Promise<Record<string, unknown>> {
    const { files, request } = pythonTree(upload);
    const worker = await this.#ready();
    const id = this.#next++;
    const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#stop(); // an endless loop: the next config gets a fresh interpreter
        reject(
          new Error(
            `${upload.name}: stopped after ${this.#timeoutMs} ms (the config did not finish; an ` +
              "endless loop?)",
          ),
        );
      }, this.#timeoutMs);
      worker.onmessage = ({ data }) => {
        if (data.id !== id) return;
        clearTimeout(timer);
        resolve(data);
      };
      worker.postMessage({ id, request, files });
    });
    return settle(reply as Parameters<typeof settle>[0], upload.name).config;
  }
}

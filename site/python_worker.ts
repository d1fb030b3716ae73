/**
 * The playground's Python worker: lrspec's sandbox (`config/pyodide/`, the same modules as the
 * CLI's) in Pyodide in a browser Web Worker, reading only the files the page sends with each
 * request ({@linkcode memoryHost}). `site/build.ts` bundles it as `python/worker.js`, beside
 * Pyodide's files (`python/pyodide/`) and the sandbox's Python modules (`python/lrspec/`).
 *
 * Messages in: `{ id, request, files }`; out: `{ ready: true, loadMs }` once, then the reply of
 * `config/pyodide/start.mjs`'s `answer`.
 *
 * @module
 */

import { answer, installSandbox, SANDBOX_MODULES } from "../config/pyodide/start.mjs";
import { type FilesHost, memoryHost } from "./python_files.ts";

interface WorkerScope {
  location: { href: string };
  postMessage(message: unknown): void;
  onmessage: ((event: { data: WorkerMessage }) => void) | null;
}

interface WorkerMessage {
  id: number;
  request: unknown;
  files: Record<string, string>;
}

const scope = globalThis as unknown as WorkerScope;
let files: FilesHost = memoryHost({});
const host: FilesHost = { read: (p) => files.read(p), kind: (p) => files.kind(p) };

const started = performance.now();
const here = new URL("./", scope.location.href);
let sandbox: unknown;
let startError: string | undefined;
try {
  // A URL computed at run time: the bundler leaves Pyodide's own module alone.
  const pyodideUrl = new URL("pyodide/pyodide.mjs", here).href;
  const { loadPyodide } = await import(pyodideUrl);
  const pyodide = await loadPyodide({
    indexURL: new URL("pyodide/", here).href,
    stdout: () => {},
    stderr: () => {},
  });
  const sources: Record<string, string> = {};
  for (const name of SANDBOX_MODULES) {
    const response = await fetch(new URL(`lrspec/${name}`, here));
    if (!response.ok) throw new Error(`lrspec/${name}: HTTP ${response.status}`);
    sources[name] = await response.text();
  }
  sandbox = installSandbox(pyodide, sources, host);
} catch (error) {
  startError = `the Python interpreter (Pyodide) did not start: ${
    String((error as Error)?.message ?? error)
  }`;
}
scope.postMessage({ ready: true, loadMs: performance.now() - started });

scope.onmessage = ({ data }) => {
  files = memoryHost(data.files);
  scope.postMessage(
    startError === undefined
      ? answer(sandbox, data.id, data.request)
      : { id: data.id, ok: false, error: { type: "Error", message: startError } },
  );
};

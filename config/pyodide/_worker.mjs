// The worker that evaluates Python config files: CPython (Pyodide) with lrspec's sandbox
// (_sandbox.py, _stubs.py, _runtime.py). Plain JavaScript so that Deno, Bun and Node all run it
// as it is, from the sources or from the npm package. The host terminates it at a time limit.
//
// Messages in: { id, request: { kind, path, roots, cwd, overrides, detectron2Root } }.
// Messages out: { ready: true, loadMs } once, then { id, ok: true, json } or
// { id, ok: false, error: { type, message } }.
import { parentPort } from "node:worker_threads";
import process from "node:process";
import { Buffer } from "node:buffer";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { sep } from "node:path";
import { fileURLToPath } from "node:url";
import { answer, installSandbox, SANDBOX_MODULES } from "./start.mjs";

const here = new URL(".", import.meta.url);
let roots = [];

/** The real path of `path` when it lies under one of the roots (after symlinks), or null. */
function contained(path) {
  let real;
  try {
    real = realpathSync(path);
  } catch {
    return null;
  }
  const ok = roots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep));
  return ok ? real : null;
}

const host = {
  // `undefined` reaches Python as None (null would be a JsNull).
  read(path) {
    const real = contained(path);
    if (real === null) return undefined;
    try {
      if (!statSync(real).isFile()) return undefined;
      return readFileSync(real, "utf8");
    } catch {
      return undefined;
    }
  },
  kind(path) {
    const real = contained(path);
    if (real === null) return undefined;
    try {
      const s = statSync(real);
      return s.isFile() ? "file" : s.isDirectory() ? "dir" : undefined;
    } catch {
      return undefined;
    }
  },
};

// Without a parent port (run as `runtime _worker.mjs`, the synchronous path on Bun) it answers one
// request read from stdin on stdout and exits.
const child = parentPort === null;

const started = performance.now();
// A failed start (no pyodide package, say) is answered to every request, so that a blocked
// caller gets the reason instead of waiting out its limit.
let sandbox;
let startError;
try {
  const entry = import.meta.resolve("pyodide");
  const { loadPyodide } = await import(entry);
  const indexURL = fileURLToPath(new URL(".", entry));
  const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  const sources = Object.fromEntries(
    SANDBOX_MODULES.map((name) => [name, readFileSync(new URL(name, here), "utf8")]),
  );
  sandbox = installSandbox(pyodide, sources, host);
} catch (error) {
  startError = `the Python interpreter (the pyodide package) did not start: ${
    String(error?.message ?? error)
  }`;
}
if (!child) parentPort.postMessage({ ready: true, loadMs: performance.now() - started });

// A synchronous caller (`loadSync`) passes `control` (an Int32Array on a SharedArrayBuffer: state,
// length) and `data` (a Uint8Array on another) and blocks in Atomics.wait: state 1 = evaluating,
// 2 = done (data holds the reply's JSON), 3 = the reply does not fit (length holds its size).
const encoder = new TextEncoder();
function signal(control, state) {
  Atomics.store(control, 0, state);
  Atomics.notify(control, 0);
}

function handle({ id, request, control, data }) {
  roots = request.roots;
  if (control) signal(control, 1);
  const reply = startError === undefined
    ? answer(sandbox, id, request)
    : { id, ok: false, error: { type: "Error", message: startError } };
  if (child) {
    process.stdout.write(JSON.stringify(reply));
    return;
  }
  if (!control) {
    parentPort.postMessage(reply);
    return;
  }
  const bytes = encoder.encode(JSON.stringify(reply));
  Atomics.store(control, 1, bytes.length);
  if (bytes.length > data.length) {
    signal(control, 3);
    return;
  }
  data.set(bytes);
  signal(control, 2);
}

if (child) {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  handle({ id: 0, request: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
} else {
  parentPort.on("message", handle);
}

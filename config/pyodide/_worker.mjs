// The worker that evaluates Python config files: CPython (Pyodide) with lrspec's sandbox
// (_sandbox.py, _stubs.py, _runtime.py). Plain JavaScript so that Deno, Bun and Node all run it
// as it is, from the sources or from the npm package. The host terminates it at a time limit.
//
// Messages in: { id, request: { kind, path, roots, cwd, overrides, detectron2Root } }.
// Messages out: { ready: true, loadMs } once, then { id, ok: true, json } or
// { id, ok: false, error: { type, message } }.
import { parentPort } from "node:worker_threads";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { sep } from "node:path";
import { fileURLToPath } from "node:url";

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

const started = performance.now();
const entry = import.meta.resolve("pyodide");
const { loadPyodide } = await import(entry);
const indexURL = fileURLToPath(new URL(".", entry));
const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
pyodide.registerJsModule("_lrspec_host", host);
pyodide.FS.mkdirTree("/lrspec");
for (const name of ["_sandbox.py", "_stubs.py", "_runtime.py"]) {
  pyodide.FS.writeFile(`/lrspec/${name}`, readFileSync(new URL(name, here), "utf8"));
}
pyodide.runPython("import sys; sys.path.insert(0, '/lrspec'); import _runtime");
const load = pyodide.runPython("_runtime.load");
const toPy = (x) => pyodide.toPy(x);
parentPort.postMessage({ ready: true, loadMs: performance.now() - started });

parentPort.on("message", ({ id, request }) => {
  roots = request.roots;
  const req = toPy(request);
  try {
    const json = load(req);
    parentPort.postMessage({ id, ok: true, json });
  } catch (error) {
    const type = error?.type ?? error?.constructor?.name ?? "Error";
    let message = String(error?.message ?? error);
    // A PythonError's message is the whole traceback; keep the config's frames and the error.
    parentPort.postMessage({ id, ok: false, error: { type, message } });
  } finally {
    req.destroy?.();
  }
});

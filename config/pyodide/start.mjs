// @ts-self-types="./start.d.mts"
// The sandbox's start, shared by the workers that run it: the Deno/Bun/Node worker (_worker.mjs,
// files from the host's file system) and the playground's browser worker (site/python_worker.ts,
// the files the user uploaded). Plain JavaScript, run as it is on every runtime and in browsers.

/** The Python modules of lrspec's sandbox, written to /lrspec in the interpreter. */
export const SANDBOX_MODULES = ["_sandbox.py", "_stubs.py", "_runtime.py"];

/**
 * Installs lrspec's sandbox in a started Pyodide: `host` (read(path) → text | undefined,
 * kind(path) → "file" | "dir" | undefined) is the only way to the config files; once lrspec's
 * modules hold it, no Python import reaches JavaScript any more (the `js` module is the worker's
 * globalThis).
 *
 * @param pyodide A Pyodide from loadPyodide.
 * @param sources File name → text of SANDBOX_MODULES.
 * @param host The files the configs may read.
 * @returns `_runtime.load` (a request → the config's JSON) and `toPy`.
 */
export function installSandbox(pyodide, sources, host) {
  pyodide.registerJsModule("_lrspec_host", host);
  pyodide.FS.mkdirTree("/lrspec");
  for (const name of SANDBOX_MODULES) pyodide.FS.writeFile(`/lrspec/${name}`, sources[name]);
  pyodide.runPython("import sys; sys.path.insert(0, '/lrspec'); import _runtime");
  const load = pyodide.runPython("_runtime.load");
  for (const name of ["js", "pyodide_js", "_lrspec_host"]) pyodide.unregisterJsModule(name);
  pyodide.runPython(
    "import sys\nfor _m in ('js', 'pyodide_js', '_lrspec_host'):\n    sys.modules.pop(_m, None)\n" +
      "try:\n    import js\nexcept ImportError:\n    pass\nelse:\n" +
      "    raise RuntimeError('lrspec sandbox: the js module is still importable')",
  );
  return { load, toPy: (x) => pyodide.toPy(x) };
}

/**
 * Runs one request: `{ id, ok: true, json }` or `{ id, ok: false, error: { type, message } }` (a
 * PythonError's message is the whole traceback; the host keeps the config's frame).
 */
export function answer(sandbox, id, request) {
  let req;
  try {
    req = sandbox.toPy(request);
    return { id, ok: true, json: sandbox.load(req) };
  } catch (error) {
    const type = error?.type ?? error?.constructor?.name ?? "Error";
    return { id, ok: false, error: { type, message: String(error?.message ?? error) } };
  } finally {
    req?.destroy?.();
  }
}

// The sandbox a `.py` config runs in, and Python's own semantics inside it. One interpreter
// serves every step (it takes seconds to start); the time-limit step runs last, as it kills it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PythonConfigError, PythonConfigLoader } from "./load.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TMP = `${ROOT}.tmp/pyodide-sandbox`;
const TREE = `${TMP}/configs`;
rmSync(TMP, { recursive: true, force: true });
mkdirSync(`${TREE}/sub`, { recursive: true });
writeFileSync(`${TMP}/secret.txt`, "outside the tree\n");
writeFileSync(`${TREE}/data.txt`, "inside the tree\n");
// Deno grants symlink creation only with unscoped --allow-write (its test task scopes it to .tmp);
// Node and Bun run the symlink step.
let linked = true;
try {
  symlinkSync(`${TMP}/secret.txt`, `${TREE}/link.txt`);
} catch {
  linked = false;
}

function config(name: string, text: string): string {
  const path = `${TREE}/${name}`;
  writeFileSync(path, text);
  return path;
}

async function rejects(
  promise: Promise<unknown>,
  pythonType: string,
  pattern: RegExp,
): Promise<PythonConfigError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PythonConfigError, String(error));
    assert.equal(error.pythonType, pythonType, error.message);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail("expected a PythonConfigError");
}

// bun's node:test ignores bunfig's timeout: the interpreter starts in seconds (tens on a loaded machine).
test("a .py config runs sandboxed in Pyodide", { timeout: 240_000 }, async (t) => {
  const loader = new PythonConfigLoader();
  const mm = { kind: "mmengine" as const };
  try {
    await t.test("Python semantics: / and //, ints and floats, comprehensions, def, if", async () => {
      const path = config(
        "semantics.py",
        [
          "def scale(x):",
          "    return x * 2",
          "a = 7 / 2",
          "b = 7 // 2",
          "c = [i ** 2 for i in range(4) if i % 2 == 0]",
          "d = scale(3) if True else None",
          "e = dict(x=1, y=(1, 2), z={'k': [1.5, None, True]})",
          "f = 2 ** 53",
          "import math",
          "g = math.cos(math.pi / 3)",
          "h = 10 ** 20",
          "",
        ].join("\n"),
      );
      const { config: c, files } = await loader.load(path, mm);
      assert.deepEqual(c, {
        a: 3.5,
        b: 3,
        c: [0, 4],
        d: 6,
        e: { x: 1, y: [1, 2], z: { k: [1.5, null, true] } },
        f: 2 ** 53,
        g: 0.5000000000000001,
        h: { $int: "100000000000000000000" },
      });
      assert.deepEqual(files, [path]);
    });

    for (const name of ["os", "subprocess", "socket", "sys", "js", "pyodide", "importlib"]) {
      await t.test(`import ${name} fails with ImportError naming it and the line`, async () => {
        // detectron2 runs a LazyConfig's imports (mmengine makes most of them lazy).
        const path = config(`import_${name}.py`, `x = 1\nimport ${name}\n`);
        const e = await rejects(
          loader.load(path, { kind: "lazyconfig" }),
          "ImportError",
          new RegExp(`import of \`${name}\` is not allowed`),
        );
        assert.deepEqual(e.location, { file: path, line: 2 });
      });
    }

    await t.test("an allowed module carries no private or module attributes", async () => {
      const path = config("via_module.py", "import collections\nx = collections._sys\n");
      await rejects(loader.load(path, mm), "AttributeError", /_sys/);
      const path2 = config("via_typing.py", "import typing\nx = typing.sys.modules\n");
      await rejects(loader.load(path2, mm), "AttributeError", /sys/);
    });

    await t.test("no standard function fetches an attribute by name or evaluates a string", async () => {
      // Each would reach a trusted function's globals (LazyCall.__init__'s, say) around the
      // source check: they are withheld from the modules a config gets.
      const cases: [string, string][] = [
        ["operator", "from operator import attrgetter"],
        ["operator", "import operator\nx = operator.methodcaller('__reduce_ex__', 2)"],
        ["functools", "from functools import update_wrapper"],
        ["functools", "import functools\nx = functools.wraps"],
        ["string", "import string\nx = string.Formatter().get_field"],
        ["typing", "import typing\nx = typing.get_type_hints"],
        ["typing", "from typing import ForwardRef"],
        ["dataclasses", "import dataclasses"],
        ["enum", "import enum"],
      ];
      for (const [i, [module, code]] of cases.entries()) {
        const path = config(`withheld_${i}.py`, code + "\n");
        const error = await rejects(
          loader.load(path, { kind: "lazyconfig" }),
          code.startsWith("from")
            ? "ImportError"
            : /^import \w+$/.test(code)
            ? "ImportError"
            : "AttributeError",
          new RegExp(module === "dataclasses" || module === "enum" ? `\`${module}\`` : "\\w"),
        );
        assert.ok(error.location, `${code}: located`);
      }
      // What configs use is there.
      const ok = config(
        "allowed.py",
        "from functools import partial, reduce\nfrom typing import List\nimport operator\n" +
          "x = reduce(operator.add, [1, 2, 3])\ny = partial(max, 1)(2)\n",
      );
      // (mmengine keeps imported classes and builtins: partial, reduce, List are in the dict too.)
      const { config: c } = await loader.load(ok, mm);
      assert.deepEqual([c.x, c.y, c.partial], [6, 2, "functools.partial"]);
    });

    await t.test("reads outside the tree fail; inside work", async () => {
      const inside = config("read_inside.py", "x = open('data.txt').read()\n");
      assert.deepEqual((await loader.load(inside, mm)).config, { x: "inside the tree\n" });
      for (
        const [name, target] of [
          ["abs", "/etc/passwd"],
          ["parent", "../secret.txt"],
          ["dotdot", "sub/../../secret.txt"],
        ]
      ) {
        const path = config(`read_${name}.py`, `x = open(${JSON.stringify(target)}).read()\n`);
        await rejects(loader.load(path, mm), "PermissionError", /outside the config tree/);
      }
      // A symlink inside the tree to a file outside it reads as missing: the host serves only
      // real paths under the tree.
      if (linked) {
        const link = config("read_link.py", "x = open('link.txt').read()\n");
        await rejects(loader.load(link, mm), "FileNotFoundError", /link\.txt/);
      }
    });

    await t.test("writes fail, and the host file system is untouched", async () => {
      for (const mode of ["w", "a", "x", "r+", "wb"]) {
        const path = config(
          `write_${mode.replace("+", "p")}.py`,
          `open('written.txt', ${JSON.stringify(mode)}).write('x')\n`,
        );
        await rejects(loader.load(path, mm), "PermissionError", /cannot write files/);
      }
      assert.equal(existsSync(`${TREE}/written.txt`), false);
    });

    await t.test("interpreter internals are out of reach", async () => {
      const cases: [string, RegExp][] = [
        ["x = ().__class__.__base__.__subclasses__()", /`__\w+__` is not allowed/],
        ["def f(): pass\nx = f.__globals__", /`__globals__` is not allowed/],
        ["x = getattr(len, '__self__')", /attribute `__self__` is not allowed/],
        ["def g():\n    yield 1\nx = g().gi_frame", /`gi_frame` is not allowed/],
        ["x = __builtins__", /`__builtins__` is not allowed/],
      ];
      for (const [i, [code, pattern]] of cases.entries()) {
        const path = config(`internals_${i}.py`, code + "\n");
        await rejects(loader.load(path, mm), "PermissionError", pattern);
      }
      for (const name of ["eval", "exec", "compile", "globals", "vars"]) {
        const path = config(`builtin_${name}.py`, `x = ${name}('1')\n`);
        await rejects(loader.load(path, mm), "PermissionError", new RegExp(`\`${name}\``));
      }
    });

    await t.test("a syntax error names the file and line", async () => {
      const path = config("syntax.py", "x = (1,\n");
      const e = await rejects(loader.load(path, mm), "SyntaxError", /never closed/);
      assert.deepEqual(e.location, { file: path, line: 1 });
    });

    await t.test("an endless loop is stopped at the time limit; the next file loads", async () => {
      const path = config("loop.py", "while True:\n    pass\n");
      const started = performance.now();
      await rejects(
        loader.load(path, { ...mm, timeoutMs: 1500 }),
        "Timeout",
        /stopped after 1500 ms/,
      );
      const waited = performance.now() - started;
      assert.ok(waited < 5000, `stopped after ${waited} ms`);
      const ok = config("after.py", "x = 1\n");
      assert.deepEqual((await loader.load(ok, mm)).config, { x: 1 });
    });
  } finally {
    await loader.close();
  }
});

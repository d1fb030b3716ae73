// A `.py` config uploaded to the playground with its `_base_` files: the upload mapped to the
// sandbox's tree (site/python_files.ts) and read by the sandbox's own modules
// (config/pyodide/start.mjs, as the page's worker runs them), here in-process on Deno, Bun and
// Node — the same config as `lrspec curve --mmengine CONFIG.py` reads from disk, and the same
// Export CSV. (The page's Web Worker itself runs in site/browser_test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { answer, installSandbox, SANDBOX_MODULES } from "../config/pyodide/start.mjs";
import { loadPythonConfig } from "../config/pyodide/load.ts";
import { settle } from "../config/pyodide/reply.ts";
import { main } from "../cli/main.ts";
import { curveCsv } from "./curves.ts";
import { siteSchema } from "./docs.ts";
import type { PythonResolver } from "./families/family.ts";
import { siteSchedules } from "./families/mod.ts";
import { type FilesHost, memoryHost, pythonTree, type PythonUpload } from "./python_files.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MMDET = `${ROOT}fixtures/configs-py/mmdet`;
const DINO = "configs/dino/dino-4scale_r50_8xb2-12e_coco.py";
const SLOW = { timeout: 600_000 };

test("pythonTree: an upload as the sandbox's tree and request", () => {
  const folder = pythonTree({
    kind: "mmengine",
    name: "x.py",
    text: "_base_ = '../b.py'\n",
    files: { "configs/a/x.py": "_base_ = '../b.py'\n", "configs/b.py": "lr = 1\n" },
  });
  // The folder's own file of that name and text: its layout resolves `../b.py`.
  assert.equal(folder.request.path, "/upload/configs/a/x.py");
  assert.equal(folder.request.cwd, "/upload/configs/a");
  assert.deepEqual(Object.keys(folder.files).sort(), [
    "/upload/configs/a/x.py",
    "/upload/configs/b.py",
  ]);
  const loose = pythonTree({
    kind: "mmengine",
    name: "x.py",
    text: "a = 1\n",
    files: { "../../etc/passwd": "no" },
    overrides: ["a=2"],
  });
  assert.equal(loose.request.path, "/upload/x.py");
  assert.deepEqual(loose.request.overrides, ["a=2"]);
  // A `..` in an uploaded name cannot climb out of the mount.
  assert.deepEqual(Object.keys(loose.files).sort(), ["/upload/passwd", "/upload/x.py"]);
});

test("memoryHost: the uploads, by path or by a name only one of them has; nothing else", () => {
  const host = memoryHost({
    "/upload/configs/a/x.py": "x",
    "/upload/configs/_base_/b.py": "b",
    "/upload/one/c.py": "c1",
    "/upload/two/c.py": "c2",
  });
  assert.equal(host.read("/upload/configs/a/../_base_/b.py"), "b");
  assert.equal(host.read("/anywhere/b.py"), "b"); // picked without its folder: matched by name
  assert.equal(host.read("/upload/one/c.py"), "c1");
  assert.equal(host.read("/upload/c.py"), undefined); // two files named c.py: the path decides
  assert.equal(host.read("/etc/passwd"), undefined);
  assert.equal(host.read("/lib/python3.14/os.py"), undefined);
  assert.equal(host.kind("/upload/configs"), "dir");
  assert.equal(host.kind("/upload/configs/a/x.py"), "file");
  assert.equal(host.kind("/upload/nothing"), undefined);
});

/** The sandbox in this thread, reading `files` through the memory host (the page's worker). */
async function sandbox(): Promise<(upload: PythonUpload) => Record<string, unknown>> {
  const entry = import.meta.resolve("pyodide");
  const { loadPyodide } = await import(entry);
  const pyodide = await loadPyodide({
    indexURL: fileURLToPath(new URL(".", entry)),
    stdout: () => {},
    stderr: () => {},
  });
  let files: FilesHost = memoryHost({});
  const sources = Object.fromEntries(
    SANDBOX_MODULES.map((n) => [n, readFileSync(`${ROOT}config/pyodide/${n}`, "utf8")]),
  );
  const box = installSandbox(pyodide, sources, {
    read: (p) => files.read(p),
    kind: (p) => files.kind(p),
  });
  return (upload) => {
    const tree = pythonTree(upload);
    files = memoryHost(tree.files);
    return settle(answer(box, 0, tree.request), upload.name).config;
  };
}

/** Every file under `dir`, by its path relative to `under` (as a folder upload names them). */
function folder(
  dir: string,
  under: string,
  out: Record<string, string> = {},
): Record<string, string> {
  for (const name of readdirSync(dir)) {
    const path = `${dir}/${name}`;
    if (statSync(path).isDirectory()) folder(path, under, out);
    else if (name.endsWith(".py")) out[path.slice(under.length + 1)] = readFileSync(path, "utf8");
  }
  return out;
}

test(
  "a .py uploaded with its bases reads as lrspec curve --mmengine reads the file",
  SLOW,
  async (t) => {
    const read = await sandbox();
    const text = readFileSync(`${MMDET}/${DINO}`, "utf8");
    const fromDisk = (await loadPythonConfig(`${MMDET}/${DINO}`, { kind: "mmengine" })).config;
    await t.test("a folder (configs/, as picked)", () => {
      const files = folder(`${MMDET}/configs`, MMDET);
      assert.ok(Object.keys(files).includes(DINO));
      assert.deepEqual(read({ kind: "mmengine", name: "dino.py", text, files }), fromDisk);
    });
    await t.test("the config and its two bases picked one by one (matched by name)", () => {
      const files = {
        "coco_detection.py": readFileSync(
          `${MMDET}/configs/_base_/datasets/coco_detection.py`,
          "utf8",
        ),
        "default_runtime.py": readFileSync(`${MMDET}/configs/_base_/default_runtime.py`, "utf8"),
      };
      const name = "dino-4scale_r50_8xb2-12e_coco.py";
      assert.deepEqual(read({ kind: "mmengine", name, text, files }), fromDisk);
    });
    await t.test("--cfg-options", async () => {
      const files = folder(`${MMDET}/configs`, MMDET);
      const overrides = ["optim_wrapper.optimizer.lr=0.0002", "train_cfg.max_epochs=24"];
      const disk = await loadPythonConfig(`${MMDET}/${DINO}`, { kind: "mmengine", overrides });
      assert.deepEqual(read({ kind: "mmengine", name: DINO, text, files, overrides }), disk.config);
    });
    await t.test("a base not uploaded, a file outside the uploads: the sandbox's errors", () => {
      assert.throws(
        () => read({ kind: "mmengine", name: "dino.py", text, files: {} }),
        /coco_detection\.py/,
      );
      assert.throws(
        () =>
          read({
            kind: "mmengine",
            name: "x.py",
            text: "x = open('/etc/hostname').read()\n",
            files: {},
          }),
        /PermissionError|FileNotFoundError|\/etc\/hostname/,
      );
      assert.throws(
        () => read({ kind: "mmengine", name: "x.py", text: "import os\n", files: {} }),
        /ImportError/,
      );
    });
    await t.test("the page's Export CSV of the upload is lrspec curve --mmengine FILE.py", async () => {
      const defs = siteSchedules(siteSchema());
      const def = defs.get("mmengine/config")!;
      const files = folder(`${MMDET}/configs`, MMDET);
      const python: PythonResolver = (upload) => {
        try {
          return { config: read(upload) };
        } catch (error) {
          return { error: error as Error };
        }
      };
      const values = { config: text, file: DINO, epochLength: "5", opts: "" };
      const curve = def.build({ values, files, python });
      let out = "", err = "";
      const code = await main(
        ["curve", "--mmengine", `${MMDET}/${DINO}`, "--epoch-length", "5"],
        { stdout: (s) => (out += s), stderr: (s) => (err += s) },
      );
      assert.equal(code, 0, err);
      assert.equal(out.split("\n")[0], "iter,epoch,lr,lr_backbone");
      assert.equal(curveCsv(curve.view), out);
      // Without a sandbox (or while it reads), the form says so beside the config.
      assert.throws(() => def.build({ values, files }), /Python sandbox/);
      assert.throws(
        () => def.build({ values, files, python: () => undefined }),
        /reading the config/,
      );
    });
  },
);

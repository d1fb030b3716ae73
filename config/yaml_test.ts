import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CfgNode, type PyValue } from "../mod.ts";
import {
  loadConfig,
  loadYamlWithBase,
  mergeFromFile,
  parseConfig,
  parseYaml,
  resolveBasePath,
} from "./yaml.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const readFixture = (path: string): string => readFileSync(`${FIXTURES}${path}`, "utf8");

function entries(text: string): Record<string, [string, unknown]> {
  const doc = parseYaml(text);
  assert.equal(doc.type, "node");
  const out: Record<string, [string, unknown]> = {};
  for (const [k, v] of (doc as Extract<PyValue, { type: "node" }>).value) {
    out[k] = [v.type, "value" in v ? v.value : v.repr];
  }
  return out;
}

test("parseYaml: PyYAML's safe_load", async (t) => {
  await t.test("YAML 1.1 scalars", () => {
    const e = entries(
      "a: yes\nb: Off\nc: 0100\nd: 0x1f\ne: 1_000\nf: 1:30\ng: 1e-3\nh: 1.0e-3\ni: ~\nj:\nk: .inf\n" +
        "l: 2020-01-01\nm: y\nn: '1.5'\no: (1, 2)\np: 0o17\nq: +.5\nr: -0\n",
    );
    assert.deepEqual(e.a, ["bool", true]);
    assert.deepEqual(e.b, ["bool", false]);
    assert.deepEqual(e.c, ["int", 64]);
    assert.deepEqual(e.d, ["int", 31]);
    assert.deepEqual(e.e, ["int", 1000]);
    assert.deepEqual(e.f, ["int", 90]);
    assert.deepEqual(e.g, ["str", "1e-3"]); // not a YAML 1.1 float: yacs decodes it later
    assert.deepEqual(e.h, ["float", 0.001]);
    assert.deepEqual(e.i, ["None", null]);
    assert.deepEqual(e.j, ["None", null]);
    assert.deepEqual(e.k, ["float", Infinity]);
    assert.deepEqual(e.l, ["date", "datetime.date(2020, 1, 1)"]);
    assert.deepEqual(e.m, ["str", "y"]);
    assert.deepEqual(e.n, ["str", "1.5"]);
    assert.deepEqual(e.o, ["str", "(1, 2)"]);
    assert.deepEqual(e.p, ["str", "0o17"]);
    assert.deepEqual(e.q, ["str", "+.5"]);
    assert.deepEqual(e.r, ["int", 0]);
  });
  await t.test("anchors, aliases, merge keys and duplicate keys", () => {
    const doc = parseYaml(
      "A: &x [1, 2]\nB: *x\nC:\n  <<: [{p: 1, q: 1}, {p: 2, r: 2}]\n  q: 3\nD: 1\nD: 2\n",
    ) as Extract<PyValue, { type: "node" }>;
    assert.deepEqual(doc.value.get("B")?.type, "list");
    const c = doc.value.get("C") as Extract<PyValue, { type: "node" }>;
    assert.deepEqual(
      [...c.value].map(([k, v]) => [k, (v as { value: unknown }).value]),
      [["p", 1], ["r", 2], ["q", 3]],
    );
    assert.deepEqual(doc.value.get("D"), {
      type: "int",
      value: 2,
      source: { file: "<string>", line: 7 },
    });
  });
  await t.test("values carry their file and line", () => {
    const doc = parseYaml("A:\n  B: 1\n", { fileName: "x.yaml" }) as Extract<
      PyValue,
      { type: "node" }
    >;
    const a = doc.value.get("A") as Extract<PyValue, { type: "node" }>;
    assert.deepEqual(a.value.get("B")?.source, { file: "x.yaml", line: 2 });
  });
  await t.test("syntax errors name the file, line and column", () => {
    assert.throws(
      () => parseYaml("SOLVER:\n  BASE_LR: 0.01\n   MAX_ITER: 100\n", { fileName: "bad.yaml" }),
      {
        name: "SyntaxError",
        message: "bad.yaml:3:12: mapping values are not allowed here (check the indentation)",
      },
    );
    assert.throws(() => parseYaml("a: 1\n---\na: 2\n"), /<string>:2: expected a single document/);
  });
  await t.test("no tag constructs objects or runs code", () => {
    for (
      const text of [
        "a: !!python/name:os.system ''\n",
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !!python/object/new:dict {}\n",
        "a: !custom 1\n",
        'a: !!python/object/apply:eval [\'__import__("os").system("echo")\']\n',
        "a: !!python/object/apply:eval ['open(\"/etc/passwd\")']\n",
      ]
    ) {
      assert.throws(() => parseYaml(text), SyntaxError, text);
    }
  });
  await t.test("data tags, and detectron2's anchor-size eval through the restricted interpreter", () => {
    const notes: string[] = [];
    const e = entries("a: !!python/tuple [1, 2]\nb: !!float '1'\nc: !!str 12\n");
    assert.deepEqual(e.b, ["float", 1]);
    assert.deepEqual(e.c, ["str", "12"]);
    assert.equal(e.a![0], "tuple");
    const doc = parseYaml(
      'S: !!python/object/apply:eval ["[[x, x * 2**(1.0/3), x * 2**(2.0/3) ] for x in [32, 64]]"]\n',
      { onWarning: (w) => notes.push(w) },
    ) as Extract<PyValue, { type: "node" }>;
    assert.deepEqual(
      JSON.stringify(doc.value.get("S")),
      JSON.stringify({
        type: "list",
        value: [32, 64].map((x) => ({
          type: "list",
          value: [
            { type: "int", value: x },
            { type: "float", value: x * 2 ** (1.0 / 3) },
            { type: "float", value: x * 2 ** (2.0 / 3) },
          ],
        })),
        source: { file: "<string>", line: 1 },
      }),
    );
    assert.equal(notes.length, 1);
    assert.throws(
      () => parseYaml('S: !!python/object/apply:eval ["[1]"]\n', { pythonEval: "refuse" }),
      SyntaxError,
    );
  });
  await t.test("keys must be strings", () => {
    assert.throws(() => parseYaml("1: a\n"), /config keys must be strings/);
    assert.throws(() => parseYaml("yes: a\n"), /True/);
  });
});

test("loadYamlWithBase: fvcore's _BASE_ rules", async (t) => {
  const files: Record<string, string> = {
    "c/base.yaml": "SOLVER:\n  BASE_LR: 0.02\n  MAX_ITER: 100\nMODEL:\n  WEIGHTS: base\n",
    "c/other.yaml": "SOLVER:\n  MAX_ITER: 200\n",
    "c/sub/child.yaml": "_BASE_: [../base.yaml, ../other.yaml]\nSOLVER:\n  BASE_LR: 0.01\n",
    "c/loop-a.yaml": "_BASE_: loop-b.yaml\n",
    "c/loop-b.yaml": "_BASE_: ./loop-a.yaml\n",
    "c/missing.yaml": "SOLVER: {}\n_BASE_: nope.yaml\n",
    "c/inherit.yaml": "_BASE_: scalar.yaml\nINPUT:\n  FORMAT: RGB\n",
    "c/scalar.yaml": "INPUT: RGB\n",
  };
  const readFile = (path: string): string => {
    const text = files[path.replace(/[^/]+\/\.\.\//g, "").replace(/\/\.\//g, "/")];
    if (text === undefined) throw new Error(`ENOENT: ${path}`);
    return text;
  };
  await t.test("bases in order, then the file; paths relative to the including file", () => {
    const tree = loadYamlWithBase("c/sub/child.yaml", { readFile });
    const node = CfgNode.getCfg().mergeFromOtherCfg(tree);
    const cfg = node.toConfig();
    assert.equal(cfg.SOLVER.BASE_LR, 0.01);
    assert.equal(cfg.SOLVER.MAX_ITER, 200);
    assert.equal(cfg.MODEL.WEIGHTS, "base");
    assert.equal(resolveBasePath("../base.yaml", "c/sub/child.yaml"), "c/sub/../base.yaml");
    assert.equal(resolveBasePath("/abs.yaml", "c/child.yaml"), "/abs.yaml");
    assert.equal(resolveBasePath("b.yaml", "child.yaml"), "b.yaml");
  });
  await t.test("a cycle is reported, not recursed into", () => {
    assert.throws(
      () => loadYamlWithBase("c/loop-a.yaml", { readFile }),
      (e: Error) =>
        e instanceof RangeError &&
        /_BASE_ cycle: c\/loop-a\.yaml → c\/loop-b\.yaml → c\/loop-a\.yaml/.test(e.message),
    );
  });
  await t.test("a missing base names the including file and line", () => {
    assert.throws(
      () => loadYamlWithBase("c/missing.yaml", { readFile }),
      /^Error: c\/missing\.yaml:2: cannot read _BASE_ 'nope\.yaml'/,
    );
  });
  await t.test("detectron2's Cannot inherit key", () => {
    assert.throws(
      () => loadYamlWithBase("c/inherit.yaml", { readFile }),
      /Cannot inherit key 'INPUT' from base!/,
    );
  });
  await t.test("mergeFromFile puts file and line in merge errors", () => {
    files["c/typo.yaml"] = "SOLVER:\n  BASE_LR: 0.01\n  MAX_ITERS: 100\n";
    assert.throws(
      () => mergeFromFile(CfgNode.getCfg(), "c/typo.yaml", { readFile }),
      {
        name: "TypeError",
        message:
          "c/typo.yaml:3: Non-existent config key: SOLVER.MAX_ITERS (did you mean SOLVER.MAX_ITER?)",
      },
    );
  });
});

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith(".yaml") ? [path] : [];
  });
}

test("loadConfig: every detectron2 model-zoo config loads", () => {
  const root = `${FIXTURES}detectron2-configs`;
  const all = yamlFiles(root);
  assert.equal(all.length, 95);
  for (const path of all) {
    const rel = path.slice(FIXTURES.length);
    const loaded = loadConfig(rel, { readFile: readFixture, project: "auto" });
    assert.equal(loaded.project, rel.includes("/DeepLab/") ? "deeplab" : "detectron2", rel);
    assert.equal(loaded.files[0], rel);
    assert.ok(loaded.cfg.SOLVER.MAX_ITER > 0);
  }
});

test("loadConfig and parseConfig options", async (t) => {
  const deeplab =
    "detectron2-configs/projects/DeepLab/configs/Cityscapes-SemanticSegmentation/deeplab_v3_plus_R_103_os16_mg124_poly_90k_bs16.yaml";
  await t.test("a DeepLab config needs DeepLab's keys, as in detectron2", () => {
    assert.throws(
      () => loadConfig(deeplab, { readFile: readFixture }),
      /Non-existent config key: MODEL\.RESNETS\.RES5_MULTI_GRID/,
    );
    const { cfg, project, files } = loadConfig(deeplab, {
      readFile: readFixture,
      project: "deeplab",
    });
    assert.equal(project, "deeplab");
    assert.equal(cfg.SOLVER.LR_SCHEDULER_NAME, "WarmupPolyLR");
    assert.equal(cfg.SOLVER.POLY_LR_POWER, 0.9);
    assert.equal(files.length, 3);
  });
  await t.test("opts, new keys, extensions", () => {
    const text = "SOLVER:\n  BASE_LR: 0.02\nCUSTOM:\n  K: 1\n";
    assert.throws(() => parseConfig(text), /Non-existent config key: CUSTOM/);
    const { cfg, node } = parseConfig(text, {
      allowNewKeys: true,
      opts: ["SOLVER.BASE_LR", "0.04"],
    });
    assert.equal(cfg.SOLVER.BASE_LR, 0.04);
    assert.equal(node.get("CUSTOM.K")?.type, "int");
    const ext = parseConfig("MY:\n  X: 2.5\n", {
      extensions: [{ name: "mine", keys: { "MY.X": "1.0" } }],
    });
    assert.equal(ext.node.get("MY.X")?.type, "float");
  });
});

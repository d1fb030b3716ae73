// Long lists of plain numbers in YAML (config/yaml/number_lists.ts, issue 26): read by lrspec's own
// scanner with the same values, types and lines as the `yaml` package gives, in any context the
// scanner may meet them (or left to the package where it must); 10⁶ milestones in about a second;
// and a document of more scalars than any config has refused by name instead of parsed for minutes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_YAML_SCALARS, parseYaml } from "../yaml.ts";
import { NUMBER_LISTS, reduceNumberLists } from "./number_lists.ts";
import type { PyValue } from "../python.ts";

/** parseYaml's value, or the message it throws. */
function read(text: string): PyValue | string {
  try {
    return parseYaml(text, { fileName: "c.yaml" });
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** parseYaml with the scanner on every list of 3 or more numbers, and with it off. */
function both(text: string): { scanned: PyValue | string; plain: PyValue | string } {
  const min = NUMBER_LISTS.min;
  try {
    NUMBER_LISTS.min = 3;
    const scanned = read(text);
    NUMBER_LISTS.min = Infinity;
    return { scanned, plain: read(text) };
  } finally {
    NUMBER_LISTS.min = min;
  }
}

const NUMS = "1, -2, +3, 0, -0, 0100, 0x1F, 1_000, 2.5, 1e5, 1.5e-3, 6., 2001-12-14, 1-2, 0b101";
const BLOCK = (indent: string) => NUMS.split(", ").map((n) => `${indent}- ${n}`).join("\n");

const DOCS: Record<string, string> = {
  "flow in a mapping": `SOLVER:\n  STEPS: [${NUMS}]\n  MAX_ITER: 9\n`,
  "flow, no spaces": `A: [1,2,3,4]\n`,
  "flow, spaces before commas": `A: [1 , 2 ,3 ,  4 ]\n`,
  "two flow lists on one line": `A: {x: [1, 2, 3], y: [4, 5, 6, 7]}\n`,
  "flow inside flow": `A: [[1, 2, 3], [4, 5, 6]]\n`,
  "flow with a comment after": `A: [1, 2, 3, 4] # the steps\nB: 1\n`,
  "flow, CRLF": `A: [1, 2, 3, 4]\r\nB: [5, 6, 7]\r\n`,
  "flow, tagged tuple": `A: !!python/tuple [1, 2, 3, 4]\n`,
  "flow, anchored and aliased": `A: &s [1, 2, 3, 4]\nB: *s\n`,
  "flow, top level": `[1, 2, 3, 4]\n`,
  "flow as a key": `[1, 2, 3, 4]: x\n`,
  "flow in a quoted string": `A: "[1, 2, 3, 4]"\nB: '[5, 6, 7, 8]'\n`,
  "flow in a plain scalar": `A: x[1, 2, 3, 4]\n`,
  "flow in a comment": `A: 1 # [1, 2, 3, 4]\n`,
  "flow in a block scalar": `A: |\n  [1, 2, 3, 4]\nB: 2\n`,
  "flow over two lines": `A: [1, 2,\n  3, 4]\n`,
  "flow, an item not a number": `A: [1, 2, x, 4]\n`,
  "block in a mapping": `SOLVER:\n  STEPS:\n${BLOCK("  ")}\n  MAX_ITER: 9\n`,
  "block, indented": `SOLVER:\n  STEPS:\n${BLOCK("    ")}\n  MAX_ITER: 9\n`,
  "block, CRLF": `A:\r\n- 1\r\n- 2\r\n- 3\r\nB: 1\r\n`,
  "block at the top level": `${BLOCK("")}\n`,
  "block after a non-number item": `A:\n- x\n- 1\n- 2\n- 3\n`,
  "block, a comment in the middle": `A:\n- 1\n- 2\n- 3\n# c\n- 4\n- 5\n- 6\n`,
  "block, a blank line in the middle": `A:\n- 1\n- 2\n- 3\n\n- 4\n- 5\n- 6\n`,
  "block, more items after": `A:\n- 1\n- 2\n- 3\n- [4]\n`,
  "block in a block scalar": `A: |\n  - 1\n  - 2\n  - 3\nB: 2\n`,
  "block in a seq of seqs": `-\n  - 1\n  - 2\n  - 3\n-\n  - 4\n  - 5\n  - 6\n`,
  "block, anchored": `A: &s\n- 1\n- 2\n- 3\nB: *s\n`,
  "block, then a bad indentation": `A:\n  - 1\n  - 2\n  - 3\n B: 1\n`,
  "flow, then a syntax error": `A: [1, 2, 3, 4]\nB: [1, 2\n`,
  "flow, then a second document": `A: [1, 2, 3, 4]\n---\nB: 1\n`,
  "flow, a tab error after": `A: [1, 2, 3, 4]\nB:\n\t- 1\n`,
  "flow, then an unknown tag": `A: [1, 2, 3, 4]\nB: !!python/name:os.system x\n`,
  "block, then a merge key value": `A:\n- 1\n- 2\n- 3\nB: <<\n`,
};

test("yaml number lists: the scanner gives what the yaml package gives, in every context", () => {
  let cut = 0;
  for (const [name, text] of Object.entries(DOCS)) {
    const { scanned, plain } = both(text);
    assert.deepEqual(scanned, plain, name);
    if (reduceNumberLists(text, 3) !== undefined) cut++;
  }
  // Most of them meet the scanner (the rest have no list it takes).
  assert.ok(cut >= 28, `${cut} documents cut`);
});

test("yaml number lists: found where they are, cut to their first item, offsets mapped back", () => {
  const text = `A: [1, 2, 3, 4] # c\nB:\n  - 10\n  - 20\n  - 30\nC: [5, 6]\n`;
  const r = reduceNumberLists(text, 3)!;
  assert.equal(r.text, `A: [1] # c\nB:\n  - 10\nC: [5, 6]\n`);
  assert.deepEqual([...r.lists.values()].map((l) => [l.flow, l.items, l.line]), [
    [true, ["1", "2", "3", "4"], 1],
    [false, ["10", "20", "30"], 3],
  ]);
  // "# c" and "C:" are where they were in the original.
  assert.equal(text.slice(r.toOriginal(r.text.indexOf("# c"))).slice(0, 3), "# c");
  assert.equal(text.slice(r.toOriginal(r.text.indexOf("C:"))).slice(0, 2), "C:");
  assert.equal(reduceNumberLists(text, 5), undefined);
  // Each block item keeps its own line; an error after the lists names the original line.
  const v = parseYaml(`A:\n${Array.from({ length: 300 }, (_, i) => `- ${i}`).join("\n")}\n`);
  assert.ok(v.type === "node");
  const items = v.value.get("A")!;
  assert.ok(items.type === "list");
  assert.deepEqual(items.value.slice(0, 2), [
    { type: "int", value: 0, source: { file: "<string>", line: 2 } },
    { type: "int", value: 1, source: { file: "<string>", line: 3 } },
  ]);
  assert.deepEqual(items.value[299]!.source, { file: "<string>", line: 301 });
  const flow = `A: [${Array.from({ length: 300 }, (_, i) => i).join(", ")}]\n`;
  const bad = `${flow}B:\n${Array.from({ length: 300 }, (_, i) => `- ${i}`).join("\n")}\n C: [`;
  const { scanned, plain } = both(bad);
  assert.equal(scanned, plain);
  assert.equal(
    read(bad),
    "SyntaxError: c.yaml:303:3: mapping values are not allowed here (check the indentation)",
  );
});

test("yaml number lists: 10⁶ milestones, flow or block, read in about a second", () => {
  const n = 1_000_000;
  const items = Array.from({ length: n }, (_, i) => String(1000 + i * 7));
  for (
    const text of [
      `SOLVER:\n  STEPS: [${items.join(", ")}]\n  MAX_ITER: 9000000\n`,
      `SOLVER:\n  STEPS:\n${items.map((x) => `  - ${x}`).join("\n")}\n  MAX_ITER: 9000000\n`,
    ]
  ) {
    const t0 = performance.now();
    const v = parseYaml(text, { fileName: "big.yaml" });
    const ms = performance.now() - t0;
    // About 1 s on a loaded 2-core machine; the yaml package alone took 15–25 s.
    assert.ok(ms < 8000, `${ms.toFixed(0)} ms`);
    assert.ok(v.type === "node");
    const solver = v.value.get("SOLVER")!;
    assert.ok(solver.type === "node");
    const steps = solver.value.get("STEPS")!;
    assert.ok(steps.type === "list");
    assert.equal(steps.value.length, n);
    assert.deepEqual(steps.value[n - 1], {
      type: "int",
      value: 1000 + (n - 1) * 7,
      source: { file: "big.yaml", line: text.includes("[") ? 2 : n + 2 },
    });
    assert.deepEqual(solver.value.get("MAX_ITER"), {
      type: "int",
      value: 9000000,
      source: { file: "big.yaml", line: text.includes("[") ? 3 : n + 3 },
    });
  }
});

test(`yaml: more than ${MAX_YAML_SCALARS} scalars besides number lists, refused by name quickly`, () => {
  const many = 300_000;
  const cases = [
    // What the scanner leaves to the yaml package: other items, lists it does not take.
    `A: [${Array.from({ length: many }, (_, i) => `a${i}`).join(", ")}]\n`,
    `A:\n${
      Array.from({ length: many }, (_, i) => `- ${i}${i % 100 === 0 ? " # c" : ""}`).join("\n")
    }\n`,
    `A: [${Array.from({ length: many }, (_, i) => `[${i}]`).join(", ")}]\n`,
    `A:\n${Array.from({ length: many }, (_, i) => `  k${i}: ${i}`).join("\n")}\n`,
  ];
  for (const text of cases) {
    const t0 = performance.now();
    assert.throws(() => parseYaml(text, { fileName: "many.yaml" }), {
      name: "SyntaxError",
      message: `many.yaml: more than ${MAX_YAML_SCALARS} keys and values (besides lists of plain ` +
        `numbers) in one YAML document; no learning-rate config comes near that, and lrspec ` +
        `stops here`,
    });
    const ms = performance.now() - t0;
    // The yaml package took 5–40 s on each of these.
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  }
  // Just under the limit: read.
  const under = `A: [${
    Array.from({ length: MAX_YAML_SCALARS - 2 }, (_, i) => `a${i}`).join(",")
  }]\n`;
  const v = parseYaml(under);
  assert.ok(v.type === "node");
});

test("yaml: nesting that exhausts the parser's stack is named where it starts, the same every time", () => {
  // Where the stack runs out depends on the stack the parse starts with (a worker, a test runner,
  // a fresh process): the message names the outermost bracket and the depth instead.
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  const flowMap = (n: number) => "{a: ".repeat(n) + "1" + "}".repeat(n);
  const cases: [string, string][] = [
    [
      `A: 1\nB: ${deep(20000)}\n`,
      "d.yaml:2:4: too deeply nested for a config (20000 levels of brackets)",
    ],
    [
      `A: [1, 2]\nC: [x, ${flowMap(20000)}]\n`,
      "d.yaml:2:4: too deeply nested for a config (20001 levels of brackets)",
    ],
  ];
  const depthOf = (k: number): string => {
    if (k === 0) {
      const out: string[] = [];
      for (const [text] of cases) {
        try {
          parseYaml(text, { fileName: "d.yaml" });
          out.push("parsed");
        } catch (error) {
          out.push((error as Error).message);
        }
      }
      return out.join("\n");
    }
    return depthOf(k - 1);
  };
  // Parsed from different stack depths: the same messages.
  const expected = cases.map(([, m]) => m).join("\n");
  for (const k of [0, 50, 500]) assert.equal(depthOf(k), expected, `${k} frames deeper`);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatVerifyReport, verifyCsv } from "./verify.ts";
import { readTable } from "./csv.ts";

const golden =
  "iter,lr0,lr1,error\n0,0.1,0.2,\n1,0.010000000000000002,0.020000000000000004,\n2,,,RuntimeError\n";

test("verify: a faithful port passes, in any row order and without an error column", () => {
  const r = verifyCsv(
    golden,
    "iter,lr1,lr0\n2,,\n1,0.020000000000000004,0.010000000000000002\n0,0.2,0.1\n",
  );
  assert.equal(r.ok, true, formatVerifyReport(r));
  assert.deepEqual([r.values, r.exact, r.errorsMirrored, r.errorsExpected], [4, 4, 1, 1]);
});

test("verify: names the first divergence with expected, actual and ULP", () => {
  const r = verifyCsv(
    golden,
    "iter,lr0,lr1,error\n0,0.1,0.2,\n1,0.01,0.020000000000000004,\n2,,,IndexError\n",
    {
      candidateName: "mine.csv",
    },
  );
  assert.equal(r.ok, false);
  assert.deepEqual(r.first, {
    key: "1",
    column: "lr0",
    expected: "0.010000000000000002",
    actual: "0.01",
    ulp: 1,
    line: 3,
  });
  assert.match(
    formatVerifyReport(r),
    /first divergence at 1 \(lr0, candidate line 3\): expected 0.010000000000000002, got 0.01 \(1 ULP\)/,
  );
  assert.equal(
    verifyCsv(golden, "iter,lr0,lr1\n0,0.1,0.2\n1,0.01,0.020000000000000004\n2,,\n", { maxUlp: 1 })
      .ok,
    true,
  );
});

test("verify: missing rows, values where upstream raised, and extra rows", () => {
  const r = verifyCsv(golden, "iter,lr0,lr1\n0,0.1,0.2\n2,0.001,0.002\n9,1,1\n");
  assert.equal(r.ok, false);
  assert.equal(r.first?.actual, "missing");
  assert.equal(r.mismatches, 3);
  assert.equal(r.extraRows, 1);
});

test("verify: malformed candidates get a SyntaxError with file and line", () => {
  const cases: [string, RegExp][] = [
    ["", /mine.csv:1: the file is empty/],
    ["iter,lr0,lr1\n0,0.1\n", /mine.csv:2: Invalid Record Length: expect 3, got 2/],
    ["iter,lr0,lr1\n0,0.1,abc\n", /mine.csv:2: not a number: "abc"/],
    ["iter,lr0,lr1\n0,0.1,0.2\n0,0.1,0.2\n", /mine.csv:3: duplicate iter 0 \(first on line 2\)/],
    ["step,lr0,lr1\n0,0.1,0.2\n", /mine.csv:1: the first column must be "iter"/],
    ["iter,lr0\n0,0.1\n", /mine.csv:1: missing column "lr1"/],
    ["iter,lr0,lr1,lr2\n0,0.1,0.2,0.3\n", /mine.csv:1: unexpected column "lr2"/],
    ['iter,lr0,lr1\n0,"0.1,0.2\n', /mine.csv:\d+: .*[Qq]uote/],
    ["iter,,lr1\n", /mine.csv:1: column 2 has no name/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => verifyCsv(golden, text, { candidateName: "mine.csv" }), {
      name: "SyntaxError",
      message,
    }, text);
  }
});

test("verify: a real fixture against itself, and a 100k-row candidate", () => {
  const path = fileURLToPath(
    new URL("../fixtures/detectron2/build/multistep-short.csv", import.meta.url),
  );
  const text = readFileSync(path, "utf8");
  assert.equal(verifyCsv(text, text).ok, true);
  const big = ["iter,lr"];
  for (let i = 0; i < 100_000; i++) big.push(`${i},${1 / (i + 1)}`);
  const t = big.join("\n");
  const r = verifyCsv(t, t);
  assert.deepEqual([r.ok, r.values], [true, 100_000]);
});

test("readTable parses numbers as Python and JavaScript print them", async () => {
  const { parseNumber } = await import("./csv.ts");
  assert.equal(parseNumber("1e-05", "x"), 0.00001);
  assert.ok(Object.is(parseNumber("-0.0", "x"), -0));
  assert.equal(parseNumber("inf", "x"), Infinity);
  assert.ok(Number.isNaN(parseNumber("nan", "x")));
  assert.throws(() => parseNumber("0x10", "f:3"), {
    name: "SyntaxError",
    message: 'f:3: not a number: "0x10"',
  });
  assert.throws(() => parseNumber("", "f:3"), SyntaxError);
  assert.equal(readTable("a,b\n\n1,2\n", "t").rows.length, 1);
});

test("an iteration that is not a non-negative integer is malformed input, with its line", () => {
  const golden = "iter,lr\n0,0.5\n1,0.25\n";
  for (const bad of ["1.5", "-1", "1e300"]) {
    assert.throws(
      () => verifyCsv(golden, `iter,lr\n0,0.5\n${bad},0.25\n`, { candidateName: "c.csv" }),
      {
        name: "SyntaxError",
        message: `c.csv:3: iter must be a non-negative integer: got "${bad}"`,
      },
    );
  }
  assert.throws(() => verifyCsv("iter,lr\n0.5,1\n", "iter,lr\n0,1\n"), /golden:2: iter must be/);
  // `where` keys are progress values: fractions are what they are.
  assert.equal(verifyCsv("where,value\n0.5,1\n", "where,value\n0.5,1\n").ok, true);
});

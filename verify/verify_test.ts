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

test("verify: an epoch column (lrspec curve --mmengine) says where a row is, in either file", () => {
  const withEpoch = "iter,epoch,lr,lr_backbone,error\n0,0,0.1,0.01,\n1,0,0.1,0.01,\n" +
    "2,1,0.010000000000000002,0.001,\n3,1,,,RangeError\n";
  const plain = "iter,lr,lr_backbone,error\n0,0.1,0.01,\n1,0.1,0.01,\n" +
    "2,0.010000000000000002,0.001,\n3,,,RangeError\n";
  for (const [g, c] of [[withEpoch, withEpoch], [withEpoch, plain], [plain, withEpoch]]) {
    const r = verifyCsv(g!, c!);
    assert.equal(r.ok, true, formatVerifyReport(r));
    // The epoch is not a value: 3 rows × 2 rates.
    assert.deepEqual([r.values, r.exact, r.errorsMirrored], [6, 6, 1]);
  }
  // Compared where both have it (an error row's too), in any column order.
  const r = verifyCsv(
    withEpoch,
    "iter,lr,lr_backbone,epoch\n0,0.1,0.01,0\n1,0.1,0.01,1\n2,0.010000000000000002,0.001,1\n" +
      "3,,,2\n",
    { candidateName: "mine.csv" },
  );
  assert.equal(r.ok, false);
  assert.equal(r.mismatches, 2);
  assert.deepEqual(r.first, { key: "1", column: "epoch", expected: "0", actual: "1", line: 3 });
  assert.throws(
    () => verifyCsv(withEpoch, "iter,epoch,lr,lr_backbone\n0,0.5,0.1,0.01\n"),
    /candidate:2: epoch must be a non-negative integer: got "0.5"/,
  );
  // The first column is the key: an epoch-numbered file (timm) is not changed by this.
  assert.equal(verifyCsv("epoch,lr\n0,0.1\n", "epoch,lr\n0,0.1\n").values, 1);
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

test("verify cannot pass by accident: an empty golden file fails with its own message", () => {
  const r = verifyCsv("iter,lr\n", "iter,lr\n0,0.1\n", { goldenName: "g.csv" });
  assert.equal(r.ok, false);
  assert.equal(r.values, 0);
  assert.equal(r.goldenRows, 0);
  assert.match(r.problems[0]!, /the golden file g.csv has a header and no rows/);
  assert.match(formatVerifyReport(r), /FAIL: 2 problems$/);
  // Even with an empty candidate: nothing compared is not a pass.
  assert.equal(verifyCsv("iter,lr\n", "iter,lr\n").ok, false);
});

test("verify cannot pass by accident: a golden file cut short fails unless --allow-subset", () => {
  const rows = (n: number) =>
    ["iter,lr", ...Array.from({ length: n }, (_, i) => `${i},${0.1 * 0.5 ** i}`)].join("\n");
  const r = verifyCsv(rows(49), rows(101), { candidateName: "c.csv" });
  assert.equal(r.ok, false);
  assert.deepEqual([r.values, r.exact, r.extraRows, r.mismatches], [49, 49, 52, 0]);
  assert.deepEqual(r.firstExtra, { key: "49", line: 51 });
  assert.match(
    r.problems[0]!,
    /the candidate has 52 rows the golden file lacks \(the first: iter 49, candidate line 51\): is the golden file cut short\? Pass --allow-subset/,
  );
  const subset = verifyCsv(rows(49), rows(101), { allowSubset: true });
  assert.equal(subset.ok, true, formatVerifyReport(subset));
  assert.match(formatVerifyReport(subset), /52 candidate rows not in the golden file \(ignored/);
  // The other way round the candidate is missing rows: a mismatch per value, counted as rows.
  const short = verifyCsv(rows(101), rows(49), { allowSubset: true });
  assert.deepEqual([short.ok, short.missingRows, short.mismatches], [false, 52, 52]);
});

test("verify: duplicates are malformed input in the golden file as in the candidate", () => {
  const dup = "iter,lr\n0,1\n1,2\n2,3\n1,2\n";
  assert.throws(() => verifyCsv(dup, "iter,lr\n0,1\n1,2\n2,3\n", { goldenName: "g.csv" }), {
    name: "SyntaxError",
    message: "g.csv:5: duplicate iter 1 (first on line 3)",
  });
  assert.throws(
    () => verifyCsv("iter,lr\n0,1\n1,2\n2,3\n", dup, { candidateName: "c.csv" }),
    { name: "SyntaxError", message: "c.csv:5: duplicate iter 1 (first on line 3)" },
  );
  // Out of order, then repeated: found with the first line, too.
  assert.throws(
    () => verifyCsv("iter,lr\n5,1\n\n3,2\n7,1\n3,2\n", "iter,lr\n3,2\n5,1\n7,1\n"),
    { message: "golden:6: duplicate iter 3 (first on line 4)" },
  );
  assert.throws(() => verifyCsv("where,value\n0.5,1\n-0,2\n0,3\n", "where,value\n"), {
    message: "golden:4: duplicate where 0 (first on line 3)",
  });
});

test("verify reports the largest divergence as well as the first", () => {
  const g = "iter,lr\n0,1\n1,1\n2,1\n";
  const r = verifyCsv(g, "iter,lr\n0,1.0000000000000002\n1,1.5\n2,1\n");
  assert.deepEqual([r.first?.key, r.first?.ulp, r.worst?.key], ["0", 1, "1"]);
  assert.match(formatVerifyReport(r), /largest divergence at 1 \(lr, candidate line 3\)/);
  // A missing value is farther than any number of ULPs.
  const m = verifyCsv(g, "iter,lr\n0,1.0000000000000002\n1,1\n");
  assert.deepEqual([m.worst?.key, m.worst?.actual], ["2", "missing"]);
});

test("verify streams: files in the same order are compared row by row, in pieces", async () => {
  const { streamTable } = await import("./csv.ts");
  const { verifyTables } = await import("./verify.ts");
  const n = 200_000;
  const position = { golden: 0, candidate: 0, maxLag: 0 };
  function* file(which: "golden" | "candidate"): Generator<string> {
    yield "iter,lr\r\n";
    for (let i = 0; i < n; i += 1000) {
      const part: string[] = [];
      for (let k = i; k < i + 1000; k++) part.push(`${k},${1 / (k + 1)}\r\n`);
      position[which] = i;
      position.maxLag = Math.max(position.maxLag, Math.abs(position.golden - position.candidate));
      // A piece that ends inside a number: rows are joined across pieces.
      const text = part.join("");
      yield text.slice(0, 7);
      yield text.slice(7);
    }
  }
  const r = verifyTables(
    streamTable(file("golden"), "g.csv"),
    streamTable(file("candidate"), "c.csv"),
  );
  assert.deepEqual([r.ok, r.values, r.exact], [true, n, n]);
  // Neither file ran ahead of the other by more than a piece: nothing was held in memory.
  assert.ok(position.maxLag <= 1000, `lag ${position.maxLag}`);
});

test("streamTable: quoted fields, a byte-order mark, blank lines and ragged rows", async () => {
  const { streamTable } = await import("./csv.ts");
  const t = streamTable(['\ufeffiter,lr,error\n0,,"Value', 'Error: a, b"\n\n1, 0.5 ,\n'], "t.csv");
  assert.deepEqual(t.header, ["iter", "lr", "error"]);
  assert.deepEqual([...t.rows], [
    { line: 2, cells: ["0", "", "ValueError: a, b"] },
    { line: 4, cells: ["1", "0.5", ""] },
  ]);
  const multi = streamTable(['a,b\n1,"x\n', 'y"\n2,z\n'], "m.csv");
  assert.deepEqual([...multi.rows], [{ line: 2, cells: ["1", "x\ny"] }, {
    line: 4,
    cells: ["2", "z"],
  }]);
  assert.throws(() => [...streamTable(["a,b\n1,2,3\n"], "r.csv").rows], {
    name: "SyntaxError",
    message: "r.csv:2: Invalid Record Length: expect 2, got 3",
  });
  assert.throws(() => streamTable(["", "\n\n"], "e.csv"), /e.csv:1: the file is empty/);
});

/**
 * The verify mode's CSV reader on hostile input: truncated, ragged, non-numeric, empty and very
 * large files get a SyntaxError with a file and line number — never a stack trace from deep
 * inside, never a silent pass.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fc } from "../testing/props.ts";
import { verifyCsv } from "./verify.ts";

const golden =
  ["iter,lr0,lr1,error", "0,0.1,0.2,", "1,0.05,0.1,", "2,0.025,0.05,", "3,,,IndexError"].join(
    "\n",
  ) + "\n";

/** Candidate texts: the golden file damaged in random ways, or arbitrary text. */
const damaged = fc.oneof(
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) =>
    golden.slice(0, a % golden.length) + golden.slice(b % golden.length)
  ),
  fc.tuple(fc.nat(), fc.string({ maxLength: 6 })).map(([i, s]) => {
    const k = i % golden.length;
    return golden.slice(0, k) + s + golden.slice(k);
  }),
  fc.string({ maxLength: 200 }),
  fc.array(
    fc.array(
      fc.oneof(fc.double().map(String), fc.constantFrom("", "x", "nan", "1e999", '"', "0x1")),
      { maxLength: 5 },
    ),
    { maxLength: 8 },
  )
    .map((rows) => ["iter,lr0,lr1,error", ...rows.map((r) => r.join(","))].join("\n")),
);

test("verify: any candidate text gives a report or a SyntaxError with file:line", () => {
  fc.assert(fc.property(damaged, (text) => {
    try {
      const r = verifyCsv(golden, text, { candidateName: "cand.csv" });
      assert.equal(typeof r.ok, "boolean");
      assert.equal(r.ok, r.mismatches === 0 && r.problems.length === 0);
    } catch (e) {
      assert.ok(e instanceof SyntaxError, `not a SyntaxError: ${String(e)}`);
      assert.match((e as Error).message, /^cand\.csv:(\d+|\?): /);
    }
  }));
});

test("verify: a faithful copy passes, one changed value fails at that row", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (n, k) => {
    const rows = ["iter,lr"];
    for (let i = 0; i < n; i++) rows.push(`${i},${Math.cos(i)}`);
    const text = rows.join("\n");
    assert.equal(verifyCsv(text, text).ok, true);
    const j = k % n;
    const bad = rows.slice();
    bad[j + 1] = `${j},${Math.cos(j) + 1}`;
    const r = verifyCsv(text, bad.join("\n"));
    assert.equal(r.ok, false);
    assert.equal(r.first?.key, String(j));
  }));
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { formatReport, runConformance } from "./report.ts";
import { loadSuite } from "./runner.ts";
import { FIXTURES_DIR, SUITES } from "./report.ts";

test("every golden fixture passes under the conformance policy", () => {
  const report = runConformance();
  const text = formatReport(report);
  assert.ok(report.ok, text);
  for (const name of Object.keys(SUITES)) {
    const { manifest } = loadSuite(`${FIXTURES_DIR}${name}`);
    const suite = report.suites.find((s) => s.suite === name)!;
    assert.equal(suite.cases.length, manifest.cases.length, `${name}: every case ran`);
    for (const c of suite.cases) {
      const spec = manifest.cases.find((m) => m.id === c.id)!;
      if (spec.error) {
        assert.equal(c.errorsMirrored, 1, `${c.id}: upstream's construction error is mirrored`);
      } else {
        assert.ok(c.values > 0, `${c.id}: compares values`);
      }
      if ((spec.libm ?? []).length === 0 && spec.kind !== "pow_int") {
        assert.equal(c.libmDiffs, 0, `${c.id}: no libm, so every value is exact`);
      }
      if (c.oracle) {
        assert.ok(
          c.oracle.exact && c.oracle.hits > 0,
          `${c.id}: exact once glibc's libm is substituted`,
        );
      }
    }
  }
  const d2 = report.summaries.find((s) => s.suite === "detectron2")!;
  assert.ok(d2.values > 100_000, "the detectron2 suite compares more than 100k values");
  assert.equal(d2.errorsMirrored, d2.errorsExpected);
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { formatReport, runConformance } from "./report.ts";
import { loadSuite } from "./runner.ts";
import { FIXTURES_DIR, SUITES } from "./report.ts";

test("every golden fixture passes under the conformance policy", { timeout: 300_000 }, () => {
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

test("the torch suite covers every class, with errors and resumes", () => {
  const report = runConformance({ suites: ["torch"] });
  assert.ok(report.ok, formatReport(report));
  const { manifest } = loadSuite(`${FIXTURES_DIR}torch`);
  const classes = [
    "LambdaLR",
    "MultiplicativeLR",
    "StepLR",
    "MultiStepLR",
    "ConstantLR",
    "LinearLR",
    "ExponentialLR",
    "PolynomialLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "OneCycleLR",
    "SequentialLR",
    "ChainedScheduler",
    "ReduceLROnPlateau",
  ];
  const groups = report.groups.torch!;
  assert.deepEqual(groups.map((g) => g.suite).sort(), classes.slice().sort());
  for (const g of groups) {
    assert.ok(g.values > 2000, `${g.suite}: compares more than 2000 values`);
    assert.equal(g.errorsMirrored, g.errorsExpected, `${g.suite}: every torch error mirrored`);
    assert.equal(g.failures, 0);
    const resumed = manifest.cases.filter((c) => c.group === g.suite && c.resume !== undefined);
    assert.ok(resumed.length > 0, `${g.suite}: has a state-dict resume case`);
  }
  const torch = report.summaries[0]!;
  assert.ok(torch.values > 50_000, "the torch suite compares more than 50k values");
});

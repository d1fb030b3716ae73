import { test } from "node:test";
import assert from "node:assert/strict";
import { formatReport, runConformance } from "./report.ts";
import { loadSuite, runSuite } from "./runner.ts";
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

for (const name of ["torch", "torch-2.11"]) {
  test(`the ${name} suite covers every class, with errors and resumes`, () => {
    checkTorchSuite(name);
  });
}

function checkTorchSuite(name: string): void {
  const report = runConformance({ suites: [name] });
  assert.ok(report.ok, formatReport(report));
  const { manifest } = loadSuite(`${FIXTURES_DIR}${name}`);
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
  const groups = report.groups[name]!;
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
}

test("each suite records its releases; the other release fails exactly where upstream changed", () => {
  const versions = (name: string) => loadSuite(`${FIXTURES_DIR}${name}`).manifest.versions;
  assert.deepEqual(versions("torch"), { torch: "1.13", python: "3.11" });
  assert.deepEqual(versions("detectron2"), { torch: "1.13", python: "3.11" });
  assert.deepEqual(versions("torch-2.11"), { torch: "2.11", python: "3.12" });
  assert.deepEqual(versions("detectron2-py3.12"), { torch: "2.11", python: "3.12" });
  const failing = (name: string, torch: "1.13" | "2.11", python: "3.11" | "3.12") =>
    runSuite(`${FIXTURES_DIR}${name}`, SUITES[name]!, undefined, { torch, python }).cases
      .filter((c) => c.failureCount > 0).map((c) => c.id).sort();
  // torch 2.11's goldens under lrspec's torch 1.13: the cases the reference README lists.
  assert.deepEqual(failing("torch-2.11", "1.13", "3.12"), [
    "cosine/last-epoch",
    "cyclic/error-adam",
    "exponential/last-epoch",
    "linear/last-epoch",
    "linear/start-0",
    "sequential/lambda",
    "sequential/milestone-0",
  ]);
  // And the other way round (linear/start-0 has a CSV in 1.13 only; error-adam no CSV).
  assert.deepEqual(failing("torch", "2.11", "3.11"), [
    "cosine/last-epoch",
    "cyclic/error-adam",
    "exponential/last-epoch",
    "linear/last-epoch",
    "linear/start-0",
    "sequential/lambda",
    "sequential/milestone-0",
  ]);
  assert.deepEqual(failing("detectron2-py3.12", "2.11", "3.11"), [
    "fvcore/composite-three-corrected",
  ]);
  assert.deepEqual(failing("detectron2", "1.13", "3.12"), ["fvcore/composite-three-corrected"]);
});

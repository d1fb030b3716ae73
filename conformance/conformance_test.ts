import { test } from "node:test";
import assert from "node:assert/strict";
import { formatReport, runConformance } from "./report.ts";
import { loadSuite, runSuite } from "./runner.ts";
import { FIXTURES_DIR, SUITES } from "./report.ts";
import { startConfigsPy } from "./configs_py.ts";

// bun's node:test ignores bunfig's timeout and stops a test after 5 s unless told otherwise; a
// suite takes a few seconds, more on a loaded machine.
const SLOW = { timeout: 120_000 };

// One test per suite.
for (const name of Object.keys(SUITES)) {
  test(`${name}: every golden fixture passes under the conformance policy`, SLOW, async () => {
    // The configs-py handlers block on a Pyodide worker, which Bun cannot start while blocked.
    if (name === "configs-py") await startConfigsPy();
    const report = runConformance({ suites: [name] });
    assert.ok(report.ok, formatReport(report));
    const { manifest } = loadSuite(`${FIXTURES_DIR}${name}`);
    const suite = report.suites.find((s) => s.suite === name)!;
    assert.equal(suite.cases.length, manifest.cases.length, `${name}: every case ran`);
    for (const c of suite.cases) {
      const spec = manifest.cases.find((m) => m.id === c.id)!;
      if (spec.error) {
        assert.equal(c.errorsMirrored, 1, `${c.id}: upstream's construction error is mirrored`);
      } else if (spec.error !== null) {
        // A case whose every call raises upstream (Keras' int32 boundaries) mirrors errors only;
        // `error: null` is an error probe upstream constructed, which compares the construction.
        assert.ok(c.values + c.errorsMirrored > 0, `${c.id}: compares values or errors`);
      }
      // Keras on numpy and torch computes cos/log with the backend's own float32 code, not
      // glibc's: the README documents and bounds those differences (conformance/keras.ts).
      const ownFloat32 = ["numpy", "torch"].includes((spec as { backend?: string }).backend ?? "");
      if ((spec.libm ?? []).length === 0 && spec.kind !== "pow_int" && !ownFloat32) {
        assert.equal(c.libmDiffs, 0, `${c.id}: no libm, so every value is exact`);
      }
      if (c.oracle) {
        assert.ok(
          c.oracle.exact && c.oracle.hits > 0,
          `${c.id}: exact once glibc's libm is substituted`,
        );
      }
    }
    if (name.startsWith("detectron2")) {
      const d2 = report.summaries[0]!;
      assert.ok(d2.values > 100_000, "the detectron2 suite compares more than 100k values");
      assert.equal(d2.errorsMirrored, d2.errorsExpected);
    }
  });
}

for (const name of ["torch", "torch-2.11", "torch-2.13"]) {
  test(`the ${name} suite covers every class, with errors and resumes`, SLOW, () => {
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
  // torch.optim.swa_utils.SWALR (and the SWA switch): in the suites generated since it was added.
  if (manifest.cases.some((c) => c.group === "SWALR")) classes.push("SWALR");
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

const failing = (name: string, torch: "1.13" | "2.11" | "2.13", python: "3.11" | "3.12") =>
  runSuite(`${FIXTURES_DIR}${name}`, SUITES[name]!, undefined, { torch, python }).cases
    .filter((c) => c.failureCount > 0).map((c) => c.id).sort();

// The torch cases that upstream changed between 1.13 and 2.11 (the reference README's list, less
// the detectron2 one): a suite run for the other release fails exactly these.
const TORCH_CHANGED = [
  "cosine/last-epoch",
  "cyclic/error-adam",
  "exponential/last-epoch",
  "linear/last-epoch",
  "linear/start-0",
  "sequential/lambda",
  "sequential/milestone-0",
];

test("each suite records its releases", SLOW, () => {
  const versions = (name: string) => loadSuite(`${FIXTURES_DIR}${name}`).manifest.versions;
  assert.deepEqual(versions("torch"), { torch: "1.13", python: "3.11" });
  assert.deepEqual(versions("detectron2"), { torch: "1.13", python: "3.11" });
  assert.deepEqual(versions("configs"), { torch: "1.13", python: "3.11" });
  assert.deepEqual(versions("torch-2.11"), { torch: "2.11", python: "3.12" });
  assert.deepEqual(versions("detectron2-py3.12"), { torch: "2.11", python: "3.12" });
  assert.deepEqual(versions("configs-py3.12"), { torch: "2.11", python: "3.12" });
  assert.deepEqual(versions("torch-2.13"), { torch: "2.13", python: "3.11" });
});

test("torch 2.11's goldens under torch 1.13 fail exactly where upstream changed", SLOW, () => {
  assert.deepEqual(failing("torch-2.11", "1.13", "3.12"), TORCH_CHANGED);
});

test("torch 1.13's goldens under torch 2.11 fail exactly where upstream changed", SLOW, () => {
  assert.deepEqual(
    failing("torch", "2.11", "3.11"),
    [...TORCH_CHANGED, "swalr/in-sequential"].sort(), // SWALR: no 2.11 goldens
  );
});

// The torch cases that upstream changed between 2.11 and 2.13: SequentialLR's initial step with a
// milestone at 0 (issue #185872, PR #185986).
const TORCH_213_CHANGED = ["sequential/milestone-0", "sequential/milestones-0-1"];

test("torch 2.13's goldens under torch 2.11 fail exactly where upstream changed", SLOW, () => {
  assert.deepEqual(failing("torch-2.13", "2.11", "3.11"), TORCH_213_CHANGED);
});

test("torch 2.11's goldens under torch 2.13 fail exactly where upstream changed", SLOW, () => {
  assert.deepEqual(failing("torch-2.11", "2.13", "3.12"), TORCH_213_CHANGED);
});

test(
  "torch 2.13's goldens under torch 1.13 fail where 1.13 differs from 2.11 or 2.13",
  SLOW,
  () => {
    assert.deepEqual(
      failing("torch-2.13", "1.13", "3.11"),
      [...TORCH_CHANGED, "sequential/milestones-0-1", "swalr/in-sequential"].sort(),
    );
  },
);

test(
  "SWALR: torch 1.13's and 2.13's goldens differ only where SequentialLR restarts it",
  SLOW,
  () => {
    const swa = (ids: string[]) => ids.filter((id) => id.startsWith("swa"));
    assert.deepEqual(swa(failing("torch", "2.13", "3.11")), ["swalr/in-sequential"]);
    assert.deepEqual(swa(failing("torch-2.13", "1.13", "3.11")), ["swalr/in-sequential"]);
    for (const name of ["torch", "torch-2.13"]) {
      const { manifest } = loadSuite(`${FIXTURES_DIR}${name}`);
      assert.equal(manifest.cases.filter((c) => c.group === "SWALR").length, 27, name);
    }
  },
);

test("Python 3.12's goldens under Python 3.11: the one compensated sum", SLOW, () => {
  assert.deepEqual(failing("detectron2-py3.12", "2.11", "3.11"), [
    "fvcore/composite-three-corrected",
  ]);
});

test("Python 3.11's goldens under Python 3.12: the one compensated sum", SLOW, () => {
  assert.deepEqual(failing("detectron2", "1.13", "3.12"), ["fvcore/composite-three-corrected"]);
});

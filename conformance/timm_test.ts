import { test } from "node:test";
import assert from "node:assert/strict";
import { formatReport, runConformance } from "./report.ts";
import { loadSuite } from "./runner.ts";
import { FIXTURES_DIR } from "./report.ts";

test(
  "the timm suite: every class, the reference run whole, noise and errors mirrored",
  { timeout: 300_000 },
  () => {
    const report = runConformance({ suites: ["timm"] });
    assert.ok(report.ok, formatReport(report));
    const { manifest } = loadSuite(`${FIXTURES_DIR}timm`);
    const groups = report.groups.timm!;
    const classes = [
      "CosineLRScheduler",
      "TanhLRScheduler",
      "PolyLRScheduler",
      "StepLRScheduler",
      "MultiStepLRScheduler",
      "PlateauLRScheduler",
      "create_scheduler_v2",
      "TorchGenerator",
      "scheduler_kwargs",
    ];
    assert.deepEqual(groups.map((g) => g.suite).sort(), classes.slice().sort());
    for (const g of groups) {
      assert.equal(g.failures, 0, g.suite);
      assert.equal(g.errorsMirrored, g.errorsExpected, `${g.suite}: every upstream error mirrored`);
    }
    // The reference run, every record of it: 500 class cases, 250 factory cases, 3,000 seeds.
    const reference = manifest.cases.filter((c) => c.source === "reference");
    assert.equal(reference.filter((c) => c.kind === "timm_scheduler").length, 500);
    assert.equal(reference.filter((c) => c.kind === "timm_create_scheduler_v2").length, 250);
    // The generator: every draw exact, no libm allowance used (float32 absorbs the runtime's libm).
    const rng = groups.find((g) => g.suite === "TorchGenerator")!;
    assert.equal(rng.exact, rng.values);
    assert.ok(rng.values >= 24_000 + 2_000, "3,000 × 4 × 2 reference draws and the local ones");
    // Noise cases are in the suite and pass.
    const noisy = manifest.cases.filter((c) => {
      const o = (c.options ?? {}) as Record<string, unknown>;
      return (o.noiseRangeT ?? null) !== null || (o.noise ?? null) !== null;
    });
    assert.ok(noisy.length >= 150, `${noisy.length} noise cases`);
    const suite = report.suites[0]!;
    for (const c of noisy) {
      const r = suite.cases.find((x) => x.id === c.id)!;
      assert.equal(r.failureCount, 0, c.id);
    }
    const timm = report.summaries[0]!;
    assert.ok(timm.values > 400_000, "the timm suite compares more than 400k values");
    // Both runs made here came from the reference's stack; the replay reproduced the reference.
    const m = manifest as unknown as {
      sources: Record<string, { timm: string; torch: string; libc: string }>;
      replayAgreement: { records: number; identical: number };
    };
    for (const run of ["replay", "local"]) {
      assert.equal(m.sources[run]!.timm, "1.0.29", run);
      assert.ok(m.sources[run]!.torch.startsWith("2.11"), run);
      assert.equal(m.sources[run]!.libc, "glibc 2.39", run);
    }
    assert.equal(m.replayAgreement.identical, m.replayAgreement.records);
  },
);

import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXTURES_DIR, formatReport, runConformance } from "./report.ts";
import { loadSuite } from "./runner.ts";
import { SCHEDULER_TYPES } from "../schedules/hf/trainer_utils.ts";

test("the hf suite: every get_scheduler name on real transformers output, errors mirrored", {
  timeout: 120_000, // bun's node:test ignores bunfig.toml's timeout
}, () => {
  const report = runConformance({ suites: ["hf"] });
  assert.ok(report.ok, formatReport(report));
  const groups = new Map(report.groups.hf!.map((g) => [g.suite, g]));
  for (const name of SCHEDULER_TYPES) {
    const g = groups.get(name);
    assert.ok(g !== undefined, `${name}: has cases`);
    assert.ok(g.values > 5000, `${name}: compares more than 5000 values (${g.values})`);
    assert.equal(g.failures, 0, name);
  }
  const hf = report.summaries[0]!;
  assert.ok(hf.values > 250_000, "the hf suite compares more than 250k values");
  assert.ok(hf.errorsExpected >= 20, "upstream's errors are in the suite");
  assert.equal(hf.errorsMirrored, hf.errorsExpected, "every upstream error mirrored");
  const { manifest } = loadSuite(`${FIXTURES_DIR}hf`);
  assert.ok(
    manifest.cases.some((c) => c.complete === false),
    "errors raised while stepping are in the suite",
  );
  const suite = report.suites[0]!;
  assert.ok(suite.libmProbe.some((p) => p.op === "sqrt" && p.calls > 1000), "sqrt is probed");
  // GreedyLR on metrics: the reference's 58 cases, replayed with metrics, and the generated run's.
  assert.ok(groups.get("greedy")!.cases >= 85, "greedy: the replayed reference cases are in");
});

test(
  "the hf suite: every libm result recorded while transformers ran; the replay is the reference",
  {
    timeout: 120_000,
  },
  () => {
    const { manifest } = loadSuite(`${FIXTURES_DIR}hf`);
    const m = manifest as unknown as {
      sources: { meta: { transformers: string; libc: string }; libmDerived: number }[];
      referenceAgreement: {
        cases: number;
        identical: number;
        differ: string[];
        givenMetrics: number;
      };
    };
    for (const s of m.sources) {
      assert.equal(s.meta.transformers, "5.17.0");
      assert.equal(s.libmDerived, 0, "no libm result computed by the converter");
    }
    assert.deepEqual(
      [
        m.referenceAgreement.cases,
        m.referenceAgreement.identical,
        m.referenceAgreement.givenMetrics,
      ],
      [770, 712, 58],
    );
    assert.deepEqual(m.referenceAgreement.differ, []);
  },
);

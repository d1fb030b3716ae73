import { test } from "node:test";
import assert from "node:assert/strict";
import { FIXTURES_DIR, formatReport, runConformance } from "./report.ts";
import { measureBackendLibm, measureValues, recordedLookups } from "./keras.ts";
import { loadSuite } from "./runner.ts";

const CLASSES = [
  "ExponentialDecay",
  "PiecewiseConstantDecay",
  "PolynomialDecay",
  "InverseTimeDecay",
  "CosineDecay",
  "CosineDecayRestarts",
  "ReduceLROnPlateau",
  "LearningRateScheduler",
];
/** The classes whose values pass through a backend's own (not correctly rounded) cos or log. */
const THROUGH_COS_OR_LOG = new Set(["CosineDecay", "CosineDecayRestarts"]);

// bun's node:test ignores bunfig's timeout and stops a test after 5 s unless told otherwise.
const SLOW = { timeout: 120_000 };

test(
  "the keras suite: exact float32, or a difference proven to be the backend's cos/log",
  SLOW,
  () => {
    const before = recordedLookups.misses;
    const report = runConformance({ suites: ["keras"] });
    assert.ok(report.ok, formatReport(report));
    assert.equal(recordedLookups.misses, before, "every cos/log/pow argument was recorded");
    const groups = report.groups.keras!;
    for (const backend of ["numpy", "jax", "torch"]) {
      for (const cls of CLASSES) {
        const g = groups.find((s) => s.suite === `${cls} (${backend})`);
        assert.ok(g && g.values >= 48, `${cls} (${backend}): values compared`);
        assert.equal(g.failures, 0);
        assert.equal(g.errorsMirrored, g.errorsExpected, `${cls} (${backend}): errors mirrored`);
        if (!THROUGH_COS_OR_LOG.has(cls)) {
          assert.equal(g.exact, g.values, `${cls} (${backend}): every value bit-identical`);
        } else {
          assert.equal(g.exact + g.libmDiffs, g.values, `${cls} (${backend})`);
        }
      }
    }
    // JAX's cos is glibc's cosf, which lrspec reproduces: CosineDecay is exact on jax.
    const jaxCosine = groups.find((s) => s.suite === "CosineDecay (jax)")!;
    assert.equal(jaxCosine.exact, jaxCosine.values);
  },
);

test("the keras suite: what the backends' float32 cos/log/pow are, measured", () => {
  const { manifest, ctx } = loadSuite(`${FIXTURES_DIR}keras`);
  const libm = measureBackendLibm(ctx.table("libmf.csv"));
  const find = (backend: string, op: string) =>
    libm.find((m) => m.backend === backend && m.op === op)!;
  // powf is glibc's on every backend, cosf on jax: lrspec's are bit-identical.
  for (const backend of ["numpy", "jax", "torch"]) assert.equal(find(backend, "pow").differ, 0);
  assert.equal(find("jax", "cos").differ, 0);
  // numpy's and torch's own cos, and every backend's log, are not correctly rounded: within 2
  // float32 ULPs of it on every argument of the goldens.
  for (const m of libm) {
    assert.ok(m.calls > 0 || m.op === "log", `${m.backend} ${m.op}: arguments recorded`);
    assert.ok(m.maxUlp <= 2, `${m.backend} ${m.op}: ${m.maxUlp} ULPs`);
  }
  assert.ok(find("numpy", "cos").differ > 0 && find("torch", "cos").differ > 0);
  // What those differences do to the values: per class and backend, in float32 ULPs.
  const values = measureValues(manifest.cases);
  for (const v of values) {
    const cls = v.group.split(" ")[0]!;
    if (!THROUGH_COS_OR_LOG.has(cls)) assert.equal(v.exact, v.values, v.group);
  }
  console.log(
    [
      ...libm.map((m) =>
        `${m.backend} ${m.op}: ${m.differ}/${m.calls} differ from lrspec's, max ${m.maxUlp} ULP`
      ),
      ...values.map((v) =>
        `${v.group}: ${v.exact}/${v.values} exact (${
          (100 * v.exact / v.values).toFixed(2)
        }%), max ${v.maxUlp} float32 ULP`
      ),
    ].join("\n"),
  );
});

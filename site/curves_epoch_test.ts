// The page's Export CSV with an epoch column (mmengine's EpochBasedTrainLoop: `iter,epoch,lr,…`)
// is the row-by-row CSV `lrspec curve` writes (testing/runs.ts; cli/csv_epoch_test.ts checks the
// CLI's streamed writer against the same reference): constant runs across epoch ends, computed
// runs, an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { EPOCH_LENGTHS, epochCsv, epochCurve } from "../testing/runs.ts";
import { curveCsv } from "./curves.ts";

test("Export CSV: iter,epoch,lr — the same bytes as row by row", async (t) => {
  const { curve, values } = epochCurve();
  const raising = epochCurve(true).curve;
  for (const perEpoch of EPOCH_LENGTHS) {
    await t.test(`${perEpoch} rows per epoch`, () => {
      assert.equal(
        curveCsv({ ...curve, rowsPerEpoch: perEpoch }),
        epochCsv(values, values.length, perEpoch),
      );
      assert.equal(
        curveCsv({ ...raising, rowsPerEpoch: perEpoch }),
        epochCsv(values, 1100, perEpoch, "RangeError"),
      );
    });
  }
  await t.test("without rowsPerEpoch: no epoch column", () => {
    const csv = curveCsv(curve);
    assert.equal(csv.split("\n")[0], "iter,lr");
    assert.equal(csv.split("\n")[26], "25,0.05");
  });
});

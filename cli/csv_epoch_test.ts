// `lrspec curve`'s CSV with an epoch column (mmengine's EpochBasedTrainLoop: `iter,epoch,lr,…`):
// the streamed writer (cli/_csv.ts, which copies a constant run's text row after row) writes the
// same bytes as a row-by-row reference (testing/runs.ts: constant runs that cross epoch
// boundaries, computed runs, an error from some row on), with a small buffer too. (The page's
// Export CSV, site/curves.ts, is checked against the same reference in site/curves_epoch_test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CurveRuns } from "../curve/runs.ts";
import { EPOCH_LENGTHS, epochCsv, epochCurve } from "../testing/runs.ts";
import { writeCurveCsv } from "./_csv.ts";
import { ByteWriter } from "./_output.ts";

async function streamed(
  curve: CurveRuns,
  rowsPerEpoch: number | undefined,
  size: number,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  const w = new ByteWriter(
    { write: (c) => void chunks.push(c.slice()), gone: false, close() {} },
    size,
  );
  await writeCurveCsv(curve, w, { rowsPerEpoch });
  await w.flush();
  return chunks.map((c) => new TextDecoder().decode(c)).join("");
}

test("curve CSV: iter,epoch,lr — streamed and row by row, the same bytes", async (t) => {
  const { curve, values } = epochCurve();
  const raising = epochCurve(true).curve;
  for (const perEpoch of EPOCH_LENGTHS) {
    await t.test(`${perEpoch} rows per epoch`, async () => {
      const expected = epochCsv(values, values.length, perEpoch);
      for (const size of [1 << 20, 512]) {
        assert.equal(await streamed(curve, perEpoch, size), expected, `buffer ${size}`);
      }
      const withError = epochCsv(values, 1100, perEpoch, "RangeError");
      assert.equal(await streamed(raising, perEpoch, 512), withError);
    });
  }
  await t.test("without rowsPerEpoch: no epoch column", async () => {
    const csv = await streamed(curve, undefined, 1 << 20);
    assert.equal(csv.split("\n")[0], "iter,lr");
    assert.equal(csv.split("\n")[26], "25,0.05");
  });
});

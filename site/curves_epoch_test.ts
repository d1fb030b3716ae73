// The page's Export CSV with an epoch column (mmengine's EpochBasedTrainLoop: `iter,epoch,lr,…`)
// is the row-by-row CSV `lrspec curve` writes (cli/csv_epoch_test.ts checks the CLI's streamed
// writer against the same reference): constant runs across epoch ends, computed runs, an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { errorAt, valuesRuns } from "../curve/runs.ts";
import { pyFloatRepr } from "../config/python.ts";
import { curveCsv } from "./curves.ts";

/** The CSV row by row, without runs. */
function reference(values: Float64Array, rows: number, perEpoch: number, error?: string): string {
  let out = `iter,epoch,lr${error ? ",error" : ""}\n`;
  for (let i = 0; i < rows; i++) {
    const value = i < values.length ? pyFloatRepr(values[i]!) : "";
    out += `${i},${Math.floor(i / perEpoch)},${value}${
      error ? (i < values.length ? "," : `,${error}`) : ""
    }\n`;
  }
  return out;
}

test("Export CSV: iter,epoch,lr — the same bytes as row by row", async (t) => {
  // 0.1 for 25 rows (a constant run over three epochs of 7), then 5 computed rows, then 0.01
  // for 1,000 rows, then a raise at row 1,030.
  const values = new Float64Array(1030);
  values.fill(0.1, 0, 25);
  for (let i = 25; i < 30; i++) values[i] = 0.1 / (i - 23);
  values.fill(0.01, 30);
  for (const perEpoch of [1, 7, 10, 1000, 5000]) {
    await t.test(`${perEpoch} rows per epoch`, () => {
      const plain = valuesRuns(values);
      assert.equal(
        curveCsv({ ...plain, rowsPerEpoch: perEpoch }),
        reference(values, values.length, perEpoch),
      );
      const raising = valuesRuns(values, {
        rows: 1100,
        error: errorAt(1030, new RangeError("no")),
      });
      assert.equal(
        curveCsv({ ...raising, rowsPerEpoch: perEpoch }),
        reference(values, 1100, perEpoch, "RangeError"),
      );
    });
  }
  await t.test("without rowsPerEpoch: no epoch column", () => {
    const csv = curveCsv(valuesRuns(values));
    assert.equal(csv.split("\n")[0], "iter,lr");
    assert.equal(csv.split("\n")[26], "25,0.05");
  });
});

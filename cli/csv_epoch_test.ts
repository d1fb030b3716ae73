// `lrspec curve`'s CSV with an epoch column (mmengine's EpochBasedTrainLoop: `iter,epoch,lr,…`):
// the streamed writer (cli/_csv.ts, which copies a constant run's text row after row) writes the
// same bytes as a row-by-row reference — constant runs that cross epoch boundaries, computed
// runs, an error from some row on, a small buffer. (The page's Export CSV, site/curves.ts, is
// checked against the same reference in site/curves_epoch_test.ts: nothing imports the site.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { errorAt, valuesRuns } from "../curve/runs.ts";
import { pyFloatRepr } from "../config/python.ts";
import { writeCurveCsv } from "./_csv.ts";
import { ByteWriter } from "./_output.ts";

async function streamed(
  curve: ReturnType<typeof valuesRuns>,
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

test("curve CSV: iter,epoch,lr — streamed and row by row, the same bytes", async (t) => {
  // 0.1 for 25 rows (a constant run over three epochs of 7), then 5 computed rows, then 0.01
  // for 1,000 rows (blocks of ten copied across epoch ends), then a raise at row 1,030.
  const values = new Float64Array(1030);
  values.fill(0.1, 0, 25);
  for (let i = 25; i < 30; i++) values[i] = 0.1 / (i - 23);
  values.fill(0.01, 30);
  for (const perEpoch of [1, 7, 10, 1000, 5000]) {
    await t.test(`${perEpoch} rows per epoch`, async () => {
      const plain = valuesRuns(values);
      const expected = reference(values, values.length, perEpoch);
      for (const size of [1 << 20, 512]) {
        assert.equal(await streamed(plain, perEpoch, size), expected, `buffer ${size}`);
      }
      const raising = valuesRuns(values, {
        rows: 1100,
        error: errorAt(1030, new RangeError("no")),
      });
      const withError = reference(values, 1100, perEpoch, "RangeError");
      assert.equal(await streamed(raising, perEpoch, 512), withError);
    });
  }
  await t.test("without rowsPerEpoch: no epoch column", async () => {
    const csv = await streamed(valuesRuns(values), undefined, 1 << 20);
    assert.equal(csv.split("\n")[0], "iter,lr");
    assert.equal(csv.split("\n")[26], "25,0.05");
  });
});

// `lrspec curve`'s CSV rows of a curve that changes every row (cli/_csv.ts: values written as
// bytes by curve/repr_bytes.ts, the iteration counter moved in place): the same bytes as a row by
// row reference built from pyFloatRepr, for every buffer size (down to smaller than one row), every
// kind of value (the fast range, the tail below 1e-5, integers, negatives), and across the
// counter's carries (9 → 10, 99 → 100, …).
import { test } from "node:test";
import assert from "node:assert/strict";
import { valuesRuns } from "../curve/runs.ts";
import { pyFloatRepr } from "../schedules/python.ts";
import { writeCurveCsv } from "./_csv.ts";
import { ByteWriter } from "./_output.ts";

async function streamed(values: Float64Array, size: number, firstIndex = 0): Promise<string> {
  const chunks: Uint8Array[] = [];
  const w = new ByteWriter(
    { write: (c) => void chunks.push(c.slice()), gone: false, close() {} },
    size,
  );
  await writeCurveCsv(valuesRuns(values), w, { firstIndex });
  await w.flush();
  return chunks.map((c) => new TextDecoder().decode(c)).join("");
}

function reference(values: Float64Array, firstIndex = 0): string {
  let out = "iter,lr\n";
  for (let i = 0; i < values.length; i++) out += `${i + firstIndex},${pyFloatRepr(values[i]!)}\n`;
  return out;
}

test("curve CSV: a value per row, the same bytes as row by row, any buffer size", async () => {
  const n = 2_345;
  const values = Float64Array.from(
    { length: n },
    (_, i) => 1e-6 + 0.01 * (1 + Math.cos(Math.PI * (i / (n - 1)))),
  );
  // Every kind of value among them: integers, negatives, zero, the tail, huge, tiny.
  values.set(
    [0.5, 1, -0.25, 0, 3e-6, 1e-5, 2e-5, 123.5, 1e22, 5e-324, 0.1, 0.30000000000000004],
    7,
  );
  const expected = reference(values);
  for (const size of [1 << 20, 4096, 64, 46, 45, 16]) {
    assert.equal(await streamed(values, size), expected, `buffer ${size}`);
  }
  // The counter's carries from another first index (the Trainer's step 1; 999,999 → 1,000,000).
  assert.equal(await streamed(values, 4096, 999_000), reference(values, 999_000));
});

/**
 * `lrspec curve`'s CSV, streamed: rows are formatted into a byte buffer as the runs of the
 * curve come, so the first line is out at once and memory stays constant. A constant run's value
 * is formatted once; each of its rows costs a copy of the iteration's digits (a decimal counter,
 * no number formatting) and of that text.
 *
 * @module
 */

import { pyFloatRepr } from "../config/python.ts";
import { type CurveRuns, RUN_CHUNK } from "../curve/runs.ts";
import { REPR_MAX_BYTES, writeRepr } from "../curve/repr_bytes.ts";
import type { ByteWriter } from "./_output.ts";

/** A number as Python's `repr` writes it (the fixtures' and detectron2's format), fast. */
export function reprFloat(x: number): string {
  // Where JavaScript's shortest round-trip form has a fraction and no exponent, Python's repr is
  // the same text; elsewhere (integers, exponents, tiny and huge values) they differ.
  const a = x < 0 ? -x : x;
  if (a >= 1e-4 && a < 1e16) {
    const s = String(x);
    if (s.indexOf(".") >= 0 && s.indexOf("e") < 0) return s;
  }
  return pyFloatRepr(x);
}

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const WIDTH = 20; // digits of the largest safe integer, and then some

/** The iteration as decimal digits, right-aligned in `digits[first …]`, incremented in place. */
class Counter {
  readonly digits: Uint8Array = new Uint8Array(WIDTH).fill(48);
  first = WIDTH;
  constructor(value: number) {
    this.set(value);
  }
  set(value: number): void {
    this.digits.fill(48);
    const s = String(value);
    this.first = WIDTH - s.length;
    for (let i = 0; i < s.length; i++) this.digits[this.first + i] = s.charCodeAt(i);
  }
  increment(): void {
    const digits = this.digits;
    let k = WIDTH - 1;
    while (digits[k] === 57) digits[k--] = 48;
    digits[k]!++;
    if (k < this.first) this.first = k;
  }
}

/**
 * Writes up to `count` rows (the counter's iteration, then `suffix`) into the writer's buffer,
 * as many as fit; returns how many. Rows come in aligned blocks of ten (iterations `…0` to
 * `…9`, one length): the first block is written byte by byte, each later one is a copy of the
 * previous block (`copyWithin`, a memmove) with the digits that changed patched in — usually
 * the tens digit alone.
 */
function fillRows(w: ByteWriter, counter: Counter, count: number, suffix: Uint8Array): number {
  const digits = counter.digits;
  const sl = suffix.length;
  const buf = w.buf;
  const cap = buf.length - 10 * (WIDTH + sl);
  let pos = w.pos;
  let n = 0;
  let block = -1; // where the previous block of ten starts (-1: none to copy)
  let blockFirst = 0; // its digit count (as counter.first)
  let changed = WIDTH - 2; // the leftmost digit that changed since that block
  const last = WIDTH - 1;
  while (n < count && pos <= cap) {
    const first = counter.first;
    if (digits[last] === 48 && count - n >= 10) {
      const rowLen = WIDTH - first + sl;
      if (block >= 0 && blockFirst === first) {
        buf.copyWithin(pos, block, block + 10 * rowLen);
        for (let j = changed; j < last; j++) {
          const d = digits[j]!;
          for (let r = 0, at = pos + j - first; r < 10; r++, at += rowLen) buf[at] = d;
        }
      } else {
        for (let r = 0, at = pos; r < 10; r++) {
          for (let k = first; k < last; k++) buf[at++] = digits[k]!;
          buf[at++] = 48 + r;
          for (let k = 0; k < sl; k++) buf[at++] = suffix[k]!;
        }
        blockFirst = first;
      }
      block = pos;
      pos += 10 * rowLen;
      n += 10;
      // The counter moves on by ten: carry from the tens digit.
      let k = last - 1;
      while (digits[k] === 57) digits[k--] = 48;
      digits[k]!++;
      if (k < counter.first) counter.first = k;
      changed = k;
      continue;
    }
    for (let k = first; k < WIDTH; k++) buf[pos++] = digits[k]!;
    for (let k = 0; k < sl; k++) buf[pos++] = suffix[k]!;
    counter.increment();
    n++;
    block = -1;
  }
  w.pos = pos;
  return n;
}

/**
 * Writes rows `iteration,value` for `column[k …]`, as many as fit in the writer's buffer (the
 * counter at row k's iteration, moved on row by row); returns the next k.
 */
function fillValueRows(
  w: ByteWriter,
  counter: Counter,
  column: Float64Array,
  k: number,
  end: number,
): number {
  const buf = w.buf;
  const limit = buf.length - (WIDTH + REPR_MAX_BYTES + 2);
  const digits = counter.digits;
  let first = counter.first;
  let pos = w.pos;
  while (k < end && pos <= limit) {
    for (let d = first; d < WIDTH; d++) buf[pos++] = digits[d]!;
    buf[pos++] = 44; // ","
    pos = writeRepr(column[k++]!, buf, pos);
    buf[pos++] = 10; // "\n"
    let i = WIDTH - 1; // the counter, incremented in place
    while (digits[i] === 57) digits[i--] = 48;
    digits[i]!++;
    if (i < first) first = i;
  }
  counter.first = first;
  w.pos = pos;
  return k;
}

/** Options of {@linkcode writeCurveCsv}. */
export interface CurveCsvOptions {
  /** Called after each chunk handed to the output, with the rows (not lines) written so far. */
  onProgress?: (rows: number) => void;
  /**
   * The first column's name.
   * @default {"iter"}
   */
  indexColumn?: string;
  /**
   * The number row 0 is written as (1: the Trainer's `global_step`).
   * @default {0}
   */
  firstIndex?: number;
  /**
   * Rows per epoch: an `epoch` column after the first, row `r` in epoch ⌊r / rowsPerEpoch⌋.
   * @default {undefined (no epoch column)}
   */
  rowsPerEpoch?: number | undefined;
}

/**
 * Writes `iter[,epoch],<columns>[,error]` (or another first column) and one row per iteration.
 * Stops early (quietly) when the reader is gone.
 */
export async function writeCurveCsv(
  curve: CurveRuns,
  w: ByteWriter,
  options: CurveCsvOptions = {},
): Promise<void> {
  const error = curve.error;
  const first = options.firstIndex ?? 0;
  const perEpoch = options.rowsPerEpoch;
  const header = [
    options.indexColumn ?? "iter",
    ...(perEpoch === undefined ? [] : ["epoch"]),
    ...curve.columns,
    ...(error ? ["error"] : []),
  ].join(",") + "\n";
  await w.text(header);
  await w.flush(); // the first line, at once
  const errorCell = error ? "," : "";
  const counter = new Counter(0);
  let rows = 0;
  const progress = options.onProgress;
  const flush = async () => {
    await w.flush();
    progress?.(rows);
  };
  /** `count` rows from the counter's iteration, each followed by `suffix`. */
  const fill = async (count: number, suffix: Uint8Array) => {
    while (count > 0) {
      if (w.gone) return;
      const n = fillRows(w, counter, count, suffix);
      count -= n;
      rows += n;
      if (count > 0) await flush();
    }
  };
  /** The rows `start … end − 1` (the counter at `start`), each followed by `[,epoch]` + `tail`. */
  const repeat = async (start: number, end: number, tail: string) => {
    if (perEpoch === undefined) return await fill(end - start, ascii(tail));
    // One piece per epoch: the epoch's digits are part of the text repeated.
    for (let a = start; a < end && !w.gone;) {
      const epoch = Math.floor(a / perEpoch);
      const b = Math.min(end, (epoch + 1) * perEpoch);
      await fill(b - a, ascii(`,${epoch}${tail}`));
      a = b;
    }
  };
  const width = curve.columns.length;
  const buffers = curve.columns.map(() => new Float64Array(RUN_CHUNK));
  const limit = error ? error.iteration : curve.rows;
  for (const run of curve.runs(0, limit)) {
    if (w.gone) return;
    counter.set(run.start + first);
    if (run.constant) {
      const cells = run.values.map((v) => "," + reprFloat(v)).join("");
      await repeat(run.start, run.end, cells + errorCell + "\n");
      continue;
    }
    for (let a = run.start; a < run.end; a += RUN_CHUNK) {
      const b = Math.min(run.end, a + RUN_CHUNK);
      for (let c = 0; c < width; c++) run.fill(c, a, b, buffers[c]!);
      if (
        perEpoch === undefined && width === 1 && errorCell === "" &&
        w.buf.length >= WIDTH + REPR_MAX_BYTES + 2
      ) {
        // One column, nothing else (most curves): the value's repr written straight into the
        // buffer, no string built (BENCH.md § Streaming: where a cosine row's time goes).
        const column = buffers[0]!;
        for (let k = 0, n = b - a; k < n;) {
          const next = fillValueRows(w, counter, column, k, n);
          rows += next - k;
          k = next;
          if (k < n) {
            await flush();
            if (w.gone) return;
          }
        }
        continue;
      }
      // Several columns, an epoch or an error column: the same, cell by cell.
      const epochCell = perEpoch !== undefined;
      const rowMax = WIDTH + (epochCell ? WIDTH + 1 : 0) + width * (REPR_MAX_BYTES + 1) + 2;
      if (rowMax > w.buf.length) {
        // Rows longer than the buffer (thousands of columns): one string each.
        for (let k = 0; k < b - a; k++) {
          let row = String(a + k + first);
          if (epochCell) row += `,${Math.floor((a + k) / perEpoch)}`;
          for (let c = 0; c < width; c++) row += "," + reprFloat(buffers[c]![k]!);
          await w.text(row + errorCell + "\n");
          if (w.gone) return;
          counter.increment();
          rows++;
        }
        continue;
      }
      for (let k = 0; k < b - a; k++) {
        if (w.pos + rowMax > w.buf.length) {
          await flush();
          if (w.gone) return;
        }
        const buf = w.buf;
        const digits = counter.digits;
        let pos = w.pos;
        for (let d = counter.first; d < WIDTH; d++) buf[pos++] = digits[d]!;
        if (epochCell) {
          const epoch = String(Math.floor((a + k) / perEpoch));
          buf[pos++] = 44;
          for (let i = 0; i < epoch.length; i++) buf[pos++] = epoch.charCodeAt(i);
        }
        for (let c = 0; c < width; c++) {
          buf[pos++] = 44;
          pos = writeRepr(buffers[c]![k]!, buf, pos);
        }
        if (errorCell) buf[pos++] = 44;
        buf[pos++] = 10;
        w.pos = pos;
        counter.increment();
        rows++;
      }
    }
  }
  if (error && error.iteration < curve.rows) {
    counter.set(error.iteration + first);
    await repeat(error.iteration, curve.rows, ",".repeat(width) + "," + error.name + "\n");
  }
  await flush();
}

/**
 * Strict reading of the numeric CSV files the fixtures and external ports use. Every problem is
 * a `SyntaxError` that names the file and line.
 *
 * @module
 */

import { parse } from "csv-parse/sync";

/** One record of a table: its cells and the 1-based line it starts on. */
export interface Row {
  /** The line the record starts on (1-based). */
  line: number;
  /** The cells, trimmed. */
  cells: string[];
}

/** A parsed numeric table: a header and rows with their 1-based line numbers. */
export interface Table {
  /** Where the table came from, for messages. */
  source: string;
  /** The column names. */
  header: string[];
  /** The records, with the line each started on. */
  rows: Row[];
}

/**
 * A table read record by record from text that arrives in pieces (a file read in blocks), so that
 * a ten-million-row file is compared in bounded memory. `rows` can be iterated once.
 */
export interface TableStream {
  /** Where the table came from, for messages. */
  source: string;
  /** The column names. */
  header: string[];
  /** The records, in file order, each checked to have as many cells as the header. */
  rows: IterableIterator<Row>;
}

/** One CSV record that contains quotes, parsed by csv-parse (quoted commas, doubled quotes). */
function parseQuoted(text: string, source: string, line: number): string[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    const at = typeof e.lines === "number" ? line + e.lines - 1 : line;
    throw new SyntaxError(`${source}:${at}: ${e.message ?? String(error)}`);
  }
  if (records.length !== 1) {
    throw new SyntaxError(`${source}:${line}: expected one record, got ${records.length}`);
  }
  return records[0]!.record;
}

/** Whether a line holds an odd number of `"`, i.e. leaves a quoted field open. */
function opensQuote(line: string): boolean {
  let open = false;
  for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) open = !open;
  return open;
}

/**
 * The logical lines of CSV text arriving in pieces: each with the line it starts on, `\r\n` and a
 * leading byte-order mark removed, blank lines skipped, a quoted field that spans lines kept whole.
 */
function* records(chunks: Iterable<string>, source: string): Generator<Row> {
  let buffer = "";
  let lineNo = 0;
  let first = true;
  let pending: { text: string; line: number } | undefined;
  const emit = function* (raw: string): Generator<Row> {
    lineNo++;
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (pending !== undefined) {
      pending.text += "\n" + text;
      if (opensQuote(text)) {
        const p = pending;
        pending = undefined;
        yield { line: p.line, cells: parseQuoted(p.text, source, p.line) };
      }
      return;
    }
    if (text.trim() === "") return;
    if (text.includes('"')) {
      if (opensQuote(text)) pending = { text, line: lineNo };
      else yield { line: lineNo, cells: parseQuoted(text, source, lineNo) };
      return;
    }
    const cells = text.split(",");
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      if (c.length > 0 && (c.charCodeAt(0) <= 32 || c.charCodeAt(c.length - 1) <= 32)) {
        cells[i] = c.trim();
      }
    }
    yield { line: lineNo, cells };
  };
  for (const chunk of chunks) {
    if (typeof chunk !== "string") {
      throw new TypeError(`${source}: the file's text must come as strings: got ${typeof chunk}`);
    }
    buffer += chunk;
    if (first && buffer.length > 0) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      first = false;
    }
    let start = 0;
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n", start)) {
      yield* emit(buffer.slice(start, nl));
      start = nl + 1;
    }
    buffer = buffer.slice(start);
  }
  if (buffer.length > 0) yield* emit(buffer);
  if (pending !== undefined) {
    // An unterminated quoted field: csv-parse names it.
    yield { line: pending.line, cells: parseQuoted(pending.text, source, pending.line) };
  }
}

/**
 * Reads CSV text that arrives in pieces, record by record. Fails, with the file and line, on an
 * empty file, a header with an empty or repeated name, a ragged row or an unclosed quote.
 *
 * @example
 * ```ts
 * import { streamTable } from "./csv.ts";
 * import assert from "node:assert/strict";
 *
 * const table = streamTable(["iter,lr\n0,0.1\n1,", "0.01\n"], "lr.csv");
 * assert.deepEqual(table.header, ["iter", "lr"]);
 * assert.deepEqual([...table.rows].map((r) => r.cells), [["0", "0.1"], ["1", "0.01"]]);
 * ```
 */
export function streamTable(chunks: Iterable<string>, source: string): TableStream {
  named("streamTable", source);
  const all = records(chunks, source);
  const head = all.next();
  if (head.done) throw new SyntaxError(`${source}:1: the file is empty (expected a header row)`);
  const header = head.value.cells;
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === "") {
      throw new SyntaxError(`${source}:${head.value.line}: column ${i + 1} has no name`);
    }
    if (seen.has(name)) {
      throw new SyntaxError(`${source}:${head.value.line}: duplicate column "${name}"`);
    }
    seen.add(name);
  });
  const width = header.length;
  const rows = (function* (): Generator<Row> {
    for (const row of all) {
      if (row.cells.length !== width) {
        throw new SyntaxError(
          `${source}:${row.line}: Invalid Record Length: expect ${width}, got ${row.cells.length}`,
        );
      }
      yield row;
    }
  })();
  return { source, header, rows };
}

/** Refuses a file name (or place) that is not a string: messages start with it. */
function named(owner: string, source: unknown): void {
  if (typeof source !== "string") {
    throw new TypeError(`${owner}: the file's name must be a string: got ${typeof source}`);
  }
}

/** Parses CSV text. Fails on an empty file, a ragged row or unbalanced quotes. */
export function readTable(text: string, source: string): Table {
  named("readTable", source);
  if (typeof text !== "string") throw new TypeError(`${source}: expected text`);
  const table = streamTable([text], source);
  return { source, header: table.header, rows: [...table.rows] };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|Infinity|nan|NaN)$/;

/**
 * Parses one numeric cell: a decimal literal as Python's `repr` or JavaScript's `String` writes
 * it (`1e-05`, `0.1`, `-0.0`, `inf`, `nan`). Anything else is a `SyntaxError` with the location.
 */
export function parseNumber(cell: string, where: string): number {
  named("parseNumber", where);
  if (typeof cell !== "string") {
    throw new TypeError(`parseNumber: \`cell\` must be a string: got ${typeof cell}`);
  }
  if (!NUMBER.test(cell)) throw new SyntaxError(`${where}: not a number: ${JSON.stringify(cell)}`);
  if (/^[+-]?inf/i.test(cell)) return cell.startsWith("-") ? -Infinity : Infinity;
  if (/nan/i.test(cell)) return NaN;
  return Number(cell);
}

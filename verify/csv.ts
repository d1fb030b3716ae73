/**
 * Strict reading of the numeric CSV files the fixtures and external ports use. Every problem is
 * a `SyntaxError` that names the file and line.
 *
 * @module
 */

import { parse } from "csv-parse/sync";

/** A parsed numeric table: a header and rows with their 1-based line numbers. */
export interface Table {
  /** Where the table came from, for messages. */
  source: string;
  /** The column names. */
  header: string[];
  /** The records, with the line each started on. */
  rows: { line: number; cells: string[] }[];
}

/** Parses CSV text. Fails on an empty file, a ragged row or unbalanced quotes. */
export function readTable(text: string, source: string): Table {
  if (typeof text !== "string") throw new TypeError(`${source}: expected text`);
  if (text.trim() === "") {
    throw new SyntaxError(`${source}:1: the file is empty (expected a header row)`);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      skip_empty_lines: true,
      bom: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    const line = typeof e.lines === "number" ? e.lines : "?";
    throw new SyntaxError(`${source}:${line}: ${e.message ?? String(error)}`);
  }
  const [first, ...rest] = records;
  const header = first!.record;
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === "") {
      throw new SyntaxError(`${source}:${first!.info.lines}: column ${i + 1} has no name`);
    }
    if (seen.has(name)) {
      throw new SyntaxError(`${source}:${first!.info.lines}: duplicate column "${name}"`);
    }
    seen.add(name);
  });
  return {
    source,
    header,
    rows: rest.map((r) => ({ line: r.info.lines, cells: r.record })),
  };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|Infinity|nan|NaN)$/;

/**
 * Parses one numeric cell: a decimal literal as Python's `repr` or JavaScript's `String` writes
 * it (`1e-05`, `0.1`, `-0.0`, `inf`, `nan`). Anything else is a `SyntaxError` with the location.
 */
export function parseNumber(cell: string, where: string): number {
  if (!NUMBER.test(cell)) throw new SyntaxError(`${where}: not a number: ${JSON.stringify(cell)}`);
  if (/^[+-]?inf/i.test(cell)) return cell.startsWith("-") ? -Infinity : Infinity;
  if (/nan/i.test(cell)) return NaN;
  return Number(cell);
}

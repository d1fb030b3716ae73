/**
 * Long lists of plain numbers in YAML, read without the `yaml` package (issue 26).
 *
 * The `yaml` package spends 5–40 µs on each item of a list (its CST parser, not its lexer), so a
 * config with a 10⁶-entry `STEPS` list — which lrspec must read — would take 10–40 s. This scanner
 * finds, in one linear pass, every list long enough to matter that is written entirely in plain
 * number tokens: a one-line flow list (`[1, 2, 3]`) or a run of block items at one indentation
 * (`- 1` lines). {@linkcode reduceNumberLists} cuts each down to its first item, so the `yaml`
 * package parses a small document of the same structure, and keeps the other items' texts (and
 * lines) for the reader to resolve as it resolves any plain scalar. Where a cut list does not
 * turn out to be a sequence of the document (it was inside a quoted string, a block scalar or a
 * comment), the reader reads the original text instead (`config/yaml.ts`).
 *
 * @module
 */

/** A list of plain numbers found by {@linkcode reduceNumberLists}. */
export interface NumberList {
  /** Whether it is a flow list (`[…]`) rather than block items (`- …`). */
  readonly flow: boolean;
  /** The items' texts, as the document has them (`1`, `2.5e-3`, `-0`, …). */
  readonly items: readonly string[];
  /** The line (1-based) of the first item; block items are on the lines after it, one each. */
  readonly line: number;
  /** The offset of its `[` (or its first `-`) in the reduced text. */
  readonly at: number;
  /** The offset of its first item in the reduced text. */
  readonly firstItem: number;
}

/** A text with its long number lists cut down to their first items. */
export interface ReducedText {
  /** What the `yaml` package parses. */
  readonly text: string;
  /** The lists cut, by the offset of their `[` or first `-` in {@linkcode text}. */
  readonly lists: ReadonlyMap<number, NumberList>;
  /** The offset in the original text of an offset in {@linkcode text}. */
  toOriginal(offset: number): number;
}

/**
 * Lists with fewer items than this go to the `yaml` package as they are (every real config but
 * one with a long `STEPS` list), so that only what needs the scanner meets it. Tests lower it
 * to compare the two readers on small documents.
 */
export const NUMBER_LISTS: { min: number } = { min: 256 };

/** A character of a plain number token: digits, sign, point, exponent, underscore. */
function numberChar(c: number): boolean {
  // 0-9 . _ e E + -
  return (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 101 || c === 69 || c === 43 ||
    c === 45;
}

function digit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A one-line flow list of plain number tokens starting at `open` (a `[`): the offsets of its
 * items and the offset past its `]`, or undefined.
 */
function flowList(
  text: string,
  open: number,
  lineEnd: number,
): { items: number[]; end: number } | undefined {
  const items: number[] = [];
  let p = open + 1;
  for (;;) {
    while (p < lineEnd && text.charCodeAt(p) === 32) p++;
    const start = p;
    const c = text.charCodeAt(p);
    if (c === 43 || c === 45) p++;
    if (!digit(text.charCodeAt(p))) return undefined;
    while (p < lineEnd && numberChar(text.charCodeAt(p))) p++;
    items.push(start, p);
    while (p < lineEnd && text.charCodeAt(p) === 32) p++;
    const sep = text.charCodeAt(p);
    if (sep === 44) {
      p++;
      continue;
    }
    if (sep !== 93) return undefined;
    p++;
    // A list that is a mapping key (`[1, 2]: x`) stays with the `yaml` package.
    let q = p;
    while (q < lineEnd && text.charCodeAt(q) === 32) q++;
    if (text.charCodeAt(q) === 58) return undefined;
    return { items, end: p };
  }
}

/** A block item line, `INDENT- NUMBER` and nothing else (a `\r` at the end allowed). */
const BLOCK_ITEM = /( *)- +([-+]?[0-9][0-9_.eE+-]*) *\r?/y;

/**
 * Finds every list of at least `min` plain number items (one-line flow lists, runs of block items
 * at one indentation) and cuts each down to its first item.
 *
 * @param text A YAML document.
 * @param min The fewest items of a list that is cut.
 * @returns The reduced text, or undefined when there is no such list.
 */
export function reduceNumberLists(
  text: string,
  min: number = NUMBER_LISTS.min,
): ReducedText | undefined {
  // Found lists, in order: what to keep and what to cut, in original offsets.
  const found: {
    flow: boolean;
    start: number;
    firstItem: number;
    cutFrom: number;
    cutTo: number;
    items: string[];
    line: number;
  }[] = [];
  let run:
    | {
      indent: number;
      start: number;
      firstItem: number;
      firstEnd: number;
      lastEnd: number;
      items: string[];
      line: number;
    }
    | undefined;
  const closeRun = () => {
    if (run !== undefined && run.items.length >= min) {
      found.push({
        flow: false,
        start: run.start,
        firstItem: run.firstItem,
        cutFrom: run.firstEnd,
        cutTo: run.lastEnd,
        items: run.items,
        line: run.line,
      });
    }
    run = undefined;
  };
  // The next `[` at or after the line being read (found once: a search per line that ran to the
  // end of the text would make a file of many lines quadratic).
  let open = text.indexOf("[");
  let line = 1;
  for (let ls = 0;; line++) {
    let le = text.indexOf("\n", ls);
    if (le < 0) le = text.length;
    BLOCK_ITEM.lastIndex = ls;
    const m = BLOCK_ITEM.exec(text);
    if (m !== null && BLOCK_ITEM.lastIndex === le) {
      const indent = m[1]!.length;
      const item = m[2]!;
      if (run === undefined || run.indent !== indent) {
        closeRun();
        run = {
          indent,
          start: ls + indent,
          firstItem: text.indexOf(item, ls + indent + 1),
          firstEnd: le,
          lastEnd: le,
          items: [],
          line,
        };
      }
      run.items.push(item);
      run.lastEnd = le;
    } else {
      closeRun();
      while (open >= 0 && open < ls) open = text.indexOf("[", ls);
      while (open >= 0 && open < le) {
        const f = flowList(text, open, le);
        if (f !== undefined && f.items.length / 2 >= min) {
          const items: string[] = [];
          for (let i = 0; i < f.items.length; i += 2) {
            items.push(text.slice(f.items[i]!, f.items[i + 1]!));
          }
          found.push({
            flow: true,
            start: open,
            firstItem: f.items[0]!,
            cutFrom: f.items[1]!,
            cutTo: f.end - 1,
            items,
            line,
          });
          open = text.indexOf("[", f.end);
        } else open = text.indexOf("[", open + 1);
      }
    }
    if (le === text.length) break;
    ls = le + 1;
  }
  closeRun();
  if (found.length === 0) return undefined;
  const pieces: string[] = [];
  const cutAt: number[] = [];
  const removedBy: number[] = [];
  const lists = new Map<number, NumberList>();
  let prev = 0;
  let removed = 0;
  for (const f of found) {
    pieces.push(text.slice(prev, f.cutFrom));
    lists.set(f.start - removed, {
      flow: f.flow,
      items: f.items,
      line: f.line,
      at: f.start - removed,
      firstItem: f.firstItem - removed,
    });
    cutAt.push(f.cutFrom - removed);
    removed += f.cutTo - f.cutFrom;
    removedBy.push(removed);
    prev = f.cutTo;
  }
  pieces.push(text.slice(prev));
  return {
    text: pieces.join(""),
    lists,
    toOriginal(offset: number): number {
      // The last cut at or before the offset.
      let lo = 0;
      let hi = cutAt.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cutAt[mid]! <= offset) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? offset : offset + removedBy[lo - 1]!;
    },
  };
}

/** Line and column (1-based) of offsets in a text, as the `yaml` package's `LineCounter` gives. */
export class TextLines {
  readonly #text: string;
  #starts: number[] | undefined;

  /** @param text The text. */
  constructor(text: string) {
    this.#text = text;
  }

  /**
   * The line and column of an offset.
   *
   * @param offset An offset in the text.
   * @returns `{ line, col }`, both from 1.
   */
  linePos(offset: number): { line: number; col: number } {
    if (this.#starts === undefined) {
      const starts = [0];
      for (let i = this.#text.indexOf("\n"); i >= 0; i = this.#text.indexOf("\n", i + 1)) {
        starts.push(i + 1);
      }
      this.#starts = starts;
    }
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return { line: lo, col: offset - starts[lo - 1]! + 1 };
  }
}

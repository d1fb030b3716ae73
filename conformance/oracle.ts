/**
 * The glibc oracle: glibc's `cos`/`pow`/`log` (and `sqrt`/`tanh`/`sin`/`log1p`) results recorded while upstream generated the fixtures,
 * substituted for the runtime's libm while a case is re-run. If the port is exact with the
 * oracle, every difference in the normal run is caused by the runtime's libm and nothing else.
 *
 * @module
 */

import { libm } from "../schedules/math.ts";
import { parseNumber, type Table } from "../verify/csv.ts";

/** The one-argument functions besides `cos` and `log` that a `libm.csv` may record. */
export const EXTRA_OPS: readonly ExtraOp[] = ["sqrt", "tanh", "sin", "log1p"];

/** Their names. */
export type ExtraOp = "sqrt" | "tanh" | "sin" | "log1p";

function key(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/** glibc's recorded results, and counters of how often a lookup found (or missed) one. */
export class GlibcOracle {
  readonly #cos = new Map<string, number>();
  readonly #pow = new Map<string, number>();
  readonly #log = new Map<string, number>();
  /**
   * glibc's `sqrt` (Hugging Face's inverse-sqrt shapes), `tanh`, `sin` and `log1p` results (timm's
   * tanh schedule, torch's normal draws).
   */
  readonly #unary: Record<ExtraOp, Map<string, number>> = {
    sqrt: new Map(),
    tanh: new Map(),
    sin: new Map(),
    log1p: new Map(),
  };
  /** Lookups answered from the recording. */
  hits = 0;
  /** Lookups for arguments upstream never evaluated (answered by the runtime). */
  misses = 0;

  /** Reads a `libm.csv` table (`op,x,y,result`). */
  constructor(table: Table) {
    const [op, x, y, result] = ["op", "x", "y", "result"].map((c) => table.header.indexOf(c));
    if ([op, x, y, result].some((i) => i! < 0)) {
      throw new SyntaxError(`${table.source}:1: expected columns op,x,y,result`);
    }
    for (const row of table.rows) {
      const at = `${table.source}:${row.line}`;
      const value = parseNumber(row.cells[result!]!, at);
      const a = parseNumber(row.cells[x!]!, at);
      if (row.cells[op!] === "cos") this.#cos.set(key(a), value);
      else if (row.cells[op!] === "log") this.#log.set(key(a), value);
      else if (EXTRA_OPS.includes(row.cells[op!] as ExtraOp)) {
        this.#unary[row.cells[op!] as ExtraOp].set(key(a), value);
      } else if (row.cells[op!] === "pow") {
        this.#pow.set(`${key(a)}|${key(parseNumber(row.cells[y!]!, at))}`, value);
      } else throw new SyntaxError(`${at}: unknown op ${JSON.stringify(row.cells[op!])}`);
    }
  }

  /** Number of recorded results. */
  get size(): number {
    return this.#cos.size + this.#pow.size + this.#log.size +
      EXTRA_OPS.reduce((n, op) => n + this.#unary[op].size, 0);
  }

  /** Every recorded argument and result of one of the unary functions timm's suite adds. */
  extraEntries(op: ExtraOp): IterableIterator<[string, number]> {
    return this.#unary[op].entries();
  }

  /** Every recorded `cos` argument and result. */
  cosEntries(): IterableIterator<[string, number]> {
    return this.#cos.entries();
  }

  /** Every recorded `pow` argument pair (`"x|y"`) and result. */
  powEntries(): IterableIterator<[string, number]> {
    return this.#pow.entries();
  }

  /** Every recorded `log` argument and result. */
  logEntries(): IterableIterator<[string, number]> {
    return this.#log.entries();
  }

  /**
   * Runs `fn` with glibc's recorded results in place of the installed libm; arguments upstream
   * never evaluated (misses) are answered by the libm installed before, which is restored after.
   */
  with<T>(fn: () => T): T {
    const saved = { ...libm };
    const cos = (x: number): number => {
      const v = this.#cos.get(key(x));
      if (v === undefined) {
        this.misses++;
        return saved.cos(x);
      }
      this.hits++;
      return v;
    };
    const pow = (x: number, y: number): number => {
      const v = this.#pow.get(`${key(x)}|${key(y)}`);
      if (v === undefined) {
        this.misses++;
        return saved.pow(x, y);
      }
      this.hits++;
      return v;
    };
    const log = (x: number): number => {
      const v = this.#log.get(key(x));
      if (v === undefined) {
        this.misses++;
        return saved.log(x);
      }
      this.hits++;
      return v;
    };
    const unary = (op: ExtraOp) => (x: number): number => {
      const v = this.#unary[op].get(key(x));
      if (v === undefined) {
        this.misses++;
        return saved[op](x);
      }
      this.hits++;
      return v;
    };
    libm.cos = cos;
    libm.pow = pow;
    libm.log = log;
    for (const op of EXTRA_OPS) libm[op] = unary(op);
    try {
      return fn();
    } finally {
      Object.assign(libm, saved);
    }
  }
}

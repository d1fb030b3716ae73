/**
 * Python values as yacs holds them, and a safe port of `ast.literal_eval`.
 *
 * yacs (detectron2's config system) keeps distinctions that JavaScript values lose: `1` is an
 * `int` and `1.0` a `float`, `(1, 2)` a `tuple` and `[1, 2]` a `list`, and merging checks them
 * (`Type mismatch (<class 'float'> vs. <class 'int'>)`). {@linkcode PyValue} carries the Python
 * type beside the value; {@linkcode literalEval} parses Python literal syntax the way yacs
 * decodes every string it merges (`"(60000, 80000)"` becomes a tuple) — without evaluating
 * anything.
 *
 * @module
 */

import { pyFloatRepr } from "../schedules/python.ts";
import { NotALiteral, type Token, tokenize } from "./_tokens.ts";

/** The Python types a config leaf may have (yacs' `_VALID_TYPES`), plus `node` for sub-configs. */
export type PyConfigType = "int" | "float" | "str" | "bool" | "None" | "tuple" | "list" | "node";

/**
 * Python types that can appear while loading but that yacs rejects as config values
 * (`literal_eval("{'a': 1}")` is a `dict`, YAML's `2020-01-01` a `datetime.date`).
 */
export type PyOtherType =
  | "dict"
  | "set"
  | "bytes"
  | "complex"
  | "ellipsis"
  | "date"
  | "datetime";

/** Where a value came from, for error messages: a YAML file and its 1-based line. */
export interface PySource {
  /** The file name as the loader was given it. */
  file: string;
  /** 1-based line number. */
  line: number;
}

/** A Python `int` (JavaScript numbers hold it exactly up to 2^53). */
export interface PyInt {
  /** The type tag. */
  readonly type: "int";
  /** The value. */
  readonly value: number;
  /** Where the value was written, when it came from a file. */
  readonly source?: PySource;
}

/** A Python `float`. */
export interface PyFloat {
  /** The type tag. */
  readonly type: "float";
  /** The value. */
  readonly value: number;
  /** Where the value was written, when it came from a file. */
  readonly source?: PySource;
}

/** A Python `str`. */
export interface PyStr {
  /** The type tag. */
  readonly type: "str";
  /** The value. */
  readonly value: string;
  /** Where the value was written, when it came from a file. */
  readonly source?: PySource;
}

/** A Python `bool`. */
export interface PyBool {
  /** The type tag. */
  readonly type: "bool";
  /** The value. */
  readonly value: boolean;
  /** Where the value was written, when it came from a file. */
  readonly source?: PySource;
}

/** Python's `None`. */
export interface PyNone {
  /** The type tag. */
  readonly type: "None";
  /** Always `null`. */
  readonly value: null;
  /** Where the value was written, when it came from a file. */
  readonly source?: PySource;
}

/** A Python `tuple` or `list`. */
export interface PySequence {
  /** The type tag. */
  readonly type: "tuple" | "list";
  /** The items. */
  readonly value: readonly PyValue[];
  /** Where the value was written, when it came from a file. */
  readonly source?: PySource;
}

/** A config node (yacs `CfgNode`): string keys in insertion order. */
export interface PyNode {
  /** The type tag. */
  readonly type: "node";
  /** The entries, in Python's dict order. */
  readonly value: ReadonlyMap<string, PyValue>;
  /** Where the node started, when it came from a file. */
  readonly source?: PySource;
}

/** A value yacs cannot hold, kept only to report it (its Python `repr`). */
export interface PyOther {
  /** The Python type. */
  readonly type: PyOtherType;
  /** Python's `repr` of the value. */
  readonly repr: string;
  /** Where the value was written, when it came from a file. */
  readonly source?: PySource;
}

/** A Python value with its type. */
export type PyValue = PyInt | PyFloat | PyStr | PyBool | PyNone | PySequence | PyNode | PyOther;

/** A JavaScript value converted from a config {@linkcode PyValue}. */
export type JsConfigValue =
  | number
  | string
  | boolean
  | null
  | JsConfigValue[]
  | { [key: string]: JsConfigValue };

/**
 * The plain JavaScript value of a Python value: numbers for `int`/`float`, arrays for
 * `tuple`/`list`, objects for nodes.
 *
 * @param value A config value.
 * @param key Where `value` is in a config (`""`: the root; `SOLVER.STEPS`): an error then names
 * the key (`SOLVER.STEPS[0]: …`) and carries it as data (`cause`: owner `CfgNode`, option
 * `cfg.SOLVER.STEPS[0]`, the value's repr).
 * @returns A fresh plain value (objects and arrays are new).
 * @throws {TypeError} For a type yacs cannot hold (`dict`, `set`, `bytes`, …).
 */
export function toJs(value: PyValue, key?: string): JsConfigValue {
  switch (value.type) {
    case "int":
    case "float":
    case "str":
    case "bool":
    case "None":
      return value.value;
    case "tuple":
    case "list":
      return value.value.map((v, i) => toJs(v, key === undefined ? undefined : `${key}[${i}]`));
    case "node": {
      const out: { [key: string]: JsConfigValue } = {};
      for (const [k, v] of value.value) {
        Object.defineProperty(out, k, {
          value: toJs(v, key === undefined ? undefined : key === "" ? k : `${key}.${k}`),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    default: {
      const message = `a Python ${value.type} cannot be a config value: ${value.repr}`;
      if (key === undefined) throw new TypeError(message);
      throw new TypeError(`${key}: ${message}`, {
        cause: { owner: "CfgNode", option: `cfg.${key}`, value: value.repr },
      });
    }
  }
}

/**
 * The {@linkcode PyValue} of a plain JavaScript value, typed as a JavaScript programmer means
 * it: integral numbers are `int` (but `-0` is a `float`), other numbers `float`, arrays lists,
 * objects nodes.
 *
 * @param value A number, string, boolean, null, array or plain object.
 * @returns The Python value.
 * @throws {TypeError} For anything else (undefined, functions, non-finite numbers are fine).
 */
export function fromJs(value: unknown): PyValue {
  if (typeof value === "number") {
    return Number.isInteger(value) && !Object.is(value, -0)
      ? { type: "int", value }
      : { type: "float", value };
  }
  if (typeof value === "string") return { type: "str", value };
  if (typeof value === "boolean") return { type: "bool", value };
  if (value === null) return { type: "None", value: null };
  if (Array.isArray(value)) return { type: "list", value: value.map(fromJs) };
  if (typeof value === "object") {
    const map = new Map<string, PyValue>();
    for (const [k, v] of Object.entries(value)) map.set(k, fromJs(v));
    return { type: "node", value: map };
  }
  throw new TypeError(`not a config value: ${String(value)}`);
}

// ----------------------------------------------------------------------------------------------
// repr / str
// ----------------------------------------------------------------------------------------------

export { pyFloatRepr };

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's `repr` of a `str`. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch !== " " && NOT_PRINTABLE.test(ch)) {
      if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, "0")}`;
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
      else out += `\\U${cp.toString(16).padStart(8, "0")}`;
    } else out += ch;
  }
  return out + quote;
}

function intText(x: number): string {
  return Number.isSafeInteger(x) || !Number.isFinite(x) ? String(x) : BigInt(x).toString();
}

/**
 * Python's `repr` of a value (`'abc'`, `0.001`, `(60000, 80000)`, `('a',)`, `None`).
 *
 * A node is shown as `CfgNode({...})` with its keys, like Python's `repr` of a `CfgNode`.
 *
 * @param value The value.
 * @returns Its Python `repr`.
 */
export function pyRepr(value: PyValue): string {
  switch (value.type) {
    case "int":
      return intText(value.value);
    case "float":
      return pyFloatRepr(value.value);
    case "str":
      return pyStrRepr(value.value);
    case "bool":
      return value.value ? "True" : "False";
    case "None":
      return "None";
    case "list":
      return `[${value.value.map(pyRepr).join(", ")}]`;
    case "tuple":
      return value.value.length === 1
        ? `(${pyRepr(value.value[0]!)},)`
        : `(${value.value.map(pyRepr).join(", ")})`;
    case "node":
      return `{${[...value.value].map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
    default:
      return value.repr;
  }
}

/**
 * Python's `str` of a value: a `str` is itself, everything else its {@linkcode pyRepr}.
 *
 * @param value The value.
 * @returns Its Python `str`.
 */
export function pyStr(value: PyValue): string {
  return value.type === "str" ? value.value : pyRepr(value);
}

/**
 * The name Python prints for a value's class, as in yacs' messages: `<class 'float'>`,
 * `<class 'NoneType'>`, `<class 'detectron2.config.config.CfgNode'>`.
 *
 * @param type A Python type tag.
 * @returns `<class '…'>`.
 */
export function pyClassName(type: PyValue["type"]): string {
  const names: Record<PyValue["type"], string> = {
    int: "int",
    float: "float",
    str: "str",
    bool: "bool",
    None: "NoneType",
    tuple: "tuple",
    list: "list",
    node: "detectron2.config.config.CfgNode",
    dict: "dict",
    set: "set",
    bytes: "bytes",
    complex: "complex",
    ellipsis: "ellipsis",
    date: "datetime.date",
    datetime: "datetime.datetime",
  };
  return `<class '${names[type]}'>`;
}

// ----------------------------------------------------------------------------------------------
// literal_eval
// ----------------------------------------------------------------------------------------------

class LiteralParser {
  #tokens: Token[];
  #pos = 0;
  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }
  #peek(): Token {
    return this.#tokens[this.#pos]!;
  }
  #isOp(value: string): boolean {
    const t = this.#peek();
    return t.kind === "op" && t.value === value;
  }
  #expectOp(value: string): void {
    if (!this.#isOp(value)) throw new NotALiteral(`expected ${value}`);
    this.#pos++;
  }
  #atExprEnd(): boolean {
    const t = this.#peek();
    return t.kind === "end" || (t.kind === "op" && [")", "]", "}", ",", ":"].includes(t.value));
  }

  parseTop(): PyValue {
    if (this.#peek().kind === "end") throw new NotALiteral("empty");
    const items = this.#exprList(["end"]);
    if (this.#peek().kind !== "end") throw new NotALiteral("trailing tokens");
    return items;
  }

  /** `expr (',' expr)* [',']` up to one of the closers; a comma makes a tuple. */
  #exprList(closers: string[]): PyValue {
    const first = this.#expr();
    if (!this.#isOp(",")) return first;
    const items = [first];
    while (this.#isOp(",")) {
      this.#pos++;
      const t = this.#peek();
      if (
        t.kind === "end" ? closers.includes("end") : t.kind === "op" && closers.includes(t.value)
      ) {
        break;
      }
      items.push(this.#expr());
    }
    return { type: "tuple", value: items };
  }

  /** One literal expression, with literal_eval's rules for signs and complex sums. */
  #expr(): PyValue {
    const left = this.#signed();
    if (this.#isOp("+") || this.#isOp("-")) {
      const op = (this.#peek() as { value: string }).value;
      this.#pos++;
      const right = this.#unsignedNumber();
      if (!this.#atExprEnd()) throw new NotALiteral("not a literal");
      // literal_eval: (int|float) ± imaginary literal, nothing else.
      if (left.kind !== "real" || right.kind !== "imag") throw new NotALiteral("malformed");
      const re = left.value;
      const im = op === "+" ? right.im : -right.im;
      return { type: "complex", repr: complexRepr(re, im) };
    }
    if (!this.#atExprEnd()) throw new NotALiteral("not a literal");
    if (left.kind === "real") return left.py;
    if (left.kind === "imag") return { type: "complex", repr: complexRepr(0, left.im) };
    if (left.kind === "cimag") return { type: "complex", repr: complexRepr(left.re, left.im) };
    return left.value;
  }

  /** A signed number, or any other atom. */
  #signed():
    | { kind: "real"; value: number; py: PyValue }
    | { kind: "imag"; im: number }
    | { kind: "cimag"; re: number; im: number }
    | { kind: "atom"; value: PyValue } {
    if (this.#isOp("+") || this.#isOp("-")) {
      const neg = (this.#peek() as { value: string }).value === "-";
      this.#pos++;
      const n = this.#unsignedNumber();
      if (n.kind === "imag") {
        // -(1j) is complex(-0.0, -1.0); +1j keeps its real part 0.0
        return neg ? { kind: "cimag", re: -0, im: -n.im } : { kind: "imag", im: n.im };
      }
      const value = neg ? -n.value : n.value;
      const py: PyValue = n.type === "int"
        ? { type: "int", value: value === 0 ? 0 : value }
        : { type: "float", value };
      return { kind: "real", value, py };
    }
    const start = this.#pos;
    const n = this.#tryUnsignedNumber();
    if (n) {
      if (n.kind === "imag") return n;
      return {
        kind: "real",
        value: n.value,
        py: n.type === "int" ? { type: "int", value: n.value } : { type: "float", value: n.value },
      };
    }
    this.#pos = start;
    const value = this.#atom();
    // A parenthesized signed number is still literal_eval's UnaryOp: usable left of `± 2j`.
    if (value.type === "int" || value.type === "float") {
      return { kind: "real", value: value.value, py: value };
    }
    return { kind: "atom", value };
  }

  /** A number constant, possibly parenthesized (parentheses make no AST node). */
  #tryUnsignedNumber():
    | { kind: "real"; type: "int" | "float"; value: number }
    | { kind: "imag"; im: number }
    | undefined {
    let parens = 0;
    while (this.#isOp("(")) {
      this.#pos++;
      parens++;
    }
    const t = this.#peek();
    if (t.kind !== "num") return undefined;
    this.#pos++;
    for (let k = 0; k < parens; k++) {
      if (!this.#isOp(")")) return undefined;
      this.#pos++;
    }
    if (t.type === "complex") return { kind: "imag", im: t.value };
    return { kind: "real", type: t.type, value: t.value };
  }

  #unsignedNumber():
    | { kind: "real"; type: "int" | "float"; value: number }
    | { kind: "imag"; im: number } {
    const n = this.#tryUnsignedNumber();
    if (!n) throw new NotALiteral("operand is not a number");
    return n;
  }

  #atom(): PyValue {
    const t = this.#peek();
    if (t.kind === "str") return this.#strings();
    if (t.kind === "name") {
      this.#pos++;
      if (t.value === "True") return { type: "bool", value: true };
      if (t.value === "False") return { type: "bool", value: false };
      if (t.value === "None") return { type: "None", value: null };
      if (t.value === "set" && this.#isOp("(")) {
        this.#pos++;
        this.#expectOp(")");
        return { type: "set", repr: "set()" };
      }
      throw new NotALiteral(`name ${t.value}`);
    }
    if (t.kind === "op") {
      if (t.value === "...") {
        this.#pos++;
        return { type: "ellipsis", repr: "Ellipsis" };
      }
      if (t.value === "(") {
        this.#pos++;
        if (this.#isOp(")")) {
          this.#pos++;
          return { type: "tuple", value: [] };
        }
        const inner = this.#exprList([")"]);
        this.#expectOp(")");
        return inner;
      }
      if (t.value === "[") {
        this.#pos++;
        const items: PyValue[] = [];
        while (!this.#isOp("]")) {
          items.push(this.#expr());
          if (!this.#isOp(",")) break;
          this.#pos++;
        }
        this.#expectOp("]");
        return { type: "list", value: items };
      }
      if (t.value === "{") return this.#braces();
    }
    throw new NotALiteral("not a literal");
  }

  #strings(): PyValue {
    let value = "";
    let bytes: boolean | undefined;
    let fstring = false;
    while (this.#peek().kind === "str") {
      const t = this.#peek() as Extract<Token, { kind: "str" }>;
      this.#pos++;
      if (bytes !== undefined && bytes !== t.bytes) {
        throw new NotALiteral("cannot mix bytes and nonbytes literals");
      }
      bytes = t.bytes;
      fstring ||= t.fstring;
      value += t.value;
    }
    if (fstring) throw new NotALiteral("f-strings are not literals");
    if (bytes) return { type: "bytes", repr: `b${pyStrRepr(value)}` };
    return { type: "str", value };
  }

  #braces(): PyValue {
    this.#expectOp("{");
    if (this.#isOp("}")) {
      this.#pos++;
      return { type: "dict", repr: "{}" };
    }
    const first = this.#expr();
    if (this.#isOp(":")) {
      this.#pos++;
      const entries: [PyValue, PyValue][] = [[first, this.#expr()]];
      while (this.#isOp(",")) {
        this.#pos++;
        if (this.#isOp("}")) break;
        const k = this.#expr();
        this.#expectOp(":");
        entries.push([k, this.#expr()]);
      }
      this.#expectOp("}");
      for (const [k] of entries) hashable(k);
      const seen = new Map<string, string>();
      for (const [k, v] of entries) seen.set(pyRepr(k), pyRepr(v));
      return {
        type: "dict",
        repr: `{${[...seen].map(([k, v]) => `${k}: ${v}`).join(", ")}}`,
      };
    }
    const items = [first];
    while (this.#isOp(",")) {
      this.#pos++;
      if (this.#isOp("}")) break;
      items.push(this.#expr());
    }
    this.#expectOp("}");
    items.forEach(hashable);
    return { type: "set", repr: `{${[...new Set(items.map(pyRepr))].join(", ")}}` };
  }
}

function hashable(v: PyValue): void {
  if (v.type === "list" || v.type === "dict" || v.type === "set" || v.type === "node") {
    throw new TypeError(`unhashable type: '${v.type === "node" ? "dict" : v.type}'`);
  }
  if (v.type === "tuple") v.value.forEach(hashable);
}

function complexRepr(re: number, im: number): string {
  const part = (x: number): string => {
    const r = pyFloatRepr(x);
    return r.endsWith(".0") ? r.slice(0, -2) : r;
  };
  if (re === 0 && !Object.is(re, -0)) return `${part(im)}j`;
  const sign = im < 0 || Object.is(im, -0) ? "-" : "+";
  return `(${part(re)}${sign}${part(Math.abs(im))}j)`;
}

/**
 * Port of Python's `ast.literal_eval` as yacs applies it to config strings
 * (`CfgNode._decode_cfg_value`): parses Python literal syntax — numbers (`0.01`, `1e-3`, `0x10`,
 * `1_000`), strings, `True`/`False`/`None`, tuples, lists, dicts and sets — and returns the
 * value with its Python type. Text that is not a literal (`build_resnet_fpn_backbone`,
 * `detectron2://x.pkl`, `1+2`) comes back unchanged as a `str`, exactly as yacs keeps it.
 *
 * Nothing is evaluated: the parser recognises literal syntax only.
 *
 * ```text
 * "(60000, 80000)"  → tuple (60000, 80000)      "0.02"   → float 0.02
 * "1000, 2000"      → tuple (1000, 2000)        "16"     → int 16
 * "True"            → bool True                 "SyncBN" → str "SyncBN" (not a literal)
 * ```
 *
 * Deliberate differences: `\N{NAME}` escapes are refused (a `SyntaxError`), as lrspec has no
 * Unicode name table; integers beyond 2^53 lose precision; a `dict` or `set` is returned as its
 * `repr` (yacs cannot hold one anyway).
 *
 * @param text The text, as it appeared on the command line or in the YAML file.
 * @returns The Python value (a `str` with `text` itself when it is not a literal).
 * @throws {TypeError} Where Python's `literal_eval` raises a `TypeError` (an unhashable dict key
 * or set item, e.g. `{[1]: 2}`), which yacs does not catch.
 * @throws {SyntaxError} For a `\N{…}` escape.
 *
 * @example What yacs makes of `--opts` values
 * ```ts
 * import { literalEval } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(literalEval("(60000, 80000)"), {
 *   type: "tuple",
 *   value: [{ type: "int", value: 60000 }, { type: "int", value: 80000 }],
 * });
 * assert.deepEqual(literalEval("1e-3"), { type: "float", value: 0.001 });
 * assert.deepEqual(literalEval("SyncBN"), { type: "str", value: "SyncBN" });
 * ```
 */
export function literalEval(text: string): PyValue {
  if (typeof text !== "string") {
    throw new TypeError(`literalEval: expected a string: got ${typeof text}`);
  }
  try {
    return new LiteralParser(tokenize(text.replace(/^[ \t]+/, ""))).parseTop() as PyValue;
  } catch (error) {
    if (error instanceof NotALiteral) return { type: "str", value: text };
    throw error;
  }
}

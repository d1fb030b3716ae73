/**
 * A restricted interpreter for the Python expressions that detectron2's model-zoo YAML passes to
 * `!!python/object/apply:eval` (Base-RetinaNet.yaml's anchor sizes,
 * `[[x, x * 2**(1.0/3), x * 2**(2.0/3) ] for x in [32, 64, 128, 256, 512 ]]`).
 *
 * It is not Python's `eval`: it knows numbers, strings, `True`/`False`/`None`, list and tuple
 * displays, the arithmetic operators `+ - * / // % **`, and list comprehensions
 * `[expr for name in iterable]` whose only names are their own loop variables. There are no
 * calls, attributes, subscripts or globals, so nothing outside the expression can be reached.
 * Anything else is refused.
 *
 * @module
 */

import { NotALiteral, type Token, tokenize } from "./_tokens.ts";
import { libm } from "../schedules/math.ts";
import type { PyValue } from "./python.ts";

/** Raised for an expression outside the supported subset. */
export class UnsupportedExpression extends Error {}

type Num = Extract<PyValue, { type: "int" | "float" }>;
type Scope = ReadonlyMap<string, PyValue>;
type Node = (scope: Scope) => PyValue;

function num(v: PyValue, op: string): Num {
  if (v.type === "int" || v.type === "float") return v;
  if (v.type === "bool") return { type: "int", value: v.value ? 1 : 0 };
  throw new UnsupportedExpression(`unsupported operand type for ${op}: ${v.type}`);
}

function intResult(x: number): Num {
  if (!Number.isSafeInteger(x)) throw new UnsupportedExpression("integer too large");
  return { type: "int", value: x === 0 ? 0 : x };
}

function pyFloorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function arithmetic(op: string, l: PyValue, r: PyValue): PyValue {
  if (op === "+" && l.type === "str" && r.type === "str") {
    return { type: "str", value: l.value + r.value };
  }
  if (
    op === "+" && (l.type === "list" || l.type === "tuple") && l.type === r.type
  ) {
    return { type: l.type, value: [...l.value, ...(r as typeof l).value] };
  }
  const a = num(l, op);
  const b = num(r, op);
  const ints = a.type === "int" && b.type === "int";
  const x = a.value;
  const y = b.value;
  if ((op === "/" || op === "//" || op === "%") && y === 0) {
    throw new UnsupportedExpression("division by zero");
  }
  switch (op) {
    case "+":
      return ints ? intResult(x + y) : { type: "float", value: x + y };
    case "-":
      return ints ? intResult(x - y) : { type: "float", value: x - y };
    case "*":
      return ints ? intResult(x * y) : { type: "float", value: x * y };
    case "/":
      return { type: "float", value: x / y };
    case "//":
      return ints ? intResult(pyFloorDiv(x, y)) : { type: "float", value: pyFloorDiv(x, y) };
    case "%": {
      const m = x - y * Math.floor(x / y);
      return ints ? intResult(m) : { type: "float", value: m };
    }
    case "**":
      if (ints && y >= 0) return intResult(Number(BigInt(x) ** BigInt(y)));
      return { type: "float", value: libm.pow(x, y) };
  }
  throw new UnsupportedExpression(`operator ${op}`);
}

class Parser {
  #t: Token[];
  #i = 0;
  constructor(tokens: Token[]) {
    this.#t = tokens;
  }
  #peek(): Token {
    return this.#t[this.#i]!;
  }
  #op(v: string): boolean {
    const t = this.#peek();
    if (t.kind === "op" && t.value === v) {
      this.#i++;
      return true;
    }
    return false;
  }
  #name(v: string): boolean {
    const t = this.#peek();
    if (t.kind === "name" && t.value === v) {
      this.#i++;
      return true;
    }
    return false;
  }
  #expect(v: string): void {
    if (!this.#op(v)) throw new UnsupportedExpression(`expected ${v}`);
  }

  top(): Node {
    const node = this.#exprList();
    if (this.#peek().kind !== "end") throw new UnsupportedExpression("unexpected token");
    return node;
  }

  #exprList(): Node {
    const first = this.#expr();
    if (!this.#op(",")) return first;
    const items = [first];
    while (!this.#atEnd()) {
      items.push(this.#expr());
      if (!this.#op(",")) break;
    }
    return (s) => ({ type: "tuple", value: items.map((f) => f(s)) });
  }

  #atEnd(): boolean {
    const t = this.#peek();
    return t.kind === "end" || (t.kind === "op" && [")", "]"].includes(t.value));
  }

  #expr(): Node {
    return this.#additive();
  }

  #binary(next: () => Node, ops: string[]): Node {
    let left = next();
    for (;;) {
      const t = this.#peek();
      if (t.kind !== "op" || !ops.includes(t.value)) return left;
      this.#i++;
      const right = next();
      const l = left;
      left = (s) => arithmetic(t.value, l(s), right(s));
    }
  }

  #additive(): Node {
    return this.#binary(() => this.#multiplicative(), ["+", "-"]);
  }

  #multiplicative(): Node {
    return this.#binary(() => this.#unary(), ["*", "/", "//", "%"]);
  }

  #unary(): Node {
    const t = this.#peek();
    if (t.kind === "op" && (t.value === "-" || t.value === "+")) {
      this.#i++;
      const operand = this.#unary();
      return (s) => {
        const v = num(operand(s), t.value);
        const value = t.value === "-" ? -v.value : v.value;
        return v.type === "int" ? intResult(value) : { type: "float", value };
      };
    }
    return this.#power();
  }

  #power(): Node {
    const base = this.#atom();
    if (this.#op("**")) {
      const exponent = this.#unary(); // right-associative, binds tighter than unary on the left
      return (s) => arithmetic("**", base(s), exponent(s));
    }
    return base;
  }

  #atom(): Node {
    const t = this.#peek();
    this.#i++;
    if (t.kind === "num") {
      if (t.type === "complex") throw new UnsupportedExpression("complex numbers");
      const v: PyValue = { type: t.type, value: t.value };
      return () => v;
    }
    if (t.kind === "str") {
      if (t.bytes || t.fstring) throw new UnsupportedExpression("bytes or f-string");
      const v: PyValue = { type: "str", value: t.value };
      return () => v;
    }
    if (t.kind === "name") {
      if (t.value === "True" || t.value === "False") {
        const v: PyValue = { type: "bool", value: t.value === "True" };
        return () => v;
      }
      if (t.value === "None") return () => ({ type: "None", value: null });
      const name = t.value;
      return (s) => {
        const v = s.get(name);
        if (v === undefined) throw new UnsupportedExpression(`name '${name}' (no globals)`);
        return v;
      };
    }
    if (t.kind === "op" && t.value === "(") {
      if (this.#op(")")) return () => ({ type: "tuple", value: [] });
      const inner = this.#exprList();
      this.#expect(")");
      return inner;
    }
    if (t.kind === "op" && t.value === "[") {
      if (this.#op("]")) return () => ({ type: "list", value: [] });
      const first = this.#expr();
      if (this.#name("for")) {
        const target = this.#peek();
        if (target.kind !== "name") throw new UnsupportedExpression("comprehension target");
        this.#i++;
        if (!this.#name("in")) throw new UnsupportedExpression("expected in");
        const iterable = this.#expr();
        this.#expect("]");
        return (s) => {
          const seq = iterable(s);
          if (seq.type !== "list" && seq.type !== "tuple") {
            throw new UnsupportedExpression(`iterating over ${seq.type}`);
          }
          return {
            type: "list",
            value: seq.value.map((item) => first(new Map([...s, [target.value, item]]))),
          };
        };
      }
      const items = [first];
      while (this.#op(",")) {
        if (this.#op("]")) return (s) => ({ type: "list", value: items.map((f) => f(s)) });
        items.push(this.#expr());
      }
      this.#expect("]");
      return (s) => ({ type: "list", value: items.map((f) => f(s)) });
    }
    throw new UnsupportedExpression("unsupported syntax");
  }
}

/**
 * Evaluates a Python expression of the restricted subset described in the module doc.
 *
 * @param source The expression text.
 * @returns Its value.
 * @throws {UnsupportedExpression} For anything outside the subset.
 */
export function restrictedEval(source: string): PyValue {
  let tokens: Token[];
  try {
    tokens = tokenize(source.replace(/^[ \t]+/, ""));
  } catch (error) {
    if (error instanceof NotALiteral) throw new UnsupportedExpression(error.message);
    throw error;
  }
  return new Parser(tokens).top()(new Map());
}

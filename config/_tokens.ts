/**
 * A tokenizer for Python expressions: numbers, strings (with prefixes and escapes), names and
 * operators, following CPython 3.11's lexical rules closely enough that text it accepts is text
 * Python accepts. Private to `literalEval` and the restricted `eval` of `!!python/object/apply:eval`.
 *
 * @module
 */

/** Thrown inside the parser when the text is not a Python literal (Python: ValueError/SyntaxError). */
export class NotALiteral extends Error {}

export type Token =
  | { kind: "num"; type: "int" | "float" | "complex"; value: number }
  | { kind: "str"; bytes: boolean; fstring: boolean; value: string }
  | { kind: "name"; value: string }
  | { kind: "op"; value: string }
  | { kind: "end" };

const PREFIXED_INT = /^0(?:[xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)/;
// Python's float / imaginary literal grammar (digitparts with single underscores).
const DIGITPART = "[0-9](?:_?[0-9])*";
const EXPONENT = `[eE][+-]?${DIGITPART}`;
const FLOAT_RE = new RegExp(
  `^(?:(?:${DIGITPART})?\\.${DIGITPART}(?:${EXPONENT})?|${DIGITPART}\\.(?:${EXPONENT})?|${DIGITPART}${EXPONENT})`,
);
const DECIMAL_INT = /^(?:[1-9](?:_?[0-9])*|0+(?:_?0)*)/;
const ID_START = /[\p{L}\p{Nl}_\u1885\u1886\u2118\u212E\u309B\u309C]/u;
const ID_CONTINUE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_\u00B7\u0387\u1369-\u1371\u19DA]/u;

function readNumber(src: string, i: number): { token: Token; end: number } {
  const rest = src.slice(i);
  let m: RegExpExecArray | null;
  let type: "int" | "float" | "complex";
  let value: number;
  if ((m = PREFIXED_INT.exec(rest))) {
    type = "int";
    value = Number(BigInt(`0${m[0][1]!.toLowerCase()}${m[0].slice(2).replaceAll("_", "")}`));
  } else if ((m = FLOAT_RE.exec(rest))) {
    type = "float";
    value = Number(m[0].replaceAll("_", ""));
  } else if ((m = DECIMAL_INT.exec(rest))) {
    type = "int";
    const digits = m[0].replaceAll("_", "");
    if (digits.length > 4300) throw new NotALiteral("int too large"); // sys.int_max_str_digits
    value = Number(digits);
  } else {
    throw new NotALiteral("bad number");
  }
  let end = i + m[0].length;
  if (!PREFIXED_INT.test(rest) && (src[end] === "j" || src[end] === "J")) {
    end++;
    type = "complex";
  }
  // A number directly followed by a name character, a digit or a dot is a syntax error
  // (`1x`, `017`, `1_`, `1..`).
  const next = src[end];
  if (next !== undefined && (ID_CONTINUE.test(next) || next === ".")) {
    throw new NotALiteral(`invalid number ${src.slice(i, end + 1)}`);
  }
  return { token: { kind: "num", type, value }, end };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function decodeEscapes(body: string, bytes: boolean): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\") {
      if (bytes && ch.charCodeAt(0) > 0x7f) {
        throw new NotALiteral("bytes can only contain ASCII literal characters");
      }
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) throw new NotALiteral("trailing backslash");
    i++;
    if (next === "\n") continue; // line continuation inside the string
    if (next === "\r") {
      if (body[i + 1] === "\n") i++;
      continue;
    }
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      continue;
    }
    if (/[0-7]/.test(next)) {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(body[i + 1] ?? "")) digits += body[++i];
      out += String.fromCodePoint(parseInt(digits, 8));
      continue;
    }
    const hex = (n: number): string => {
      const h = body.slice(i + 1, i + 1 + n);
      if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new NotALiteral("truncated escape");
      i += n;
      return h;
    };
    if (next === "x") {
      out += String.fromCodePoint(parseInt(hex(2), 16));
      continue;
    }
    if (!bytes && (next === "u" || next === "U")) {
      const cp = parseInt(hex(next === "u" ? 4 : 8), 16);
      if (cp > 0x10ffff) throw new NotALiteral("illegal Unicode character");
      out += String.fromCodePoint(cp);
      continue;
    }
    if (!bytes && next === "N") {
      throw new SyntaxError(
        "literalEval: \\N{...} escapes (Unicode character names) are not supported",
      );
    }
    out += `\\${next}`; // unknown escapes stay as they are (Python warns)
  }
  return out;
}

function readString(
  src: string,
  i: number,
  prefix: string,
): { token: Token; end: number } {
  const p = prefix.toLowerCase();
  const raw = p.includes("r");
  const bytes = p.includes("b");
  const fstring = p.includes("f");
  const quote = src[i]!;
  const triple = src.startsWith(quote.repeat(3), i);
  const delim = triple ? quote.repeat(3) : quote;
  let j = i + delim.length;
  let body = "";
  for (;;) {
    if (j >= src.length) throw new NotALiteral("unterminated string");
    if (src.startsWith(delim, j)) break;
    const ch = src[j]!;
    if (!triple && (ch === "\n" || ch === "\r")) throw new NotALiteral("unterminated string");
    if (ch === "\\") {
      if (j + 1 >= src.length) throw new NotALiteral("unterminated string");
      body += ch + src[j + 1];
      j += 2;
      continue;
    }
    body += ch;
    j++;
  }
  const end = j + delim.length;
  if (raw && bytes && [...body].some((c) => c.charCodeAt(0) > 0x7f)) {
    throw new NotALiteral("non-ASCII bytes");
  }
  const value = raw ? body : decodeEscapes(body, bytes);
  return { token: { kind: "str", bytes, fstring, value }, end };
}

const STRING_PREFIX = /^(?:[rR][bBfF]?|[bBfF][rR]?|[uU])?(?=['"])/;
const OPERATORS = [
  "**=",
  "//=",
  ">>=",
  "<<=",
  "...",
  "->",
  ":=",
  "**",
  "//",
  "<<",
  ">>",
  "<=",
  ">=",
  "==",
  "!=",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "@=",
];

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  let sawToken = false;
  let lineStart = true;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === "#") {
      while (i < src.length && src[i] !== "\n" && src[i] !== "\r") i++;
      continue;
    }
    if (ch === "\\" && (src[i + 1] === "\n" || src[i + 1] === "\r")) {
      i += src[i + 1] === "\r" && src[i + 2] === "\n" ? 3 : 2;
      continue;
    }
    if (ch === "\n" || ch === "\r") {
      // Outside brackets a newline ends the logical line; only blank lines may follow.
      if (depth === 0 && sawToken) {
        const rest = src.slice(i);
        if (/^(?:[ \t\f]*(?:#[^\n\r]*)?(?:\r\n|\r|\n))*[ \t\f]*(?:#[^\n\r]*)?$/.test(rest)) break;
        throw new NotALiteral("more than one line");
      }
      i++;
      lineStart = true;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\f") {
      if (lineStart && depth === 0 && !sawToken) {
        // Indentation of the first logical line (after blank lines): IndentationError,
        // unless the rest of the line is blank.
        let j = i;
        while (src[j] === " " || src[j] === "\t" || src[j] === "\f") j++;
        if (j < src.length && src[j] !== "\n" && src[j] !== "\r" && src[j] !== "#") {
          throw new NotALiteral("unexpected indent");
        }
      }
      i++;
      continue;
    }
    lineStart = false;
    sawToken = true;
    if (ch === "\0") throw new NotALiteral("null byte");
    const prefix = STRING_PREFIX.exec(src.slice(i));
    if (prefix) {
      const { token, end } = readString(src, i + prefix[0].length, prefix[0]);
      tokens.push(token);
      i = end;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const { token, end } = readNumber(src, i);
      tokens.push(token);
      i = end;
      continue;
    }
    if (ID_START.test(ch)) {
      let j = i + 1;
      while (j < src.length && ID_CONTINUE.test(src[j]!)) j++;
      tokens.push({ kind: "name", value: src.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i)) ?? ch;
    if ("([{".includes(op)) depth++;
    if (")]}".includes(op)) {
      depth--;
      if (depth < 0) throw new NotALiteral("unmatched bracket");
    }
    if (!"()[]{},:;.+-*/%@&|^~<>=!".includes(op[0]!) || op === "!") {
      throw new NotALiteral(`invalid character ${JSON.stringify(ch)}`);
    }
    tokens.push({ kind: "op", value: op });
    i += op.length;
  }
  if (depth !== 0) throw new NotALiteral("unclosed bracket");
  tokens.push({ kind: "end" });
  return tokens;
}

/**
 * What a form field's text means: the value handed to the library. The text is read as the
 * documented type allows (a number, a list, `null`, a literal) and otherwise passed on as the
 * string it is, so that the library itself rejects it — with its own message, shown beside the
 * field. Nothing here validates: the library does.
 *
 * @module
 */

import type { FieldType } from "./schema.ts";

const NUMBER = /^[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?|Infinity|inf|nan|NaN)$/i;

/** A number as people and Python write it (`1e-3`, `-inf`, `nan`), or undefined. */
function numberOf(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  if (/inf/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/nan/i.test(text)) return NaN;
  return Number(text);
}

/** `1 / 3` (as `@default` tags write fractions), or undefined. */
function fractionOf(text: string): number | undefined {
  const m = /^([^/]+)\/([^/]+)$/.exec(text);
  if (!m) return undefined;
  const a = numberOf(m[1]!.trim()), b = numberOf(m[2]!.trim());
  return a === undefined || b === undefined ? undefined : a / b;
}

/** JSON, or Python's spelling of it (`(1, 2)`, `None`, `True`, `'a'`, trailing commas). */
function literalOf(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    // Python's spelling, below.
  }
  const py = text
    .replace(/'([^'"\\]*)'/g, '"$1"')
    .replace(/\bNone\b/g, "null")
    .replace(/\bTrue\b/g, "true")
    .replace(/\bFalse\b/g, "false")
    .replace(/\(/g, "[")
    .replace(/\)/g, "]")
    .replace(/,\s*([\]}])/g, "$1");
  try {
    return { value: JSON.parse(py) };
  } catch {
    return undefined;
  }
}

/**
 * The value a field's text stands for, given the field's documented type; `undefined` for an
 * empty field (the option is omitted, so the library applies its default).
 *
 * - a number (`0.1`, `1e-3`, `1 / 3`, `inf`) where the type takes numbers;
 * - `true`/`false` (or Python's `True`/`False`) where it takes booleans, `null`/`None` where it
 *   takes `null`;
 * - a list (`[30, 80]`, `(30, 80)` or `30, 80`) where it takes arrays, an object (`{"100": 0.5}`)
 *   where it takes objects;
 * - otherwise the text itself, which the library accepts (a string option) or rejects with its
 *   own message.
 *
 * @param text The field's text.
 * @param type The documented type.
 * @returns The value, or undefined.
 */
export function fieldValue(text: string, type: FieldType): unknown {
  const t = text.trim();
  if (t === "") return undefined;
  const takes = (k: string) => type.accepts.includes(k);
  if (type.literals.includes(t)) return t;
  if (takes("number") || takes("bigint") || type.literals.some((l) => typeof l === "number")) {
    const n = numberOf(t) ?? fractionOf(t);
    if (n !== undefined) return n;
  }
  if (takes("boolean") || type.literals.some((l) => typeof l === "boolean")) {
    if (/^(true|false)$/i.test(t)) return t.toLowerCase() === "true";
  }
  if (takes("null") && /^(null|None)$/.test(t)) return null;
  if (takes("array") || takes("object")) {
    const lit = literalOf(t) ?? (takes("array") ? literalOf(`[${t}]`) : undefined);
    if (lit !== undefined && lit.value !== null && typeof lit.value === "object") return lit.value;
  }
  return t;
}

export { snakeCase } from "../schedules/names.ts";

/** A value as Python writes it in a call (`0.1`, `[30, 80]`, `'cos'`, `None`, `True`). */
export function pythonValue(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "float('nan')";
    if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "-float('inf')";
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonValue).join(", ")}]`;
  if (typeof value === "object") {
    return `{${
      Object.entries(value as Record<string, unknown>).map(([k, v]) =>
        `${/^-?\d+(\.\d+)?$/.test(k) ? k : pythonValue(k)}: ${pythonValue(v)}`
      ).join(", ")
    }}`;
  }
  return String(value);
}

/** A piece of a doc comment's text: plain, or code (`` `x` ``, `{@linkcode x}`, `{@link x}`). */
export interface DocPart {
  /** The text, without its backticks or braces. */
  text: string;
  /** Whether it is code. */
  code: boolean;
}

/**
 * A doc comment's text in pieces, as the page shows it: backquoted parts and JSDoc links
 * (`{@linkcode joinSchedules}`, `{@link x | label}`) as code, the rest as it is.
 *
 * @param text The text.
 * @returns The pieces, in order.
 */
export function docParts(text: string): DocPart[] {
  const out: DocPart[] = [];
  const re = /`([^`]+)`|\{@link(?:code|plain)?\s+([^}|\s]+)(?:\s*\|\s*([^}]*))?\}/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index), code: false });
    out.push({ text: m[1] ?? (m[3]?.trim() || m[2]!), code: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), code: false });
  return out;
}

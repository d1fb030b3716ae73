/**
 * Settings files (a Hugging Face `TrainingArguments` file, a timm `args.yaml`, any family's
 * JSON or YAML settings): a mapping read as its upstream reads it (`json.load`; PyYAML's `yaml.safe_load`, YAML 1.1: `1e-5` is a string), with
 * the line of every key for messages.
 *
 * @module
 */

import { parse as parseJsonc, type ParseError, printParseErrorCode } from "jsonc-parser";
import { parseYaml } from "../config/yaml.ts";
import { pyClassName, type PyValue, toJs } from "../config/python.ts";
import type { ErrorPlace } from "./view.ts";

/** A mapping read from a file, with where each key was written. */
export interface SettingsFile {
  /** The path, as given. */
  readonly path: string;
  /** How it was read. */
  readonly format: "json" | "yaml";
  /** The mapping (keys as written). */
  readonly value: Record<string, unknown>;
  /** The line of a key (`learning_rate`) or of a key further down (`lr_scheduler_kwargs.min_lr`). */
  line(key: string): number | undefined;
  /** `path:line` of a key, or `path` when the key is not in the file. */
  where(key: string): string;
  /** For YAML, the Python type PyYAML gave a key's value (`str` for `1e-5`); undefined for JSON. */
  pyType(key: string): string | undefined;
}

/**
 * The lines of the keys of a JSON text (top level and `depth - 1` levels down; a list's items
 * share its path), the last one winning.
 */
function jsonKeyLines(text: string, depth: number): Map<string, number> {
  const lines = new Map<string, number>();
  const stack: { object: boolean; path: string; key: string; expectKey: boolean }[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey && stack.length <= depth) {
        top.key = JSON.parse(text.slice(i, j + 1)) as string;
        top.expectKey = false;
        lines.set(top.path ? `${top.path}.${top.key}` : top.key, line);
      }
      i = j;
    } else if (c === "{" || c === "[") {
      const top = stack[stack.length - 1];
      const path = top === undefined
        ? ""
        : top.object
        ? (top.path ? `${top.path}.${top.key}` : top.key)
        : top.path;
      stack.push({ object: c === "{", path, key: "", expectKey: c === "{" });
    } else if (c === "}" || c === "]") stack.pop();
    else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    }
  }
  return lines;
}

/**
 * What Python's `json.load` says for each kind of syntax error jsonc-parser reports, so that the
 * message reads the same on every runtime (V8 and JavaScriptCore word `JSON.parse`'s errors
 * differently, and not every wording carries a position).
 */
const JSON_PROBLEM: Readonly<Record<string, string>> = {
  InvalidSymbol: "Expecting value",
  InvalidNumberFormat: "Expecting value",
  ValueExpected: "Expecting value",
  PropertyNameExpected: "Expecting property name enclosed in double quotes",
  ColonExpected: "Expecting ':' delimiter",
  CommaExpected: "Expecting ',' delimiter",
  CloseBraceExpected: "Expecting ',' delimiter or '}'",
  CloseBracketExpected: "Expecting ',' delimiter or ']'",
  EndOfFileExpected: "Extra data",
  InvalidCommentToken: "Expecting value (JSON has no comments)",
  UnexpectedEndOfComment: "Expecting value (JSON has no comments)",
  UnexpectedEndOfString: "Unterminated string",
  UnexpectedEndOfNumber: "Expecting value",
  InvalidUnicode: "Invalid \\uXXXX escape",
  InvalidEscapeCharacter: "Invalid \\escape",
  InvalidCharacter: "Invalid control character",
};

/**
 * A SyntaxError for text `JSON.parse` refused, with the line and column of the first error on
 * every runtime: located by jsonc-parser (strict: no comments, no trailing commas), worded as
 * Python's `json.load`; the runtime's own position is the fallback.
 */
function jsonError(path: string, text: string, error: Error): SyntaxError {
  const place = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    return `${line}:${before.length - before.lastIndexOf("\n")}`;
  };
  const errors: ParseError[] = [];
  try {
    parseJsonc(text, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
  } catch (e) {
    // jsonc-parser recurses once per nesting level: a deeply nested text (found by `deno task
    // fuzz`: 20,000 levels and a syntax error) overflows its stack. The runtime's message then.
    if (!(e instanceof RangeError)) throw e;
    errors.length = 0;
  }
  const first = errors[0];
  if (first !== undefined) {
    const code = printParseErrorCode(first.error);
    const problem = Object.hasOwn(JSON_PROBLEM, code) ? JSON_PROBLEM[code] : code;
    return new SyntaxError(`${path}:${place(first.offset)}: not valid JSON: ${problem}`);
  }
  const at = /position (\d+)/.exec(error.message);
  if (at) {
    return new SyntaxError(`${path}:${place(Number(at[1]))}: not valid JSON (${error.message})`);
  }
  return new SyntaxError(`${path}: not valid JSON (${error.message})`);
}

function describe(value: unknown): string {
  return Array.isArray(value) ? "a list" : value === null ? "null" : `a ${typeof value}`;
}

/** The deepest nesting of arrays and objects a JSON settings file may have. */
const MAX_JSON_DEPTH = 200;

/** The deepest nesting of `[` and `{` in a valid JSON text (strings skipped), in one pass. */
function jsonDepth(text: string): number {
  let depth = 0, max = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/**
 * Reads a mapping from a JSON or YAML text: JSON as `json.load` (by `JSON.parse`), YAML as
 * PyYAML's `yaml.safe_load` (YAML 1.1 scalars, no Python tags).
 *
 * @param path The file (messages).
 * @param text Its text.
 * @param format How to read it.
 * @param what What the mapping holds, for the error when it is not one (`TrainingArguments fields`).
 * @param keyDepth How many levels of keys get lines (2: `lr_scheduler_kwargs.min_lr`; 3:
 * `scheduler.params.warmup_num_steps`).
 * @returns The mapping and the lines of its keys.
 * @throws {SyntaxError} If the text does not parse (with the line when known).
 * @throws {TypeError} If it is not a mapping, or holds a value no JSON could (a YAML date).
 */
export function readSettings(
  path: string,
  text: string,
  format: "json" | "yaml",
  what: string,
  keyDepth = 2,
): SettingsFile {
  let value: unknown;
  let lines: Map<string, number>;
  const types = new Map<string, string>();
  if (format === "json") {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw jsonError(path, text, error as Error);
    }
    // What reads the value later recurses per level (a deep copy, a walk over "auto" values):
    // refuse depths no config has, as the YAML reader does (Python's json.load itself stops
    // near 1,000 levels with a RecursionError).
    const depth = jsonDepth(text);
    if (depth > MAX_JSON_DEPTH) {
      throw new SyntaxError(
        `${path}: too deeply nested (${depth} levels of brackets, more than ${MAX_JSON_DEPTH})`,
      );
    }
    lines = jsonKeyLines(text, keyDepth);
  } else {
    const doc = parseYaml(text, { fileName: path, pythonEval: "refuse" });
    lines = new Map();
    const walk = (node: PyValue, prefix: string, level: number) => {
      if (node.type !== "node") return;
      for (const [key, v] of node.value) {
        const name = prefix ? `${prefix}.${key}` : key;
        if (v.source) lines.set(name, v.source.line);
        types.set(name, v.type);
        if (level < keyDepth - 1) walk(v, name, level + 1);
      }
    };
    walk(doc, "", 0);
    try {
      value = doc.type === "None" ? {} : toJs(doc);
    } catch (error) {
      const bad = [...types].find(([, t]) =>
        !/^(?:int|float|str|bool|None|tuple|list|node)$/.test(t)
      );
      const key = bad?.[0];
      throw new TypeError(
        `${key && lines.has(key) ? `${path}:${lines.get(key)}` : path}: ${key ? `${key}: ` : ""}` +
          `a YAML ${bad ? pyClassName(bad[1] as PyValue["type"]) : "value"} is not a setting ` +
          `(${(error as Error).message}); quote it to make it a string`,
      );
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${path}: expected a mapping of ${what}: got ${describe(value)}`);
  }
  const mapping = value as Record<string, unknown>;
  const line = (key: string) => lines.get(key);
  return {
    path,
    format,
    value: mapping,
    line,
    where: (key) => (lines.has(key) ? `${path}:${lines.get(key)}` : path),
    pyType: (key) => (format === "yaml" ? types.get(key) : undefined),
  };
}

/**
 * Reads a file's bytes as text, or says what else it is: a pickle or a zip archive (torch.save),
 * binary data.
 *
 * @param path The file (messages).
 * @param bytes Its contents (a string is taken as the text).
 * @param binaryHint What to say about a binary file (how to get a text file instead).
 * @returns The text.
 * @throws {TypeError} If the file is binary.
 */
export function textOf(path: string, bytes: Uint8Array | string, binaryHint: string): string {
  if (typeof bytes === "string") return bytes;
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b; // "PK": torch.save's zip format
  const pickle = bytes[0] === 0x80 && bytes[1] !== undefined && bytes[1] <= 5;
  if (zip || pickle || bytes.subarray(0, 4096).includes(0)) {
    throw new TypeError(
      `${path}: a binary file (${
        zip ? "a zip archive, as torch.save writes" : pickle ? "a Python pickle" : "not text"
      }), not JSON or YAML; ${binaryHint}`,
    );
  }
  return new TextDecoder("utf-8").decode(bytes);
}

export { snakeCase } from "../schedules/names.ts";

/**
 * A legend entry for a settings file: its name without the extension, or, for the names every
 * run's file has (`args.yaml`, `training_args.json`), its folder's name too
 * (`resnet50-a3/args`).
 */
export function fileLabel(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  const name = (parts[parts.length - 1] ?? path).replace(/\.(?:ya?ml|json)$/i, "");
  const parent = parts[parts.length - 2];
  return /^(?:args|training_args|config|trainer_config)$/.test(name) && parent !== undefined
    ? `${parent}/${name}`
    : name;
}

/**
 * Where a key of a settings file is, for {@linkcode placed}: the file, the key's line (when it
 * is written there), the key.
 *
 * @param file The file.
 * @param key The key as the user wrote it.
 * @returns The place.
 */
export function placeIn(file: SettingsFile, key: string): ErrorPlace {
  const line = file.line(key);
  return { file: file.path, ...(line !== undefined ? { line } : {}), key };
}

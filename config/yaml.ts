/**
 * Loading detectron2's YAML configs: `@lrspec/lrspec/config`.
 *
 * A port of how detectron2 reads a config file — PyYAML's `safe_load` (YAML 1.1 scalars:
 * `yes`/`off` are booleans, `0100` is octal, `1e-3` a string that yacs then decodes), fvcore's
 * `load_yaml_with_base` (`_BASE_` chains relative to the including file, later files override
 * earlier ones) and detectron2's `CfgNode.merge_from_file` (version upgrades, unknown keys and
 * type mismatches rejected with yacs' messages) — over the `yaml` package, with no file system
 * access of its own: you pass `readFile`.
 *
 * YAML is read safely: no tag constructs objects or runs code. detectron2 loads files that need
 * Python tags with `yaml.unsafe_load`; lrspec accepts the data tags (`!!python/tuple`, …) and
 * evaluates `!!python/object/apply:eval` — used by detectron2's own `Base-RetinaNet.yaml` — with
 * a restricted interpreter of arithmetic, list displays and comprehensions that has no names,
 * calls or attributes. Every other Python tag is refused with a `SyntaxError`.
 *
 * @example Load a model-zoo config and its `_BASE_` from memory
 * ```ts
 * import { loadConfig } from "@lrspec/lrspec/config";
 * import assert from "node:assert/strict";
 *
 * const files: Record<string, string> = {
 *   "configs/Base-RCNN-FPN.yaml": "SOLVER:\n  BASE_LR: 0.02\n  STEPS: (60000, 80000)\n  MAX_ITER: 90000\n",
 *   "configs/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml":
 *     '_BASE_: "../Base-RCNN-FPN.yaml"\nSOLVER:\n  STEPS: (210000, 250000)\n  MAX_ITER: 270000\n',
 * };
 * const { cfg } = loadConfig("configs/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml", {
 *   readFile: (path) => files[path.replace("COCO-Detection/../", "")]!,
 *   opts: ["SOLVER.BASE_LR", "0.01"],
 * });
 * assert.equal(cfg.SOLVER.MAX_ITER, 270000);
 * assert.deepEqual(cfg.SOLVER.STEPS, [210000, 250000]);
 * assert.equal(cfg.SOLVER.BASE_LR, 0.01);
 * ```
 *
 * @module
 */

import {
  type Alias,
  type Document,
  type EmptyStream,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  type Node as YamlNode,
  parseAllDocuments,
  type Scalar,
  visit,
  type YAMLMap,
} from "yaml";
import {
  BASE_KEY,
  CfgNode,
  type ConfigExtension,
  DEEPLAB_CONFIG,
  mergeConfigFile,
} from "./cfg_node.ts";
import {
  pyClassName,
  type PyNode,
  pyRepr,
  type PySource,
  pyStrRepr,
  type PyValue,
} from "./python.ts";
import { restrictedEval, UnsupportedExpression } from "./_pyeval.ts";
import {
  type NumberList,
  type ReducedText,
  reduceNumberLists,
  TextLines,
} from "./yaml/number_lists.ts";
import type { Detectron2Config } from "../schedules/detectron2/defaults.ts";

/** Options of {@linkcode parseYaml}. */
export interface ParseYamlOptions {
  /**
   * The file name used in messages and value positions.
   * @default {"<string>"}
   */
  fileName?: string;
  /**
   * What to do with `!!python/object/apply:eval`: evaluate it with lrspec's restricted
   * interpreter (`"restricted"`), or refuse it like every other code-running tag (`"refuse"`).
   * @default {"restricted"}
   */
  pythonEval?: "restricted" | "refuse";
  /**
   * Receives notes about Python tags that were evaluated.
   * @default {() => {}}
   */
  onWarning?: (message: string) => void;
}

const YAML_TAG = "tag:yaml.org,2002:";

// PyYAML's implicit resolvers (yaml/resolver.py), tried in registration order.
const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_RE =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;
const SMALL_INT_RE = /^[-+]?(?:0|[1-9][0-9]{0,14})$/;
const TIMESTAMP_RE =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** PyYAML's `construct_yaml_int`. */
function yamlInt(text: string): number {
  let value = text.replaceAll("_", "");
  let sign = 1;
  if (value[0] === "-") sign = -1;
  if (value[0] === "-" || value[0] === "+") value = value.slice(1);
  let n: bigint;
  if (value === "0") return 0;
  if (value.startsWith("0b")) n = BigInt(`0b${value.slice(2)}`);
  else if (value.startsWith("0x")) n = BigInt(`0x${value.slice(2)}`);
  else if (value[0] === "0") n = BigInt(`0o${value.slice(1)}`);
  else if (value.includes(":")) {
    n = 0n;
    let base = 1n;
    for (const part of value.split(":").reverse()) {
      n += BigInt(part) * base;
      base *= 60n;
    }
  } else n = BigInt(value);
  const result = Number(n) * sign;
  return result === 0 ? 0 : result;
}

/** PyYAML's `construct_yaml_float`. */
function yamlFloat(text: string): number {
  let value = text.replaceAll("_", "").toLowerCase();
  let sign = 1;
  if (value[0] === "-") sign = -1;
  if (value[0] === "-" || value[0] === "+") value = value.slice(1);
  if (value === ".inf") return sign * Infinity;
  if (value === ".nan") return NaN;
  if (value.includes(":")) {
    let result = 0.0;
    let base = 1;
    for (const part of value.split(":").reverse()) {
      result += Number(part) * base;
      base *= 60;
    }
    return sign * result;
  }
  return sign * Number(value);
}

const BOOLS: Record<string, boolean> = {
  yes: true,
  no: false,
  true: true,
  false: false,
  on: true,
  off: false,
};

/**
 * The most values that aliases (`*a`) and merge keys (`<<: *a`) may expand into in one document.
 * PyYAML shares an aliased node instead of copying it; lrspec builds a tree (each value keeps the
 * line it came from), so a "billion laughs" document — nested aliases that double at each level —
 * would take exponential time and memory. Real configs expand a handful of aliases.
 */
export const MAX_ALIAS_EXPANSION = 10_000;

/**
 * A plain scalar other than `<<` and `=` (which the reader refuses), resolved as PyYAML's implicit
 * resolvers do, in their order.
 */
function plainScalar(text: string, source: PySource): PyValue {
  // A decimal integer below 10¹⁵ (milestones, counts): what yamlInt gives, without its BigInt.
  if (SMALL_INT_RE.test(text)) {
    const n = Number(text);
    return { type: "int", value: n === 0 ? 0 : n, source };
  }
  if (BOOL_RE.test(text)) return { type: "bool", value: BOOLS[text.toLowerCase()]!, source };
  if (FLOAT_RE.test(text)) return { type: "float", value: yamlFloat(text), source };
  if (INT_RE.test(text)) return { type: "int", value: yamlInt(text), source };
  if (NULL_RE.test(text)) return { type: "None", value: null, source };
  if (TIMESTAMP_RE.test(text)) {
    const [y, m, d] = text.slice(0, 10).split("-").map(Number) as [number, number, number];
    return text.length === 10
      ? { type: "date", repr: `datetime.date(${y}, ${m}, ${d})`, source }
      : { type: "datetime", repr: `datetime.datetime(${y}, ${m}, ${d}, …)`, source };
  }
  return { type: "str", value: text, source };
}

/**
 * The most scalars (keys and values) a YAML document may hold outside long lists of plain numbers:
 * 50,000. The `yaml` package spends 5–40 µs on each, so a document of hundreds of thousands of
 * them (a few MB) would take seconds to minutes; no learning-rate config comes near it (detectron2's
 * full defaults are about 400 keys, a timm `args.yaml` about 200). Lists of plain numbers
 * (`STEPS: [1, 2, …]`, or `- 1` lines), the one thing a real config makes long, are read by
 * lrspec's own scanner and may have any length the file size allows.
 */
export const MAX_YAML_SCALARS = 50_000;

/** Throws when the text holds more than {@linkcode MAX_YAML_SCALARS} scalars (the lexer's count). */
function checkScalarCount(text: string, file: string): void {
  // Each scalar takes at least one character.
  if (text.length <= MAX_YAML_SCALARS) return;
  let n = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer marks the start of every scalar with U+001F.
    if (token === "\x1f" && ++n > MAX_YAML_SCALARS) {
      throw new SyntaxError(
        `${file}: more than ${MAX_YAML_SCALARS} keys and values (besides lists of plain numbers) ` +
          `in one YAML document; no learning-rate config comes near that, and lrspec stops here`,
      );
    }
  }
}

/**
 * The error for a document whose nesting exhausted the parser's stack. Where the stack ran out
 * depends on the stack the parse started with, so the error names instead the outermost bracket of
 * the deepest nesting and its depth (the lexer's count, the same on every run);
 * `fallback` (where the parser stopped) when the nesting is not of brackets.
 */
function tooDeep(
  text: string,
  file: string,
  lines: LinePositions,
  fallback: { line: number; col: number } | undefined,
): SyntaxError {
  let depth = 0;
  let deepest = 0;
  let outer = -1;
  let at = -1;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer's markers (document start, scalar, flow error end) take no room in the text.
    if (token === "\x02" || token === "\x1f" || token === "\x18") continue;
    if (token === "[" || token === "{") {
      if (depth === 0) outer = offset;
      if (++depth > deepest) {
        deepest = depth;
        at = outer;
      }
    } else if (token === "]" || token === "}") depth = Math.max(0, depth - 1);
    offset += token.length;
  }
  if (at >= 0 && deepest > 1) {
    const pos = lines.linePos(at);
    return new SyntaxError(
      `${file}:${pos.line}:${pos.col}: too deeply nested for a config (${deepest} levels of brackets)`,
    );
  }
  const where = fallback === undefined ? "" : `:${fallback.line}:${fallback.col}`;
  return new SyntaxError(`${file}${where}: too deeply nested for a config`);
}

/** Line and column of an offset in the text the `yaml` package parsed. */
interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

class YamlReader {
  readonly #file: string;
  readonly #lines: LinePositions;
  readonly #doc: Document.Parsed;
  readonly #options: ParseYamlOptions;
  /** The long number lists cut from the text (`config/yaml/number_lists.ts`), by offset. */
  readonly #lists: ReadonlyMap<number, NumberList> | undefined;
  /** The lists read so far. */
  readonly used: Set<NumberList> = new Set();
  #depth = 0;
  /** How many aliases and merge keys enclose the node being read. */
  #inAlias = 0;
  /** Values built inside an alias or a merge so far. */
  #expanded = 0;
  /** The mappings being flattened, to catch a merge key that names its own mapping. */
  readonly #flattening = new Set<YAMLMap>();
  /** Each alias's node, found in one pass over the document when the first alias is read. */
  #targets: Map<Alias, YamlNode | undefined> | undefined;

  constructor(
    file: string,
    lines: LinePositions,
    doc: Document.Parsed,
    options: ParseYamlOptions,
    lists?: ReadonlyMap<number, NumberList>,
  ) {
    this.#file = file;
    this.#lines = lines;
    this.#doc = doc;
    this.#options = options;
    this.#lists = lists;
  }

  /**
   * The items of a long number list cut from the text, when `node` is the sequence it was cut to
   * (its first item alone, a plain scalar, where the cut left it); otherwise undefined.
   */
  #listItems(node: YamlNode & { flow?: boolean; items: unknown[] }): PyValue[] | undefined {
    const list = this.#lists?.get(node.range?.[0] ?? -1);
    if (list === undefined || node.items.length !== 1 || (node.flow === true) !== list.flow) {
      return undefined;
    }
    const first = node.items[0] as YamlNode;
    if (
      !isScalar(first) || first.type !== "PLAIN" || first.tag || first.anchor ||
      first.range?.[0] !== list.firstItem || String(first.value) !== list.items[0]
    ) return undefined;
    this.used.add(list);
    const out: PyValue[] = [];
    // A flow list is on one line: its items share one source.
    const shared = { file: this.#file, line: list.line };
    for (let i = 0; i < list.items.length; i++) {
      if (this.#inAlias > 0) this.#spend(node);
      const source = list.flow ? shared : { file: this.#file, line: list.line + i };
      out.push(plainScalar(list.items[i]!, source));
    }
    return out;
  }

  /**
   * The node an alias names: the last node before it with that anchor, as PyYAML resolves it.
   * (The `yaml` package's `Alias.resolve` walks the whole document for each alias: thousands of
   * aliases in a file with a 300,000-item list would cost billions of steps.)
   */
  #resolve(alias: Alias): YamlNode | undefined {
    if (this.#targets === undefined) {
      const targets = new Map<Alias, YamlNode | undefined>();
      const anchors = new Map<string, YamlNode>();
      visit(this.#doc, {
        Node: (_key, node) => {
          if (isAlias(node)) targets.set(node, anchors.get(node.source));
          else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
      this.#targets = targets;
    }
    return this.#targets.get(alias);
  }

  source(node: { range?: [number, number, number] | null } | null | undefined): PySource {
    const offset = node?.range?.[0] ?? 0;
    return { file: this.#file, line: this.#lines.linePos(offset).line };
  }

  #fail(
    node: { range?: [number, number, number] | null } | null | undefined,
    message: string,
  ): never {
    const s = this.source(node);
    throw new SyntaxError(`${s.file}:${s.line}: ${message}`);
  }

  /** A plain scalar, resolved as PyYAML does. */
  #plain(text: string, source: PySource, node: Scalar): PyValue {
    if (text === "<<") this.#fail(node, "a merge key `<<` cannot be a value");
    if (text === "=") {
      this.#fail(node, "could not determine a constructor for the tag 'tag:yaml.org,2002:value'");
    }
    return plainScalar(text, source);
  }

  #tagged(tag: string, text: string, source: PySource, node: Scalar): PyValue {
    const name = tag.startsWith(YAML_TAG) ? tag.slice(YAML_TAG.length) : tag;
    try {
      switch (name) {
        case "str":
        case "python/str":
        case "python/unicode":
          return { type: "str", value: text, source };
        case "int":
        case "python/int":
          if (!/^[-+]?[0-9][0-9a-fA-FxXbB_:]*$/.test(text)) throw new Error(text);
          return { type: "int", value: yamlInt(text), source };
        case "float":
        case "python/float":
          if (!/^[-+]?(?:[0-9._:]+(?:[eE][-+]?[0-9]+)?|\.inf|\.nan)$/i.test(text)) {
            throw new Error(text);
          }
          return { type: "float", value: yamlFloat(text), source };
        case "bool":
        case "python/bool":
          if (!(text.toLowerCase() in BOOLS)) throw new Error(text);
          return { type: "bool", value: BOOLS[text.toLowerCase()]!, source };
        case "null":
        case "python/none":
          return { type: "None", value: null, source };
      }
    } catch {
      this.#fail(node, `invalid value for tag !!${name}: ${JSON.stringify(text)}`);
    }
    return this.#refuseTag(node, tag);
  }

  #refuseTag(node: YamlNode, tag: string): never {
    const shown = tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag;
    if (shown.startsWith("!!python/")) {
      this.#fail(
        node,
        `refusing YAML tag ${shown}: it constructs Python objects or runs code (detectron2 loads ` +
          `such files with yaml.unsafe_load); lrspec reads only data`,
      );
    }
    this.#fail(node, `could not determine a constructor for the tag ${pyStrRepr(tag)}`);
  }

  value(node: YamlNode | Alias | null | undefined, source?: PySource): PyValue {
    if (node === null || node === undefined) {
      return { type: "None", value: null, source: source ?? this.source(null) };
    }
    if (++this.#depth > 200) this.#fail(node, "too deeply nested (or a recursive alias)");
    if (this.#inAlias > 0) this.#spend(node);
    try {
      if (isAlias(node)) {
        const target = this.#resolve(node);
        if (!target) this.#fail(node, `unknown alias *${node.source}`);
        this.#inAlias++;
        try {
          return this.value(target as YamlNode, source ?? this.source(node));
        } finally {
          this.#inAlias--;
        }
      }
      const at = source ?? this.source(node);
      if (isScalar(node)) {
        const text = String(node.value);
        if (node.tag) return this.#tagged(node.tag, text, at, node);
        if (node.type === "PLAIN") return this.#plain(text, at, node);
        return { type: "str", value: text, source: at };
      }
      if (isSeq(node)) {
        const items = this.#listItems(node) ??
          node.items.map((item) => this.value(item as YamlNode, undefined));
        const tag = node.tag;
        if (!tag || tag === `${YAML_TAG}seq` || tag === `${YAML_TAG}python/list`) {
          return { type: "list", value: items, source: at };
        }
        if (tag === `${YAML_TAG}python/tuple`) return { type: "tuple", value: items, source: at };
        if (tag === `${YAML_TAG}python/object/apply:eval`) return this.#eval(node, items, at);
        return this.#refuseTag(node, tag);
      }
      if (isMap(node)) {
        const tag = node.tag;
        if (tag && tag !== `${YAML_TAG}map` && tag !== `${YAML_TAG}python/dict`) {
          return this.#refuseTag(node, tag);
        }
        return this.#mapping(node, at);
      }
      return this.#fail(node, "unsupported YAML node");
    } finally {
      this.#depth--;
    }
  }

  #eval(node: YamlNode, args: PyValue[], source: PySource): PyValue {
    if (this.#options.pythonEval === "refuse") {
      return this.#refuseTag(node, `${YAML_TAG}python/object/apply:eval`);
    }
    const expr = args[0];
    if (args.length !== 1 || expr?.type !== "str") {
      this.#fail(node, "!!python/object/apply:eval takes one string argument");
    }
    try {
      const value = restrictedEval(expr.value);
      this.#options.onWarning?.(
        `${source.file}:${source.line}: evaluated !!python/object/apply:eval ${
          pyStrRepr(expr.value)
        } with lrspec's restricted interpreter (detectron2 runs it with yaml.unsafe_load)`,
      );
      return { ...value, source };
    } catch (error) {
      if (error instanceof UnsupportedExpression) {
        this.#fail(
          node,
          `refusing !!python/object/apply:eval ${pyStrRepr(expr.value)}: ${error.message} ` +
            `(lrspec evaluates only arithmetic, lists, tuples and list comprehensions; ` +
            `detectron2 would run it with yaml.unsafe_load)`,
        );
      }
      throw error;
    }
  }

  /** A mapping, with PyYAML's merge keys (`<<`) flattened and later duplicates winning. */
  #mapping(node: YAMLMap, source: PySource): PyNode {
    const pairs = this.#flatten(node);
    const map = new Map<string, PyValue>();
    for (const { key, value } of pairs) map.set(key, value);
    return { type: "node", value: map, source };
  }

  /** Counts one value built inside an alias or merge; fails past {@linkcode MAX_ALIAS_EXPANSION}. */
  #spend(node: YamlNode | Alias | null | undefined): void {
    if (++this.#expanded > MAX_ALIAS_EXPANSION) {
      this.#fail(
        node,
        `aliases and merge keys expand to more than ${MAX_ALIAS_EXPANSION} values ` +
          `(nested aliases that multiply, a "billion laughs" document?); lrspec stops here`,
      );
    }
  }

  #flatten(node: YAMLMap): { key: string; value: PyValue }[] {
    if (this.#flattening.has(node)) this.#fail(node, "a merge key `<<` names its own mapping");
    if (this.#flattening.size > 200) this.#fail(node, "merge keys nested too deeply");
    this.#flattening.add(node);
    try {
      return this.#flattenPairs(node);
    } finally {
      this.#flattening.delete(node);
    }
  }

  #flattenPairs(node: YAMLMap): { key: string; value: PyValue }[] {
    const merged: { key: string; value: PyValue }[] = [];
    const own: { key: string; value: PyValue }[] = [];
    const merge = (target: YAMLMap) => {
      this.#inAlias++;
      try {
        return this.#flatten(target);
      } finally {
        this.#inAlias--;
      }
    };
    for (const pair of node.items) {
      if (this.#inAlias > 0) this.#spend(node);
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      if (isScalar(keyNode) && keyNode.type === "PLAIN" && !keyNode.tag && keyNode.value === "<<") {
        let target = pair.value as YamlNode | null;
        if (isAlias(target)) target = this.#resolve(target) as YamlNode;
        if (isMap(target)) merged.unshift(...merge(target));
        else if (isSeq(target)) {
          const parts = target.items.map((item) => {
            let sub = item as YamlNode;
            if (isAlias(sub)) sub = this.#resolve(sub) as YamlNode;
            if (!isMap(sub)) this.#fail(sub, "expected a mapping for merging");
            return merge(sub);
          });
          // PyYAML: earlier mappings in the list take precedence over later ones.
          merged.unshift(...parts.reverse().flat());
        } else this.#fail(target, "expected a mapping or list of mappings for merging");
        continue;
      }
      const keySource = this.source(keyNode);
      const key = this.value(keyNode, keySource);
      if (key.type !== "str") {
        this.#fail(
          keyNode,
          `config keys must be strings: got ${pyRepr(key)} (${pyClassName(key.type)})`,
        );
      }
      own.push({ key: key.value, value: this.value(pair.value as YamlNode | null, keySource) });
    }
    return [...merged, ...own];
  }
}

/**
 * Port of PyYAML's `yaml.safe_load` as detectron2 uses it: parses one YAML document into Python
 * values (YAML 1.1 scalar rules), each value carrying its file and line.
 *
 * @param text The YAML text.
 * @param options The file name for messages, and how to treat `!!python/object/apply:eval`.
 * @returns The document's value (`None` for an empty document).
 * @throws {SyntaxError} For malformed YAML, more than one document, a refused tag, or a non-string
 * mapping key — with `file:line:` in the message.
 *
 * @example
 * ```ts
 * import { parseYaml } from "@lrspec/lrspec/config";
 * import assert from "node:assert/strict";
 *
 * const v = parseYaml("A: yes\nB: 0100\nC: 1e-3\nD: (1, 2)\n");
 * assert.equal(v.type, "node");
 * if (v.type === "node") {
 *   assert.deepEqual([...v.value.values()].map((x) => x.type), ["bool", "int", "str", "str"]);
 * }
 * assert.throws(() => parseYaml("X: !!python/name:os.system ''\n"), SyntaxError);
 * ```
 */
export function parseYaml(text: string, options: ParseYamlOptions = {}): PyValue {
  const file = options.fileName ?? "<string>";
  if (typeof text !== "string") throw new TypeError(`parseYaml: ${file}: expected text`);
  // Long lists of plain numbers are read by lrspec's scanner; the `yaml` package parses the rest.
  const reduced = reduceNumberLists(text);
  if (reduced !== undefined) {
    const value = parseText(reduced.text, file, options, reduced, text);
    if (value !== undefined) return value;
    // A cut list was not a sequence of the document (it was in a string, a block scalar or a
    // comment): the whole text, as it is.
  }
  return parseText(text, file, options, undefined, text)!;
}

/**
 * Parses `text` (the original, or the original with its long number lists cut, `reduced`); the
 * document's value, or undefined when a cut list turned out not to be one of its sequences.
 */
function parseText(
  text: string,
  file: string,
  options: ParseYamlOptions,
  reduced: ReducedText | undefined,
  original: string,
): PyValue | undefined {
  checkScalarCount(text, file);
  const counter = new LineCounter();
  let lines: LinePositions = counter;
  if (reduced !== undefined) {
    const originalLines = new TextLines(original);
    lines = { linePos: (offset) => originalLines.linePos(reduced.toOriginal(offset)) };
  }
  let docs: Document.Parsed[] | EmptyStream;
  try {
    docs = parseAllDocuments(text, {
      version: "1.1",
      schema: "failsafe",
      uniqueKeys: false,
      merge: false,
      lineCounter: counter,
      prettyErrors: false,
      keepSourceTokens: false,
    });
  } catch (error) {
    // The parser recurses per level of `[`/`{` nesting: thousands of levels exhaust the stack.
    if (error instanceof RangeError) {
      throw tooDeep(text, file, reduced ? lines : new TextLines(text), undefined);
    }
    throw error;
  }
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      // A key indented under a scalar value: report where the ':' is, as PyYAML does.
      const misplaced = doc.errors.find((e) => e.code === "MULTILINE_IMPLICIT_KEY");
      if (misplaced) {
        const pos = lines.linePos(misplaced.pos[1]);
        throw new SyntaxError(
          `${file}:${pos.line}:${pos.col}: mapping values are not allowed here (check the indentation)`,
        );
      }
      const pos = lines.linePos(error.pos[0]);
      if (/call stack/i.test(error.message)) {
        // The parser recurses per level of `[`/`{` nesting; thousands exhaust the stack.
        throw tooDeep(text, file, reduced ? lines : new TextLines(text), pos);
      }
      const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      throw new SyntaxError(`${file}:${pos.line}:${pos.col}: ${message}`);
    }
  }
  if (list.length > 1) {
    const second = list[1]!;
    const line = lines.linePos(second.range[0]).line;
    throw new SyntaxError(
      `${file}:${line}: expected a single document in the stream, but found another document`,
    );
  }
  const doc = list[0];
  if (doc === undefined) {
    return reduced === undefined
      ? { type: "None", value: null, source: { file, line: 1 } }
      : undefined;
  }
  const reader = new YamlReader(file, lines, doc, options, reduced?.lists);
  const value = reader.value(doc.contents as YamlNode | null);
  if (reduced !== undefined && reader.used.size !== reduced.lists.size) return undefined;
  return value;
}

/** Options of {@linkcode loadYamlWithBase}. */
export interface LoadYamlWithBaseOptions extends Omit<ParseYamlOptions, "fileName"> {
  /** Reads a file (the config and each `_BASE_`); its errors propagate with context added. */
  readFile: (path: string) => string;
  /**
   * Turns a `_BASE_` entry into the path to read. The default is fvcore's rule: paths starting
   * with `/`, `http://` or `https://` as they are, others relative to the including file's
   * directory (joined with `/`, like Python's `os.path.join`, without normalizing `..`).
   * @default {resolveBasePath}
   */
  resolveBase?: (base: string, includingFile: string) => string;
}

/**
 * fvcore's `_BASE_` path rule: absolute paths and URLs as they are, others joined to the
 * including file's directory.
 *
 * @param base The `_BASE_` entry.
 * @param includingFile The path of the file that names it.
 * @returns The path to read.
 */
export function resolveBasePath(base: string, includingFile: string): string {
  if (base.startsWith("/") || base.startsWith("https://") || base.startsWith("http://")) {
    return base;
  }
  const slash = includingFile.lastIndexOf("/");
  const dir = slash < 0 ? "" : includingFile.slice(0, slash);
  return dir === "" ? base : `${dir}/${base}`;
}

function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(part);
  }
  return (absolute ? "/" : "") + out.join("/");
}

type MutableTree = { type: "node"; value: Map<string, PyValue>; source?: PySource };

/** fvcore's `merge_a_into_b` of `load_yaml_with_base`: plain dict merging, b modified. */
function mergeRaw(a: PyNode, b: MutableTree): void {
  for (const [k, v] of a.value) {
    const existing = b.value.get(k);
    if (v.type === "node" && existing !== undefined) {
      if (existing.type !== "node") {
        const s = v.source;
        throw new TypeError(
          `${s ? `${s.file}:${s.line}: ` : ""}Cannot inherit key '${k}' from base!`,
        );
      }
      mergeRaw(v, existing as MutableTree);
    } else b.value.set(k, v);
  }
}

function copyTree(node: PyNode): MutableTree {
  const map = new Map<string, PyValue>();
  for (const [k, v] of node.value) map.set(k, v.type === "node" ? copyTree(v) : v);
  return node.source
    ? { type: "node", value: map, source: node.source }
    : { type: "node", value: map };
}

/**
 * The longest `_BASE_` chain lrspec follows: 64 files (detectron2's deepest is 3). fvcore has no
 * limit and recurses until Python's stack overflows.
 */
export const MAX_BASE_DEPTH = 64;

/**
 * Each file's merged tree, loaded once per config (by normalised path) however many files name
 * it: a "diamond" of bases, where each file names the next twice, stays linear.
 */
type BaseCache = Map<string, PyNode>;

function loadWithBase(
  fileName: string,
  options: LoadYamlWithBaseOptions,
  chain: string[],
  cache: BaseCache = new Map(),
): PyNode {
  const cached = cache.get(normalizePath(fileName));
  if (cached !== undefined) return copyTree(cached);
  const text = options.readFile(fileName);
  const parsed = parseYaml(text, { ...options, fileName });
  if (parsed.type !== "node") {
    throw new TypeError(
      `${fileName}:${parsed.source?.line ?? 1}: a config file must be a mapping of keys: got ${
        parsed.type === "None" ? "an empty document" : pyClassName(parsed.type)
      }`,
    );
  }
  const cfg = copyTree(parsed);
  const base = cfg.value.get(BASE_KEY);
  if (base === undefined) {
    cache.set(normalizePath(fileName), copyTree(cfg));
    return cfg;
  }
  const entries = base.type === "list" ? base.value : [base];
  const merged: MutableTree = { type: "node", value: new Map(), source: cfg.source! };
  for (const entry of entries) {
    const at = `${fileName}:${entry.source?.line ?? base.source?.line ?? 1}`;
    if (entry.type !== "str") {
      throw new TypeError(`${at}: ${BASE_KEY} must name a file: got ${pyRepr(entry)}`);
    }
    const path = (options.resolveBase ?? resolveBasePath)(entry.value, fileName);
    const key = normalizePath(path);
    if (chain.includes(key)) {
      throw new RangeError(
        `${at}: ${BASE_KEY} cycle: ${[...chain, key].join(" → ")} (detectron2 recurses forever)`,
      );
    }
    if (chain.length >= MAX_BASE_DEPTH) {
      const shown = chain.length > 6
        ? [...chain.slice(0, 3), `… ${chain.length - 5} more …`, ...chain.slice(-2), key]
        : [...chain, key];
      throw new RangeError(
        `${at}: ${BASE_KEY} chain longer than ${MAX_BASE_DEPTH} files: ${shown.join(" → ")}`,
      );
    }
    let loaded: PyNode;
    try {
      loaded = loadWithBase(path, options, [...chain, key], cache);
    } catch (error) {
      if (
        error instanceof SyntaxError || error instanceof TypeError || error instanceof RangeError
      ) {
        throw error;
      }
      // A reader's error may carry the bare reason (`why`) apart from its own wording.
      const why = (error as { why?: unknown } | null)?.why;
      const message = typeof why === "string"
        ? why
        : error instanceof Error
        ? error.message
        : String(error);
      throw new Error(
        `${at}: cannot read ${BASE_KEY} ${pyStrRepr(entry.value)} (${path}): ${message}`,
        {
          cause: error,
        },
      );
    }
    mergeRaw(loaded, merged);
  }
  cfg.value.delete(BASE_KEY);
  mergeRaw(cfg, merged);
  cache.set(normalizePath(fileName), copyTree(merged));
  return merged;
}

/**
 * Port of fvcore's `CfgNode.load_yaml_with_base`: reads a YAML config and the files its
 * `_BASE_` names (a path or a list of paths, relative to the including file), recursively, and
 * merges them as plain mappings: bases first, in order, then the file itself. Nothing is checked
 * against detectron2's keys yet (see {@linkcode mergeFromFile}).
 *
 * Unlike fvcore, a `_BASE_` cycle is reported (a `RangeError`) instead of recursing until
 * Python's stack overflows.
 *
 * @param fileName The config's path, as `readFile` understands it.
 * @param options How to read files and resolve `_BASE_` paths.
 * @returns The merged values, each with the file and line it came from.
 * @throws {SyntaxError} For malformed YAML (with `file:line:col`).
 * @throws {TypeError} If a file is not a mapping, `_BASE_` is not a path, or a mapping would
 * replace a value of a base ("Cannot inherit key 'X' from base!").
 * @throws {RangeError} For a `_BASE_` cycle.
 * @throws {Error} When `readFile` fails for a base (the message names the including file).
 */
export function loadYamlWithBase(fileName: string, options: LoadYamlWithBaseOptions): PyNode {
  return loadWithBase(fileName, options, [normalizePath(fileName)]);
}

/** Options of {@linkcode mergeFromFile}. */
export interface MergeFromFileOptions extends LoadYamlWithBaseOptions {
  /**
   * Receives detectron2's warnings (no `VERSION`, old versions upgraded, Python tags evaluated).
   * @default {() => {}}
   */
  onWarning?: (message: string) => void;
}

/**
 * Port of detectron2's `CfgNode.merge_from_file`: {@linkcode loadYamlWithBase}, then merges the
 * result into a copy of `node`, upgrading files of an older `VERSION` as detectron2 does.
 *
 * @param node The config to merge into, e.g. `CfgNode.getCfg()`.
 * @param fileName The YAML file.
 * @param options How to read files, and where warnings go.
 * @returns The merged config.
 * @throws {TypeError} "Non-existent config key: SOLVER.FOO", "Type mismatch (...)", … with the
 * file and line of the offending value.
 * @throws {SyntaxError} For malformed YAML.
 * @throws {RangeError} For a `_BASE_` cycle or a `VERSION` newer than detectron2's.
 */
export function mergeFromFile(
  node: CfgNode,
  fileName: string,
  options: MergeFromFileOptions,
): CfgNode {
  const tree = loadYamlWithBase(fileName, options);
  return mergeConfigFile(node, tree, {
    fileName,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
}

/** Which project's config keys a config needs: detectron2's own, or DeepLab's on top. */
export type ConfigProject = "detectron2" | "deeplab";

/** Options of {@linkcode loadConfig} and {@linkcode parseConfig}. */
export interface LoadConfigOptions extends MergeFromFileOptions {
  /**
   * The project whose keys extend detectron2's defaults before merging: `"deeplab"` applies
   * DeepLab's `add_deeplab_config`; `"auto"` does so when the config uses a DeepLab key or
   * `LR_SCHEDULER_NAME: WarmupPolyLR`.
   * @default {"detectron2"}
   */
  project?: ConfigProject | "auto";
  /**
   * More keys to add to the defaults (after the project's), as a project's `add_*_config` does.
   * @default {[]}
   */
  extensions?: readonly ConfigExtension[];
  /**
   * Accept keys that are not in the defaults (yacs' `cfg.set_new_allowed(True)`).
   * @default {false}
   */
  allowNewKeys?: boolean;
  /**
   * Overrides applied after the file, as detectron2's `--opts KEY VALUE …`
   * (`merge_from_list`).
   * @default {[]}
   */
  opts?: readonly string[];
}

/** What {@linkcode loadConfig} returns. */
export interface LoadedConfig {
  /** The merged config as a plain object with detectron2's keys. */
  cfg: Detectron2Config;
  /** The same config with its Python types. */
  node: CfgNode;
  /** The project whose keys were added. */
  project: ConfigProject;
  /** Every file read, the config first, then its bases depth first. */
  files: string[];
}

/** Whether a loaded tree uses DeepLab's keys or its scheduler. */
function usesDeeplab(tree: PyNode): boolean {
  for (const key of Object.keys(DEEPLAB_CONFIG.keys)) {
    let cur: PyValue | undefined = tree;
    for (const part of key.split(".")) cur = cur?.type === "node" ? cur.value.get(part) : undefined;
    if (cur !== undefined) return true;
  }
  const solver = tree.value.get("SOLVER");
  const name = solver?.type === "node" ? solver.value.get("LR_SCHEDULER_NAME") : undefined;
  return name?.type === "str" && name.value.replace(/^["']|["']$/g, "") === "WarmupPolyLR";
}

/**
 * Loads a detectron2 YAML config the way detectron2's training scripts do: `get_cfg()`, the
 * project's `add_*_config` if any, `cfg.merge_from_file(fileName)`, then
 * `cfg.merge_from_list(opts)`.
 *
 * @param fileName The config's path, as `readFile` understands it.
 * @param options How to read files; project, extensions, new keys, `--opts` overrides.
 * @returns The merged config, plain and typed.
 * @throws {TypeError} For unknown keys and type mismatches (detectron2's messages, with file and
 * line), and everything {@linkcode mergeFromFile} throws.
 * @throws {SyntaxError} For malformed YAML.
 * @throws {RangeError} For a `_BASE_` cycle or an unsupported `VERSION`.
 */
export function loadConfig(fileName: string, options: LoadConfigOptions): LoadedConfig {
  const files: string[] = [];
  const read = options.readFile;
  const tracked: LoadConfigOptions = {
    ...options,
    readFile: (path) => {
      const text = read(path);
      files.push(path);
      return text;
    },
  };
  const tree = loadYamlWithBase(fileName, tracked);
  const project: ConfigProject = options.project === "auto"
    ? (usesDeeplab(tree) ? "deeplab" : "detectron2")
    : options.project ?? "detectron2";
  let node = CfgNode.getCfg({
    extensions: [...(project === "deeplab" ? [DEEPLAB_CONFIG] : []), ...(options.extensions ?? [])],
  });
  if (options.allowNewKeys) node = node.setNewAllowed(true);
  node = mergeConfigFile(node, tree, {
    fileName,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  if (options.opts?.length) node = node.mergeFromList(options.opts);
  return { cfg: node.toConfig(), node, project, files };
}

/**
 * {@linkcode loadConfig} for a config given as text: `_BASE_` files are read with `readFile`
 * (relative to `fileName`'s directory).
 *
 * @param text The YAML text of the config.
 * @param options As {@linkcode loadConfig}, plus the text's file name; `readFile` is needed only
 * when the text has a `_BASE_`.
 * @returns The merged config.
 * @throws {TypeError | SyntaxError | RangeError} As {@linkcode loadConfig}.
 *
 * @example
 * ```ts
 * import { parseConfig } from "@lrspec/lrspec/config";
 * import assert from "node:assert/strict";
 *
 * const { cfg } = parseConfig("SOLVER:\n  BASE_LR: 0.02\n  STEPS: (60000, 80000)\n");
 * assert.deepEqual(cfg.SOLVER.STEPS, [60000, 80000]);
 * assert.throws(() => parseConfig("SOLVER:\n  BASE_LR: 1\n"), /Type mismatch/);
 * ```
 */
export function parseConfig(
  text: string,
  options: Omit<LoadConfigOptions, "readFile"> & {
    fileName?: string;
    readFile?: (path: string) => string;
  } = {},
): LoadedConfig {
  const fileName = options.fileName ?? "<string>";
  const readFile = options.readFile;
  const loaded = loadConfig(fileName, {
    ...options,
    readFile: (path) => {
      if (path === fileName) return text;
      if (!readFile) throw new Error(`no readFile to read ${path}`);
      return readFile(path);
    },
  });
  return loaded;
}

/**
 * detectron2's config merging: a port of yacs' `CfgNode` (`merge_from_other_cfg`,
 * `merge_from_list`, `_check_and_coerce_cfg_value_type`, `new_allowed`), fvcore's `_BASE_`
 * rules and detectron2's `get_cfg()` defaults (yacs 0.1.8, fvcore 3378afe, detectron2 02b5c4e).
 *
 * A {@linkcode CfgNode} keeps every value with its Python type, because yacs checks types when
 * merging: `SOLVER.BASE_LR: 1` (an `int`) into the default `0.001` (a `float`) raises
 * `Type mismatch (<class 'float'> vs. <class 'int'>)`. {@linkcode CfgNode.toConfig} turns it into
 * the plain object with detectron2's keys that {@linkcode buildLrScheduler} reads.
 *
 * No YAML here: `@lrspec/lrspec/config` parses files and calls {@linkcode CfgNode.mergeFromOtherCfg}.
 *
 * @module
 */

import type { Detectron2Config } from "../schedules/detectron2/defaults.ts";
import { DETECTRON2_DEFAULTS } from "../schedules/detectron2/defaults.ts";
import { editDistance } from "../schedules/edit_distance.ts";
import {
  literalEval,
  pyClassName,
  type PyNode,
  pyRepr,
  type PySource,
  pyStr,
  type PyValue,
  toJs,
} from "./python.ts";

/** fvcore's `BASE_KEY`: the key that names the files a YAML config inherits from. */
export const BASE_KEY = "_BASE_";

/** detectron2's latest config version (`_C.VERSION`). */
export const CONFIG_VERSION = 2;

const VALID_TYPES: ReadonlySet<PyValue["type"]> = new Set([
  "tuple",
  "list",
  "str",
  "int",
  "float",
  "bool",
  "None",
]);

/**
 * Keys a project adds to detectron2's defaults before loading its configs, as its
 * `add_*_config(cfg)` does: dotted key → the value as Python source (`"0.9"`, `"[6, 12, 18]"`,
 * `'"deeplab"'`), so that `1.0` stays a `float` and `[1, 2]` a `list`.
 */
export interface ConfigExtension {
  /** A name for messages (`"deeplab"`). */
  readonly name: string;
  /** Dotted key → Python literal. */
  readonly keys: Readonly<Record<string, string>>;
}

/**
 * DeepLab's `add_deeplab_config` (`projects/DeepLab/deeplab/config.py`, detectron2 02b5c4e): the
 * keys DeepLab's configs use, with its defaults (`SOLVER.POLY_LR_POWER` 0.9,
 * `SOLVER.POLY_LR_CONSTANT_ENDING` 0.0 for {@linkcode WarmupPolyLR}, …).
 */
export const DEEPLAB_CONFIG: ConfigExtension = Object.freeze({
  name: "deeplab",
  keys: Object.freeze({
    "INPUT.CROP.SINGLE_CATEGORY_MAX_AREA": "1.0",
    "SOLVER.POLY_LR_POWER": "0.9",
    "SOLVER.POLY_LR_CONSTANT_ENDING": "0.0",
    "MODEL.SEM_SEG_HEAD.LOSS_TYPE": '"hard_pixel_mining"',
    "MODEL.SEM_SEG_HEAD.PROJECT_FEATURES": '["res2"]',
    "MODEL.SEM_SEG_HEAD.PROJECT_CHANNELS": "[48]",
    "MODEL.SEM_SEG_HEAD.ASPP_CHANNELS": "256",
    "MODEL.SEM_SEG_HEAD.ASPP_DILATIONS": "[6, 12, 18]",
    "MODEL.SEM_SEG_HEAD.ASPP_DROPOUT": "0.1",
    "MODEL.SEM_SEG_HEAD.USE_DEPTHWISE_SEPARABLE_CONV": "False",
    "MODEL.RESNETS.RES4_DILATION": "1",
    "MODEL.RESNETS.RES5_MULTI_GRID": "[1, 2, 4]",
    "MODEL.RESNETS.STEM_TYPE": '"deeplab"',
  }),
});

/** Options of {@linkcode CfgNode.mergeFromOtherCfg}. */
export interface MergeOptions {
  /**
   * Names the source in messages when the values carry no file position (`"--opts"`).
   * @default {undefined}
   */
  source?: string;
}

type MutableNode = { type: "node"; value: Map<string, PyValue>; source?: PySource };

function cloneNode(node: PyNode): MutableNode {
  const map = new Map<string, PyValue>();
  for (const [k, v] of node.value) map.set(k, v.type === "node" ? cloneNode(v) : v);
  return node.source
    ? { type: "node", value: map, source: node.source }
    : { type: "node", value: map };
}

function where(value: PyValue | undefined, fallback?: string): string {
  if (value?.source) return `${value.source.file}:${value.source.line}: `;
  return fallback ? `${fallback}: ` : "";
}

/**
 * What a key error is about, as data (`error.cause`, an `OptionProblem`): the config key as
 * `cfg.KEY` (as the schedules name config keys) and the value as written.
 */
function keyCause(owner: string, key: string, value: PyValue | undefined): { cause: unknown } {
  return {
    cause: {
      owner,
      option: `cfg.${key}`,
      value: value === undefined ? undefined : show(value, key),
    },
  };
}

function show(value: PyValue, key: string): string {
  // Python prints a whole CfgNode over many lines; one line names it instead.
  if (value.type === "node") return `CfgNode(${key}: ${value.value.size} keys)`;
  return pyStr(value);
}

/** A key near `key` (same node, small edit distance), for "did you mean" hints. */
function suggest(key: string, candidates: Iterable<string>, prefix: string): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(key, c);
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 4))
    ? ` (did you mean ${prefix}${best}?)`
    : "";
}

/**
 * Port of yacs `_check_and_coerce_cfg_value_type`: `replacement` may replace `original` if the
 * types match exactly, either is `None`, or one is a tuple and the other a list (the replacement
 * is then converted to the original's type).
 *
 * @param replacement The new value.
 * @param original The value it replaces.
 * @param fullKey The dotted key, for the message.
 * @param source Names the source when `replacement` has no file position.
 * @param owner Who checks, for the error's data (its `cause`: `{ owner, option: "cfg.KEY", value }`).
 * @returns The value to store.
 * @throws {TypeError} `Type mismatch (<class 'float'> vs. <class 'int'>) with values (0.001 vs.
 * 1) for config key: SOLVER.BASE_LR` (yacs raises a `ValueError`), prefixed with the file and
 * line of the replacement when known.
 *
 * @example
 * ```ts
 * import { checkAndCoerceCfgValueType, literalEval } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const steps = checkAndCoerceCfgValueType(literalEval("[1000]"), literalEval("(30000,)"), "SOLVER.STEPS");
 * assert.equal(steps.type, "tuple");
 * assert.throws(
 *   () => checkAndCoerceCfgValueType(literalEval("1"), literalEval("0.001"), "SOLVER.BASE_LR"),
 *   /Type mismatch \(<class 'float'> vs\. <class 'int'>\) with values \(0\.001 vs\. 1\)/,
 * );
 * ```
 */
export function checkAndCoerceCfgValueType(
  replacement: PyValue,
  original: PyValue,
  fullKey: string,
  source?: string,
  owner = "checkAndCoerceCfgValueType",
): PyValue {
  const rt = replacement.type;
  const ot = original.type;
  if (rt === ot) return replacement;
  if ((rt === "None" && VALID_TYPES.has(ot)) || (ot === "None" && VALID_TYPES.has(rt))) {
    return replacement;
  }
  if ((rt === "tuple" && ot === "list") || (rt === "list" && ot === "tuple")) {
    return { ...(replacement as Extract<PyValue, { type: "tuple" | "list" }>), type: ot };
  }
  throw new TypeError(
    `${where(replacement, source)}Type mismatch (${pyClassName(ot)} vs. ${pyClassName(rt)}) ` +
      `with values (${show(original, fullKey)} vs. ${
        show(replacement, fullKey)
      }) for config key: ${fullKey}`,
    keyCause(owner, fullKey, replacement),
  );
}

/**
 * Port of yacs `CfgNode._decode_cfg_value`: a string is parsed as a Python literal
 * ({@linkcode literalEval}: `"(1, 2)"` becomes a tuple, `"SyncBN"` stays a string); anything else
 * is returned as it is.
 *
 * @param value A value read from a YAML file or the command line.
 * @returns The decoded value; it keeps `value`'s file position.
 */
export function decodeCfgValue(value: PyValue): PyValue {
  if (value.type !== "str") return value;
  const decoded = literalEval(value.value);
  return value.source ? { ...decoded, source: value.source } : decoded;
}

/** Throws yacs' "is not a valid type" for leaves that a config cannot hold. */
function validate(node: PyNode, path: string[]): void {
  for (const [k, v] of node.value) {
    if (v.type === "node") validate(v, [...path, k]);
    else if (!VALID_TYPES.has(v.type)) {
      throw new TypeError(
        `${where(v)}Key ${[...path, k].join(".")} with value ${
          pyClassName(v.type)
        } is not a valid type; valid types: tuple, list, str, int, float, bool, None`,
      );
    }
  }
}

function getPath(root: PyNode, key: string): PyValue | undefined {
  let cur: PyValue | undefined = root;
  for (const part of key.split(".")) {
    if (cur?.type !== "node") return undefined;
    cur = cur.value.get(part);
  }
  return cur;
}

/** Copies a config's tree, lets `edit` change the copy, and wraps it (for the converters). */
let editTree: (node: CfgNode, edit: (root: MutableNode) => void) => CfgNode;

/**
 * A detectron2 config with every value's Python type: a port of yacs' `CfgNode` as detectron2
 * uses it. Immutable: every operation returns a new `CfgNode`.
 *
 * ```text
 * detectron2                                   lrspec
 * cfg = get_cfg()                              CfgNode.getCfg()
 * add_deeplab_config(cfg)                      node.extend(DEEPLAB_CONFIG)
 * cfg.merge_from_file("x.yaml")                mergeFromFile(node, "x.yaml", …)  (@lrspec/lrspec/config)
 * cfg.merge_from_list(["SOLVER.BASE_LR", "0.01"])  node.mergeFromList(["SOLVER.BASE_LR", "0.01"])
 * cfg.set_new_allowed(True)                    node.setNewAllowed(true)
 * cfg.SOLVER.MAX_ITER                          node.toConfig().SOLVER.MAX_ITER
 * ```
 *
 * Deliberate differences: errors are `TypeError`s (yacs raises `KeyError`, `ValueError` or
 * `AssertionError`) whose message contains yacs' message, prefixed with the file and line of the
 * offending value when it came from YAML, and followed by a "did you mean" hint for an unknown
 * key; a node in a "Type mismatch" message is named, not printed in full.
 *
 * @example Merging as detectron2 does
 * ```ts
 * import { CfgNode, fromJs } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const node = CfgNode.getCfg()
 *   .mergeFromOtherCfg(fromJs({ SOLVER: { STEPS: "(60000, 80000)", MAX_ITER: 90000 } }))
 *   .mergeFromList(["SOLVER.BASE_LR", "0.02"]);
 * const cfg = node.toConfig();
 * assert.deepEqual(cfg.SOLVER.STEPS, [60000, 80000]);
 * assert.equal(node.get("SOLVER.STEPS")?.type, "tuple");
 * assert.throws(() => node.mergeFromList(["SOLVER.MAX_ITER", "9e4"]), /Type mismatch/);
 * assert.throws(() => node.mergeFromList(["SOLVER.MAX_ITERS", "1"]), /Non-existent key/);
 * ```
 */
export class CfgNode {
  readonly #root: PyNode;
  readonly #newAllowed: ReadonlySet<string>;

  private constructor(root: PyNode, newAllowed: ReadonlySet<string>) {
    this.#root = root;
    this.#newAllowed = newAllowed;
  }

  /**
   * detectron2's `get_cfg()`: the defaults of detectron2 02b5c4e with their Python types,
   * optionally extended by projects (e.g. {@linkcode DEEPLAB_CONFIG}).
   *
   * Unlike lrspec's {@linkcode getCfg}, this is detectron2's own set of keys: DeepLab's
   * `SOLVER.POLY_LR_POWER` and `SOLVER.POLY_LR_CONSTANT_ENDING` exist only with the DeepLab
   * extension, as in detectron2.
   *
   * @param options Extensions to apply, in order.
   * @returns The default config.
   */
  static getCfg(options: { extensions?: readonly ConfigExtension[] } = {}): CfgNode {
    const root: MutableNode = { type: "node", value: new Map() };
    for (const [key, repr] of DETECTRON2_DEFAULTS) {
      const parts = key.split(".");
      const parent = getPath(root, parts.slice(0, -1).join(".")) as MutableNode | undefined;
      const target = parts.length === 1 ? root : parent!;
      target.value.set(
        parts[parts.length - 1]!,
        repr === null ? { type: "node", value: new Map() } : literalEval(repr),
      );
    }
    let node = new CfgNode(root, new Set());
    for (const extension of options.extensions ?? []) node = node.extend(extension);
    return node;
  }

  /**
   * yacs `CfgNode(init_dict, new_allowed=...)`: a config from a tree of values (e.g. what
   * `@lrspec/lrspec/config`'s `loadYamlWithBase` returns).
   *
   * @param tree The values; must be a node.
   * @param options `newAllowed` sets yacs' `new_allowed` on the root and every node below it.
   * @returns The config.
   * @throws {TypeError} If `tree` is not a node, or a leaf has a type a config cannot hold (yacs:
   * "Key X with value <class 'datetime.date'> is not a valid type").
   */
  static fromTree(tree: PyValue, options: { newAllowed?: boolean } = {}): CfgNode {
    if (tree.type !== "node") {
      throw new TypeError(
        `${where(tree)}a config must be a mapping of keys: got ${pyClassName(tree.type)}`,
      );
    }
    validate(tree, []);
    const node = new CfgNode(cloneNode(tree), new Set());
    return options.newAllowed ? node.setNewAllowed(true) : node;
  }

  /** The values with their Python types (read-only). */
  get tree(): PyNode {
    return this.#root;
  }

  /**
   * The value at a dotted key (`"SOLVER.STEPS"`), with its Python type.
   *
   * @param key A dotted key.
   * @returns The value, or `undefined` when there is no such key.
   */
  get(key: string): PyValue | undefined {
    return getPath(this.#root, key);
  }

  /**
   * Every dotted key, nodes included, in the config's order.
   *
   * @returns The keys.
   */
  keys(): string[] {
    const out: string[] = [];
    const walk = (node: PyNode, prefix: string) => {
      for (const [k, v] of node.value) {
        out.push(prefix + k);
        if (v.type === "node") walk(v, `${prefix}${k}.`);
      }
    };
    walk(this.#root, "");
    return out;
  }

  /**
   * The config as a plain object with detectron2's keys: tuples and lists become arrays.
   *
   * @returns A new object (changing it does not change this config).
   * @throws {TypeError} For a value yacs holds but a config cannot (a `dict` an override wrote:
   * `SOLVER.STEPS [{'a': 1}]`), naming its key, which the error's `cause` carries
   * (`cfg.SOLVER.STEPS[0]`).
   */
  toConfig(): Detectron2Config {
    return toJs(this.#root, "") as unknown as Detectron2Config;
  }

  /**
   * Whether the node at a dotted path accepts new keys (yacs `is_new_allowed`).
   *
   * @param path A node's dotted path; `""` is the root.
   * @returns Whether merging may add keys there.
   */
  isNewAllowed(path = ""): boolean {
    return this.#newAllowed.has(path);
  }

  /**
   * yacs `set_new_allowed`: this node and every node below it accept (or refuse) new keys when
   * merging.
   *
   * @param allowed Whether new keys are allowed.
   * @returns The new config.
   */
  setNewAllowed(allowed: boolean): CfgNode {
    const paths = new Set<string>();
    if (allowed) {
      paths.add("");
      for (const key of this.keys()) if (this.get(key)?.type === "node") paths.add(key);
    }
    return new CfgNode(this.#root, paths);
  }

  /**
   * Python's `cfg.A.B = value`: sets a key, adding it when it does not exist (no type check,
   * as attribute assignment in yacs). Missing nodes on the way are created.
   *
   * @param key A dotted key.
   * @param value The value, or Python source text for it (`"0.9"`, `'"deeplab"'`).
   * @returns The new config.
   * @throws {TypeError} If a node on the way is a value, or the value is not a valid type.
   */
  set(key: string, value: PyValue | string): CfgNode {
    const v = typeof value === "string" ? literalEval(value) : value;
    if (v.type !== "node" && !VALID_TYPES.has(v.type)) {
      throw new TypeError(
        `Invalid type ${pyClassName(v.type)} for key ${key}; valid types: tuple, list, str, int, ` +
          `float, bool, None`,
      );
    }
    const root = cloneNode(this.#root);
    const parts = key.split(".");
    let cur = root;
    for (const [i, part] of parts.slice(0, -1).entries()) {
      const next = cur.value.get(part);
      if (next === undefined) {
        const created: MutableNode = { type: "node", value: new Map() };
        cur.value.set(part, created);
        cur = created;
      } else if (next.type === "node") cur = next as MutableNode;
      else {
        throw new TypeError(
          `cannot set ${key}: ${parts.slice(0, i + 1).join(".")} is a ${pyClassName(next.type)}`,
        );
      }
    }
    cur.value.set(parts[parts.length - 1]!, v.type === "node" ? cloneNode(v) : v);
    return new CfgNode(root, this.#newAllowed);
  }

  /**
   * Adds a project's keys, as its `add_*_config(cfg)` does (e.g. DeepLab's
   * `add_deeplab_config`: `node.extend(DEEPLAB_CONFIG)`).
   *
   * @param extension The keys and their default values.
   * @returns The new config.
   */
  extend(extension: ConfigExtension): CfgNode {
    return Object.entries(extension.keys).reduce<CfgNode>(
      (node, [key, value]) => node.set(key, value),
      this,
    );
  }

  /**
   * Port of yacs `merge_from_other_cfg` (with fvcore's `_BASE_` check): merges `other` into a copy
   * of this config, recursively. Every string value is first decoded as a Python literal
   * ({@linkcode decodeCfgValue}); a key must exist (unless its node allows new keys) and its new
   * value must pass {@linkcode checkAndCoerceCfgValueType}.
   *
   * @param other The values to merge (e.g. a parsed YAML file), or another config.
   * @param options How to name the source in messages.
   * @returns The merged config.
   * @throws {TypeError} `Non-existent config key: SOLVER.FOO` (yacs' `KeyError`), a type mismatch,
   * `_BASE_` in `other` ("The reserved key '_BASE_' can only be used in files!"), or an `other`
   * that is not a node.
   */
  mergeFromOtherCfg(other: PyValue | CfgNode, options: MergeOptions = {}): CfgNode {
    const tree = other instanceof CfgNode ? other.tree : other;
    if (tree?.type !== "node") {
      throw new TypeError(
        `mergeFromOtherCfg: \`other\` must be a node or a CfgNode: got ${
          tree?.type === undefined ? String(tree) : pyClassName(tree.type)
        }`,
      );
    }
    if (tree.value.has(BASE_KEY)) {
      throw new TypeError(
        `${where(tree.value.get(BASE_KEY), options.source)}The reserved key '${BASE_KEY}' can ` +
          `only be used in files!`,
      );
    }
    const root = cloneNode(this.#root);
    this.#mergeAIntoB(tree, root, [], options.source);
    return new CfgNode(root, this.#newAllowed);
  }

  #mergeAIntoB(a: PyNode, b: MutableNode, keyList: string[], source?: string): void {
    const path = keyList.join(".");
    for (const [k, raw] of a.value) {
      const fullKey = [...keyList, k].join(".");
      let v = decodeCfgValue(raw);
      const existing = b.value.get(k);
      if (existing !== undefined) {
        v = checkAndCoerceCfgValueType(v, existing, fullKey, source, "mergeFromOtherCfg");
        if (v.type === "node") {
          this.#mergeAIntoB(v, existing as MutableNode, [...keyList, k], source);
        } else b.value.set(k, v);
      } else if (this.#newAllowed.has(path)) {
        if (v.type !== "node" && !VALID_TYPES.has(v.type)) {
          throw new TypeError(
            `${where(v, source)}Key ${fullKey} with value ${
              pyClassName(v.type)
            } is not a valid type; valid types: tuple, list, str, int, float, bool, None`,
            keyCause("mergeFromOtherCfg", fullKey, v),
          );
        }
        b.value.set(k, v.type === "node" ? cloneNode(v) : v);
      } else {
        throw new TypeError(
          `${where(raw, source)}Non-existent config key: ${fullKey}${
            suggest(k, b.value.keys(), path ? `${path}.` : "")
          }`,
          keyCause("mergeFromOtherCfg", fullKey, raw),
        );
      }
    }
  }

  /**
   * Port of yacs `merge_from_list` (with fvcore's `_BASE_` check): applies command-line style
   * overrides, `[key, value, key, value, …]`. Each value is decoded as a Python literal
   * (`"(1000, 2000)"` is a tuple, `"0.01"` a float, `"SyncBN"` a string) and type-checked against
   * the current value.
   *
   * @param list Alternating dotted keys and values, as on detectron2's command line after `--opts`.
   * @param options How to name the source in messages (`"--opts"`; `""`: not named, as on the
   * page, which shows the error beside the field of its key).
   * @returns The merged config.
   * @throws {TypeError} "Override list has odd length", "Non-existent key: SOLVER.FOO", a type
   * mismatch, or `_BASE_` among the keys (yacs and fvcore raise `AssertionError`/`ValueError`).
   */
  mergeFromList(list: readonly string[], options: MergeOptions = {}): CfgNode {
    const source = options.source ?? "--opts";
    const prefix = source ? `${source}: ` : "";
    if (!Array.isArray(list) || list.some((x) => typeof x !== "string")) {
      throw new TypeError(`mergeFromList: expected an array of strings`);
    }
    const keys = new Set(list.filter((_, i) => i % 2 === 0));
    if (keys.has(BASE_KEY)) {
      throw new TypeError(`${prefix}The reserved key '${BASE_KEY}' can only be used in files!`);
    }
    if (list.length % 2 !== 0) {
      throw new TypeError(
        `${prefix}Override list has odd length: ${
          pyRepr({ type: "list", value: list.map((s) => ({ type: "str", value: s })) })
        }; it must be a list of pairs`,
      );
    }
    const root = cloneNode(this.#root);
    for (let i = 0; i < list.length; i += 2) {
      const fullKey = list[i]!;
      const keyList = fullKey.split(".");
      let d: PyValue = root;
      for (const [j, subkey] of keyList.entries()) {
        const next: PyValue | undefined = d.type === "node" ? d.value.get(subkey) : undefined;
        if (next === undefined) {
          const hint = d.type === "node"
            ? suggest(
              subkey,
              d.value.keys(),
              keyList.slice(0, j).map((s: string) => `${s}.`).join(""),
            )
            : "";
          throw new TypeError(
            `${prefix}Non-existent key: ${fullKey}${hint}`,
            keyCause("mergeFromList", fullKey, { type: "str", value: list[i + 1]! }),
          );
        }
        if (j === keyList.length - 1) {
          const value = checkAndCoerceCfgValueType(
            decodeCfgValue({ type: "str", value: list[i + 1]! }),
            next,
            fullKey,
            source,
            "mergeFromList",
          );
          (d as MutableNode).value.set(subkey, value);
        } else d = next;
      }
    }
    return new CfgNode(root, this.#newAllowed);
  }

  static {
    editTree = (node, edit) => {
      const root = cloneNode(node.#root);
      edit(root);
      return new CfgNode(root, node.#newAllowed);
    };
  }
}

// ----------------------------------------------------------------------------------------------
// Versions: port of detectron2/config/compat.py
// ----------------------------------------------------------------------------------------------

function renameKey(root: MutableNode, oldKey: string, newKey: string): void {
  const oldKeys = oldKey.split(".");
  const newKeys = newKey.split(".");
  const get = (seq: string[]): PyValue => {
    let cur: PyValue = root;
    for (const k of seq) {
      const next: PyValue | undefined = cur.type === "node" ? cur.value.get(k) : undefined;
      if (next === undefined) {
        throw new TypeError(`cannot upgrade the config: no key ${seq.join(".")}`);
      }
      cur = next;
    }
    return cur;
  };
  const set = (seq: string[], value: PyValue) => {
    let cur = root;
    for (const k of seq.slice(0, -1)) {
      let next = cur.value.get(k);
      if (next === undefined) {
        next = { type: "node", value: new Map() };
        cur.value.set(k, next);
      }
      cur = next as MutableNode;
    }
    cur.value.set(seq[seq.length - 1]!, value);
  };
  const del = (seq: string[]): void => {
    const parent = (seq.length > 1 ? get(seq.slice(0, -1)) : root) as MutableNode;
    parent.value.delete(seq[seq.length - 1]!);
    if (parent.value.size === 0 && seq.length > 1) del(seq.slice(0, -1));
  };
  set(newKeys, get(oldKeys));
  del(oldKeys);
}

function deleteKey(root: MutableNode, key: string): void {
  const parts = key.split(".");
  const parent = getPath(root, parts.slice(0, -1).join(".")) as MutableNode | undefined;
  if (!parent?.value.delete(parts[parts.length - 1]!)) {
    throw new TypeError(`cannot upgrade the config: no key ${key}`);
  }
}

const V1_RENAMES: readonly (readonly [string, string])[] = [
  ["MODEL.RPN_HEAD.NAME", "MODEL.RPN.HEAD_NAME"],
];

const V2_RENAMES: readonly (readonly [string, string])[] = [
  ["MODEL.WEIGHT", "MODEL.WEIGHTS"],
  ["MODEL.PANOPTIC_FPN.SEMANTIC_LOSS_SCALE", "MODEL.SEM_SEG_HEAD.LOSS_WEIGHT"],
  ["MODEL.PANOPTIC_FPN.RPN_LOSS_SCALE", "MODEL.RPN.LOSS_WEIGHT"],
  ["MODEL.PANOPTIC_FPN.INSTANCE_LOSS_SCALE", "MODEL.PANOPTIC_FPN.INSTANCE_LOSS_WEIGHT"],
  ["MODEL.PANOPTIC_FPN.COMBINE_ON", "MODEL.PANOPTIC_FPN.COMBINE.ENABLED"],
  ["MODEL.PANOPTIC_FPN.COMBINE_OVERLAP_THRESHOLD", "MODEL.PANOPTIC_FPN.COMBINE.OVERLAP_THRESH"],
  ["MODEL.PANOPTIC_FPN.COMBINE_STUFF_AREA_LIMIT", "MODEL.PANOPTIC_FPN.COMBINE.STUFF_AREA_LIMIT"],
  [
    "MODEL.PANOPTIC_FPN.COMBINE_INSTANCES_CONFIDENCE_THRESHOLD",
    "MODEL.PANOPTIC_FPN.COMBINE.INSTANCES_CONFIDENCE_THRESH",
  ],
  ["MODEL.ROI_HEADS.SCORE_THRESH", "MODEL.ROI_HEADS.SCORE_THRESH_TEST"],
  ["MODEL.ROI_HEADS.NMS", "MODEL.ROI_HEADS.NMS_THRESH_TEST"],
  ["MODEL.RETINANET.INFERENCE_SCORE_THRESHOLD", "MODEL.RETINANET.SCORE_THRESH_TEST"],
  ["MODEL.RETINANET.INFERENCE_TOPK_CANDIDATES", "MODEL.RETINANET.TOPK_CANDIDATES_TEST"],
  ["MODEL.RETINANET.INFERENCE_NMS_THRESHOLD", "MODEL.RETINANET.NMS_THRESH_TEST"],
  ["TEST.DETECTIONS_PER_IMG", "TEST.DETECTIONS_PER_IMAGE"],
  ["TEST.AUG_ON", "TEST.AUG.ENABLED"],
  ["TEST.AUG_MIN_SIZES", "TEST.AUG.MIN_SIZES"],
  ["TEST.AUG_MAX_SIZE", "TEST.AUG.MAX_SIZE"],
  ["TEST.AUG_FLIP", "TEST.AUG.FLIP"],
];

function upgradeTo(root: MutableNode, version: number): void {
  if (version === 1) { for (const [o, n] of V1_RENAMES) renameKey(root, o, n); }
  if (version === 2) {
    for (const [o, n] of V2_RENAMES) renameKey(root, o, n);
    const arch = getPath(root, "MODEL.META_ARCHITECTURE");
    if (arch?.type === "str" && arch.value === "RetinaNet") {
      renameKey(
        root,
        "MODEL.RETINANET.ANCHOR_ASPECT_RATIOS",
        "MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS",
      );
      renameKey(root, "MODEL.RETINANET.ANCHOR_SIZES", "MODEL.ANCHOR_GENERATOR.SIZES");
      deleteKey(root, "MODEL.RPN.ANCHOR_SIZES");
      deleteKey(root, "MODEL.RPN.ANCHOR_ASPECT_RATIOS");
    } else {
      renameKey(root, "MODEL.RPN.ANCHOR_ASPECT_RATIOS", "MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS");
      renameKey(root, "MODEL.RPN.ANCHOR_SIZES", "MODEL.ANCHOR_GENERATOR.SIZES");
      deleteKey(root, "MODEL.RETINANET.ANCHOR_SIZES");
      deleteKey(root, "MODEL.RETINANET.ANCHOR_ASPECT_RATIOS");
    }
    deleteKey(root, "MODEL.RETINANET.ANCHOR_STRIDES");
  }
}

function downgradeFrom(root: MutableNode, version: number): void {
  if (version === 1) { for (const [o, n] of [...V1_RENAMES].reverse()) renameKey(root, n, o); }
  if (version === 2) {
    for (const [o, n] of [...V2_RENAMES].reverse()) renameKey(root, n, o);
    renameKey(root, "MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS", "MODEL.RPN.ANCHOR_ASPECT_RATIOS");
    renameKey(root, "MODEL.ANCHOR_GENERATOR.SIZES", "MODEL.RPN.ANCHOR_SIZES");
    const retinanet = getPath(root, "MODEL.RETINANET") as MutableNode;
    retinanet.value.set("ANCHOR_ASPECT_RATIOS", getPath(root, "MODEL.RPN.ANCHOR_ASPECT_RATIOS")!);
    retinanet.value.set("ANCHOR_SIZES", getPath(root, "MODEL.RPN.ANCHOR_SIZES")!);
    retinanet.value.set("ANCHOR_STRIDES", { type: "list", value: [] });
  }
}

function versionOf(node: CfgNode): number {
  const v = node.get("VERSION");
  if (v?.type !== "int") throw new TypeError(`the config has no integer VERSION`);
  return v.value;
}

/**
 * Port of detectron2's `upgrade_config` (`detectron2/config/compat.py`): converts a full config
 * of an older version to `toVersion`, renaming keys as detectron2's converters do
 * (`MODEL.WEIGHT` → `MODEL.WEIGHTS`, …).
 *
 * @param node A full config whose `VERSION` is older.
 * @param toVersion The version to reach.
 * @returns The upgraded config.
 * @throws {RangeError} If `toVersion` is older than the config or unknown.
 */
export function upgradeConfig(node: CfgNode, toVersion: number = CONFIG_VERSION): CfgNode {
  const from = versionOf(node);
  if (from > toVersion) throw new RangeError(`Cannot upgrade from v${from} to v${toVersion}!`);
  if (toVersion > CONFIG_VERSION) throw new RangeError(`no converter to v${toVersion}`);
  return editTree(node, (root) => {
    for (let k = from; k < toVersion; k++) {
      upgradeTo(root, k + 1);
      root.value.set("VERSION", { type: "int", value: k + 1 });
    }
  });
}

/**
 * Port of detectron2's `downgrade_config`: the defaults of an older version, so that an old
 * partial config can be merged into them before {@linkcode upgradeConfig}.
 *
 * @param node A full config.
 * @param toVersion The older version.
 * @returns The downgraded config.
 * @throws {RangeError} If `toVersion` is newer than the config or below 0.
 */
export function downgradeConfig(node: CfgNode, toVersion: number): CfgNode {
  const from = versionOf(node);
  if (from < toVersion) throw new RangeError(`Cannot downgrade from v${from} to v${toVersion}!`);
  if (toVersion < 0) throw new RangeError(`no converter below v0`);
  return editTree(node, (root) => {
    for (let k = from; k > toVersion; k--) {
      downgradeFrom(root, k);
      root.value.set("VERSION", { type: "int", value: k - 1 });
    }
  });
}

/**
 * Port of detectron2's `guess_version`: the version of a config file without `VERSION`: 1 if it
 * has `MODEL.WEIGHT` or `TEST.AUG_ON`, else the latest — with detectron2's warning.
 *
 * @param tree The loaded file.
 * @param fileName Its name, for the warning.
 * @param onWarning Receives the warning.
 * @returns The version.
 */
export function guessVersion(
  tree: PyNode,
  fileName: string,
  onWarning: (message: string) => void = () => {},
): number {
  if (getPath(tree, "MODEL.WEIGHT") !== undefined || getPath(tree, "TEST.AUG_ON") !== undefined) {
    onWarning(`Config '${fileName}' has no VERSION. Assuming it to be v1.`);
    return 1;
  }
  onWarning(
    `Config '${fileName}' has no VERSION. Assuming it to be compatible with latest v${CONFIG_VERSION}.`,
  );
  return CONFIG_VERSION;
}

/** Options of {@linkcode mergeConfigFile}. */
export interface MergeConfigFileOptions {
  /** The file's name, for messages. */
  fileName: string;
  /**
   * Receives detectron2's warnings (a file without `VERSION`, an old version being upgraded).
   * @default {() => {}}
   */
  onWarning?: (message: string) => void;
}

/**
 * The merging half of detectron2's `CfgNode.merge_from_file`: merges a loaded YAML file (its
 * `_BASE_`s already resolved) into a copy of `node`, upgrading old versions as detectron2 does:
 * a file of version v < 2 is merged into the defaults downgraded to v, and the result upgraded.
 *
 * @param node The config to merge into (latest version).
 * @param tree The file's values.
 * @param options The file name and where warnings go.
 * @returns The merged config.
 * @throws {TypeError} For unknown keys, type mismatches and invalid values (see
 * {@linkcode CfgNode.mergeFromOtherCfg}), or a `VERSION` that is not an integer.
 * @throws {RangeError} "Cannot merge a v3 config into a v2 config."
 */
export function mergeConfigFile(
  node: CfgNode,
  tree: PyValue,
  options: MergeConfigFileOptions,
): CfgNode {
  const loaded = CfgNode.fromTree(tree).tree;
  if (versionOf(node) !== CONFIG_VERSION) {
    throw new RangeError(
      "CfgNode.merge_from_file is only allowed on a config object of latest version!",
    );
  }
  const raw = loaded.value.get("VERSION");
  let version: number;
  if (raw === undefined || raw.type === "None") {
    version = guessVersion(loaded, options.fileName, options.onWarning);
  } else if (raw.type === "int") version = raw.value;
  else {
    throw new TypeError(
      `${where(raw)}'<=' not supported between instances of '${
        pyClassName(raw.type).slice(8, -2)
      }' and 'int' (VERSION must be an integer)`,
    );
  }
  if (version > CONFIG_VERSION) {
    throw new RangeError(
      `${where(raw)}Cannot merge a v${version} config into a v${CONFIG_VERSION} config.`,
    );
  }
  if (version === CONFIG_VERSION) return node.mergeFromOtherCfg(loaded);
  options.onWarning?.(
    `Loading an old v${version} config file '${options.fileName}' by automatically upgrading to ` +
      `v${CONFIG_VERSION}. See docs/CHANGELOG.md for instructions to update your files.`,
  );
  return upgradeConfig(downgradeConfig(node, version).mergeFromOtherCfg(loaded));
}

/**
 * `deno task fuzz`: the project's own fuzzer (issue 26).
 *
 * 1. **Config mutation across every CLI source.** Seeded from the real files in `fixtures/` and
 *    `docs/configs/` (detectron2 YAML with and without `_BASE_`, `--hf` JSON and YAML
 *    TrainingArguments, `--timm` args.yaml, `--megatron` arguments, `--deepspeed` ds_config.json,
 *    `--keras` schedule JSON), each file is mutated (byte flips, deletions, duplicated lines,
 *    numeric edge values, type swaps, deep nesting, alias bombs, prototype-named keys, unicode,
 *    huge lists) and run through the CLI under a CPU-time limit, a wall-clock limit and a V8 heap
 *    limit (`--max-old-space-size`). By default the runs go to long-lived worker processes
 *    (`scripts/fuzz_worker.ts`, {@linkcode CliWorker}) that call the CLI's `main` in-process — a
 *    run costs what its command costs, not a runtime's start — killed and respawned at a run's
 *    limit and every `--recycle N` runs; `--isolated` runs each command line as a child process
 *    of its own ({@linkcode runCli}, `ulimit -t`), as a user would. Each run is classified the
 *    same way in both modes:
 *    - `clean`: exit 2 and one `lrspec: error:` line that is not an internal error;
 *    - `internal`: "internal error", or an engine message shown as a user error (`x is not a
 *      function`, `Maximum call stack size exceeded`, `Cannot read properties of …`);
 *    - `crash`: a signal, an exit status other than 0/1/2, or a stack trace;
 *    - `hang`: killed at the time limit; `oom`: the heap limit reached;
 *    - `suspicious`: exit 0 but empty output, NaN/Infinity in a CSV, a negative rate in a CSV
 *      without the CLI's warning naming its first row (Keras and optax compute negative rates
 *      faithfully; the CLI says so on stderr), NaN in SVG or text;
 *    - `ok`: exit 0 (or 1 from `diff`) with well-formed output; `big`: output beyond the capture
 *      limit, whose captured prefix was well-formed (a valid run that is long, not a bug).
 * 2. **fast-check over the public API.** Every exported constructor and function of the library's
 *    entry points is called with arbitrary values, and `loadStateDict` of every scheduler that
 *    can be built is fed mutated state: each must return, or throw a `TypeError`, `RangeError` or
 *    `SyntaxError` whose message is not an engine message. Arguments the types forbid
 *    (`diffCurves()`, `cosf(1n)`) may throw any `TypeError` (JavaScript's way to refuse a wrong
 *    type, as `Math.cos(1n)` does); anything else they throw is a failure.
 *
 * Usage: `deno task fuzz [--seed N] [--files N] [--jobs N] [--timeout-ms N] [--heap-mb N]
 * [--cpu-s N] [--only I] [--api-runs N] [--show-type-errors] [--out DIR] [--runtime deno|bun|node]
 * [--isolated] [--recycle N]`. The seed is printed first; a
 * run is replayed with the same `--seed` (and `--only I` for file I alone). Failing inputs are
 * written under `--out` (default `.tmp/fuzz/SEED/`) with the command that runs them. Exit status 1
 * when any bad class (`internal`, `crash`, `hang`, `oom`, `suspicious`, `api`) is non-zero.
 *
 * @module
 */

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { ENGINE_MESSAGE, fuzzApi } from "./_fuzz_api.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The classes a run falls into. */
export const CLASSES = [
  "ok",
  "big",
  "clean",
  "internal",
  "crash",
  "hang",
  "oom",
  "suspicious",
] as const;
/** One class of {@linkcode CLASSES}. */
export type RunClass = typeof CLASSES[number];
/** The classes that are bugs. */
export const BAD: readonly RunClass[] = ["internal", "crash", "hang", "oom", "suspicious"];

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** A seeded generator (mulberry32): the same seed gives the same sequence on every runtime. */
export class Rng {
  #s: number;
  /** @param seed Any 32-bit integer. */
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** One element of a list. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** The generator for file `index` of a run with `seed` (so `--only I` replays file I alone). */
export function fileRng(seed: number, index: number): Rng {
  return new Rng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Seed files

/** A seed: a real config file, the source flag that reads it, and the options a run needs. */
export interface Seed {
  /** The source kind ("detectron2", "hf", "timm", "megatron", "deepspeed", "keras"). */
  kind: string;
  /** A name for reports. */
  name: string;
  /** The file's text (detectron2 `_BASE_` paths made absolute). */
  text: string;
  /** File extension for the mutated copy. */
  ext: string;
  /** The arguments that name the file as a schedule (`["--hf", FILE, "--dataset-size", "1000"]`). */
  args: (file: string) => string[];
}

const KERAS_COSINE = readFileSync(join(ROOT, "docs/configs/keras/cosine.json"), "utf8");
const KERAS_PIECEWISE = JSON.stringify(
  {
    module: "keras.optimizers.schedules",
    class_name: "PiecewiseConstantDecay",
    config: { boundaries: [100, 200], values: [0.1, 0.01, 0.001], name: "PiecewiseConstantDecay" },
    registered_name: null,
  },
  null,
  2,
);
const DS_CONCRETE = JSON.stringify(
  {
    train_batch_size: 32,
    optimizer: { type: "AdamW", params: { lr: 3e-4 } },
    scheduler: {
      type: "WarmupCosineLR",
      params: { total_num_steps: 1000, warmup_num_steps: 100, warmup_min_ratio: 0.0 },
    },
  },
  null,
  2,
);

/** Reads a repository file as text. */
function repoText(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

/** A detectron2 YAML with its `_BASE_` paths made absolute (so a copy anywhere finds its bases). */
function absoluteBases(path: string): string {
  const dir = dirname(join(ROOT, path));
  return repoText(path).replace(
    /^(_BASE_:\s*)(["']?)([^"'\n#]+)\2/m,
    (_m, head: string, _q: string, p: string) => `${head}"${resolve(dir, p.trim())}"`,
  );
}

/** Every seed file: the real configs in fixtures/ and docs/configs/, per CLI source. */
export function seeds(): Seed[] {
  const out: Seed[] = [];
  const d2 = (path: string) =>
    out.push({
      kind: "detectron2",
      name: path,
      text: absoluteBases(path),
      ext: ".yaml",
      args: (f) => [f],
    });
  for (const p of ["cosine", "multistep", "poly", "step-fixed-gamma"]) d2(`docs/configs/${p}.yaml`);
  for (
    const p of [
      "COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml",
      "COCO-InstanceSegmentation/mask_rcnn_R_50_FPN_1x.yaml",
      "Base-RCNN-FPN.yaml",
      "Base-RetinaNet.yaml",
    ]
  ) d2(`fixtures/detectron2-configs/configs/${p}`);
  for (const p of ["anchors", "base-override", "v0", "v1", "yaml11-scalars"]) {
    d2(`fixtures/configs/inputs/${p}.yaml`);
  }
  const hf = (path: string, ext: string) =>
    out.push({
      kind: "hf",
      name: path,
      text: repoText(path),
      ext,
      args: (f) => ["--hf", f, "--dataset-size", "5691"],
    });
  hf("docs/configs/hf/training_args.json", ".json");
  hf("docs/configs/hf/sft.yaml", ".yaml");
  hf("docs/configs/deepspeed/training_args.json", ".json");
  for (const p of ["resnet50-a3", "vit-small-updates"]) {
    out.push({
      kind: "timm",
      name: `docs/configs/timm/${p}/args.yaml`,
      text: repoText(`docs/configs/timm/${p}/args.yaml`),
      ext: ".yaml",
      args: (f) => ["--timm", f, "--updates-per-epoch", "626"],
    });
  }
  out.push({
    kind: "megatron",
    name: "docs/configs/megatron/wsd-pretrain.args",
    text: repoText("docs/configs/megatron/wsd-pretrain.args"),
    ext: ".args",
    args: (f) => ["--megatron", f],
  });
  out.push({
    kind: "deepspeed",
    name: "docs/configs/deepspeed/ds_config.json",
    text: repoText("docs/configs/deepspeed/ds_config.json"),
    ext: ".json",
    args: (f) => [
      "--deepspeed",
      f,
      "--hf-args",
      join(ROOT, "docs/configs/deepspeed/training_args.json"),
      "--dataset-size",
      "5691",
    ],
  });
  out.push({
    kind: "deepspeed",
    name: "(inline) ds_config WarmupCosineLR",
    text: DS_CONCRETE,
    ext: ".json",
    args: (f) => ["--deepspeed", f],
  });
  for (const [name, text] of [["CosineDecay", KERAS_COSINE], ["Piecewise", KERAS_PIECEWISE]]) {
    out.push({
      kind: "keras",
      name: `(inline) keras ${name}`,
      text: text!,
      ext: ".json",
      args: (f) => ["--keras", f],
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutations

const EDGE_NUMBERS = [
  "0",
  "-1",
  "-0",
  "1e308",
  "-1e308",
  "1e-320",
  "9007199254740992",
  "9007199254740993",
  "18446744073709551616",
  "123456789012345678901234567890",
  "2147483648",
  "-2147483649",
  "0.5",
  "1.5",
  "NaN",
  ".nan",
  ".inf",
  "-.inf",
  "Infinity",
  "1e5",
  "100000000",
  "0x10",
  "0o17",
  "1_000",
];
const SCALARS = [
  "null",
  "~",
  "true",
  "false",
  "yes",
  '""',
  '"x"',
  "[]",
  "{}",
  "[1, 2]",
  '{"a": 1}',
  "2001-12-14",
  "!!python/object:os.system x",
  "!!binary aGk=",
];
const PROTO_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "__defineGetter__",
];
const UNICODE = [
  "\uFEFF",
  "\u0000",
  "\u202E",
  "\uD800",
  "\u00e9",
  "\u{1F600}",
  "\u2028",
  "\r",
  "\t",
  "\u00a0",
  "Ａ",
];

/** One mutation: a name (for reports) and the function. */
interface Mutation {
  name: string;
  apply(text: string, rng: Rng, json: boolean): string;
}

function lines(text: string): string[] {
  return text.split("\n");
}

/** The positions of number tokens in the text. */
function numberSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)) {
    out.push([m.index!, m.index! + m[0].length]);
  }
  return out;
}

/** The positions of scalar values after `key: ` or `"key": `. */
function valueSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/:[ \t]+([^\s,{}\[\]#][^,\n{}\]#]*)/g)) {
    const start = m.index! + m[0].length - m[1]!.length;
    out.push([start, m.index! + m[0].length]);
  }
  return out;
}

/** Inserts a key–value pair at the top level of a YAML or JSON object (or a Megatron flag). */
function insertKey(text: string, key: string, value: string, json: boolean, rng: Rng): string {
  if (json) {
    const i = text.indexOf("{");
    if (i < 0) return text;
    return `${text.slice(0, i + 1)}${JSON.stringify(key)}: ${value},${text.slice(i + 1)}`;
  }
  const ls = lines(text);
  const at = rng.int(ls.length + 1);
  ls.splice(at, 0, `${key}: ${value}`);
  return ls.join("\n");
}

function replaceSpan(text: string, span: [number, number], by: string): string {
  return text.slice(0, span[0]) + by + text.slice(span[1]);
}

/** Every mutation, by name. */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: "byte-flip",
    apply(text, rng) {
      const b = new TextEncoder().encode(text);
      const n = 1 + rng.int(4);
      for (let k = 0; k < n && b.length > 0; k++) b[rng.int(b.length)]! ^= 1 << rng.int(8);
      return new TextDecoder().decode(b);
    },
  },
  {
    name: "delete",
    apply(text, rng) {
      const a = rng.int(text.length + 1);
      return text.slice(0, a) + text.slice(Math.min(text.length, a + 1 + rng.int(40)));
    },
  },
  {
    name: "delete-line",
    apply(text, rng) {
      const ls = lines(text);
      ls.splice(rng.int(ls.length), 1);
      return ls.join("\n");
    },
  },
  {
    name: "duplicate-line",
    apply(text, rng) {
      const ls = lines(text);
      const i = rng.int(ls.length);
      ls.splice(i, 0, ...Array<string>(1 + rng.int(3)).fill(ls[i]!));
      return ls.join("\n");
    },
  },
  {
    name: "edge-number",
    apply(text, rng) {
      const spans = numberSpans(text);
      if (spans.length === 0) return text;
      return replaceSpan(text, rng.pick(spans), rng.pick(EDGE_NUMBERS));
    },
  },
  {
    name: "int-to-float",
    apply(text, rng) {
      const spans = numberSpans(text).filter(([a, b]) => /^-?\d+$/.test(text.slice(a, b)));
      if (spans.length === 0) return text;
      const s = rng.pick(spans);
      return replaceSpan(text, s, `${text.slice(s[0], s[1])}.${rng.pick(["0", "5", "0001"])}`);
    },
  },
  {
    name: "type-swap",
    apply(text, rng, json) {
      const spans = valueSpans(text);
      if (spans.length === 0) return text;
      const v = rng.pick(json ? SCALARS.filter((s) => !/^[!~y2]/.test(s)) : SCALARS);
      return replaceSpan(text, rng.pick(spans), v);
    },
  },
  {
    name: "deep-nesting",
    apply(text, rng, json) {
      const n = rng.pick([50, 500, 5000, 20000]);
      const v = rng.int(2) === 0
        ? "[".repeat(n) + "]".repeat(n)
        : json
        ? '{"a":'.repeat(n) + "1" + "}".repeat(n)
        : "{a: ".repeat(n) + "1" + "}".repeat(n);
      return insertKey(text, rng.pick(["X", "SOLVER", "lr", "NESTED"]), v, json, rng);
    },
  },
  {
    name: "alias-bomb",
    apply(text, rng, json) {
      if (json) return text;
      const depth = 3 + rng.int(8);
      const ls = ["a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"];
      for (let i = 1; i <= depth; i++) {
        const prev = `*a${i - 1}`;
        ls.push(
          rng.int(3) === 0
            ? `a${i}: &a${i} {<<: ${prev === "*a0" ? "{x: 1}" : prev}, k${i}: ${prev}}`
            : `a${i}: &a${i} [${Array(10).fill(prev).join(", ")}]`,
        );
      }
      return rng.int(2) === 0 ? `${ls.join("\n")}\n${text}` : `${text}\n${ls.join("\n")}\n`;
    },
  },
  {
    name: "self-alias",
    apply(text, rng, json) {
      if (json) return text;
      return insertKey(
        text,
        "LOOP",
        rng.pick(["&a {<<: *a}", "&a [*a]", "*undefined_anchor"]),
        json,
        rng,
      );
    },
  },
  {
    name: "proto-key",
    apply(text, rng, json) {
      const key = rng.pick(PROTO_KEYS);
      const value = rng.pick(
        json ? ['{"polluted": 1}', "1", '"x"', "null"] : ["{polluted: 1}", "1", "x"],
      );
      return insertKey(text, key, value, json, rng);
    },
  },
  {
    name: "unicode",
    apply(text, rng) {
      const at = rng.int(text.length + 1);
      return text.slice(0, at) + rng.pick(UNICODE) + text.slice(at);
    },
  },
  {
    name: "huge-list",
    apply(text, rng, json) {
      const n = rng.pick([1000, 100000, 300000]);
      const list = `[${Array.from({ length: n }, (_, i) => String(i + 1)).join(", ")}]`;
      const spans = valueSpans(text);
      if (spans.length === 0 || rng.int(2) === 0) {
        return insertKey(text, rng.pick(["STEPS", "milestones", "boundaries"]), list, json, rng);
      }
      return replaceSpan(text, rng.pick(spans), list);
    },
  },
  {
    name: "huge-value",
    apply(text, rng) {
      const spans = valueSpans(text);
      if (spans.length === 0) return text;
      return replaceSpan(text, rng.pick(spans), rng.pick(["x".repeat(1e6), "9".repeat(5000)]));
    },
  },
  {
    name: "truncate",
    apply(text, rng) {
      return text.slice(0, rng.int(text.length));
    },
  },
  {
    name: "megatron-flag",
    apply(text, rng) {
      const flags = [...text.matchAll(/--[a-z0-9-]+/g)].map((m) => m[0]);
      if (flags.length === 0) return text;
      return `${text} ${rng.pick(flags)} ${rng.pick([...EDGE_NUMBERS, "", "cosine", "--x"])}`;
    },
  },
];

/** A mutated file: its text and the mutations applied, in order. */
export interface Mutant {
  /** The seed it came from. */
  seed: Seed;
  /** The mutated text. */
  text: string;
  /** The mutation names. */
  applied: string[];
  /** The command (`curve`, `explain`, `plot`, `diff`). */
  command: string;
}

/** The mutant for file `index` of a run with `seed`: 1–3 mutations of one seed file. */
export function mutant(all: readonly Seed[], seed: number, index: number): Mutant {
  const rng = fileRng(seed, index);
  const s = all[rng.int(all.length)]!;
  const json = s.ext === ".json";
  let text = s.text;
  const applied: string[] = [];
  const n = 1 + rng.int(3);
  for (let k = 0; k < n; k++) {
    const m = rng.pick(MUTATIONS);
    text = m.apply(text, rng, json);
    applied.push(m.name);
  }
  const command = rng.pick(["curve", "curve", "curve", "curve", "explain", "plot", "diff"]);
  return { seed: s, text, applied, command };
}

// ---------------------------------------------------------------------------------------------
// Running and classifying

/** Limits for one CLI run. */
export interface RunLimits {
  /** Kill after this many milliseconds (`hang`). */
  timeoutMs: number;
  /** V8 heap limit in MiB (`--max-old-space-size`). */
  heapMb: number;
  /** Stop capturing stdout after this many bytes (then `big` or a bad class). */
  maxOutput: number;
  /** CPU seconds (`ulimit -t`: SIGXCPU, a `hang`), independent of the machine's load. */
  cpuSeconds: number;
  /** The runtime that runs the CLI. */
  runtime: "deno" | "bun" | "node";
}

/** What a CLI run did. */
export interface RunResult {
  /** Exit status (null on a signal). */
  code: number | null;
  /** The signal that ended it. */
  signal: string | null;
  /** Captured stdout (at most `maxOutput` bytes). */
  stdout: string;
  /** Captured stderr (at most 64 KiB). */
  stderr: string;
  /** Killed at the time limit. */
  timedOut: boolean;
  /** Stopped at the output limit. */
  truncated: boolean;
  /** Wall time in ms. */
  ms: number;
}

/** `deno run` of a script with the permissions the CLI needs and a V8 heap limit. */
function denoCommand(heapMb: number, script: string): string[] {
  return [
    join(ROOT, "node_modules/.bin/deno"),
    "run",
    "--no-check",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    `--v8-flags=--max-old-space-size=${heapMb}`,
    script,
  ];
}

/** The command line that runs the CLI on a runtime with a heap limit. */
export function cliCommand(runtime: RunLimits["runtime"], heapMb: number): string[] {
  if (runtime === "deno") return denoCommand(heapMb, join(ROOT, "cli/main.ts"));
  if (runtime === "bun") {
    // Bun (JavaScriptCore) has no heap-size flag: the time limit bounds a runaway allocation.
    return [join(ROOT, "node_modules/.bin/bun"), join(ROOT, "cli/main.ts")];
  }
  return [process.execPath, `--max-old-space-size=${heapMb}`, join(ROOT, "bin/lrspec.mjs")];
}

/** Runs the CLI once as a child process under the limits. */
export function runCli(args: string[], limits: RunLimits, cwd: string): Promise<RunResult> {
  const [cmd, ...pre] = cliCommand(limits.runtime, limits.heapMb);
  const t0 = Date.now();
  return new Promise((done) => {
    // `ulimit -t` bounds CPU time (a busy loop ends with SIGXCPU however loaded the machine is);
    // the wall-clock timer catches a run blocked on something (a FIFO, a lock).
    const child = spawn("/bin/sh", [
      "-c",
      `ulimit -S -t ${limits.cpuSeconds} && ulimit -H -t ${limits.cpuSeconds + 5} && exec "$@"`,
      "sh",
      cmd!,
      ...pre,
      ...args,
    ], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let truncated = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limits.timeoutMs);
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    child.stdout!.on("data", (s: string) => {
      if (truncated) return;
      stdout += s;
      if (stdout.length > limits.maxOutput) {
        truncated = true;
        child.kill("SIGKILL");
      }
    });
    child.stderr!.on("data", (s: string) => {
      if (stderr.length < 65536) stderr += s;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, timedOut, truncated, ms: Date.now() - t0 });
    });
  });
}

/** The command line that starts the in-process worker (`scripts/fuzz_worker.ts`) on a runtime. */
export function workerCommand(runtime: RunLimits["runtime"], heapMb: number): string[] {
  const script = join(ROOT, "scripts/fuzz_worker.ts");
  if (runtime === "deno") return denoCommand(heapMb, script);
  if (runtime === "bun") return [join(ROOT, "node_modules/.bin/bun"), script];
  return [process.execPath, `--max-old-space-size=${heapMb}`, "--import", "tsx", script];
}

/** Whether `/proc` is read through `cat` (Deno reads `/proc` only with `--allow-all`). */
let procByCat = false;

/** `/proc/PID/stat`, read directly or, where the runtime forbids it, through `cat`. */
function procStat(pid: number): string {
  if (!procByCat) {
    try {
      return readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch (error) {
      // Deno without --allow-all: "NotCapable: Requires all access to /proc/…".
      if ((error as { name?: string }).name !== "NotCapable") throw error;
      procByCat = true;
    }
  }
  const r = spawnSync("cat", [`/proc/${pid}/stat`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cannot read /proc/${pid}/stat`);
  return r.stdout;
}

/**
 * CPU seconds (user + system) a process has used, from Linux's `/proc/PID/stat`; undefined where
 * there is no `/proc` (then only the wall-clock limit applies).
 */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = procStat(pid);
    // The fields after the command name (which may hold spaces) — utime and stime are 14 and 15.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

/** A run in flight in a {@linkcode CliWorker}. */
interface InFlight {
  id: number;
  t0: number;
  done: (r: RunResult) => void;
  timedOut: boolean;
  cpuLimit: boolean;
  timers: ReturnType<typeof setInterval>[];
}

/**
 * A long-lived child process that runs CLI command lines in-process (`scripts/fuzz_worker.ts`),
 * under the same limits as {@linkcode runCli}: a run past its wall-clock limit, or past its CPU
 * seconds (read from `/proc`), is killed (`timedOut`, or signal `SIGXCPU` as `ulimit -t` gives);
 * the worker's death (V8's heap limit: its message in stderr) ends the run in flight with the
 * worker's exit status, signal and stderr; stdout past the capture limit ends the run
 * `truncated`. After any of these, and every `recycle` runs, the next run starts a fresh worker,
 * so no state of one run can reach many others. The results are classified by
 * {@linkcode classify} exactly as a child process's are.
 */
export class CliWorker {
  #child: ReturnType<typeof spawn> | undefined;
  #ready: Promise<void> | undefined;
  #stdout = "";
  #stderr = "";
  #runs = 0;
  #nextId = 1;
  #flight: InFlight | undefined;
  #exit: { code: number | null; signal: string | null } | undefined;
  readonly #limits: RunLimits;
  readonly #cwd: string;
  readonly #recycle: number;
  /** Workers started so far (the first and every respawn). */
  starts = 0;

  /**
   * @param limits The limits of each run.
   * @param cwd The worker's working directory.
   * @param recycle Runs before a fresh worker replaces this one.
   */
  constructor(limits: RunLimits, cwd: string, recycle = 200) {
    this.#limits = limits;
    this.#cwd = cwd;
    this.#recycle = recycle;
  }

  #start(): Promise<void> {
    const [cmd, ...pre] = workerCommand(this.#limits.runtime, this.#limits.heapMb);
    const child = spawn(cmd!, pre, {
      cwd: this.#cwd,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    this.#child = child;
    this.#stdout = "";
    this.#stderr = "";
    this.#runs = 0;
    this.#exit = undefined;
    this.starts++;
    child.stdout!.setEncoding("utf8");
    child.stderr!.setEncoding("utf8");
    let ready!: () => void;
    let failed!: (e: Error) => void;
    const whenReady = new Promise<void>((a, b) => {
      ready = a;
      failed = b;
    });
    child.stderr!.on("data", (s: string) => {
      if (this.#child === child && this.#stderr.length < 65536) this.#stderr += s;
    });
    child.stdout!.on("data", (s: string) => {
      if (this.#child !== child) return;
      this.#stdout += s;
      let nl: number;
      while ((nl = this.#stdout.indexOf("\n")) >= 0) {
        const line = this.#stdout.slice(0, nl);
        this.#stdout = this.#stdout.slice(nl + 1);
        const reply = JSON.parse(line) as {
          ready?: true;
          id?: number;
          code: number;
          stdout: string;
          stderr: string;
          truncated: boolean;
          cpuLimit?: true;
        };
        if (reply.ready) {
          ready();
          continue;
        }
        const f = this.#flight;
        if (f === undefined || reply.id !== f.id) continue;
        if (reply.cpuLimit) {
          // Stopped by the worker at its CPU limit: what SIGXCPU does to a child, and a fresh
          // worker for the next run, as after the parent's kill.
          this.#kill();
          this.#finish({
            code: null,
            signal: "SIGXCPU",
            stdout: "",
            stderr: reply.stderr + this.#stderr,
            timedOut: false,
            truncated: false,
            ms: Date.now() - f.t0,
          });
          continue;
        }
        this.#finish({
          code: reply.code,
          signal: null,
          stdout: reply.stdout,
          // The runtime's own messages (warnings) reach the worker's stderr, as a child's.
          stderr: reply.stderr + this.#stderr,
          timedOut: false,
          truncated: reply.truncated,
          ms: Date.now() - f.t0,
        });
        // Past the capture limit a child process is killed: start afresh as well.
        if (reply.truncated) this.#kill();
      }
    });
    child.on("error", (e) => failed(e));
    // A worker that died leaves a closed pipe: its exit, not the write, says what happened.
    child.stdin!.on("error", () => {});
    child.on("exit", (code, signal) => {
      if (this.#child !== child) return;
      this.#exit = { code, signal };
      this.#child = undefined;
      this.#ready = undefined;
      failed(
        new Error(
          `the fuzz worker exited (${code ?? signal}) before it was ready: ${this.#stderr}`,
        ),
      );
      // stderr may still be arriving: let it in before the run is classified.
      setTimeout(() => {
        const f = this.#flight;
        if (f === undefined) return;
        this.#finish({
          code,
          signal: f.cpuLimit ? "SIGXCPU" : signal,
          stdout: "",
          stderr: this.#stderr,
          timedOut: f.timedOut,
          truncated: false,
          ms: Date.now() - f.t0,
        });
      }, 50);
    });
    return whenReady;
  }

  #finish(r: RunResult): void {
    const f = this.#flight;
    if (f === undefined) return;
    this.#flight = undefined;
    for (const t of f.timers) clearInterval(t);
    f.done(r);
  }

  #kill(): void {
    const child = this.#child;
    this.#child = undefined;
    this.#ready = undefined;
    child?.kill("SIGKILL");
  }

  /** Runs one command line (absolute paths) and says what it did, as {@linkcode runCli} does. */
  async run(args: string[]): Promise<RunResult> {
    if (this.#child !== undefined && this.#runs >= this.#recycle) this.#kill();
    if (this.#child === undefined || this.#ready === undefined) this.#ready = this.#start();
    await this.#ready;
    const child = this.#child!;
    this.#runs++;
    this.#stderr = "";
    const id = this.#nextId++;
    const cpu0 = cpuSecondsOf(child.pid);
    return new Promise((done) => {
      const f: InFlight = {
        id,
        t0: Date.now(),
        done,
        timedOut: false,
        cpuLimit: false,
        timers: [],
      };
      this.#flight = f;
      f.timers.push(setTimeout(() => {
        f.timedOut = true;
        child.kill("SIGKILL");
      }, this.#limits.timeoutMs) as unknown as ReturnType<typeof setInterval>);
      if (cpu0 !== undefined) {
        f.timers.push(setInterval(() => {
          const cpu = cpuSecondsOf(child.pid);
          if (cpu !== undefined && cpu - cpu0 > this.#limits.cpuSeconds) {
            f.cpuLimit = true;
            child.kill("SIGKILL");
          }
        }, 100));
      }
      child.stdin!.write(
        JSON.stringify({
          id,
          args,
          maxOutput: this.#limits.maxOutput,
          cpuSeconds: this.#limits.cpuSeconds,
        }) + "\n",
      );
    });
  }

  /** Stops the worker. */
  close(): void {
    this.#kill();
  }
}

export { ENGINE_MESSAGE };

const OOM =
  /heap out of memory|out of memory|Reached heap limit|Allocation failed|bad_alloc|Array buffer allocation failed/i;

/**
 * The class of a run: see the module doc. `command` is the CLI command it ran, `cpuSeconds` its
 * CPU limit (a SIGKILL after that long is the hard CPU limit, a `hang`).
 */
export function classify(
  r: RunResult,
  command: string,
  cpuSeconds?: number,
): { cls: RunClass; why: string } {
  const err = r.stderr;
  if (OOM.test(err) && (r.code !== 0 && r.code !== 2 || r.signal !== null)) {
    return { cls: "oom", why: firstLine(err.match(OOM)![0]) };
  }
  if (r.timedOut) return { cls: "hang", why: `killed after ${r.ms} ms` };
  // The CLI's warning that a schedule's rate goes negative (faithful: Keras and optax compute
  // it): the row it names, as the CSV numbers it.
  const negativeAt = /^lrspec: warning: .*: the learning rate goes negative at \S+ (-?\d+) /m
    .exec(err)?.[1];
  if (r.truncated) {
    const bad = suspiciousOutput(r.stdout, command, true, negativeAt);
    return bad === undefined
      ? { cls: "big", why: `stdout over ${r.stdout.length} bytes` }
      : { cls: "suspicious", why: bad };
  }
  if (r.signal === "SIGXCPU") return { cls: "hang", why: `CPU limit reached after ${r.ms} ms` };
  // The hard CPU limit (5 s above the soft one) kills a process that outlived SIGXCPU.
  if (r.signal === "SIGKILL" && cpuSeconds !== undefined && r.ms >= cpuSeconds * 1000) {
    return { cls: "hang", why: `CPU limit (SIGKILL) after ${r.ms} ms` };
  }
  if (r.signal !== null) return { cls: "crash", why: `signal ${r.signal}` };
  if (/^\s+at .+[:(]\d+/m.test(err) || /\n\s*at (async )?\S+ \(/.test(err)) {
    return { cls: "crash", why: `stack trace: ${firstLine(err)}` };
  }
  if (r.code === 2) {
    const errs = err.split("\n").filter((l) => l.startsWith("lrspec: error:"));
    if (errs.length !== 1) return { cls: "crash", why: `exit 2 with ${errs.length} error lines` };
    const line = errs[0]!;
    if (/internal error/i.test(line)) return { cls: "internal", why: line };
    if (ENGINE_MESSAGE.test(line)) return { cls: "internal", why: `engine message: ${line}` };
    return { cls: "clean", why: line };
  }
  if (r.code === 1 && command === "diff") {
    const bad = suspiciousOutput(r.stdout, command, false, negativeAt);
    return bad === undefined ? { cls: "ok", why: "differs" } : { cls: "suspicious", why: bad };
  }
  if (r.code !== 0) return { cls: "crash", why: `exit ${r.code}: ${firstLine(err)}` };
  const bad = suspiciousOutput(r.stdout, command, false, negativeAt);
  if (bad !== undefined) return { cls: "suspicious", why: bad };
  if (/lrspec: error/.test(err)) {
    return { cls: "suspicious", why: `exit 0 after ${firstLine(err)}` };
  }
  return { cls: "ok", why: "" };
}

function firstLine(s: string): string {
  return (s.split("\n").find((l) => l.trim() !== "") ?? "").slice(0, 200);
}

/**
 * Why a successful run's output is suspicious, or undefined. A negative rate in a CSV is
 * suspicious unless the CLI warned of it (`negativeAt`: the first negative row its warning
 * names), and then only if that row is the CSV's first negative one.
 */
export function suspiciousOutput(
  out: string,
  command: string,
  truncated: boolean,
  negativeAt?: string,
): string | undefined {
  if (out.trim() === "") return "exit 0 with empty output";
  if (command === "curve") {
    const ls = out.split("\n");
    if (!truncated && ls.at(-1) !== "") return "CSV does not end with a newline";
    ls.pop();
    const header = ls[0]!.split(",");
    if (header.length < 2 || !/^[a-z_]+$/.test(header[0]!)) return `odd CSV header ${ls[0]}`;
    if (ls.length < 2) return "CSV with a header and no rows";
    let negativeSeen = false;
    for (let i = 1; i < ls.length; i++) {
      const f = ls[i]!.split(",");
      if (f.length !== header.length) {
        if (truncated && i === ls.length - 1) break;
        return `row ${i} has ${f.length} fields, the header ${header.length}: ${ls[i]}`;
      }
      for (let j = 0; j < f.length; j++) {
        // detectron2's `error` column: the exception upstream raises from that row on.
        if (header[j] === "error") continue;
        const v = Number(f[j]);
        if (!Number.isFinite(v)) return `row ${i}: ${header[j]} = ${f[j]}`;
        if (j > 0 && v < 0 && /lr/.test(header[j]!) && !negativeSeen) {
          if (negativeAt === undefined) {
            return `row ${i}: negative ${header[j]} ${f[j]} without a warning`;
          }
          if (f[0] !== negativeAt) {
            return `row ${i}: negative ${header[j]} ${f[j]} at ${
              f[0]
            }, the warning says ${negativeAt}`;
          }
          negativeSeen = true;
        }
      }
    }
    if (negativeAt !== undefined && !negativeSeen && !truncated) {
      return `a warning of a negative rate at ${negativeAt}, none in the CSV`;
    }
    return undefined;
  }
  if (command === "plot") {
    if (!out.includes("<svg")) return "plot without <svg";
    if (/NaN|Infinity|undefined/.test(out)) {
      return `SVG contains ${out.match(/NaN|Infinity|undefined/)![0]}`;
    }
    return undefined;
  }
  if (/\bNaN\b|\bundefined\b|\[object Object\]/.test(out)) {
    return `output contains ${out.match(/\bNaN\b|\bundefined\b|\[object Object\]/)![0]}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The run

/** Options of {@linkcode fuzzCli}. */
export interface FuzzOptions extends RunLimits {
  /** The run's seed. */
  seed: number;
  /** How many mutated files. */
  files: number;
  /** Only this file index (a replay). */
  only?: number;
  /** Only these file indices (ignored when `only` is given). */
  indices?: readonly number[];
  /** Concurrent child processes. */
  jobs: number;
  /** Where failing inputs are written (none when undefined). */
  out?: string;
  /**
   * One child process per run ({@linkcode runCli}) instead of in-process workers
   * ({@linkcode CliWorker}, the default).
   */
  isolated?: boolean;
  /** Runs before a worker is replaced by a fresh one (default 200). */
  recycle?: number;
  /** Called after each run. */
  onRun?: (index: number, m: Mutant, cls: RunClass, why: string, ms: number) => void;
}

/** A finding: a run in a bad class. */
export interface Finding {
  /** The file index (replay with `--only`). */
  index: number;
  /** Its class. */
  cls: RunClass;
  /** Why. */
  why: string;
  /** The seed file it came from. */
  from: string;
  /** The mutations. */
  applied: string[];
  /** The CLI arguments (the mutated file's path inside them). */
  args: string[];
  /** Where the mutated file was kept, when `out` was given. */
  kept?: string;
}

/** The counts per class, the findings and the time taken. */
export interface FuzzSummary {
  /** Runs per class. */
  counts: Record<RunClass, number>;
  /** Runs per class per source kind. */
  byKind: Record<string, Record<RunClass, number>>;
  /** Bad runs. */
  findings: Finding[];
  /** Files made, runs made. */
  files: number;
  /** Runs made (one per file). */
  runs: number;
  /** Wall time in ms. */
  ms: number;
}

function zero(): Record<RunClass, number> {
  return Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<RunClass, number>;
}

/** Mutates `files` seed files and runs each through the CLI; see the module doc. */
export async function fuzzCli(options: FuzzOptions): Promise<FuzzSummary> {
  const all = seeds();
  // Under the repository's .tmp/ (what `deno task test` may write), removed at the end.
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, ".tmp", `fuzz-work-${options.seed}-`));
  const counts = zero();
  const byKind: Record<string, Record<RunClass, number>> = {};
  const findings: Finding[] = [];
  const t0 = Date.now();
  const indices = options.only !== undefined
    ? [options.only]
    : options.indices ?? Array.from({ length: options.files }, (_, i) => i);
  let next = 0;
  const workers: CliWorker[] = [];
  const worker = async () => {
    const w = options.isolated ? undefined : new CliWorker(options, dir, options.recycle);
    if (w !== undefined) workers.push(w);
    while (next < indices.length) {
      const index = indices[next++]!;
      const m = mutant(all, options.seed, index);
      const file = join(dir, `f${index}${m.seed.ext}`);
      writeFileSync(file, m.text);
      const source = m.seed.args(file);
      let args = [m.command, ...source];
      if (m.command === "diff") {
        const orig = join(dir, `orig${index}${m.seed.ext}`);
        writeFileSync(orig, m.seed.text);
        args = ["diff", ...m.seed.args(orig), ...source];
      }
      const r = w === undefined ? await runCli(args, options, dir) : await w.run(args);
      const { cls, why } = classify(r, m.command, options.cpuSeconds);
      counts[cls]++;
      (byKind[m.seed.kind] ??= zero())[cls]++;
      if (BAD.includes(cls)) {
        const f: Finding = { index, cls, why, from: m.seed.name, applied: m.applied, args };
        if (options.out !== undefined) {
          mkdirSync(options.out, { recursive: true });
          const kept = join(options.out, `f${index}-${cls}${m.seed.ext}`);
          writeFileSync(kept, m.text);
          writeFileSync(
            join(options.out, `f${index}-${cls}.txt`),
            `lrspec ${args.map((a) => (a === file ? kept : a)).join(" ")}\n` +
              `# ${cls}: ${why}\n# from ${m.seed.name}; mutations ${m.applied.join(", ")}\n` +
              `# exit ${r.code} signal ${r.signal} ${r.ms} ms\n--- stderr\n${r.stderr}` +
              `--- stdout (first 4 KiB)\n${r.stdout.slice(0, 4096)}\n`,
          );
          f.kept = kept;
        }
        findings.push(f);
      }
      options.onRun?.(index, m, cls, why, r.ms);
      rmSync(file, { force: true });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
  } finally {
    for (const w of workers) w.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    counts,
    byKind,
    findings,
    files: indices.length,
    runs: indices.length,
    ms: Date.now() - t0,
  };
}

/** The summary as a table: one row per source kind, one column per class, and the totals. */
export function summaryTable(s: FuzzSummary): string {
  const cols = ["source", ...CLASSES];
  const rows = [
    ...Object.keys(s.byKind).sort().map((k) => [k, ...CLASSES.map((c) => String(s.byKind[k]![c]))]),
    ["total", ...CLASSES.map((c) => String(s.counts[c]))],
  ];
  const w = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((x, i) => (i === 0 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join("  ");
  return [fmt(cols), ...rows.map(fmt)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv: string[]): FuzzOptions & { apiRuns: number; showTypeErrors: boolean } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  const seed = Number(get("--seed") ?? Math.floor(Math.random() * 2 ** 31));
  const only = get("--only");
  return {
    seed,
    files: Number(get("--files") ?? 200),
    jobs: Number(get("--jobs") ?? 2),
    timeoutMs: Number(get("--timeout-ms") ?? 120000),
    cpuSeconds: Number(get("--cpu-s") ?? 10),
    heapMb: Number(get("--heap-mb") ?? 2048),
    maxOutput: Number(get("--max-output") ?? 8 * 1024 * 1024),
    runtime:
      (get("--runtime") ?? (g.Deno ? "deno" : g.Bun ? "bun" : "node")) as RunLimits["runtime"],
    out: get("--out") ?? join(ROOT, ".tmp/fuzz", String(seed)),
    apiRuns: Number(get("--api-runs") ?? 200),
    showTypeErrors: argv.includes("--show-type-errors"),
    isolated: argv.includes("--isolated"),
    recycle: Number(get("--recycle") ?? 200),
    ...(only === undefined ? {} : { only: Number(only) }),
  };
}

async function cliMain(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  console.log(
    `lrspec fuzz: seed ${o.seed} (replay: --seed ${o.seed}), ${o.files} files, runtime ${o.runtime}, ` +
      `limits ${o.cpuSeconds} CPU-s, ${o.timeoutMs} ms wall, ${o.heapMb} MiB heap, ${o.jobs} jobs, ` +
      (o.isolated
        ? "a child process per run"
        : `in-process workers (fresh every ${o.recycle} runs)`),
  );
  const api = o.only === undefined && o.apiRuns > 0 ? await fuzzApi(o.seed, o.apiRuns) : undefined;
  if (api !== undefined) {
    console.log(
      `api: ${api.targets} exported functions and classes, ${api.constructors} classes fuzzed ` +
        `option by option, ${api.loadStateDict} loadStateDict targets, ${api.calls} calls: ` +
        `${api.problems.length} problems, ${api.unguarded.length} unguarded (arbitrary arguments); ` +
        `${api.typeRejected.length} kinds of TypeError for arguments the types forbid (not ` +
        `failures; --show-type-errors lists them)`,
    );
    for (const p of api.problems) console.log(`  api problem: ${p}`);
    for (const p of api.unguarded) console.log(`  api unguarded: ${p}`);
    if (o.showTypeErrors) {
      for (const p of api.typeRejected) console.log(`  api type error: ${p}`);
    }
  }
  let done = 0;
  const running = zero();
  const t0 = Date.now();
  const s = await fuzzCli({
    ...o,
    onRun: (index, m, cls, why) => {
      done++;
      if (BAD.includes(cls)) {
        console.log(`  #${index} ${cls}: ${why} (${m.seed.name}; ${m.applied.join(", ")})`);
      }
      running[cls]++;
      if (done % 100 === 0) {
        const counts = CLASSES.map((c) => `${c} ${running[c]}`).join(", ");
        console.log(`  ${done} runs, ${((Date.now() - t0) / 1000).toFixed(0)} s: ${counts}`);
      }
    },
  });
  console.log(
    `\n${s.files} files, ${s.runs} runs in ${(s.ms / 1000).toFixed(1)} s (seed ${o.seed})\n`,
  );
  console.log(summaryTable(s));
  if (s.findings.length > 0) console.log(`\nfailing inputs kept in ${o.out}`);
  const bad = s.findings.length + (api?.problems.length ?? 0) + (api?.unguarded.length ?? 0);
  return bad > 0 ? 1 : 0;
}

if ((import.meta as { main?: boolean }).main) {
  cliMain(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

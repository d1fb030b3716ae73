// The fuzzer (scripts/fuzz.ts, issue 26): its classifier on hand-made runs, its determinism, its
// in-process worker's limits and its agreement with one child process per run, a short seeded CLI
// run (in-process workers under CPU, wall-clock and heap limits) and the fast-check properties
// over the public API — no bad class allowed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import {
  BAD,
  classify,
  CliWorker,
  cpuSecondsOf,
  fuzzCli,
  mutant,
  MUTATIONS,
  Rng,
  type RunResult,
  seeds,
  summaryTable,
} from "./fuzz.ts";
import { fuzzApi } from "./_fuzz_api.ts";

/** The seed of the short run in the default suite (replay: `deno task fuzz --seed 20261207`). */
const SEED = 20261207;
const FILES = 60;

function result(partial: Partial<RunResult>): RunResult {
  return {
    code: 0,
    signal: null,
    stdout: "",
    stderr: "",
    timedOut: false,
    truncated: false,
    ms: 1,
    ...partial,
  };
}

test("fuzz classify: each class from a hand-made run", async (t) => {
  await t.test("clean: exit 2, one error line", () => {
    const r = result({ code: 2, stderr: "lrspec: error: x.yaml:3:1: bad indentation\n" });
    assert.equal(classify(r, "curve").cls, "clean");
  });
  await t.test("internal: 'internal error' or an engine message shown as an error", () => {
    for (
      const line of [
        "lrspec: error: internal error: boom (please report it)",
        "lrspec: error: key.startsWith is not a function",
        "lrspec: error: Maximum call stack size exceeded",
        "lrspec: error: Cannot read properties of null (reading 'map')",
        "lrspec: error: Invalid typed array length: 1344324951448",
      ]
    ) {
      assert.equal(
        classify(result({ code: 2, stderr: `${line}\n` }), "curve").cls,
        "internal",
        line,
      );
    }
  });
  await t.test("crash: a signal, another exit status, a stack trace, two error lines", () => {
    assert.equal(classify(result({ code: null, signal: "SIGSEGV" }), "curve").cls, "crash");
    assert.equal(classify(result({ code: 134 }), "curve").cls, "crash");
    assert.equal(
      classify(
        result({ code: 1, stderr: "error: Uncaught TypeError: x\n    at f (file:///a.ts:1:2)\n" }),
        "curve",
      ).cls,
      "crash",
    );
    assert.equal(
      classify(result({ code: 2, stderr: "lrspec: error: a\nlrspec: error: b\n" }), "curve").cls,
      "crash",
    );
    assert.equal(classify(result({ code: 1 }), "curve").cls, "crash");
  });
  await t.test("hang: the wall-clock timer or the CPU limit", () => {
    assert.equal(
      classify(result({ code: null, signal: "SIGKILL", timedOut: true }), "curve").cls,
      "hang",
    );
    assert.equal(classify(result({ code: null, signal: "SIGXCPU" }), "curve").cls, "hang");
    const killed = result({ code: null, signal: "SIGKILL", ms: 12_000 });
    assert.equal(classify(killed, "curve", 10).cls, "hang");
    assert.equal(classify({ ...killed, ms: 500 }, "curve", 10).cls, "crash");
  });
  await t.test("oom: V8's heap limit", () => {
    const stderr =
      "<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n";
    assert.equal(classify(result({ code: null, signal: "SIGABRT", stderr }), "curve").cls, "oom");
    assert.equal(
      classify(
        result({ code: 133, stderr: "Fatal JavaScript out of memory: Reached heap limit\n" }),
        "curve",
      ).cls,
      "oom",
    );
  });
  await t.test("suspicious: exit 0 with empty output, NaN, Infinity, a negative rate", () => {
    for (
      const stdout of [
        "",
        "iter,lr\n0,NaN\n",
        "iter,lr\n0,0.1\n1,Infinity\n",
        "epoch,lr\n0,-0.019992\n",
        "iter,lr\n",
        "iter,lr\n0,0.1,3\n",
      ]
    ) assert.equal(classify(result({ stdout }), "curve").cls, "suspicious", JSON.stringify(stdout));
    assert.equal(
      classify(result({ stdout: '<svg><path d="M0 NaN"/></svg>' }), "plot").cls,
      "suspicious",
    );
    assert.equal(classify(result({ stdout: "warmup to NaN\n" }), "explain").cls, "suspicious");
  });
  await t.test("ok and big: well-formed output, a long valid curve cut at the capture limit", () => {
    assert.equal(
      classify(result({ stdout: "iter,lr,lr_bias\n0,0.1,0.2\n1,0.05,0.1\n" }), "curve").cls,
      "ok",
    );
    assert.equal(classify(result({ code: 1, stdout: "differ at 3\n" }), "diff").cls, "ok");
    // detectron2's error column: upstream raises from that iteration on (a faithful answer).
    const raising = "iter,lr,error\n0,0.1,\n1,,RangeError\n";
    assert.equal(classify(result({ stdout: raising }), "curve").cls, "ok");
    assert.equal(
      classify(result({ stdout: "iter,lr\n0,0.1\n1,0.0", truncated: true }), "curve").cls,
      "big",
    );
  });
});

test("fuzz mutations: seeded, the same file for the same seed and index", () => {
  const all = seeds();
  assert.deepEqual(
    [...new Set(all.map((s) => s.kind))].sort(),
    ["deepspeed", "detectron2", "hf", "keras", "megatron", "timm"],
  );
  for (let i = 0; i < 20; i++) assert.deepEqual(mutant(all, SEED, i), mutant(all, SEED, i));
  assert.notEqual(mutant(all, SEED, 0).text, mutant(all, SEED + 1, 0).text);
  // Every mutation changes something of some seed file.
  for (const m of MUTATIONS) {
    const rng = new Rng(7);
    assert.ok(all.some((s) => m.apply(s.text, rng, s.ext === ".json") !== s.text), m.name);
  }
});

const g = globalThis as { Deno?: unknown; Bun?: unknown };
// Node runs the CLI through tsx (about 2.5 CPU-s to start): there the workers run on Deno, and
// only the first 20 files (the Deno run covers all 60 with the same workers).
const RUNTIME = g.Bun ? "bun" : "deno";
const RUN_FILES = g.Deno || g.Bun ? FILES : 20;
const ROOT = fileURLToPath(new URL("..", import.meta.url));

test(
  "fuzz worker: a run's wall-clock, CPU, output and heap limits, each followed by a fresh worker",
  {
    timeout: 120_000,
  },
  async () => {
    const cfg = join(ROOT, "docs/configs/cosine.yaml");
    // 10⁸ rows: 1.5 GB of CSV, cut at the output limit.
    const long = ["curve", cfg, "--opts", "SOLVER.MAX_ITER", "100000000"];
    // 6,250,000 Trainer steps, each a torch LambdaLR step (µs each, little output per CPU-second,
    // so that the output kept in the worker stays small): cut by the wall clock or the CPU limit.
    const slow = [
      "curve",
      "--hf",
      join(ROOT, "docs/configs/hf/training_args.json"),
      "--dataset-size",
      "100000000",
    ];
    // The CPU limit reads /proc (Deno's test permissions included: through `cat` there).
    assert.equal(typeof cpuSecondsOf(process.pid), "number");
    const limits = { cpuSeconds: 60, timeoutMs: 60_000, heapMb: 1024, maxOutput: 1e10 };
    const runs: [string, ConstructorParameters<typeof CliWorker>[0], string, string[]][] = [
      ["wall clock", { ...limits, timeoutMs: 3000, runtime: RUNTIME }, "killed after", slow],
      ["CPU", { ...limits, cpuSeconds: 1.5, runtime: RUNTIME }, "CPU limit reached", slow],
      ["output", { ...limits, maxOutput: 1000, runtime: RUNTIME }, "stdout over", long],
    ];
    for (const [what, lim, why, args] of runs) {
      const w = new CliWorker(lim, ROOT);
      try {
        const r = await w.run(args);
        const c = classify(r, "curve", lim.cpuSeconds);
        assert.equal(c.cls, what === "output" ? "big" : "hang", `${what}: ${c.why}`);
        assert.match(c.why, new RegExp(why), what);
        assert.ok(r.ms < 30_000, `${what}: ${r.ms} ms`);
        // The next run gets a fresh worker and a well-formed answer.
        const next = await w.run(["explain", cfg]);
        assert.deepEqual(classify(next, "explain"), { cls: "ok", why: "" }, what);
        assert.match(next.stdout, /cosine/);
        assert.equal(w.starts, 2, what);
      } finally {
        w.close();
      }
    }
    // The heap limit: 400,000 milestones in 20 MiB of heap — the worker dies, V8 says why.
    mkdirSync(join(ROOT, ".tmp"), { recursive: true });
    const big = join(ROOT, ".tmp", "fuzz-worker-oom.yaml");
    writeFileSync(
      big,
      `SOLVER:\n  STEPS: [${Array.from({ length: 400_000 }, (_, i) => i + 1).join(", ")}]\n`,
    );
    const small = new CliWorker({ ...limits, heapMb: 20, runtime: RUNTIME }, ROOT);
    try {
      const r = await small.run(["curve", big]);
      // Bun (JavaScriptCore) has no heap limit flag: there the run simply finishes.
      if (RUNTIME === "deno") assert.equal(classify(r, "curve").cls, "oom", r.stderr.slice(0, 300));
      const next = await small.run(["explain", cfg]);
      assert.equal(classify(next, "explain").cls, "ok");
      if (RUNTIME === "deno") assert.equal(small.starts, 2);
    } finally {
      small.close();
      rmSync(big, { force: true });
    }
    // A clean error, and a fresh worker every `recycle` runs.
    const w = new CliWorker({ ...limits, runtime: RUNTIME }, ROOT, 2);
    try {
      for (let i = 0; i < 3; i++) {
        const r = await w.run(["curve", join(ROOT, "no-such.yaml")]);
        assert.equal(r.code, 2);
        assert.match(
          classify(r, "curve").why,
          /^lrspec: error: cannot read .*no-such\.yaml: no such file/,
        );
      }
      assert.equal(w.starts, 2);
    } finally {
      w.close();
    }
  },
);

test("fuzz: in-process workers and one child process per run agree, class and message", {
  timeout: 300_000,
}, async () => {
  // Files of the CI seed that run fast as child processes: clean errors of most kinds, ok runs of
  // diff and explain.
  const indices = [0, 1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13];
  const runs = async (isolated: boolean) => {
    const got: string[] = [];
    await fuzzCli({
      seed: SEED,
      files: 0,
      indices,
      jobs: 1,
      cpuSeconds: 20,
      timeoutMs: 240_000,
      heapMb: 1024,
      maxOutput: 4 * 1024 * 1024,
      runtime: RUNTIME,
      isolated,
      onRun: (index, _m, cls, why) =>
        got.push(`#${index} ${cls}: ${why.replace(/\S*fuzz-work-[^/]*\//g, "DIR/")}`),
    });
    return got.sort();
  };
  const inProcess = await runs(false);
  assert.deepEqual(await runs(true), inProcess);
  assert.ok(inProcess.some((r) => / ok:/.test(r)), inProcess.join("\n"));
  assert.ok(inProcess.filter((r) => / clean:/.test(r)).length >= 5, inProcess.join("\n"));
});

test(`fuzz: ${RUN_FILES} mutated configs through the CLI (seed ${SEED}), no bad class`, {
  timeout: 600_000,
}, async () => {
  const s = await fuzzCli({
    seed: SEED,
    files: RUN_FILES,
    jobs: 2,
    cpuSeconds: 20,
    timeoutMs: 240_000,
    heapMb: 1024,
    maxOutput: 4 * 1024 * 1024,
    runtime: RUNTIME,
  });
  const bad = s.findings.map((f) =>
    `#${f.index} ${f.cls}: ${f.why} (${f.from}; ${f.applied.join(", ")}; ` +
    `replay: deno task fuzz --seed ${SEED} --only ${f.index})`
  );
  assert.deepEqual(bad, [], `${summaryTable(s)}\n${bad.join("\n")}`);
  assert.equal(s.runs, RUN_FILES);
  // The run is not all errors: valid mutants run to the end.
  assert.ok(s.counts.ok + s.counts.big > 0, summaryTable(s));
  assert.ok(s.counts.clean > 0, summaryTable(s));
  for (const c of BAD) assert.equal(s.counts[c], 0);
});

test("fuzz api: every public constructor option and loadStateDict entry, arbitrary values", {
  timeout: 120_000,
}, async () => {
  const r = await fuzzApi(SEED, 15);
  assert.ok(r.targets > 150, `${r.targets} targets`);
  assert.ok(r.constructors > 20, `${r.constructors} classes built`);
  assert.ok(r.loadStateDict > 20, `${r.loadStateDict} loadStateDict targets`);
  assert.deepEqual(r.problems, []);
  // Arguments the types forbid: a TypeError of any wording, nothing else (`deno task fuzz`'s
  // exit status counts these too).
  assert.deepEqual(r.unguarded, []);
  assert.ok(r.typeRejected.length > 0, "arbitrary arguments reach the type checks");
});

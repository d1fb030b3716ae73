// The CLI at any length of training: `curve` streams in constant memory with its first line out
// at once, `plot` and `diff` cost O(plot width + change points), progress reflects the real work.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { lrCurve } from "../schedules/detectron2/curve.ts";
import { pyFloatRepr } from "../config/python.ts";
import { loadConfigFile, main } from "./main.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/streaming`;
mkdirSync(TMP, { recursive: true });

/** A multistep config of `maxIter` iterations (steps at 2/3 and 8/9 of it), written to .tmp/. */
function longConfig(name: string, maxIter: number, extra = ""): string {
  const path = `${TMP}/${name}.yaml`;
  const steps = `(${Math.round((maxIter * 2) / 3)}, ${Math.round((maxIter * 8) / 9)})`;
  writeFileSync(
    path,
    `SOLVER:\n  BASE_LR: 0.02\n  STEPS: ${steps}\n  MAX_ITER: ${maxIter}\n${extra}`,
  );
  return path;
}

/** The command line that runs the CLI on the runtime running the tests. */
function cliCommand(args: string[]): [string, string[]] {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  return [
    process.execPath,
    g.Deno
      ? ["run", "--allow-read", "--allow-write", "--allow-env", "cli/main.ts", ...args]
      : g.Bun
      ? ["cli/main.ts", ...args]
      : ["bin/lrspec.mjs", ...args],
  ];
}

/**
 * A running process's peak resident memory so far (MB) and CPU time (user + system, seconds), on
 * Linux; undefined elsewhere (or once it is gone).
 */
function usage(pid: number | undefined): { peakMb: number; cpuS: number } | undefined {
  if (pid === undefined || process.platform !== "linux") return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, "utf8") + readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    // Deno reads /proc only with --allow-all; the tests run with --allow-run.
    text = spawnSync("cat", [`/proc/${pid}/status`, `/proc/${pid}/stat`], { encoding: "utf8" })
      .stdout ?? "";
  }
  const kb = /VmHWM:\s+(\d+) kB/.exec(text)?.[1];
  // /proc/PID/stat: after "(comm)", field 14 (utime) and 15 (stime), in clock ticks (100 a second).
  const fields = new RegExp(`^${pid} \\(.*\\) (.*)$`, "m").exec(text)?.[1]?.split(" ");
  if (kb === undefined || fields === undefined || fields.length < 13) return undefined;
  return { peakMb: Number(kb) / 1024, cpuS: (Number(fields[11]) + Number(fields[12])) / 100 };
}

interface Streamed {
  status: number | null;
  lines: number;
  first: string[];
  last: string;
  peakMb: number | undefined;
  /** The CPU seconds the CLI had used when last seen (Linux). */
  cpuS: number | undefined;
  stderr: string;
}

/**
 * Runs the CLI and reads its stdout as a stream (nothing kept but the first lines and the last
 * one), polling the child's peak memory and CPU time. `stopAfter` closes the pipe after that many
 * lines, as `| head -n` does. A child past `cpuLimitS` CPU seconds is killed (a hang, or work
 * that is not bounded): CPU time, not wall time, which a loaded machine stretches.
 */
function stream(args: string[], stopAfter = Infinity, cpuLimitS = 120): Promise<Streamed> {
  const [cmd, argv] = cliCommand(args);
  const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let lines = 0;
  let partial = "";
  let last = "";
  const first: string[] = [];
  let stderr = "";
  let peakMb: number | undefined;
  let cpuS: number | undefined;
  const poll = setInterval(() => {
    const u = usage(child.pid);
    if (u === undefined) return;
    peakMb = Math.max(peakMb ?? 0, u.peakMb);
    cpuS = u.cpuS;
    if (cpuS > cpuLimitS) child.kill("SIGKILL");
  }, 50);
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (s: string) => (stderr += s));
  child.stdout!.setEncoding("latin1");
  child.stdout!.on("data", (chunk: string) => {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf("\n", start);
      if (nl < 0) break;
      const line = partial + chunk.slice(start, nl);
      partial = "";
      if (first.length < 3) first.push(line);
      last = line;
      lines++;
      start = nl + 1;
      if (lines >= stopAfter) {
        child.stdout!.destroy();
        return;
      }
    }
    partial += chunk.slice(start);
  });
  return new Promise((resolve) => {
    child.on("close", (status) => {
      clearInterval(poll);
      resolve({ status, lines, first, last, peakMb, cpuS, stderr });
    });
  });
}

test("curve streams: every row of a 10M-iteration config, in bounded memory", async () => {
  const path = longConfig("ten-million", 10_000_000);
  const r = await stream(["curve", path]);
  assert.equal(r.status, 0, r.stderr);
  // Honest count: the header and iterations 0..MAX_ITER, each ended by a newline.
  assert.equal(r.lines, 10_000_002);
  const cfg = loadConfigFile(path).cfg;
  const ref = lrCurve(cfg, { iterations: [0, 1, 10_000_000] }).columns[0]!.values;
  assert.deepEqual(r.first, ["iter,lr", `0,${pyFloatRepr(ref[0]!)}`, `1,${pyFloatRepr(ref[1]!)}`]);
  assert.equal(r.last, `10000000,${pyFloatRepr(ref[2]!)}`);
  if (r.peakMb !== undefined) assert.ok(r.peakMb <= 200, `peak RSS ${r.peakMb.toFixed(0)} MB`);
});

test("curve | head -2: the first lines come at once, and closing the pipe ends it quietly", async () => {
  const path = longConfig("hundred-million", 100_000_000);
  const r = await stream(["curve", path], 2, 60);
  assert.deepEqual(r.first, ["iter,lr", "0,2e-05"]);
  assert.ok(r.status !== null, "the CLI ends by itself once the reader is gone");
  // The runtime's start and one chunk (writing all 10⁸ rows first: seconds, and gigabytes).
  if (r.cpuS !== undefined) assert.ok(r.cpuS < 20, `${r.cpuS} CPU-s`);
  assert.doesNotMatch(r.stderr, /EPIPE|Broken pipe|error/i);
  if (r.peakMb !== undefined) assert.ok(r.peakMb <= 200, `peak RSS ${r.peakMb.toFixed(0)} MB`);
});

test("plot and diff of a 1e9-iteration config: O(width + change points)", async () => {
  const a = longConfig("billion-a", 1_000_000_000);
  const b = longConfig("billion-b", 1_000_000_000, "  GAMMA: 0.5\n");
  let out = "";
  let err = "";
  const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) };
  assert.equal(await main(["plot", a, b], io), 0, err);
  assert.ok(out.startsWith("<svg"));
  assert.ok(out.length < 200_000, `${out.length} bytes of SVG`);
  // WHERE_EPSILON moves the steps of a 1e9-iteration schedule by up to 1000 iterations.
  assert.match(out, />×0\.1 at 666,66\d,\d{3}</);
  out = "";
  assert.equal(await main(["diff", a, b], io), 1, err);
  assert.match(out, /1000000001 iterations in both/);
  assert.match(out, /A 0\.002, B 0\.01 \(B\/A = 5\)/);
});

test("progress on a terminal counts rows written, not steps computed", async () => {
  const path = longConfig("progress", 3_000_000);
  const events: string[] = [];
  let rows = 0;
  const code = await main(["curve", path], {
    stdout: (s) => {
      for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) rows++;
    },
    stderr: (s) => events.push(`${rows}|${s}`),
    stderrIsTTY: true,
  });
  assert.equal(code, 0);
  const progress = events.filter((e) => /%/.test(e));
  assert.ok(progress.length >= 1, JSON.stringify(events));
  for (const e of progress) {
    // "rows written/total (p%)": at the time it is shown, that many rows have been handed out.
    const m = /^(\d+)\|[\s\S]*?([\d,]+)\/([\d,]+) rows/.exec(e);
    assert.ok(m, e);
    const shown = Number(m[2]!.replace(/,/g, ""));
    assert.ok(shown <= Number(m[1]) - 1, `${e}: ${m[1]} lines written`);
  }
  assert.equal(rows, 3_000_002);
  assert.ok(events[events.length - 1]!.endsWith("\r\x1b[K"), "the progress line is cleared");
});

test("--out: the file gets every row, stdout nothing; a bad path says cannot write", async () => {
  const path = longConfig("to-file", 200_000);
  const file = `${TMP}/to-file.csv`;
  let out = "";
  let err = "";
  const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) };
  assert.equal(await main(["curve", path, "--out", file], io), 0, err);
  assert.equal(out, "");
  assert.ok(existsSync(file));
  const text = readFileSync(file, "utf8");
  assert.equal(text.split("\n").length - 1, 200_002);
  assert.ok(text.endsWith("\n200000,0.00020000000000000004\n"));
  const code = await main(["curve", path, "--out", `${TMP}/no/such/dir/x.csv`], io);
  assert.equal(code, 2);
  assert.match(err, /^lrspec: error: cannot write .*\/no\/such\/dir\/x\.csv: no such directory$/m);
});

test("curve: every byte as lrCurve and Python's repr make it, across digit counts and runs", async () => {
  const cases: [string, string, string[]][] = [
    [
      "steps",
      "  STEPS: (99, 1000, 10001)\n  GAMMA: 0.5\n  MAX_ITER: 12345\n  WARMUP_ITERS: 7\n",
      [],
    ],
    ["bias", "  STEPS: (995,)\n  MAX_ITER: 1234\n  BIAS_LR_FACTOR: 2.0\n", ["--past-end"]],
    ["cosine", "  LR_SCHEDULER_NAME: WarmupCosineLR\n  MAX_ITER: 2100\n  WARMUP_ITERS: 10\n", []],
    [
      "fixed-gamma",
      "  LR_SCHEDULER_NAME: WarmupStepWithFixedGammaLR\n  MAX_ITER: 1009\n  NUM_DECAYS: 3\n",
      ["--past-end"],
    ],
  ];
  for (const [name, solver, flags] of cases) {
    const path = `${TMP}/bytes-${name}.yaml`;
    writeFileSync(path, `SOLVER:\n${solver}`);
    let out = "";
    let err = "";
    const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) };
    assert.equal(await main(["curve", path, ...flags], io), 0, err);
    const cfg = loadConfigFile(path).cfg;
    const rows = cfg.SOLVER.MAX_ITER + 1 + (flags.length ? 1 : 0);
    const ref = lrCurve(cfg, { iterations: Array.from({ length: rows }, (_, i) => i) });
    const header = ["iter", ...ref.columns.map((c) => c.name), ...(ref.error ? ["error"] : [])];
    const expected = [header.join(",")];
    for (let i = 0; i < rows; i++) {
      const failed = ref.error !== undefined && i >= ref.error.iteration;
      expected.push(
        [
          i,
          ...ref.columns.map((c) => (failed ? "" : pyFloatRepr(c.values[i]!))),
          ...(ref.error ? [failed ? ref.error.name : ""] : []),
        ].join(","),
      );
    }
    const lines = out.split("\n");
    assert.equal(lines.pop(), "", `${name}: ends with a newline`);
    assert.equal(lines.length, expected.length, name);
    for (let i = 0; i < lines.length; i++) assert.equal(lines[i], expected[i], `${name} line ${i}`);
  }
});

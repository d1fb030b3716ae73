// The commands at any count the user controls (issue 26): `diff` of two 10⁹-iteration curves,
// DeepSpeed's total_num_steps 10⁸ and the Trainer's max_steps 10⁸ in `diff`, `plot`, `explain`
// and `curve` — each answered in well under a CPU-second here, measured as the process's CPU time
// (not wall time: the test machines are shared), with generous limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import process from "node:process";
import { REPO_ROOT, run } from "../testing/cli.ts";
import { main } from "./main.ts";
import { DIFF_EXACT_ROWS, DIFF_SAMPLES } from "./commands/diff.ts";

const TMP = `${REPO_ROOT}.tmp/bounded-work`;
mkdirSync(TMP, { recursive: true });

function file(name: string, text: string): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, text);
  return path;
}

/** CPU seconds (user + system) this process spends in `body`. */
async function cpuSeconds<T>(body: () => Promise<T>): Promise<[T, number]> {
  const before = process.cpuUsage();
  const out = await body();
  const used = process.cpuUsage(before);
  return [out, (used.user + used.system) / 1e6];
}

/**
 * The first 4 kB (or more) a command writes: its output fails after that, which ends it (status 2);
 * `then` is called once they are there.
 */
async function head(args: string[], then: () => void = () => {}): Promise<string> {
  let out = "";
  const code = await main(args, {
    stdout: (s) => {
      out += s;
      if (out.length < 4096) return;
      then();
      throw new Error("enough");
    },
    stderr: () => {},
  });
  assert.equal(code, 2);
  return out;
}

/** A limit far above what each command takes (≤ 1 CPU-s), far below reading every row. */
const CPU_LIMIT = 8;

const solver = (lines: string) => `SOLVER:\n  MAX_ITER: 1000000000\n${lines}`;
const COSINE = file(
  "cosine.yaml",
  solver("  BASE_LR: 0.02\n  LR_SCHEDULER_NAME: WarmupCosineLR\n"),
);
const COSINE_HALF = file(
  "cosine-half.yaml",
  solver("  BASE_LR: 0.01\n  LR_SCHEDULER_NAME: WarmupCosineLR\n"),
);
const MULTISTEP = file(
  "multistep.yaml",
  solver("  BASE_LR: 0.02\n  STEPS: (600000000, 800000000)\n"),
);
const MULTISTEP_B = file(
  "multistep-b.yaml",
  solver("  BASE_LR: 0.02\n  STEPS: (700000000, 800000000)\n"),
);
const deepspeed = (type: string, params: string) =>
  `{"train_batch_size": 32, "optimizer": {"type": "AdamW", "params": {"lr": 3e-4}},\n` +
  ` "scheduler": {"type": "${type}", "params": {"total_num_steps": 1e8, ` +
  `"warmup_num_steps": 100${params}}}}\n`;
const DS_COSINE = file("ds-cosine.json", deepspeed("WarmupCosineLR", ""));
const DS_DECAY = file("ds-decay.json", deepspeed("WarmupDecayLR", ', "warmup_max_lr": 3e-4'));
const hf = (kind: string) =>
  `{"output_dir": "x", "learning_rate": 5e-5, "max_steps": 1e8, "warmup_steps": 100, ` +
  `"lr_scheduler_type": "${kind}"}\n`;
const HF_COSINE = file("hf-cosine.json", hf("cosine"));
const HF_LINEAR = file("hf-linear.json", hf("linear"));

test("diff of a 10⁹-iteration cosine and a multistep: bounded, the rest sampled, said so", async () => {
  const [r, cpu] = await cpuSeconds(() => run("diff", COSINE, MULTISTEP));
  assert.equal(r.code, 1, r.stderr);
  assert.ok(cpu < CPU_LIMIT, `${cpu} CPU-s`);
  const lines = r.stdout.split("\n");
  assert.equal(
    lines[2],
    `1000000001 iterations in both: ${DIFF_EXACT_ROWS} compared exactly (constant stretches ` +
      `whole, computed iterations one by one up to ${DIFF_EXACT_ROWS}), of them 6 ` +
      `bit-identical, ${DIFF_EXACT_ROWS - 6} different`,
  );
  const rest = (1e9 + 1 - DIFF_EXACT_ROWS).toLocaleString("en");
  assert.match(
    r.stdout,
    new RegExp(
      `\\n  ${rest} iterations not compared exactly \\(iterations ${DIFF_EXACT_ROWS}–1000000000\\): ` +
        `${DIFF_SAMPLES.toLocaleString("en")} sampled evenly, about every [\\d,]+th: ` +
        `${DIFF_SAMPLES.toLocaleString("en")} differ; the first sampled difference at iteration ` +
        `${DIFF_EXACT_ROWS}; the largest \\|A−B\\| sampled 0\\.01\\d+ \\([\\d.]+%\\) at iteration ` +
        `5\\d{8}: A 0\\.00\\d+, B 0\\.02\\n`,
    ),
  );
  assert.match(r.stdout, /\(a bounded comparison: --exact compares every iteration, [\d,]+ more\)/);
  assert.ok(r.stdout.endsWith("\nthe curves differ\n"));
});

test("diff of two 10⁹-iteration cosines with another BASE_LR: every sample differs", async () => {
  const [r, cpu] = await cpuSeconds(() => run("diff", COSINE, COSINE_HALF));
  assert.equal(r.code, 1, r.stderr);
  assert.ok(cpu < CPU_LIMIT, `${cpu} CPU-s`);
  assert.match(
    r.stdout,
    /\n {2}iterations 0–262143: A 2e-05…0\.02, B 1e-05…0\.01 \(max \|A−B\| 0\.01, 50%\)\n/,
  );
  assert.match(r.stdout, / sampled evenly, about every [\d,]+th: 4,095 differ;/); // the last: 0, 0
});

test("diff of two 10⁹-iteration multisteps: exact, O(changes), in the output it always had", async () => {
  const [r, cpu] = await cpuSeconds(() => run("diff", MULTISTEP, MULTISTEP_B));
  assert.equal(r.code, 1, r.stderr);
  assert.ok(cpu < CPU_LIMIT, `${cpu} CPU-s`);
  assert.deepEqual(r.stdout.split("\n").slice(2), [
    "1000000001 iterations in both: 900000001 bit-identical, 100000000 different",
    "  iterations 599999000–699998999: A 0.002, B 0.02 (B/A = 10)",
    "the curves differ",
    "",
  ]);
  // Identical curves are still said to be identical (exit 0), however long.
  const same = await run("diff", MULTISTEP, MULTISTEP);
  assert.equal(same.code, 0, same.stdout);
  assert.ok(same.stdout.endsWith("\nthe curves are identical\n"));
});

test("DeepSpeed total_num_steps 1e8: diff and plot are bounded (sampled, and they say so)", async () => {
  const [d, cpu] = await cpuSeconds(() =>
    run("diff", "--deepspeed", DS_COSINE, "--deepspeed", DS_DECAY)
  );
  assert.equal(d.code, 1, d.stderr);
  assert.ok(cpu < CPU_LIMIT, `${cpu} CPU-s`);
  assert.match(d.stdout, /\n100000000 steps in both: 262144 compared exactly/);
  assert.match(
    d.stdout,
    /\n {2}99,737,856 steps not compared exactly \(steps 262145–100000000\): 4,096 sampled evenly/,
  );
  const [p, cpuPlot] = await cpuSeconds(() => run("plot", "--deepspeed", DS_COSINE));
  assert.equal(p.code, 0, p.stderr);
  assert.ok(cpuPlot < CPU_LIMIT, `${cpuPlot} CPU-s`);
  assert.ok(p.stdout.startsWith("<svg") && p.stdout.length < 100_000, `${p.stdout.length} B`);
  assert.match(
    p.stderr,
    /lrspec: note: \S+ds-cosine\.json: drawn from samples: 100,000,000 steps computed one by one, more than 1,048,576; 8 read per half pixel, [\d,]+ not read/,
  );
});

test("Trainer max_steps 1e8: curve streams at once; plot, diff and explain are bounded", async () => {
  // The first rows of the curve: the CLI stops once its output fails (here, after 4 kB).
  let used = 0;
  const before = process.cpuUsage();
  const first = await head(["curve", "--hf", HF_COSINE], () => {
    const u = process.cpuUsage(before);
    used = (u.user + u.system) / 1e6;
  });
  assert.ok(used < CPU_LIMIT, `${used} CPU-s to the first rows`);
  assert.ok(first.startsWith("step,lr\n1,0.0\n2,5.000000000000001e-07\n"), first.slice(0, 60));
  const [e, cpuExplain] = await cpuSeconds(() => run("explain", "--hf", HF_COSINE));
  assert.equal(e.code, 0, e.stderr);
  assert.ok(cpuExplain < CPU_LIMIT, `${cpuExplain} CPU-s`);
  assert.match(e.stdout, /step 100,000,000 1\.11022e-20 \(last\)/);
  const [p, cpuPlot] = await cpuSeconds(() => run("plot", "--hf", HF_COSINE));
  assert.equal(p.code, 0, p.stderr);
  assert.ok(cpuPlot < CPU_LIMIT, `${cpuPlot} CPU-s`);
  assert.match(p.stderr, /drawn from samples: 100,000,000 steps computed one by one/);
  const [d, cpuDiff] = await cpuSeconds(() => run("diff", "--hf", HF_COSINE, "--hf", HF_LINEAR));
  assert.equal(d.code, 1, d.stderr);
  assert.ok(cpuDiff < CPU_LIMIT, `${cpuDiff} CPU-s`);
  assert.match(d.stdout, /: 4,096 sampled evenly, about every [\d,]+th: 4,096 differ/);
});

test("Trainer max_steps past a million: the first raising step is probed, as stepping finds it", async () => {
  // inverse_sqrt with a negative timescale: 1 / sqrt(-0) at step 106, sqrt(x < 0) after it.
  const args = (steps: number) =>
    `{"output_dir": "x", "learning_rate": 5e-5, "max_steps": ${steps}, "warmup_steps": 100, ` +
    `"lr_scheduler_type": "inverse_sqrt", "lr_scheduler_kwargs": {"timescale": -5}}\n`;
  const small = await run("explain", "--hf", file("hf-raise-small.json", args(1000)));
  const [big, cpu] = await cpuSeconds(() =>
    run("explain", "--hf", file("hf-raise-big.json", args(2_000_000)))
  );
  assert.ok(cpu < CPU_LIMIT, `${cpu} CPU-s`);
  assert.equal(small.code, big.code);
  const raises = (text: string) => /the scheduler raises at step [^\n]*/.exec(text)?.[0];
  assert.equal(
    raises(big.stderr),
    "the scheduler raises at step 106 (and every step after it), as transformers' does: " +
      "getInverseSqrtSchedule: float division by zero (transformers raises ZeroDivisionError)",
  );
  assert.equal(raises(small.stderr), raises(big.stderr));
  // The curve's CSV: the same rows up to the error, the same error from the same step.
  const bigCsv = await head(["curve", "--hf", `${TMP}/hf-raise-big.json`]);
  const smallCsv = (await run("curve", "--hf", `${TMP}/hf-raise-small.json`)).stdout;
  assert.equal(
    bigCsv.split("\n").slice(0, 200).join("\n"),
    smallCsv.split("\n").slice(0, 200).join("\n"),
  );
  assert.match(smallCsv, /\n105,0\.0001118033988749895,\n106,,RangeError\n/);
});

test("plot of 10⁵ milestones: bounded output, at most a line per quarter pixel, labels apart", async () => {
  const steps = Array.from({ length: 100_000 }, (_, k) => 100 + 9_999 * k).join(", ");
  const path = file(
    "milestones.yaml",
    solver(`  BASE_LR: 0.02\n  GAMMA: 0.99999\n  STEPS: [${steps}]\n`),
  );
  const [r, cpu] = await cpuSeconds(() => run("plot", path));
  assert.equal(r.code, 0, r.stderr);
  assert.ok(cpu < CPU_LIMIT, `${cpu} CPU-s`);
  assert.ok(r.stdout.length < 300_000, `${r.stdout.length} bytes`);
  const marks = r.stdout.slice(r.stdout.indexOf('<g class="marks"'));
  const lines = marks.slice(0, marks.indexOf("</g>")).match(/<line /g) ?? [];
  assert.ok(lines.length > 100 && lines.length <= 4 * 800, `${lines.length} mark lines`);
  // Labels in rows above the plot, none overlapping another (the width the layout reserves).
  const rows = new Map<string, [number, number][]>();
  for (
    const m of marks.matchAll(
      /<text x="([\d.]+)" y="(\d+)"[^>]*text-anchor="(start|end)">([^<]*)</g,
    )
  ) {
    const x = Number(m[1]), w = [...m[4]!].length * 5.4;
    const span: [number, number] = m[3] === "start" ? [x, x + w] : [x - w, x];
    const row = rows.get(m[2]!) ?? [];
    for (const [a, b] of row) assert.ok(span[1] <= a || span[0] >= b, `${m[4]} overlaps`);
    row.push(span);
    rows.set(m[2]!, row);
  }
  assert.ok(rows.size >= 1 && rows.size <= 4, `${rows.size} rows of labels`);
});

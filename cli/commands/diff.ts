/**
 * `lrspec diff`: where two curves differ, and by how much.
 *
 * @module
 */

import {
  type Command,
  type Context,
  openSources,
  parse,
  printHelp,
  type ScheduleView,
  sourceOptions,
  UsageError,
} from "../_args.ts";
import { configHelp, NBSP, otherSourcesHelp, schedulesList, WIDTH, wrap } from "../_help.ts";
import { diffRuns } from "../../curve/diff.ts";
import { formatLr, grouped } from "../../curve/format.ts";

/** Differences up to this many ULPs are reported as rounding. */
const ROUNDING_ULPS = 4;

/**
 * The most computed rows `diff` compares value by value without `--exact` (constant stretches are
 * compared whole whatever their length): about a CPU-second for two cosines on this project's
 * machine (BENCH.md § Issue 26).
 */
export const DIFF_EXACT_ROWS = 1 << 18;

/** How many of the rows past {@linkcode DIFF_EXACT_ROWS} `diff` samples. */
export const DIFF_SAMPLES = 4096;

const COMMAND_NAME = "diff";

/** `unit N` or `units A–B` as a source numbers its rows (`step 34`, `iterations 0–999`). */
function rowRange(s: ScheduleView, from: number, to: number): string {
  const [a, b] = [from + s.firstIndex, to + s.firstIndex];
  return a === b ? `${s.unit} ${a}` : `${s.unit}s ${a}–${b}`;
}

function run(argv: string[], ctx: Context): number {
  const command = "diff";
  const p = parse(command, argv, { ...sourceOptions(command), exact: { type: "boolean" } });
  if (p.help) return printHelp(COMMAND, ctx);
  if (p.sources.length !== 2) {
    throw new UsageError(
      command,
      `diff takes two schedules, each of them ${schedulesList()}`,
    );
  }
  const sideOpts = (i: number) => [...p.opts.both, ...(i === 0 ? p.opts.a : p.opts.b)];
  const [a, b] = openSources(command, ctx, p, sideOpts) as [ScheduleView, ScheduleView];
  const exact = p.values.exact === true;
  const d = diffRuns(
    a,
    b,
    exact ? {} : { exactRows: DIFF_EXACT_ROWS, samples: DIFF_SAMPLES, roundingUlps: ROUNDING_ULPS },
  );
  const u = d.unchecked;
  // Differences of a few ULPs are floating-point rounding (the same formula evaluated at another
  // progress, e.g. warmup over another MAX_ITER): summarized, not listed.
  const rounding = d.differences.filter((r) => r.maxUlp <= ROUNDING_ULPS);
  const real = d.differences.filter((r) => r.maxUlp > ROUNDING_ULPS);
  const count = (runs: typeof real) => runs.reduce((n, r) => n + r.to - r.from + 1, 0);
  const sameRows = a.unit === b.unit && a.firstIndex === b.firstIndex;
  /** Rows as A numbers them, and as B does when B numbers them otherwise. */
  const rows = (from: number, to: number) =>
    rowRange(a, from, to) + (sameRows ? "" : ` (B: ${rowRange(b, from, to)})`);
  const side = (s: ScheduleView, i: number) => {
    const o = s.indexColumn === "iter" ? sideOpts(i) : [];
    return `${s.path}${o.length ? ` --opts ${o.join(" ")}` : ""}: ${s.summary}`;
  };
  const lines = [
    `A  ${side(a, 0)}`,
    `B  ${side(b, 1)}`,
    ...(sameRows ? [] : [
      `rows compared in order: A's ${a.unit} ${a.firstIndex} is B's ${b.unit} ${b.firstIndex} ` +
      `(the first of each run)`,
    ]),
    `${d.compared} ${sameRows ? `${a.unit}s` : "rows"} in both: ` +
    (u
      ? `${d.compared - u.rows} compared exactly (constant stretches whole, computed ` +
        `${a.unit === b.unit ? `${a.unit}s` : "rows"} one by one up to ${DIFF_EXACT_ROWS}), of ` +
        `them `
      : "") +
    `${d.identical} bit-identical, ${count(real)} different` +
    (rounding.length
      ? `, ${count(rounding)} by rounding only (≤ ${
        Math.max(...rounding.map((r) => r.maxUlp))
      } ULP, ${rows(rounding[0]!.from, rounding[rounding.length - 1]!.to)})`
      : ""),
  ];
  const shown = real.slice(0, 40);
  for (const r of shown) {
    const val = (v: [number, number]) =>
      v[0] === v[1] ? formatLr(v[0]) : `${formatLr(v[0])}…${formatLr(v[1])}`;
    const ratio = r.a[0] === r.a[1] && r.b[0] === r.b[1] && r.a[0] !== 0
      ? ` (B/A = ${formatLr(r.b[0] / r.a[0])})`
      : ` (max |A−B| ${formatLr(r.maxAbs)}, ${formatLr(100 * r.maxRel)}%)`;
    lines.push(
      `  ${rows(r.from, r.to)}${r.column === "lr" ? "" : ` [${r.column}]`}: A ${val(r.a)}, B ${
        val(r.b)
      }${ratio}`,
    );
  }
  if (real.length > shown.length) lines.push(`  … ${real.length - shown.length} more runs`);
  if (u) {
    const range = rows(u.from, u.to);
    const rest = `${grouped(u.rows)} ${sameRows ? `${a.unit}s` : "rows"} not compared exactly ` +
      `(${range}${u.rows < u.to - u.from + 1 ? ", between constant stretches" : ""})`;
    if (u.sampled === 0) {
      lines.push(
        `  ${rest}: not sampled either (${
          [a, b].filter((s) => s.random !== true).map((s) => s.path).join(" and ")
        } can only be stepped from the start)`,
      );
    } else {
      const every = u.sampled > 1
        ? `, about every ${grouped(Math.round(u.rows / u.sampled))}th`
        : "";
      let found = `${grouped(u.sampled)} sampled evenly${every}: ${grouped(u.differing)} differ`;
      if (u.rounding > 0) {
        found += ` (${grouped(u.rounding)} by rounding only, ≤ ${ROUNDING_ULPS} ULP)`;
      }
      if (u.firstDifference !== undefined) {
        found += `; the first sampled difference at ${rows(u.firstDifference, u.firstDifference)}`;
      }
      const l = u.largest;
      if (l) {
        found += `; the largest |A−B| sampled ${formatLr(l.abs)} (${formatLr(100 * l.rel)}%) at ${
          rows(l.at, l.at)
        }${l.column === "lr" ? "" : ` [${l.column}]`}: A ${formatLr(l.a)}, B ${formatLr(l.b)}`;
      }
      lines.push(`  ${rest}: ${found}`);
    }
    lines.push(
      `  (a bounded comparison: --exact compares every ${sameRows ? a.unit : "row"}, ${
        grouped(u.rows)
      } more)`,
    );
  }
  if (d.iterationsOnlyInA) {
    lines.push(`  only A has ${rowRange(a, ...d.iterationsOnlyInA)}`);
  }
  if (d.iterationsOnlyInB) {
    lines.push(`  only B has ${rowRange(b, ...d.iterationsOnlyInB)}`);
  }
  if (d.onlyInA.length) lines.push(`  only A has columns ${d.onlyInA.join(", ")}`);
  if (d.onlyInB.length) lines.push(`  only B has columns ${d.onlyInB.join(", ")}`);
  const same = d.differences.length === 0 && !d.iterationsOnlyInA && !d.iterationsOnlyInB &&
    !d.onlyInA.length && !d.onlyInB.length;
  const found = !same || (u !== undefined && u.differing > 0);
  lines.push(
    found
      ? "the curves differ"
      : u
      ? "no difference found, but not every row was compared: not shown identical"
      : "the curves are identical",
  );
  ctx.io.stdout(lines.join("\n") + "\n");
  return same && !u ? 0 : 1;
}

/** `lrspec diff`. */
export const COMMAND: Command = {
  name: COMMAND_NAME,
  help: (sources) =>
    `usage: lrspec diff A B [options] [--opts-a KEY VALUE ...] [--opts-b KEY VALUE ...]

Where the two curves differ and by how much (differences of a few ULPs summarized as rounding).
Exit status 0 if they are identical, 1 if they differ or were not all compared. Constant
stretches (steps) are compared whole at any length, computed rows (warmups, cosines) one by one
up to ${grouped(DIFF_EXACT_ROWS)}, then ${
      grouped(DIFF_SAMPLES)
    } samples of the rest, evenly spaced (--exact: every row), as the
output says. A and B are two schedules: configs (A.yaml B.yaml, which may be the
same file with different overrides) or any other kind below, in any mix (rows are compared in
order: a Trainer's step 1 is a config's iteration 0, the first of each run):
${wrap(schedulesList(sources, NBSP), WIDTH - 2).map((l) => `  ${l}`).join("\n")}.

  --opts-a KEY VALUE ... overrides for A only (up to the next --opts-b or --opts)
  --opts-b KEY VALUE ... overrides for B only
  --exact                compare every row, however many (a 10⁹-row cosine takes minutes)

${otherSourcesHelp(COMMAND_NAME, sources)}

${configHelp(COMMAND_NAME, sources)} (both sides)`,
  run,
};

/**
 * Renders the figures of BENCH.md from the JSON reports in `bench/results/`: the latest quick run
 * of each runtime (and the latest long run, for the training table), as markdown tables.
 *
 * ```sh
 * deno task bench:report            # prints markdown on stdout
 * deno run -A bench/report.ts a.json b.json …
 * ```
 *
 * @module
 */

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { formatNs, type GroupResult, type Target } from "./_harness.ts";
import type { TrainResult } from "./train.ts";

interface Report {
  environment: {
    runtime: string;
    version: string;
    engine: string;
    cpu: string;
    cores: number;
    date: string;
    commit: string | null;
    platform: string;
  };
  mode: string;
  seconds: number;
  targets: Target[];
  sections: Record<string, unknown>;
  groups: GroupResult[];
}

const RUNTIMES = ["deno", "bun", "node"];

function load(paths: string[]): Report[] {
  return paths.map((p) => JSON.parse(readFileSync(p, "utf8")) as Report);
}

function latest(dir: string): { quick: Report[]; long: Report | undefined } {
  const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  const reports = load(files.map((f) => `${dir}${f}`));
  const quick = RUNTIMES.map((rt) =>
    reports.filter((r) => r.environment.runtime === rt && r.mode === "quick").pop()
  ).filter((r): r is Report => r !== undefined);
  const long = reports.filter((r) => r.mode === "long").pop();
  return { quick, long };
}

function figure(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  if (Math.abs(x) >= 1e9) return `${(x / 1e9).toFixed(2)}·10⁹`;
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 1) return x.toFixed(digits);
  return x.toPrecision(3);
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(head: string[], rows: string[][]): string {
  return [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
}

function group(r: Report, title: string): GroupResult | undefined {
  return r.groups.find((g) => g.title === title);
}

/** Figures of one group across runtimes: ns and ÷ cos. */
function groupTable(reports: Report[], title: string, ratioKey = "cos"): string {
  const first = reports.map((r) => group(r, title)).find((g) => g !== undefined);
  if (!first) return `_(${title}: not measured)_`;
  const names = first.rows.map((x) => x.name);
  const head = [
    "",
    ...reports.map((r) => `${r.environment.runtime} ${first.unit}`),
    ...reports.map((r) => `${r.environment.runtime} ÷ ${ratioKey}`),
  ];
  return table(
    head,
    names.map((name) => {
      const cells = reports.map((r) => group(r, title)?.rows.find((x) => x.name === name));
      const base = cells[0]?.baseline !== undefined ? `${name} (baseline)` : name;
      return [
        base,
        ...cells.map((c) => (c ? formatNs(c.avgNs) : "—")),
        ...cells.map((c) => (c ? `${figure(c.ratios[ratioKey])}×` : "—")),
      ];
    }),
  );
}

function targetsTable(reports: Report[]): string {
  const ids = [...new Set(reports.flatMap((r) => r.targets.map((t) => t.id)))];
  return table(
    ["target", "bound", ...reports.map((r) => r.environment.runtime)],
    ids.map((id) => {
      const t0 = reports.flatMap((r) => r.targets).find((t) => t.id === id)!;
      return [
        `${id}: ${t0.description.replace(/ \(worst: [^)]*\)/, "")}`,
        `${t0.op} ${figure(t0.bound)}`,
        ...reports.map((r) => {
          const t = r.targets.find((x) => x.id === id);
          if (!t) return "—";
          const v = t.met === null ? "not measured" : t.met ? "**met**" : "**missed**";
          return `${figure(t.measured, 3)} ${v}`;
        }),
      ];
    }),
  );
}

function speedupTable(reports: Report[]): string {
  const keys = new Set<string>();
  for (const r of reports) {
    const s = (r.sections.detectron2 as { speedups?: Record<string, unknown> } | undefined)
      ?.speedups;
    for (const k of Object.keys(s ?? {})) keys.add(k);
  }
  type S = { python: { what: string; medianNs: number }; lrspecNs?: number; speedup?: number };
  return table(
    ["upstream (Python, this machine)", ...reports.map((r) => r.environment.runtime)],
    [...keys].map((k) => {
      const cells = reports.map((r) =>
        ((r.sections.detectron2 as { speedups?: Record<string, S> } | undefined)?.speedups ?? {})[k]
      );
      const p = cells.find((c) => c)!.python;
      return [
        `${p.what}: ${formatNs(p.medianNs)}`,
        ...cells.map((c) =>
          c?.speedup ? `${formatNs(c.lrspecNs!)} → **${c.speedup.toFixed(0)}×**` : "no counterpart"
        ),
      ];
    }),
  );
}

function scalingTable(reports: Report[]): string {
  type Fit = {
    expect: string;
    all: { exponent: number; perDoublingNs: number };
    tail: { exponent: number };
  };
  const scans = ["milestones", "segments", "groups"];
  return table(
    ["scan", "expected", ...reports.map((r) => r.environment.runtime)],
    scans.map((s) => {
      const fits = reports.map((r) => (r.sections.scaling as Record<string, Fit> | undefined)?.[s]);
      const f0 = fits.find((f) => f)!;
      return [
        s === "milestones"
          ? "MultiStep.at(), 10 … 10⁶ milestones"
          : s === "segments"
          ? "Composite.at(), 1 … 1000 segments"
          : "LRMultiplier.step(), 1 … 10⁴ groups",
        f0.expect,
        ...fits.map((f) =>
          !f
            ? "—"
            : f0.expect === "O(n)"
            ? `n^${f.tail.exponent.toFixed(2)} (n ≥ 100)`
            : `n^${f.all.exponent.toFixed(3)}, +${f.all.perDoublingNs.toFixed(1)} ns per doubling`
        ),
      ];
    }),
  );
}

function trainTable(reports: Report[]): string {
  const rows: string[][] = [];
  for (const r of reports) {
    const runs = ((r.sections.train as { runs?: TrainResult[] } | undefined)?.runs) ?? [];
    for (const t of runs) {
      rows.push([
        `${r.environment.runtime}${r.mode === "long" ? " (long)" : ""}`,
        `${t.backend}: ${t.device}`,
        t.model,
        `${t.steps}`,
        `${t.stepMsConstant.toFixed(2)} ms`,
        `${t.abDifferencePct.toFixed(2)} % ± ${t.abNoisePct.toFixed(2)}`,
        `${t.replay.cosine.schedulerNs.toFixed(0)} ns = ${t.schedulerPct.toExponential(1)} %`,
        `${t.replay.cosine.updateNs.toFixed(0)} ns = ${t.updatePct.toExponential(1)} %`,
        `${t.replay.multistep.schedulerNs.toFixed(0)} + ${
          t.replay.multistep.updateNs.toFixed(0)
        } ns`,
        `${t.replay.cosineAdam.schedulerNs.toFixed(0)} + ${
          t.replay.cosineAdam.updateNs.toFixed(0)
        } ns`,
        `${(t.inSitu.schedulerNs / 1000).toFixed(1)} + ${
          (t.inSitu.updateNs / 1000).toFixed(1)
        } µs = ` +
        `${(t.inSituPct.scheduler + t.inSituPct.update).toFixed(3)} % (baseline ${
          (t.inSitu.baselineNs / 1000).toFixed(1)
        } µs)`,
      ]);
    }
  }
  return table(
    [
      "runtime",
      "backend",
      "model",
      "steps/arm",
      "step",
      "A − B",
      "scheduler (cosine)",
      "LR update (cosine, SGD)",
      "multistep: sched + update",
      "cosine, Adam: sched + update",
      "in situ: sched + update",
    ],
    rows,
  );
}

function environmentTable(reports: Report[]): string {
  return table(
    ["runtime", "engine", "mode", "date (UTC)", "commit", "run time"],
    reports.map((r) => [
      `${r.environment.runtime} ${r.environment.version}`,
      r.environment.engine,
      r.mode,
      r.environment.date.replace("T", " ").slice(0, 16),
      r.environment.commit ?? "?",
      `${r.seconds.toFixed(0)} s`,
    ]),
  );
}

/** The markdown. */
function render(quick: Report[], long: Report | undefined): string {
  const all = long ? [...quick, long] : quick;
  const e = quick[0]?.environment;
  return [
    `Machine: ${e?.cpu}, ${e?.cores} cores, ${e?.platform}.`,
    "",
    environmentTable(all),
    "",
    "### Targets",
    "",
    targetsTable(quick),
    "",
    "### 1. Per call",
    "",
    groupTable(quick, "fvcore ParamScheduler.at(where)"),
    "",
    groupTable(quick, "WarmupParamScheduler.at(where) compositions"),
    "",
    groupTable(quick, "LRMultiplier.step() (buildLrScheduler, 90k iterations)"),
    "",
    groupTable(quick, "legacy detectron2 schedulers .step()"),
    "",
    "### 2. Against upstream's Python",
    "",
    speedupTable(quick),
    "",
    "### 3. Sampling and stepping a 90k-iteration curve",
    "",
    groupTable(quick, "sampling a 90k-iteration curve into a Float64Array", "cosLoop"),
    "",
    groupTable(quick, "stepping a 90k-iteration schedule", "cosLoop"),
    "",
    "### 4. Scaling",
    "",
    scalingTable(quick),
    "",
    "### 5. Inside a TensorFlow.js training step",
    "",
    trainTable(all),
    "",
  ].join("\n");
}

const meta = import.meta as ImportMeta & { main?: boolean };
const isMain = meta.main ?? (process.argv[1] === fileURLToPath(import.meta.url));
if (isMain) {
  const args = process.argv.slice(2);
  if (args.length > 0) {
    const reports = load(args);
    console.log(
      render(reports.filter((r) => r.mode === "quick"), reports.find((r) => r.mode === "long")),
    );
  } else {
    const { quick, long } = latest(fileURLToPath(new URL("./results/", import.meta.url)));
    console.log(render(quick, long));
  }
}

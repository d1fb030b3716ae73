/**
 * `deno task bench`: every benchmark of the suite, on whichever runtime runs this file.
 *
 * ```sh
 * deno task bench                          # quick: a few minutes
 * deno task bench:long                     # the full runs (more training steps, all backends)
 * deno task bench --filter 'cursor|sample' # only matching benchmarks (baselines always run)
 * deno task bench --sections percall,python
 * bun bench/main.ts [options]              # the same files under Bun
 * node --expose-gc --import tsx bench/main.ts [options]   # … and Node
 * ```
 *
 * Options: `--long`, `--filter <regex>`, `--sections <list>` (percall, python, hf, timm, llm,
 * sampling, scaling, train), `--out <file.json>`, `--no-json`, `--train-steps <n>`, `--backends <list>`.
 *
 * Prints a table per group and writes `bench/results/<runtime>-<date>.json` (runtime, versions,
 * CPU, backend, every figure and ratio, every target with its verdict).
 *
 * @module
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { createContext, environment } from "./_harness.ts";

/** The sections, in the order they run. */
export const SECTIONS = [
  "percall",
  "python",
  "hf",
  "timm",
  "llm",
  "sampling",
  "scaling",
  "train",
] as const;

/** Parsed command line. */
export interface Options {
  /** The full runs. */
  long: boolean;
  /** Benchmark filter. */
  filter: RegExp | undefined;
  /** Sections to run. */
  sections: string[];
  /** JSON path (undefined: the default name; null: none). */
  out: string | null | undefined;
  /** Training steps per A/B arm (undefined: the mode's default). */
  trainSteps: number | undefined;
  /** Training backends to try (undefined: all, in order of preference). */
  backends: string[] | undefined;
}

/** Parses `argv` (without the runtime and script). */
export function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    long: false,
    filter: undefined,
    sections: [...SECTIONS],
    out: undefined,
    trainSteps: undefined,
    backends: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new TypeError(`${a} needs a value`);
      return v;
    };
    if (a === "--long") o.long = true;
    else if (a === "--filter") o.filter = new RegExp(value(), "i");
    else if (a === "--sections") {
      o.sections = value().split(",").map((s) => s.trim()).filter(Boolean);
      for (const s of o.sections) {
        if (!(SECTIONS as readonly string[]).includes(s)) {
          throw new RangeError(`unknown section ${s}: expected ${SECTIONS.join(", ")}`);
        }
      }
    } else if (a === "--out") o.out = value();
    else if (a === "--no-json") o.out = null;
    else if (a === "--train-steps") o.trainSteps = Number(value());
    else if (a === "--backends") o.backends = value().split(",").map((s) => s.trim());
    else if (a === "--help" || a === "-h") {
      console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("*/")[0]);
      process.exit(0);
    } else throw new RangeError(`unknown argument ${a} (see --help)`);
  }
  return o;
}

/** Runs the suite and returns the JSON report. */
export async function main(argv: readonly string[]): Promise<Record<string, unknown>> {
  const options = parseArgs(argv);
  const env = await environment();
  const ctx = createContext({
    long: options.long,
    ...(options.filter ? { filter: options.filter } : {}),
  });
  const started = performance.now();
  ctx.log(
    `lrspec benchmarks — ${env.runtime} ${env.version} (${env.engine}), ${env.cpu}, ${env.cores} cores, ` +
      `${env.platform}, commit ${env.commit ?? "?"}, ${options.long ? "long" : "quick"} mode`,
  );
  for (const section of options.sections) {
    ctx.log(`\n══ ${section} ══`);
    if (section === "percall") await (await import("./percall.ts")).runPerCall(ctx);
    if (section === "python") await (await import("./detectron2.ts")).runDetectron2(ctx);
    if (section === "hf") await (await import("./hf.ts")).runHf(ctx);
    if (section === "timm") await (await import("./timm.ts")).runTimm(ctx);
    if (section === "llm") await (await import("./llm.ts")).runLlm(ctx);
    if (section === "sampling") await (await import("./sampling.ts")).runSampling(ctx);
    if (section === "scaling") await (await import("./scaling.ts")).runScaling(ctx);
    if (section === "train") {
      await (await import("./train.ts")).runTraining(ctx, {
        ...(options.trainSteps === undefined ? {} : { steps: options.trainSteps }),
        ...(options.backends === undefined ? {} : { backends: options.backends }),
      });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  ctx.log(`\n══ targets ══`);
  for (const t of ctx.targets) {
    const v = t.met === null ? "not measured" : t.met ? "met" : "MISSED";
    ctx.log(`  ${t.id.padEnd(28)} ${v}`);
  }
  const report = {
    environment: env,
    mode: options.long ? "long" : "quick",
    filter: options.filter?.source ?? null,
    seconds,
    targets: ctx.targets,
    sections: ctx.sections,
    groups: ctx.groups,
  };
  if (options.out !== null) {
    const dir = fileURLToPath(new URL("./results/", import.meta.url));
    const path = options.out ?? `${dir}${env.runtime}-${env.date.replace(/[:.]/g, "-")}.json`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, JSON.stringify(report, null, 1) + "\n");
    ctx.log(`\nreport written to ${path} (${seconds.toFixed(0)} s)`);
  }
  return report;
}

const isMain = (() => {
  const g = globalThis as { Deno?: unknown };
  const meta = import.meta as ImportMeta & { main?: boolean };
  if (meta.main !== undefined) return meta.main; // Deno, Bun
  if (g.Deno !== undefined) return false;
  return process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
})();

if (isMain) await main(process.argv.slice(2));

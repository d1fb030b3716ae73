/**
 * Shows that the test suites can fail: applies deliberate one-line mutations to the ports, one at
 * a time, in a scratch copy of the repository, and runs the conformance suite and the unit and
 * property tests against each. Every mutant must be killed (some suite must fail); a surviving
 * mutant fails this script.
 *
 * Usage: deno run -A scripts/mutants.ts [--only NAME] [--json FILE]
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** A one-line mutation: `from` must occur exactly once in `file`. */
export interface Mutant {
  /** Short name. */
  name: string;
  /** What kind of mistake it models. */
  kind: string;
  /** File, relative to the repository root. */
  file: string;
  /** The original text. */
  from: string;
  /** The mutated text. */
  to: string;
}

/** The mutants. Each models a mistake a port could plausibly make. */
export const MUTANTS: Mutant[] = [
  {
    name: "multistep-no-epsilon",
    kind: "drop WHERE_EPSILON",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "const epochNum = Math.trunc((where + WHERE_EPSILON) * numUpdates);",
    to: "const epochNum = Math.trunc(where * numUpdates);",
  },
  {
    name: "step-no-epsilon",
    kind: "drop WHERE_EPSILON",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "return Math.trunc((where + WHERE_EPSILON) * length);",
    to: "return Math.trunc(where * length);",
  },
  {
    name: "constant-gt",
    kind: "`>` for `>=`",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "return where >= 1.0;",
    to: "return where > 1.0;",
  },
  {
    name: "composite-segment-ge",
    kind: "`>=` for `>`",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "if (x > totals[mid]!) lo = mid + 1;",
    to: "if (x >= totals[mid]!) lo = mid + 1;",
  },
  {
    name: "composite-algebraic-position",
    kind: "algebraically equal rewrite (running_total → it / W)",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "const local = (where - this.#starts[i]!) / length;",
    to: "const local = where / length - this.#starts[i]! / length;",
  },
  {
    name: "linear-operand-order",
    kind: "swap operand order",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "return endValue * where + startValue * (1 - where);",
    to: "return startValue + (endValue - startValue) * where;",
  },
  {
    name: "cosine-from-start",
    kind: "algebraically equal rewrite (start − h·(1 − cos))",
    file: "schedules/fvcore/param_scheduler.ts",
    from: "return endValue + halfRange * (1 + libm.cos(Math.PI * where));",
    to: "return endValue + 2 * halfRange - halfRange * (1 - libm.cos(Math.PI * where));",
  },
  {
    name: "legacy-multistep-reassociate",
    kind: "swap operand order",
    file: "schedules/detectron2/lr_scheduler.ts",
    from: "return this.baseLrs.map((baseLr) => baseLr * warmupFactor * decay);",
    to: "return this.baseLrs.map((baseLr) => baseLr * (warmupFactor * decay));",
  },
  {
    name: "composite-no-length-correction",
    kind: "skip upstream's lengths[-1] correction",
    file: "schedules/fvcore/param_scheduler.ts",
    from:
      "if (sum(lengths) !== 1.0) lengths[lengths.length - 1] = 1.0 - sum(lengths.slice(0, -1));",
    to: "",
  },
  {
    name: "auto-scale-round-half-up",
    kind: "JavaScript's Math.round for Python's round",
    file: "schedules/detectron2/config.ts",
    from: "roundHalfEven(finite(owner, name, x) / scale);",
    to: "Math.round(finite(owner, name, x) / scale);",
  },
  {
    name: "steplr-closed-form",
    kind: "closed form for recursive",
    file: "schedules/torch/lr_scheduler.ts",
    from:
      "      return groups.map((g) => g.lr);\n    }\n    return groups.map((g) => g.lr * this.gamma);\n  }\n\n  /** `initialLr · gamma ** ⌊lastEpoch / stepSize⌋`. */",
    to:
      "      return groups.map((g) => g.lr);\n    }\n    return this.getClosedFormLr();\n  }\n\n  /** `initialLr · gamma ** ⌊lastEpoch / stepSize⌋`. */",
  },
  {
    name: "cosine-annealing-closed-form",
    kind: "closed form for recursive",
    file: "schedules/torch/lr_scheduler_cosine.ts",
    from:
      "    return groups.map((g) =>\n      trueDiv(owner, 1 + libm.cos(Math.PI * e / T), 1 + libm.cos(Math.PI * (e - 1) / T)) *",
    to:
      "    if (owner) return this.getClosedFormLr();\n    return groups.map((g) =>\n      trueDiv(owner, 1 + libm.cos(Math.PI * e / T), 1 + libm.cos(Math.PI * (e - 1) / T)) *",
  },
  {
    name: "cosine-annealing-no-special-branch",
    kind: "drop an upstream special case",
    file: "schedules/torch/lr_scheduler_cosine.ts",
    from: "if ((e - 1 - T) % (2 * T) === 0) {",
    to: "if (false) {",
  },
];

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DENO = join(ROOT, "node_modules/.bin/deno");

function run(cwd: string, args: string[]): { ok: boolean; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(DENO, args, {
    cwd,
    stdio: "ignore",
    env: { ...process.env, LRSPEC_PROP_RUNS: "200" },
  });
  return { ok: r.status === 0, ms: performance.now() - t0 };
}

/** The suites each mutant is run against. */
const SUITES: Record<string, string[]> = {
  conformance: [
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "conformance/cli.ts",
    "conformance",
    "--quiet",
    "--json",
    "mutant-report.json",
  ],
  tests: ["test", "--allow-read", "--allow-env", "--no-check", "schedules/"],
};

function main(): number {
  const only = process.argv.includes("--only")
    ? process.argv[process.argv.indexOf("--only") + 1]
    : undefined;
  const jsonOut = process.argv.includes("--json")
    ? process.argv[process.argv.indexOf("--json") + 1]
    : undefined;
  const scratch = mkdtempSync(join(tmpdir(), "lrspec-mutants-"));
  const results: { mutant: Mutant; killedBy: string[] }[] = [];
  try {
    cpSync(ROOT, scratch, {
      recursive: true,
      filter: (src) =>
        !/\/(node_modules|\.git|conformance\/report)(\/|$)/.test(src.slice(ROOT.length - 1)),
    });
    symlinkSync(join(ROOT, "node_modules"), join(scratch, "node_modules"));
    for (const suite of Object.keys(SUITES)) {
      if (!run(scratch, SUITES[suite]!).ok) {
        throw new Error(`the unmutated ${suite} suite fails: fix that first`);
      }
    }
    for (const mutant of MUTANTS.filter((m) => !only || m.name === only)) {
      const path = join(scratch, mutant.file);
      const original = readFileSync(path, "utf8");
      const count = original.split(mutant.from).length - 1;
      if (count !== 1) {
        throw new Error(
          `${mutant.name}: expected the text once in ${mutant.file}, found ${count} times`,
        );
      }
      writeFileSync(path, original.replace(mutant.from, mutant.to));
      const killedBy = Object.keys(SUITES).filter((suite) => !run(scratch, SUITES[suite]!).ok);
      writeFileSync(path, original);
      results.push({ mutant, killedBy });
      console.log(
        `${killedBy.length ? "killed  " : "SURVIVED"} ${mutant.name.padEnd(32)} ${
          mutant.kind.padEnd(52)
        } ${killedBy.join(", ") || "-"}`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1) + "\n");
  const survivors = results.filter((r) => r.killedBy.length === 0);
  console.log(`${results.length - survivors.length} of ${results.length} mutants killed`);
  return survivors.length === 0 ? 0 : 1;
}

if ((import.meta as { main?: boolean }).main) process.exitCode = main();

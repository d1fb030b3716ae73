/**
 * `deno task conformance`: every golden fixture through lrspec, and the report. (Checking your
 * own port against a golden CSV is `lrspec verify`, i.e. `deno task verify`.)
 *
 * ```sh
 * deno task conformance [--suite detectron2] [--case build/] [--json out.json] [--quiet]
 *                       [--libm glibc|runtime]
 * ```
 *
 * Runs on Deno, Bun and Node (through tsx).
 *
 * @module
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { formatReport, runConformance } from "./report.ts";
import { setLibm } from "../schedules/math.ts";

const USAGE = `usage:
  conformance [--suite NAME]... [--case PREFIX] [--json FILE] [--quiet] [--libm glibc|runtime]
      run every golden fixture through lrspec; write a JSON report
      (--libm runtime: with the runtime's Math.cos, ** …, each difference proven by the oracle)
(to compare your own port's CSV with a golden one: lrspec verify, or deno task verify)`;

function conformance(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      suite: { type: "string", multiple: true },
      case: { type: "string" },
      json: { type: "string" },
      quiet: { type: "boolean", default: false },
      libm: { type: "string", default: "glibc" },
    },
  });
  if (values.libm !== "glibc" && values.libm !== "runtime") {
    throw new TypeError(`--libm: expected glibc or runtime, got ${JSON.stringify(values.libm)}`);
  }
  setLibm(values.libm);
  const prefix = values.case;
  const report = runConformance({
    ...(values.suite ? { suites: values.suite } : {}),
    ...(prefix ? { filter: (c) => c.id.startsWith(prefix) } : {}),
  });
  const json = values.json ??
    `conformance/report/${report.runtime.name}${
      values.libm === "glibc" ? "" : "-runtime-libm"
    }.json`;
  mkdirSync(dirname(json), { recursive: true });
  writeFileSync(json, JSON.stringify(report, null, 1) + "\n");
  process.stdout.write(formatReport(report) + "\n");
  if (!values.quiet) process.stdout.write(`report written to ${json}\n`);
  return report.ok ? 0 : 1;
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === "conformance" || command === "report") return conformance(rest);
  } catch (error) {
    if (error instanceof TypeError && /option|argument/i.test(error.message)) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));

/**
 * `deno task conformance` and `deno task verify`.
 *
 * ```sh
 * deno task conformance [--suite detectron2] [--case build/] [--json out.json] [--quiet]
 * deno task verify --golden fixtures/detectron2/build/1x.csv --candidate mine.csv [--max-ulp N]
 * ```
 *
 * Runs on Deno, Bun and Node (through tsx).
 *
 * @module
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { formatReport, runConformance } from "./report.ts";
import { formatVerifyReport, verifyCsv } from "./verify.ts";

const USAGE = `usage:
  conformance [--suite NAME]... [--case PREFIX] [--json FILE] [--quiet]
      run every golden fixture through lrspec; write a JSON report
  verify --golden FILE --candidate FILE [--max-ulp N]
      compare a port's CSV with a golden fixture`;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    fail(`cannot read ${path}: ${(error as Error).message}`);
  }
}

function conformance(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      suite: { type: "string", multiple: true },
      case: { type: "string" },
      json: { type: "string" },
      quiet: { type: "boolean", default: false },
    },
  });
  const prefix = values.case;
  const report = runConformance({
    ...(values.suite ? { suites: values.suite } : {}),
    ...(prefix ? { filter: (c) => c.id.startsWith(prefix) } : {}),
  });
  const json = values.json ?? `conformance/report/${report.runtime.name}.json`;
  mkdirSync(dirname(json), { recursive: true });
  writeFileSync(json, JSON.stringify(report, null, 1) + "\n");
  process.stdout.write(formatReport(report) + "\n");
  if (!values.quiet) process.stdout.write(`report written to ${json}\n`);
  return report.ok ? 0 : 1;
}

function verify(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      golden: { type: "string" },
      candidate: { type: "string" },
      "max-ulp": { type: "string", default: "0" },
    },
  });
  if (!values.golden || !values.candidate) fail(`--golden and --candidate are required\n${USAGE}`);
  const maxUlp = Number(values["max-ulp"]);
  if (!Number.isInteger(maxUlp) || maxUlp < 0) {
    fail(`--max-ulp must be a non-negative integer: got ${values["max-ulp"]}`);
  }
  try {
    const report = verifyCsv(readText(values.golden), readText(values.candidate), {
      goldenName: values.golden,
      candidateName: values.candidate,
      maxUlp,
    });
    process.stdout.write(formatVerifyReport(report, maxUlp) + "\n");
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof SyntaxError) fail(error.message);
    throw error;
  }
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === "conformance" || command === "report") return conformance(rest);
    if (command === "verify") return verify(rest);
  } catch (error) {
    if (error instanceof TypeError && /option|argument/i.test(error.message)) fail(error.message);
    throw error;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));

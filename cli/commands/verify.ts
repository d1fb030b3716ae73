/**
 * `lrspec verify`: a curve against a golden one, bit for bit.
 *
 * @module
 */

import { type Command, type Context, parse, printHelp, UsageError } from "../_args.ts";
import { readTextPieces } from "../_read.ts";
import { formatVerifyReport, verifyTables } from "../../verify/verify.ts";
import { streamTable } from "../../verify/csv.ts";

const COMMAND_NAME = "verify";

function run(argv: string[], ctx: Context): number {
  const command = "verify";
  const p = parse(command, argv, {
    golden: { type: "string" },
    candidate: { type: "string" },
    "max-ulp": { type: "string" },
    "allow-subset": { type: "boolean" },
  });
  if (p.help) return printHelp(COMMAND, ctx);
  const golden = p.values.golden as string | undefined;
  const candidate = p.values.candidate as string | undefined;
  if (p.positionals.length || !golden || !candidate) {
    throw new UsageError(command, "verify needs --golden FILE and --candidate FILE");
  }
  const text = (p.values["max-ulp"] as string | undefined) ?? "0";
  const maxUlp = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(maxUlp)) {
    throw new UsageError(
      command,
      `--max-ulp must be a non-negative integer: got ${JSON.stringify(text)}`,
    );
  }
  // Both files are read in pieces and compared as they arrive: bounded memory at any length.
  const report = verifyTables(
    streamTable(readTextPieces(golden), golden),
    streamTable(readTextPieces(candidate), candidate),
    { maxUlp, allowSubset: p.values["allow-subset"] === true },
  );
  ctx.io.stdout(formatVerifyReport(report, maxUlp) + "\n");
  return report.ok ? 0 : 1;
}

/** `lrspec verify`. */
export const COMMAND: Command = {
  name: COMMAND_NAME,
  help: () =>
    `usage: lrspec verify --golden GOLDEN.csv --candidate MINE.csv [--max-ulp N] [--allow-subset]

The conformance verify mode: compares the candidate with the golden curve value by value, bit for
bit, and names the first and the largest divergence with their ULP distances. Exit status 1 on a
mismatch, on a golden file without rows, and on candidate rows the golden file lacks (a golden
file cut short must not pass). Files of any length are read in pieces, in bounded memory when
both list their rows in the same order.

  --golden FILE          the reference (from golden-script, or the fixtures)
  --candidate FILE       the curve to check (iter,lr... rows, best in the golden file's order)
  --max-ulp N            accept differences up to N ULPs (cos/pow only; default 0)
  --allow-subset         check only the golden file's rows; extra candidate rows are ignored`,
  run,
};

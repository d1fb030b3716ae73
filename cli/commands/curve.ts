/**
 * `lrspec curve`: the CSV of a schedule, streamed.
 *
 * @module
 */

import {
  type Command,
  type Context,
  openSources,
  parse,
  printHelp,
  sourceOptions,
  UsageError,
} from "../_args.ts";
import { configHelp, curveRows, otherSourcesHelp, schedulesList, usageLine } from "../_help.ts";
import { ByteWriter, fileSink } from "../_output.ts";
import { writeCurveCsv } from "../_csv.ts";
import { grouped } from "../_text.ts";
import { watchNegativeRate } from "../_negative.ts";

const COMMAND_NAME = "curve";

async function run(argv: string[], ctx: Context): Promise<number> {
  const command = "curve";
  const p = parse(command, argv, {
    ...sourceOptions(command),
    out: { type: "string" },
  });
  if (p.help) return printHelp(COMMAND, ctx);
  if (p.sources.length !== 1) {
    throw new UsageError(
      command,
      `curve takes one schedule: ${schedulesList()}`,
    );
  }
  const [opened] = openSources(command, ctx, p, () => p.opts.both);
  // A negative rate beyond what openSources looked at is warned of as it is written.
  const source = watchNegativeRate(opened!, (t) => ctx.io.stderr(`lrspec: warning: ${t}\n`));
  const out = p.values.out as string | undefined;
  const target = out === undefined ? ctx.stdout() : { sink: fileSink(out), copy: false };
  const writer = new ByteWriter(target.sink, 1 << 20, target.copy);
  const io = ctx.io;
  const total = source!.rows;
  let shown = -Infinity;
  const show = (rows: number) => {
    const pct = Math.floor((100 * rows) / total);
    io.stderr(`\r${source!.path}: ${grouped(rows)}/${grouped(total)} rows (${pct}%)`);
  };
  const progress = io.stderrIsTTY === true && total >= 100_000;
  await writeCurveCsv(source!, writer, {
    indexColumn: source!.indexColumn,
    firstIndex: source!.firstIndex,
    rowsPerEpoch: source!.rowsPerEpoch,
    ...(progress
      ? {
        onProgress: (rows: number) => {
          const now = Date.now();
          if (now - shown < 100) return;
          shown = now;
          show(rows);
        },
      }
      : {}),
  });
  await writer.close();
  if (progress) {
    if (!writer.gone) show(total);
    io.stderr("\r\x1b[K");
  }
  return 0;
}

/** `lrspec curve`. */
export const COMMAND: Command = {
  name: COMMAND_NAME,
  help: (sources) =>
    `${usageLine(COMMAND_NAME, "[--out FILE]", sources)}

CSV of the learning rate of every row, written as it is computed: the first line at once, in
constant memory, at any length. Progress goes to stderr when it is a terminal.

${curveRows(sources)}

  --out FILE             write the CSV there instead of stdout

${otherSourcesHelp(COMMAND_NAME, sources)}

${configHelp(COMMAND_NAME, sources)}`,
  run,
};

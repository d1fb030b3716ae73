/**
 * `lrspec explain`: a schedule in words.
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
import { configHelp, explainRows, otherSourcesHelp, schedulesList, usageLine } from "../_help.ts";

const COMMAND_NAME = "explain";

function run(argv: string[], ctx: Context): number {
  const command = "explain";
  const p = parse(command, argv, sourceOptions(command));
  if (p.help) return printHelp(COMMAND, ctx);
  if (p.sources.length !== 1) {
    throw new UsageError(
      command,
      `explain takes one schedule: ${schedulesList()}`,
    );
  }
  const [source] = openSources(command, ctx, p, () => p.opts.both);
  ctx.io.stdout(source!.explain() + "\n");
  return 0;
}

/** `lrspec explain`. */
export const COMMAND: Command = {
  name: COMMAND_NAME,
  help: (sources) =>
    `${usageLine(COMMAND_NAME, "", sources)}

The schedule in words, every number exact (as Python's repr writes it), with the traps a config
falls into:

${explainRows(sources)}

${otherSourcesHelp(COMMAND_NAME, sources)}

${configHelp(COMMAND_NAME, sources)}`,
  run,
};

/**
 * `lrspec explain`: a schedule in words.
 *
 * @module
 */

import {
  type Command,
  configHelp,
  type Context,
  openSources,
  otherSourcesHelp,
  parse,
  printHelp,
  sourceOptions,
  UsageError,
} from "../_args.ts";

const COMMAND_NAME = "explain";

function run(argv: string[], ctx: Context): number {
  const command = "explain";
  const p = parse(command, argv, sourceOptions(command));
  if (p.help) return printHelp(COMMAND, ctx);
  if (p.sources.length !== 1) {
    throw new UsageError(
      command,
      "explain takes one schedule: CONFIG.yaml, --hf FILE or --timm FILE",
    );
  }
  const [source] = openSources(command, ctx, p, () => p.opts.both);
  ctx.io.stdout(source!.explain() + "\n");
  return 0;
}

/** `lrspec explain`. */
export const COMMAND: Command = {
  name: COMMAND_NAME,
  help: () =>
    `usage: lrspec explain (CONFIG.yaml | --hf FILE --dataset-size N | --timm args.yaml)

The schedule in words. A config: the learning rate at each change (every number exact, as
Python's repr writes it), the bias group, the batch. --hf: the Trainer's arithmetic (batches per
process, gradient accumulation, epochs or max_steps, the warmup ratio rounded up) and the rate at
its steps. --timm: the lr_base rule, warmup, decay, noise and cooldown, the rate at its epochs.


${otherSourcesHelp(COMMAND_NAME)}

${configHelp(COMMAND_NAME)}`,
  run,
};

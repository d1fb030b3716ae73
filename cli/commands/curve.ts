/**
 * `lrspec curve`: the CSV of a schedule, streamed.
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
import { ByteWriter, fileSink } from "../_output.ts";
import { writeCurveCsv } from "../_csv.ts";
import { grouped } from "../_text.ts";

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
      "curve takes one schedule: CONFIG.yaml, --hf FILE or --timm FILE",
    );
  }
  const [source] = openSources(command, ctx, p, () => p.opts.both);
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
  help: () =>
    `usage: lrspec curve (CONFIG.yaml | --hf FILE --dataset-size N | --timm args.yaml |
                    --megatron FILE | --deepspeed ds_config.json --steps N |
                    --keras schedule.json) [--out FILE]

CSV of the learning rate of every row, written as it is computed: the first line at once, in
constant memory, at any length. Progress goes to stderr when it is a terminal.

  CONFIG.yaml            iter,lr[,lr_bias] for iterations 0..MAX_ITER (an error column when
                         detectron2 raises at some iteration)
  --hf FILE              step,lr for the Trainer's optimizer steps 1..max_steps: step N trains
                         with that rate, which the Trainer logs as learning_rate at step N
  --timm args.yaml       epoch,lr for epochs 0..N-1 (update,lr with sched_on_updates): the rate
                         each epoch (update) trains with
  --megatron FILE        iteration,lr[,lr_decoupled][,weight_decay] for iterations
                         1..train_iters: the rate iteration i's update uses; Megatron logs it as
                         "learning rate:" at iteration i − 1 (the log is read after the step)
  --deepspeed ds_config.json --steps N
                         step,lr for optimizer steps 1..N as DeepSpeed's engine steps them
                         (--hf-args args.json: under the Hugging Face Trainer, "auto" filled)
  --keras schedule.json  step,lr for Keras' iterations 0..N-1 (--steps N; default the whole
                         schedule): the float32 rate a Keras optimizer reads (--backend)

  --out FILE             write the CSV there instead of stdout

${otherSourcesHelp(COMMAND_NAME)}

${configHelp(COMMAND_NAME)}`,
  run,
};

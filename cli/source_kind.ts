/**
 * What a source kind is (`cli/sources.ts` lists them): its flag, its options, its help, and how it
 * opens a file as {@linkcode ScheduleView}s.
 *
 * @module
 */

import type { ScheduleView } from "../views/view.ts";

export type { ScheduleView };

/** An option a source kind takes (`--dataset-size N`). */
export interface SourceOption {
  /** The flag without its dashes (`dataset-size`). */
  name: string;
  /** Whether it takes a value. */
  type: "string" | "boolean";
  /**
   * Given once for every file of the kinds that take it, or once per file in order
   * (`--dataset-size 5691 --dataset-size 120000` for two `--hf` files).
   * @default {false}
   */
  perFile?: boolean;
  /**
   * The commands that take it (`past-end`: `curve`); all that read schedules when omitted.
   * @default {undefined}
   */
  commands?: readonly string[];
  /**
   * The commands where it may be repeated to open each file once per value (`plot`'s
   * `--num-workers 8 --num-workers 16`).
   * @default {[]}
   */
  repeatIn?: readonly string[];
  /** Its line(s) in `--help`, after the flag (`N  len(train_dataset), …`). */
  help: string;
  /**
   * The option of other kinds that does this one's job (`num-processes` for detectron2's
   * `num-workers`): when this one is given without a file of its kinds, "--X is for …" goes on
   * with the kinds that take that one (`; --hf, --timm, … runs take --num-processes`), from the
   * registry.
   * @default {undefined}
   */
  instead?: string;
}

/** What a source kind's `open` gets: the option values for this file, and where notes go. */
export interface OpenContext {
  /** The command (`curve`, `plot`, …). */
  command: string;
  /** An option's value for this file (per-file options resolved), or undefined. */
  value(name: string): string | undefined;
  /** Whether a boolean option is set. */
  flag(name: string): boolean;
  /** Every value of a repeated option (`plot --num-workers 8 --num-workers 16`); `[]` if none. */
  values(name: string): string[];
  /** The overrides for this file (`--opts KEY VALUE …`, `--opts-a`/`--opts-b` in `diff`). */
  opts: readonly string[];
  /** The legend entry the user gave (`plot --label`), if any. */
  label: string | undefined;
  /** Reports a note as it happens (`lrspec: note: …` on stderr). */
  note(text: string): void;
  /** A usage error (`--x must be …`), with the command's help pointer. */
  usage(message: string): Error;
}

/** A family of schedules the CLI reads. */
export interface SourceKind {
  /** The family (`detectron2`, `hf`, `timm`): the view's `family`. */
  id: string;
  /** Its flag without dashes (`hf`: `--hf FILE`); undefined for the positional `CONFIG.yaml`. */
  flag: string | undefined;
  /** What its files are, in messages (`detectron2 configs`, `--hf files`). */
  files: string;
  /** What one file is, in the wrong-file hint (`a Hugging Face TrainingArguments file`). */
  what: string;
  /**
   * Whether it takes detectron2-style overrides (`--opts KEY VALUE …`).
   * @default {false}
   */
  opts?: boolean;
  /**
   * What stands for its file on a command line, after its flag (`args.yaml`: `--timm args.yaml`;
   * the positional kind's `CONFIG.yaml`). Every usage line names the kind with it.
   */
  arg: string;
  /**
   * The options a `curve` of it usually needs, shown after it in usage lines (`--dataset-size N`).
   * @default {""}
   */
  needs?: string;
  /** What the file is, in `--help` (after `--flag FILE`, or the positional); wrapped there. */
  help: string;
  /**
   * What `lrspec curve` writes for it, in `lrspec --help`'s one line: the CSV columns and the rows
   * (`step,lr for the Trainer's optimizer steps 1..max_steps`).
   */
  rows: string;
  /**
   * What `lrspec curve --help` says after {@linkcode SourceKind.rows}: which rate a row holds and
   * how it meets upstream's own log (`step N trains with that rate, …`).
   * @default {""}
   */
  rowsMore?: string;
  /** What `lrspec explain` says about it, in `explain --help`. */
  explains: string;
  /** Its options. */
  options: readonly SourceOption[];
  /**
   * Whether a file's text looks like this kind's (for "this looks like … : use --hf" when it is
   * given to another kind). Optional: kinds without a recognisable shape leave it out.
   */
  recognize?(text: string, path: string): boolean;
  /**
   * Opens a file as one or more views (several with `plot --num-workers 8 --num-workers 16`).
   * @throws {Error} With the file, the line and the key of what is wrong.
   */
  open(path: string, context: OpenContext): ScheduleView[];
}

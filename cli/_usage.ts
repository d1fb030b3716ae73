/**
 * `lrspec --help`: every command in a line or two, then the options. What it says of each family
 * (how a schedule is named, what `curve` writes for it, its options) comes from the source
 * registry (`cli/sources.ts`) through `cli/_help.ts`.
 *
 * @module
 */

import {
  configHelp,
  curveUsage,
  NBSP,
  otherSourcesHelp,
  row,
  schedulesList,
  WIDTH,
  wrap,
} from "./_help.ts";
import { type SourceKind, SOURCES } from "./sources.ts";

/** The options the kinds take in one command only (`--past-end`: `curve`), as `--help` lists them. */
function onlyIn(command: string, sources: readonly SourceKind[]): string[] {
  return [
    ...new Set(
      sources.flatMap((k) =>
        k.options.filter((o) => o.commands?.includes(command) === true).map((o) =>
          `--${o.name}${o.type === "string" ? ` ${/^(\S+) {2}/.exec(o.help)?.[1] ?? "VALUE"}` : ""}`
        )
      ),
    ),
  ];
}

/**
 * A command's line of options: its own, then those the kinds take in it alone; empty (no line)
 * when there are none.
 */
function options(command: string, own: readonly string[], sources: readonly SourceKind[]): string {
  const all = [...own, ...onlyIn(command, sources)];
  if (all.length === 0) return "";
  const lines = wrap(all.map((o) => o.replaceAll(" ", NBSP)).join(", "), WIDTH - 13);
  return lines.map((l, i) => (i === 0 ? `${command}:`.padEnd(13) : " ".repeat(13)) + l).join("\n");
}

/** Each command's options, a line or more each. */
function commandOptions(sources: readonly SourceKind[]): string {
  return [
    options("curve", ["--out FILE"], sources),
    options("plot", [
      "--out FILE",
      "--log",
      "--range A:B",
      "--x iteration|images",
      "--no-marks",
      "--no-inset",
      "--title TEXT",
      "--subtitle TEXT",
      "--label TEXT (repeat)",
      "--width PX",
      "--height PX",
      "--num-workers N (repeat: one curve each)",
    ], sources),
    options("explain", [], sources),
    options(
      "diff",
      [
        "--opts-a KEY VALUE ...",
        "--opts-b KEY VALUE ... (one side's overrides)",
        "--exact (every row, however many)",
      ],
      sources,
    ),
    options(
      "verify",
      ["--golden FILE", "--candidate FILE", "--max-ulp N", "--allow-subset"],
      sources,
    ),
    options("accumulate", ["--num-workers N", "--micro-batch M", "--plot FILE"], sources),
    "every command: --help, -h",
  ].filter((line) => line !== "").join("\n");
}

/** The top-level `--help`, describing `sources` (default: the registry's). */
export function usage(sources: readonly SourceKind[] = SOURCES): string {
  const schedules = wrap(`commands (a SCHEDULE is ${schedulesList(sources, NBSP)}):`, WIDTH).join(
    "\n",
  );
  return `usage: lrspec <command> [options]     (lrspec <command> --help for one command)

${schedules}
${curveUsage(sources)}
${row("plot SCHEDULE [...]", "SVG chart of one or more schedules (stdout, or --out FILE)", 29)}
${row("explain SCHEDULE", "the schedule in words", 29)}
${
    row(
      "diff SCHEDULE SCHEDULE",
      "where the two curves differ and by how much (exit 1 if they do)",
      29,
    )
  }
${
    row(
      "verify --golden G.csv --candidate C.csv [--max-ulp N] [--allow-subset]",
      "compare a curve with a golden one, bit for bit (exit 1 on mismatch)",
      29,
    )
  }
${
    row(
      "accumulate CONFIG.yaml --num-workers N --micro-batch M [--plot FILE.svg]",
      "gradient accumulation: micro-batches per optimizer step",
      29,
    )
  }
${
    row(
      "golden-script",
      "print a Python script that writes detectron2's own curve (python3 golden.py CONFIG.yaml " +
        "[--num-workers N] [--deeplab] [--opts ...])",
      29,
    )
  }

${configHelp("curve", sources)}
  (curve, plot, explain, diff, accumulate)

${otherSourcesHelp("curve", sources)}
  (curve, plot, explain, diff)

${commandOptions(sources)}

exit status: 0 ok, 1 curves differ / verification failed, 2 bad input or a failed write (one line
  on stderr), 141 the reader closed stdout (| head)`;
}

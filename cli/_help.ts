/**
 * The source kinds' part of every `--help`, made from the registry (`cli/sources.ts`): how each
 * kind is named on a command line, what `curve` writes for it, what `explain` says, its options.
 * A family's `SourceKind` entry is all a new family writes; no command's help names a family.
 * Every function takes the kinds to describe (default: {@linkcode SOURCES}), so a test can add one.
 *
 * @module
 */

import { type SourceKind, SOURCES } from "./sources.ts";

/** The width `--help` is wrapped to. */
export const WIDTH = 100;

/** A space that {@linkcode wrap} does not break a line at (it prints as a space). */
export const NBSP = "\u00a0";

/**
 * The words of `text` (its line breaks are spaces) in lines of at most `width` columns; words
 * joined by {@linkcode NBSP} stay on one line.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/[ \t\r\n]+/).filter((w) => w !== "")) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines.map((l) => l.replaceAll(NBSP, " "));
}

/**
 * A help row: `left` indented by two, `text` wrapped from column `column` to {@linkcode WIDTH}.
 * A `left` that leaves less than two spaces before the column puts the text on the next line.
 */
export function row(left: string, text: string, column = 25): string {
  const lines = wrap(text, WIDTH - column);
  const pad = " ".repeat(column);
  const head = `  ${left}`;
  if (text.trim() === "") return head;
  const body = lines.map((l) => pad + l);
  if (head.length + 2 > column) return [head, ...body].join("\n");
  body[0] = head.padEnd(column) + lines[0];
  return body.join("\n");
}

/** How a command line names a kind: `--hf FILE`, `--timm args.yaml`, `CONFIG.yaml`. */
export function named(kind: SourceKind): string {
  return kind.flag === undefined ? kind.arg : `--${kind.flag} ${kind.arg}`;
}

/** {@linkcode named} with the options a curve of it usually needs (`--hf FILE --dataset-size N`). */
export function synopsis(kind: SourceKind): string {
  return kind.needs ? `${named(kind)} ${kind.needs}` : named(kind);
}

/**
 * The kinds named in a sentence: `CONFIG.yaml, --hf FILE, … or --keras schedule.json`; with
 * `glue` {@linkcode NBSP}, each name stays on one line when the sentence is wrapped.
 */
export function schedulesList(sources: readonly SourceKind[] = SOURCES, glue = " "): string {
  const names = sources.map((kind) => named(kind).replaceAll(" ", glue));
  return names.length <= 1
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/**
 * A usage line: `usage: lrspec COMMAND (CONFIG.yaml | --hf FILE --dataset-size N | …) TAIL`, the
 * alternatives wrapped under the parenthesis.
 */
export function usageLine(
  command: string,
  tail: string,
  sources: readonly SourceKind[] = SOURCES,
): string {
  const head = `usage: lrspec ${command} (`;
  const alternatives = sources.map(synopsis);
  const lines: string[] = [];
  let line = head;
  alternatives.forEach((a, i) => {
    const piece = i === alternatives.length - 1 ? `${a})` : `${a} |`;
    if (line.length > head.length && line.length + 1 + piece.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(head.length) + piece;
    } else line += (line.length > head.length ? " " : "") + piece;
  });
  if (tail !== "") {
    if (line.length + 1 + tail.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(head.length) + tail;
    } else line += ` ${tail}`;
  }
  lines.push(line);
  return lines.join("\n");
}

/** `lrspec --help`'s `curve` lines: one per kind, what it writes. */
export function curveUsage(sources: readonly SourceKind[] = SOURCES): string {
  return sources.map((kind) => row(`curve ${synopsis(kind)}`, `CSV ${kind.rows}`, 29)).join("\n");
}

/** `lrspec curve --help`'s rows: what the CSV of each kind is. */
export function curveRows(sources: readonly SourceKind[] = SOURCES): string {
  return sources.map((kind) =>
    row(synopsis(kind), kind.rowsMore ? `${kind.rows}: ${kind.rowsMore}` : kind.rows)
  ).join("\n");
}

/** `lrspec explain --help`'s rows: what it says about each kind. */
export function explainRows(sources: readonly SourceKind[] = SOURCES): string {
  return sources.map((kind) => row(named(kind), kind.explains)).join("\n");
}

/**
 * The kinds' options, as `command` takes them: each flag (for flagged kinds) and its options. An
 * option several kinds share is shown once, under the first, unless a kind says something else
 * about it (`--num-processes` of `--timm`: the lr_base rule's world size).
 */
export function sourcesHelp(
  command: string,
  positional: boolean,
  sources: readonly SourceKind[] = SOURCES,
): string {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const kind of sources) {
    if ((kind.flag === undefined) !== positional) continue;
    if (kind.flag !== undefined) out.push(row(named(kind), kind.help));
    for (const o of kind.options) {
      const key = `${o.name}\n${o.help}`;
      if (seen.has(key) || (o.commands !== undefined && !o.commands.includes(command))) continue;
      seen.add(key);
      const m = /^(\S+) {2}([\s\S]*)$/.exec(o.help);
      out.push(row(m ? `--${o.name} ${m[1]}` : `--${o.name}`, m ? m[2]! : o.help));
    }
  }
  return out.join("\n");
}

/** `config options:` of `--help`: the positional kind's options and `--opts`. */
export function configHelp(command: string, sources: readonly SourceKind[] = SOURCES): string {
  return `config options:\n${sourcesHelp(command, true, sources)}\n` +
    row("--opts KEY VALUE ...", "detectron2's overrides (merge_from_list); the rest of the line");
}

/** `other schedules:` of `--help`: every flagged kind, its options, the per-file rule. */
export function otherSourcesHelp(
  command: string,
  sources: readonly SourceKind[] = SOURCES,
): string {
  const positional = sources.find((k) => k.flag === undefined);
  const perFile = [
    ...new Set(
      sources.filter((k) => k.flag !== undefined).flatMap((k) =>
        k.options.filter((o) => o.perFile === true).map((o) => `--${o.name}`)
      ),
    ),
  ];
  const where = positional === undefined ? "" : ` (anywhere a ${positional.arg} goes;` +
    ` in command-line order)`;
  return `other schedules${where}:\n${sourcesHelp(command, false, sources)}\n` +
    wrap(`${perFile.join(", ")}: once for every file, or once per file`, WIDTH - 2)
      .map((l) => `  ${l}`).join("\n");
}

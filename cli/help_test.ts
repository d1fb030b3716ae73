// `--help` is made from the source registry (cli/sources.ts): every family's entry — how it is
// named, what `curve` writes for it, what `explain` says, each of its options — shows in the help
// of every command that reads schedules, and a new entry needs nothing else (a made-up family
// added to the list shows up everywhere, and is absent without it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { run } from "../testing/cli.ts";
import { type SourceKind, SOURCES } from "./sources.ts";
import { named, synopsis, WIDTH, wrap } from "./_help.ts";
import { usage } from "./_usage.ts";
import { COMMAND as CURVE } from "./commands/curve.ts";
import { COMMAND as PLOT } from "./commands/plot.ts";
import { COMMAND as EXPLAIN } from "./commands/explain.ts";
import { COMMAND as DIFF } from "./commands/diff.ts";
import { COMMAND as ACCUMULATE } from "./commands/accumulate.ts";

/** White space folded, so a wrapped text is found whatever its line breaks. */
const fold = (text: string) => text.replace(/\s+/g, " ");

/** The text of an option's help after its value name (`N  len(…)` → `len(…)`). */
const optionText = (help: string) => /^\S+ {2}([\s\S]*)$/.exec(help)?.[1] ?? help;

const READERS = ["curve", "plot", "explain", "diff"] as const;

/** What a help text must say about a kind, for `command`. */
function expected(kind: SourceKind, command: string | undefined): string[] {
  const says = [named(kind)];
  if (command === undefined) says.push(`curve ${synopsis(kind)}`, `CSV ${kind.rows}`);
  if (command === "curve") {
    says.push(synopsis(kind), kind.rowsMore ? `${kind.rows}: ${kind.rowsMore}` : kind.rows);
  }
  if (command === "explain") says.push(kind.explains);
  if (kind.flag !== undefined) says.push(kind.help);
  for (const o of kind.options) {
    if (o.commands !== undefined && !o.commands.includes(command ?? "curve")) continue;
    says.push(`--${o.name}`, optionText(o.help));
  }
  return says;
}

function assertSays(help: string, kind: SourceKind, command: string | undefined): void {
  const where = command === undefined ? "lrspec --help" : `lrspec ${command} --help`;
  for (const text of expected(kind, command)) {
    assert.ok(fold(help).includes(fold(text)), `${where} does not say ${JSON.stringify(text)}`);
  }
}

test("every registry entry and each of its options is in the help of every command", async () => {
  const top = await run("--help");
  assert.equal(top.code, 0);
  for (const kind of SOURCES) assertSays(top.stdout, kind, undefined);
  for (const command of READERS) {
    const r = await run(command, "--help");
    assert.equal(r.code, 0);
    for (const kind of SOURCES) assertSays(r.stdout, kind, command);
  }
  // accumulate reads the positional kind only: its options (less --num-workers, its own).
  const positional = SOURCES.find((k) => k.flag === undefined)!;
  const accumulate = (await run("accumulate", "--help")).stdout;
  for (const o of positional.options) {
    if (o.name === "num-workers") continue; // accumulate's own, with its own help
    if (o.commands !== undefined && !o.commands.includes("accumulate")) continue;
    assert.ok(fold(accumulate).includes(fold(optionText(o.help))), o.name);
  }
});

test("a command without its schedule names every kind it could have been", async () => {
  for (
    const [command, args] of [["curve", []], ["explain", []], ["plot", []], ["diff", []]] as const
  ) {
    const r = await run(command, ...args);
    assert.equal(r.code, 2);
    for (const kind of SOURCES) {
      assert.ok(r.stderr.includes(named(kind)), `${command}: ${r.stderr} omits ${named(kind)}`);
    }
  }
});

/** A family that does not exist: the registry entry a new family writes, and nothing else. */
const NEW_FAMILY: SourceKind = {
  id: "newfamily",
  flag: "newfamily",
  files: "--newfamily files",
  what: "a newfamily run file",
  arg: "run.toml",
  needs: "--epochs-of-newfamily E",
  help: "a newfamily run file, as newfamily.train reads it: one row per zorp",
  rows: "zorp,lr for zorps 0..Z-1",
  rowsMore: "the rate zorp z trains with; newfamily logs it as lr@zorp",
  explains: "the zorp arithmetic and the traps newfamily users fall into",
  options: [
    {
      name: "epochs-of-newfamily",
      type: "string",
      perFile: true,
      help: "E  --newfamily: epochs to run (default: the file's)",
    },
    {
      name: "newfamily-only-in-curve",
      type: "boolean",
      commands: ["curve"],
      help: "--newfamily: one more zorp past the end",
    },
  ],
  open() {
    throw new Error("not opened in this test");
  },
};

test("a new registry entry is all a new family writes: every help then describes it", () => {
  const withNew = [...SOURCES, NEW_FAMILY];
  const helps: [string | undefined, (s: readonly SourceKind[]) => string][] = [
    [undefined, usage],
    ["curve", (s) => CURVE.help(s)],
    ["plot", (s) => PLOT.help(s)],
    ["explain", (s) => EXPLAIN.help(s)],
    ["diff", (s) => DIFF.help(s)],
  ];
  for (const [command, help] of helps) {
    const text = help(withNew);
    assertSays(text, NEW_FAMILY, command);
    for (const kind of SOURCES) assertSays(text, kind, command);
    // Without the entry, none of it: the help is the registry's, not a copy.
    const without = fold(help(SOURCES));
    assert.ok(!without.includes("newfamily"), `${command ?? "top"}: mentions newfamily without it`);
  }
  assert.match(fold(usage(withNew)), /curve: --out FILE, --past-end, --newfamily-only-in-curve/);
  assert.match(fold(CURVE.help(withNew)), /--epochs-of-newfamily.*once for every file/);
  assert.doesNotMatch(fold(PLOT.help(withNew)), /newfamily-only-in-curve/);
  // accumulate reads detectron2 configs only: a flagged family is not its business.
  assert.doesNotMatch(ACCUMULATE.help(withNew), /newfamily/);
});

test("help lines fit in the width, continuation lines line up", async () => {
  for (const command of ["", "curve", "plot", "explain", "diff", "verify", "accumulate"]) {
    const help = (await run(...(command ? [command] : []), "--help")).stdout;
    for (const line of help.split("\n")) {
      assert.ok([...line].length <= WIDTH, `${command || "top"}: ${[...line].length}: ${line}`);
    }
  }
  const curve = (await run("curve", "--help")).stdout;
  // A row's text starts at column 25 and its wrapped lines too.
  const row = curve.split("\n").findIndex((l) => l.startsWith("  --dataset-size N"));
  assert.equal(curve.split("\n")[row]!.indexOf("len("), 25);
  assert.equal(curve.split("\n")[row + 1]!.search(/\S/), 25);
  // A value name too long for the column puts the text on the next line, never against it.
  assert.match(curve, /\n {2}--torch 1\.13\|2\.11\|2\.13\n {25}the torch release/);
});

test("wrap: words in lines of at most the width; a no-break space keeps a name whole", () => {
  assert.deepEqual(wrap("a bb ccc\ndddd", 6), ["a bb", "ccc", "dddd"]);
  assert.deepEqual(wrap("a --x\u00a0FILE b", 7), ["a", "--x FILE", "b"]);
  assert.deepEqual(wrap("", 5), [""]);
  assert.deepEqual(wrap("longerthanwidth x", 4), ["longerthanwidth", "x"]);
});

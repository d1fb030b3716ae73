// Every option error is data: each schedule of every family on the page (every class and function
// the docs list) is built with each option set, in turn, to values a careless config holds
// (negative, zero, huge, NaN, empty or unsorted lists, the wrong type). Whatever the library
// throws must carry its owner (an explicit upstream name, not a minified class name) and the
// option in `error.cause`, so the page and the CLI place it without reading its message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { siteSchema } from "./docs.ts";
import { FieldError, siteSchedules } from "./families/mod.ts";
import { optionProblem } from "../mod.ts";

const defs = siteSchedules(siteSchema());

const BAD = [
  "-1",
  "0",
  "0.5",
  "1e308",
  "-1e308",
  "NaN",
  "[]",
  "[-1]",
  "[3, 1, 2]",
  "null",
  '"x"',
  "{}",
];

test("every library error about an option carries owner and option (error.cause)", () => {
  const naked: string[] = [];
  const owners = new Set<string>();
  let thrown = 0;
  for (const def of defs.values()) {
    // The families' own forms (a config, a file) are placed by their views, tested with them.
    if (def.fields.some((f) => f.control === "textarea" || f.control === "files")) continue;
    const initial = Object.fromEntries(def.fields.map((f) => [f.name, f.example ?? ""]));
    for (const field of def.fields) {
      if (field.page) continue;
      for (const text of BAD) {
        try {
          def.build({ values: { ...initial, [field.name]: text }, files: {} });
        } catch (error) {
          if (error instanceof FieldError) continue; // the page's own reading of the text
          thrown++;
          const problem = optionProblem(error);
          if (problem === undefined) {
            naked.push(`${def.id} ${field.name}=${text}: ${String(error)}`);
            continue;
          }
          owners.add(problem.owner);
          const message = (error as Error).message;
          if (!/^[A-Za-z_]\w*$/.test(problem.owner) || !message.includes(problem.owner)) {
            naked.push(`${def.id} ${field.name}=${text}: owner ${problem.owner}: ${message}`);
          }
          if (problem.option === "") naked.push(`${def.id} ${field.name}=${text}: no option`);
        }
      }
    }
  }
  assert.deepEqual(naked, [], "errors without owner/option data");
  assert.ok(thrown >= 1000, `${thrown} errors checked`);
  assert.ok(owners.size >= 40, `${owners.size} owners`);
});

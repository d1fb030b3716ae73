// Every documented `@default` is the default: each schedule of every family on the page (every
// class and function the docs list, and the families' own forms) is built with each optional
// option omitted and with its documented default passed explicitly, and the curves (the CSV
// `lrspec curve` would write) and notes must be identical.
import { test } from "node:test";
import assert from "node:assert/strict";
import { curveCsv } from "./curves.ts";
import { siteSchema } from "./docs.ts";
import { type Field, siteSchedules } from "./families/mod.ts";

const defs = siteSchedules(siteSchema());

/** The text a user types for a documented default, or undefined when it is not a value. */
function typed(field: Field): string | undefined {
  const d = field.default?.trim();
  if (d === undefined || d === "" || d === "undefined") return undefined;
  if (/^".*"$/.test(d)) return JSON.parse(d) as string; // a string literal: typed unquoted
  if (/^-?(?:\d|\.\d|Infinity|NaN)|^(?:true|false|True|False|null|None)$|^\[.*\]$/.test(d)) {
    return d;
  }
  return undefined; // words: "every iteration from 0 to MAX_ITER", "args.eval_metric === …"
}

function outcome(id: string, values: Record<string, string>): string {
  try {
    const curve = defs.get(id)!.build({ values, files: {} });
    // The explanation of a class is the upstream call, which names the options given: not compared.
    return [curveCsv(curve.view), curve.notes.join("\n")].join("\n--\n");
  } catch (error) {
    return `throws ${String(error)}`;
  }
}

test("every documented @default: passed explicitly, the same as omitted", () => {
  let checked = 0;
  const words: string[] = [];
  const wrong: string[] = [];
  for (const def of defs.values()) {
    const initial = Object.fromEntries(def.fields.map((f) => [f.name, f.example ?? ""]));
    for (const field of def.fields) {
      if (field.required || field.page || field.example !== undefined) continue;
      if (field.default === undefined) continue;
      const text = typed(field);
      if (text === undefined) {
        words.push(`${def.id}.${field.name}: ${field.default}`);
        continue;
      }
      checked++;
      const omitted = outcome(def.id, initial);
      const explicit = outcome(def.id, { ...initial, [field.name]: text });
      if (omitted !== explicit) {
        wrong.push(`${def.id}.${field.name} = ${field.default}`);
      }
    }
  }
  assert.deepEqual(wrong, [], "documented defaults that are not the defaults");
  assert.ok(checked >= 150, `${checked} defaults checked (${words.length} in words)`);
});

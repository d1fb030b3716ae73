import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { MUTANTS, readKillers } from "./mutants.ts";

const ROOT = new URL("..", import.meta.url);

// The mutation stage runs last in CI: a mutant whose text a change made ambiguous or removed
// would fail only there, after every suite. These checks fail with the unit tests instead.
test("every mutant's text occurs exactly once in its file", () => {
  for (const m of MUTANTS) {
    const text = readFileSync(new URL(m.file, ROOT), "utf8");
    const count = text.split(m.from).length - 1;
    assert.equal(count, 1, `${m.name}: ${JSON.stringify(m.from)} in ${m.file} ${count} times`);
    assert.notEqual(m.from, m.to, m.name);
  }
});

test("mutant names are unique, and every recorded killer names a mutant and exists", () => {
  const names = new Set(MUTANTS.map((m) => m.name));
  assert.equal(names.size, MUTANTS.length);
  for (const [name, killer] of Object.entries(readKillers())) {
    assert.ok(names.has(name), `scripts/mutants_killers.json names no mutant ${name}`);
    if (!killer.startsWith("suite:")) {
      assert.ok(existsSync(new URL(killer, ROOT)), `${name}: no test file ${killer}`);
    }
  }
});

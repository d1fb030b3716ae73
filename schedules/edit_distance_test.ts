import { test } from "node:test";
import assert from "node:assert/strict";
import { editDistance } from "./edit_distance.ts";

test("editDistance: Levenshtein's insertions, deletions and substitutions", () => {
  assert.equal(editDistance("", ""), 0);
  assert.equal(editDistance("", "lr"), 2);
  assert.equal(editDistance("lr", ""), 2);
  assert.equal(editDistance("warmup_ratio", "warmup_ratio"), 0);
  assert.equal(editDistance("warmup_ration", "warmup_ratio"), 1); // an insertion
  assert.equal(editDistance("warmup_rato", "warmup_ratio"), 1); // a deletion
  assert.equal(editDistance("warmup_ratia", "warmup_ratio"), 1); // a substitution
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("sched", "lr_scheduler_type"), 12);
  assert.equal(editDistance("ab", "ba"), 2); // a transposition is two edits
});

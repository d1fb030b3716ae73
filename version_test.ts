import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { VERSION } from "./mod.ts";

test("one version: version.ts, deno.json and package.json agree", () => {
  const read = (file: string) =>
    JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8")) as { version: string };
  assert.match(VERSION, /^\d+\.\d+\.\d+(-[\w.]+)?$/);
  assert.equal(read("./deno.json").version, VERSION);
  assert.equal(read("./package.json").version, VERSION);
});

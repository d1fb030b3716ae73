// Runs the test suite on Node with node:test, loading TypeScript through tsx.
// Usage: node scripts/test-node.mjs [files...]
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const skip = new Set(["node_modules", ".git", "fixtures"]);

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (skip.has(name) || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith("_test.ts")) out.push(relative(root, path));
  }
  return out;
}

const files = process.argv.length > 2 ? process.argv.slice(2) : find(root).sort();
const result = spawnSync(process.execPath, [
  "--import",
  "tsx",
  "--test",
  // Two files at a time (node:test's default is one fewer than the cores: one, on a 2-core
  // machine); deno task test runs --parallel alike.
  "--test-concurrency=2",
  "--test-reporter=spec",
  ...files,
], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);

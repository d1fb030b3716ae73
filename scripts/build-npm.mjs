// Builds the npm package: JavaScript and declarations in dist/ from the TypeScript sources.
// tsc rewrites relative `.ts` specifiers to `.js` in the JavaScript it emits but keeps `.ts` in
// the declarations; rewrite those too, so every TypeScript and Deno consumer resolves them.
import { execFileSync } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import process from "node:process";

const root = new URL("..", import.meta.url).pathname;
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
// tsc found as Node finds a package (node_modules here or in a folder above: a copy of the
// package under .tmp/ builds with the checkout's).
const require = createRequire(import.meta.url);
const typescript = dirname(require.resolve("typescript/package.json"));
const tsc = join(
  typescript,
  JSON.parse(readFileSync(join(typescript, "package.json"), "utf8")).bin.tsc,
);
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith(".d.ts")) {
      const text = readFileSync(path, "utf8");
      writeFileSync(path, text.replace(/(from\s+["'])(\.{1,2}\/[^"']+)\.ts(["'])/g, "$1$2.js$3"));
    }
  }
}
walk(dist);

// The Python config sandbox's worker and Python files are not TypeScript: dist/ gets them beside
// the compiled load.js, which finds them by `new URL(..., import.meta.url)`.
for (const name of readdirSync(join(root, "config/pyodide"))) {
  if (/\.(py|mjs)$/.test(name)) {
    copyFileSync(join(root, "config/pyodide", name), join(dist, "config/pyodide", name));
  }
}

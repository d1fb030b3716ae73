// The package's entry points are listed once, in deno.json's `exports`; every other list of them
// (the check task's `deno doc --lint`, tsconfig.build.json, package.json's `exports` and
// `typesVersions`, the folders `deno check` and publishing cover) is checked against it here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const json = (name: string) => JSON.parse(readFileSync(join(ROOT, name), "utf8"));
const deno = json("deno.json") as {
  exports: Record<string, string>;
  tasks: Record<string, string>;
  publish: { include: string[] };
};
const pkg = json("package.json") as {
  exports: Record<string, Record<string, string>>;
  typesVersions: Record<string, Record<string, string[]>>;
  files: string[];
};
const build = json("tsconfig.build.json") as { include: string[] };
const entries = Object.values(deno.exports).map((p) => p.replace(/^\.\//, ""));

/** The top-level folders holding TypeScript that is not only tests, fixtures or tools. */
function sourceFolders(): string[] {
  const skip = new Set(["node_modules", "fixtures", "dist", "docs", "site", "testing", "bin"]);
  return readdirSync(ROOT).filter((name) => {
    if (skip.has(name) || name.startsWith(".")) return false;
    const path = join(ROOT, name);
    if (!statSync(path).isDirectory()) return false;
    return readdirSync(path, { recursive: true }).some((f) =>
      /\.ts$/.test(String(f)) && !/_test\.ts$/.test(String(f))
    );
  });
}

test("deno doc --lint in the check task covers every entry point of deno.json", () => {
  const m = /deno doc --lint ([^&]+)/.exec(deno.tasks.check!);
  assert.ok(m, "the check task runs deno doc --lint");
  assert.deepEqual(m[1]!.trim().split(/\s+/).sort(), [...entries].sort());
});

test("tsconfig.build.json compiles every entry point of deno.json", () => {
  assert.deepEqual([...build.include].sort(), [...entries].sort());
});

test("package.json exports every entry point of deno.json, under the same names", () => {
  assert.deepEqual(Object.keys(pkg.exports).sort(), Object.keys(deno.exports).sort());
  for (const [name, path] of Object.entries(deno.exports)) {
    const e = pkg.exports[name]!;
    const js = path.replace(/^\.\//, "./dist/").replace(/\.ts$/, "");
    // Every runtime gets the build (Deno does not strip types under node_modules).
    assert.deepEqual(e, { types: `${js}.d.ts`, default: `${js}.js` }, name);
    // moduleResolution node10 ignores `exports`: typesVersions names the same declarations.
    if (name !== ".") assert.deepEqual(pkg.typesVersions["*"]![name.slice(2)], [e.types], name);
  }
  assert.deepEqual(
    Object.keys(pkg.typesVersions["*"]!).length,
    Object.keys(pkg.exports).length - 1,
  );
});

test("deno check, JSR and npm cover every source folder the entry points reach", () => {
  const m = /deno check ([^&]+)/.exec(deno.tasks.check!);
  assert.ok(m, "the check task runs deno check");
  const checked = m[1]!.trim().split(/\s+/).map((p) => p.replace(/\/$/, ""));
  const published = deno.publish.include.map((p) => p.replace(/\/$/, ""));
  const packed = pkg.files.map((p) => p.replace(/\/$/, ""));
  for (const folder of sourceFolders()) {
    assert.ok(checked.includes(folder), `deno check covers ${folder}/`);
    if (["bench", "conformance", "scripts"].includes(folder)) continue; // tools, not shipped
    assert.ok(published.includes(folder), `deno.json publish.include has ${folder}/`);
    // npm ships the build of every folder (dist/, compiled from the entry points), no sources.
    assert.ok(
      !packed.includes(folder),
      `package.json files has no TypeScript sources (${folder}/)`,
    );
  }
  assert.ok(packed.includes("dist"), "package.json files has dist/");
});

test("the API fuzzer (scripts/_fuzz_api.ts) calls every family's entry point of deno.json", () => {
  // Its list is the one list of entry points kept by hand; a family left out of it would go
  // unfuzzed without a word.
  const fuzzed = readFileSync(join(ROOT, "scripts/_fuzz_api.ts"), "utf8").replace(/\/\/.*$/gm, "");
  const families = entries.filter((e) => /^schedules\/[^/]+\/mod\.ts$/.test(e) && !/libm/.test(e));
  assert.ok(families.length >= 10, `${families.length} families`);
  const missing = families.filter((e) => !fuzzed.includes(`"../${e}"`));
  assert.deepEqual(missing, []);
});

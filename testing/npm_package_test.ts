// The npm package as a user gets it: `npm pack`, installed from the tarball into a fresh project,
// then the consumers in testing/npm_consumer/ type-checked with the project's default strict
// settings and run — on the runtime running this test (Deno: `import "lrspec"` and `npm:lrspec`,
// checked by `deno check` with an empty deno.json; Bun: tsc with bundler resolution, then `bun`;
// Node: tsc with nodenext for ESM and CommonJS (`require`, Node ≥ 20.19's require(esm)), then
// `node`, and the `lrspec` bin as `npx lrspec` runs it).
//
// One pack for all three runtimes: the project is kept in .tmp/npm-package/<hash of the packaged
// sources>/ and reused while those sources are unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "node_modules/.bin");
const CACHE = join(ROOT, ".tmp/npm-package");
/**
 * What goes into the tarball and the consumer project: the sources JSR publishes (deno.json's
 * publish.include, which testing/entry_points_test.ts keeps complete), the package's manifest,
 * build and bin, and the consumers.
 */
const PACKAGED = [
  ...(JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8")).publish.include as string[]),
  "package.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "scripts/build-npm.mjs",
  "bin",
  "testing/npm_consumer",
];

const g = globalThis as { Deno?: unknown; Bun?: unknown };
const RUNTIME = g.Deno ? "deno" : g.Bun ? "bun" : "node";

/** The files under `path`, sorted (tests excluded: they are not packed). */
function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) =>
    /_test\.ts$/.test(name) ? [] : files(join(path, name))
  );
}

/** A hash of everything that goes into the tarball and into the consumer project. */
function fingerprint(): string {
  const hash = createHash("sha256");
  for (const file of PACKAGED.flatMap((p) => files(join(ROOT, p)))) {
    hash.update(file.slice(ROOT.length)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** Runs a command; fails the test with its output unless it exits 0. Returns stdout. */
function sh(cwd: string, command: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  assert.equal(
    r.status,
    0,
    `${command} ${args.join(" ")} (in ${cwd}): status ${r.status}\n${r.stdout}\n${r.stderr}`,
  );
  return { stdout: r.stdout, stderr: r.stderr };
}

const DETECTRON2_YAML =
  "SOLVER:\n  BASE_LR: 0.5\n  MAX_ITER: 4\n  STEPS: (2,)\n  WARMUP_ITERS: 0\n";

/**
 * The consumer project: the tarball installed with npm into a fresh directory, the consumers
 * copied in, a tsconfig per runtime and an empty deno.json. Built once per fingerprint.
 */
function project(): string {
  const dir = join(CACHE, fingerprint());
  if (existsSync(join(dir, "ready"))) return dir;
  mkdirSync(CACHE, { recursive: true });
  for (const old of readdirSync(CACHE)) rmSync(join(CACHE, old), { recursive: true, force: true });
  const work = `${dir}.${process.pid}.tmp`;
  mkdirSync(work, { recursive: true });
  // `npm pack` of a copy of the package's files (its prepack builds dist/ there, with the
  // checkout's node_modules found above it, so tests running beside this one never see the
  // checkout's dist/ rebuilt); it prints the tarball's name last.
  const src = join(work, "package");
  for (const path of PACKAGED) {
    cpSync(join(ROOT, path), join(src, path), {
      recursive: true,
      filter: (from) => !/_test\.ts$/.test(from),
    });
  }
  const packed = sh(src, "npm", ["pack", "--silent", "--pack-destination", work]).stdout;
  const tarball = join(work, packed.trim().split("\n").pop()!);
  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2),
  );
  sh(app, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent", tarball]);
  for (const name of ["consumer.ts", "consumer.cts"]) {
    copyFileSync(join(ROOT, "testing/npm_consumer", name), join(app, name));
  }
  writeFileSync(
    join(app, "consumer_npm.ts"),
    readFileSync(join(app, "consumer.ts"), "utf8").replace(/(["'])lrspec/g, "$1npm:lrspec"),
  );
  writeFileSync(join(app, "my.yaml"), DETECTRON2_YAML);
  writeFileSync(join(app, "deno.json"), "{}\n");
  // tsc's default strictness: `strict` and nothing else (no exactOptionalPropertyTypes).
  const tsconfig = (options: Record<string, unknown>, files: string[]) =>
    JSON.stringify({ compilerOptions: { strict: true, ...options }, files }, null, 2);
  writeFileSync(
    join(app, "tsconfig.node.json"),
    tsconfig({ module: "nodenext", target: "es2022", outDir: "out" }, [
      "consumer.ts",
      "consumer.cts",
    ]),
  );
  writeFileSync(
    join(app, "tsconfig.bun.json"),
    tsconfig(
      { module: "preserve", moduleResolution: "bundler", target: "esnext", noEmit: true },
      ["consumer.ts"],
    ),
  );
  renameSync(work, dir);
  writeFileSync(join(dir, "ready"), "");
  return dir;
}

/** What the ESM consumer prints: values the library computes, checked elsewhere against upstream. */
const ESM_LINES = [
  "detectron2 0.002 true",
  "cosine 0.5",
  "multistep 0.1",
  "torch 0.5",
  "hf 0.75",
  "optax 0.75",
  "timm 0.49625658988952637 function",
  "verify true",
  "config 0.5 100",
  "cli 0 true",
  "tfjs 0.10000000149011612",
  "megatron 256 0.0003",
  "deepspeed 0 0",
];
const CJS_LINES = ["detectron2 0.002", "torch 0.5", "cli function function"];

const lines = (s: string) => s.trimEnd().split("\n");

test(`the packed npm package in a fresh project, on ${RUNTIME}`, { timeout: 240_000 }, () => {
  const app = join(project(), "app");
  const pkg = JSON.parse(readFileSync(join(app, "node_modules/lrspec/package.json"), "utf8"));

  if (RUNTIME === "deno") {
    const deno = process.execPath;
    // deno.json is {}: Deno's default compiler options, node_modules from package.json.
    sh(app, deno, ["check", "consumer.ts", "consumer_npm.ts"]);
    for (const file of ["consumer.ts", "consumer_npm.ts"]) {
      // yaml (a dependency of lrspec/config) reads LOG_TOKENS and LOG_STREAM.
      const out = sh(app, deno, ["run", "--allow-env=LOG_TOKENS,LOG_STREAM", file]).stdout;
      assert.deepEqual(lines(out), ESM_LINES, file);
    }
  } else if (RUNTIME === "bun") {
    sh(app, join(BIN, "tsc"), ["-p", "tsconfig.bun.json"]);
    assert.deepEqual(lines(sh(app, process.execPath, ["consumer.ts"]).stdout), ESM_LINES);
    assert.deepEqual(lines(sh(app, process.execPath, ["consumer.cts"]).stdout), CJS_LINES);
  } else {
    rmSync(join(app, "out"), { recursive: true, force: true });
    sh(app, join(BIN, "tsc"), ["-p", "tsconfig.node.json"]);
    assert.deepEqual(lines(sh(app, process.execPath, ["out/consumer.js"]).stdout), ESM_LINES);
    const cjs = sh(app, process.execPath, ["out/consumer.cjs"]);
    assert.deepEqual(lines(cjs.stdout), CJS_LINES);
    assert.equal(cjs.stderr, "", "require(esm) without warnings");
    // `npx lrspec`: the bin runs the build (an installed package has no tsx).
    const explained = sh(app, join(app, "node_modules/.bin/lrspec"), ["explain", "my.yaml"]);
    assert.match(explained.stdout, /^starts at 0\.5, ×0\.1 at 2, ends at 4\n/);
  }
  // moduleResolution node10 (TypeScript ≤ 6) ignores `exports`: typesVersions maps each subpath
  // to the declarations its `exports` entry names, and `types` serves the root.
  assert.equal(pkg.types, pkg.exports["."].types);
  for (const [subpath, entry] of Object.entries(pkg.exports as Record<string, { types: string }>)) {
    assert.ok(existsSync(join(app, "node_modules/lrspec", entry.types)), entry.types);
    if (subpath === ".") continue;
    assert.deepEqual(pkg.typesVersions["*"][subpath.slice(2)], [entry.types], subpath);
  }
  // Deno and Bun get the JavaScript build too: no condition serves TypeScript sources (Deno does
  // not strip types under node_modules), and the tarball carries none.
  for (const entry of Object.values(pkg.exports as Record<string, Record<string, string>>)) {
    assert.deepEqual(Object.keys(entry), ["types", "default"]);
  }
});

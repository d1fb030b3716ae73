// bin/lrspec.mjs — what `npx lrspec` runs on Node — picks the build or the sources: an installed
// package runs its dist/; a checkout runs dist/ only while no source is newer, so an edit is never
// shadowed by an old build. Checked on a copy of the package's layout whose two entry points say
// which one ran.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WORK = `${ROOT}.tmp/bin-test`;
const ENTRY = (who: string) =>
  `export async function main(args) { console.log("${who} " + args.join(" ")); return 0; }\n`;

/** A package at `dir`: bin/, dist/cli/main.js, cli/main.ts and schedules/a.ts; tsx if `checkout`. */
function layout(dir: string, checkout: boolean): void {
  rmSync(dir, { recursive: true, force: true });
  for (const d of ["bin", "dist/cli", "cli", "schedules", "node_modules"]) {
    mkdirSync(`${dir}/${d}`, { recursive: true });
  }
  copyFileSync(`${ROOT}bin/lrspec.mjs`, `${dir}/bin/lrspec.mjs`);
  writeFileSync(`${dir}/dist/cli/main.js`, ENTRY("dist"));
  writeFileSync(`${dir}/cli/main.ts`, ENTRY("sources"));
  writeFileSync(`${dir}/schedules/a.ts`, "export const a = 1;\n");
  if (checkout) {
    // The checkout's own tsx: a package that hands on the real one's API.
    const api = `${ROOT}node_modules/tsx/dist/esm/api/index.mjs`;
    assert.ok(existsSync(api), `tsx's API at ${api}`);
    mkdirSync(`${dir}/node_modules/tsx`);
    writeFileSync(
      `${dir}/node_modules/tsx/package.json`,
      JSON.stringify({ name: "tsx", type: "module", exports: { "./esm/api": "./api.mjs" } }),
    );
    writeFileSync(
      `${dir}/node_modules/tsx/api.mjs`,
      `export * from ${JSON.stringify(pathToFileURL(api).href)};\n`,
    );
  }
}

/** Sets a file's modification time, in seconds since the epoch. */
const age = (file: string, s: number) => utimesSync(file, s, s);

/** Runs the bin on Node (whatever runtime runs the test), from outside the package. */
function lrspec(dir: string): string {
  const r = spawnSync("node", [`${dir}/bin/lrspec.mjs`, "curve", "x.yaml"], {
    cwd: WORK,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test("bin/lrspec.mjs: the build, unless the sources changed after it", {
  timeout: 60_000,
}, async (t) => {
  mkdirSync(WORK, { recursive: true });
  await t.test("an installed package (no tsx of its own) runs its build, whatever the dates", () => {
    const dir = `${WORK}/installed`;
    layout(dir, false);
    age(`${dir}/dist/cli/main.js`, 1_000_000);
    age(`${dir}/schedules/a.ts`, 2_000_000);
    assert.equal(lrspec(dir), "dist curve x.yaml");
  });
  await t.test("a checkout with a fresh build runs the build", () => {
    const dir = `${WORK}/fresh`;
    layout(dir, true);
    for (const f of ["cli/main.ts", "schedules/a.ts"]) age(`${dir}/${f}`, 1_000_000);
    age(`${dir}/dist/cli/main.js`, 2_000_000);
    assert.equal(lrspec(dir), "dist curve x.yaml");
  });
  await t.test("a checkout with a source newer than the build runs the sources", () => {
    const dir = `${WORK}/stale`;
    layout(dir, true);
    age(`${dir}/cli/main.ts`, 1_000_000);
    age(`${dir}/dist/cli/main.js`, 2_000_000);
    age(`${dir}/schedules/a.ts`, 3_000_000); // edited after `npm run build`
    assert.equal(lrspec(dir), "sources curve x.yaml");
  });
  await t.test("a checkout without a build runs the sources", () => {
    const dir = `${WORK}/unbuilt`;
    layout(dir, true);
    rmSync(`${dir}/dist`, { recursive: true });
    assert.equal(lrspec(dir), "sources curve x.yaml");
  });
  await t.test("no build and no tsx: a clear error", () => {
    const dir = `${WORK}/broken`;
    layout(dir, false);
    rmSync(`${dir}/dist`, { recursive: true });
    const r = spawnSync("node", [`${dir}/bin/lrspec.mjs`], { cwd: WORK, encoding: "utf8" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no dist\/cli\/main\.js and no tsx/);
  });
});

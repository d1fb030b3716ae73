/**
 * `deno task site:build`: the playground as a static site in `site/dist/` — `index.html` (with
 * the forms derived from the library's docs embedded), `app.js` (the page and the library,
 * bundled from this repository's modules for the browser) and `style.css`. Any static file
 * server serves it; it also opens from the file system. Nothing is fetched at run time.
 *
 * Usage: deno run --allow-read --allow-write --allow-run site/build.ts [--out DIR]
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { familySchema, type SiteSchema } from "./schema.ts";
import { FAMILIES, registryProblems } from "./families/mod.ts";
import { VERSION } from "../version.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function run(args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`deno ${args.join(" ")} failed:\n${err}`);
  return new TextDecoder().decode(out.stdout);
}

/**
 * The forms of every family, from `deno doc --json` of its entry point.
 *
 * @returns The schema the page embeds.
 */
export async function buildSchema(): Promise<SiteSchema> {
  const schema: SiteSchema = { version: VERSION, families: {} };
  for (const family of FAMILIES) {
    const json = JSON.parse(await run(["doc", "--json", family.docs]));
    schema.families[family.id] = familySchema(json, family.filter, family.interfaces ?? []);
  }
  const problems = registryProblems(schema);
  if (problems.length) throw new Error(`the site's registry:\n  ${problems.join("\n  ")}`);
  return schema;
}

/**
 * Writes the site.
 *
 * @param out The directory (made if missing; its `index.html`, `app.js`, `style.css` replaced).
 * @returns What was written, for the log.
 */
export async function buildSite(out: string): Promise<string[]> {
  await Deno.mkdir(out, { recursive: true });
  const schema = await buildSchema();
  const json = JSON.stringify(schema).replace(/</g, "\\u003c");
  const html = await Deno.readTextFile(`${ROOT}site/static/index.html`);
  if (!html.includes("/*SCHEMA*/")) throw new Error("site/static/index.html has no /*SCHEMA*/");
  await Deno.writeTextFile(`${out}/index.html`, html.replace("/*SCHEMA*/", () => json));
  await Deno.copyFile(`${ROOT}site/static/style.css`, `${out}/style.css`);
  await run([
    "bundle",
    "--quiet",
    "--platform",
    "browser",
    "--format",
    "iife",
    "--minify",
    // csv-parse's browser build (it brings its own Buffer) for `verify/csv.ts`'s "csv-parse/sync".
    "--import-map",
    `${ROOT}site/browser_import_map.json`,
    "-o",
    `${out}/app.js`,
    `${ROOT}site/app/main.ts`,
  ]);
  const size = (name: string) =>
    `${name} ${(Deno.statSync(`${out}/${name}`).size / 1024).toFixed(0)} KiB`;
  const schedules = Object.values(schema.families).reduce((n, f) => n + f.schedules.length, 0);
  return [
    `${Object.keys(schema.families).length} families, ${schedules} documented schedules`,
    size("index.html"),
    size("app.js"),
    size("style.css"),
  ];
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--out");
  const out = i >= 0 ? Deno.args[i + 1]! : `${ROOT}site/dist`;
  const lines = await buildSite(out);
  console.log(`site: ${out}\n  ${lines.join("\n  ")}`);
}

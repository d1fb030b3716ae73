/**
 * The site's schema from the library's documentation: `deno doc --json` of every family's entry
 * point, turned into forms ({@linkcode familySchema}). Used by the build and the tests; only
 * `node:` APIs, so it runs on Deno, Bun and Node.
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { familySchema, type SiteSchema } from "./schema.ts";
import { FAMILIES, registryProblems } from "./families/mod.ts";
import { VERSION } from "../version.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The `deno` binary npm brings (`npm ci`). */
export const DENO: string = `${ROOT}node_modules/.bin/deno`;

/**
 * `deno doc --json` of an entry point.
 *
 * @param entry The entry point, relative to the repository's root.
 * @returns The parsed output.
 * @throws {Error} If `deno doc` fails.
 */
export function docJson(entry: string): Parameters<typeof familySchema>[0] {
  const r = spawnSync(DENO, ["doc", "--json", entry], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`deno doc --json ${entry} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * The forms of every family, from its documentation.
 *
 * @returns The schema the page embeds.
 * @throws {Error} If the registry does not fit the docs ({@linkcode registryProblems}).
 */
export function siteSchema(): SiteSchema {
  const schema: SiteSchema = { version: VERSION, families: {} };
  for (const family of FAMILIES) {
    schema.families[family.id] = familySchema(
      docJson(family.docs),
      family.filter,
      family.interfaces ?? [],
    );
  }
  const problems = registryProblems(schema);
  if (problems.length) throw new Error(`the site's registry:\n  ${problems.join("\n  ")}`);
  return schema;
}

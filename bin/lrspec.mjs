#!/usr/bin/env node
// `npx lrspec …` on Node. The published package carries dist/lrspec.mjs, a single-file build of
// cli/main.ts (`deno task build`, run by `npm pack`); a checkout has no build and runs the
// TypeScript sources through tsx (a dev dependency).
import { existsSync } from "node:fs";
import process from "node:process";

const dist = new URL("../dist/lrspec.mjs", import.meta.url);
let cli;
if (existsSync(dist)) {
  cli = await import(dist.href);
} else {
  try {
    const { register } = await import("tsx/esm/api");
    register();
  } catch {
    process.stderr.write(
      "lrspec: error: no dist/lrspec.mjs and no tsx to run the TypeScript sources (run `npm ci`, or `deno task build`)\n",
    );
    process.exit(2);
  }
  cli = await import(new URL("../cli/main.ts", import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));

#!/usr/bin/env node
// `npx lrspec …` on Node. The published package carries dist/, the JavaScript build of the
// sources (`npm run build`, run by `npm pack`); a checkout without a build runs the TypeScript
// sources through tsx (a dev dependency).
import { existsSync } from "node:fs";
import process from "node:process";

const dist = new URL("../dist/cli/main.js", import.meta.url);
let cli;
if (existsSync(dist)) {
  cli = await import(dist.href);
} else {
  try {
    const { register } = await import("tsx/esm/api");
    register();
  } catch {
    process.stderr.write(
      "lrspec: error: no dist/cli/main.js and no tsx to run the TypeScript sources (run `npm ci`, or `npm run build`)\n",
    );
    process.exit(2);
  }
  cli = await import(new URL("../cli/main.ts", import.meta.url).href);
}
process.exitCode = await cli.main(process.argv.slice(2));

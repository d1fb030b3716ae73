#!/usr/bin/env node
// `npx lrspec …` on Node. The published package carries dist/, the JavaScript build of the
// sources (`npm run build`, run by `npm pack`). A checkout runs the TypeScript sources through tsx
// (a dev dependency) when it has no build, or when a source file changed after the build — so an
// edit is never silently shadowed by an old dist/.
import { existsSync, readdirSync, statSync } from "node:fs";
import process from "node:process";

const root = new URL("../", import.meta.url);
const dist = new URL("dist/cli/main.js", root);

/** Whether a library or CLI source is newer than the build (only asked where tsx is installed). */
function sourcesNewerThan(ms) {
  const newer = (url) => {
    if (!existsSync(url)) return false;
    const st = statSync(url);
    if (!st.isDirectory()) return /\.ts$/.test(url.pathname) && st.mtimeMs > ms;
    return readdirSync(url).some((name) =>
      newer(new URL(statSync(new URL(name, url)).isDirectory() ? `${name}/` : name, url))
    );
  };
  return ["mod.ts", "version.ts", "schedules/", "verify/", "config/", "curve/", "plot/", "cli/"]
    .some((p) => newer(new URL(p, root)));
}

// A checkout has its dev dependencies, tsx among them; an installed package does not.
const checkout = existsSync(new URL("node_modules/tsx/", root));
let cli;
if (existsSync(dist) && !(checkout && sourcesNewerThan(statSync(dist).mtimeMs))) {
  cli = await import(dist.href);
} else if (checkout) {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import(new URL("cli/main.ts", root).href);
} else {
  process.stderr.write(
    "lrspec: error: no dist/cli/main.js and no tsx to run the TypeScript sources (run `npm ci`, or `npm run build`)\n",
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));

// The library's sources type-check under the settings a consumer has by default, not only under
// ours (deno.json and tsconfig.json add exactOptionalPropertyTypes, noUncheckedIndexedAccess and
// noImplicitOverride): what a JSR consumer, a git or a vendored import compiles them with.
//  - tsc with `strict` and nothing else (`tsc --strict`);
//  - `deno check` in a project whose deno.json is `{}` (Deno's defaults), with the package's
//    dependencies from its package.json and node_modules.
// Every public entry point (deno.json's exports) is checked, and with it everything it imports.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const entries = Object.values(JSON.parse(readFileSync(join(root, "deno.json"), "utf8")).exports);
const work = join(root, ".tmp/default-strict");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const run = (command, args) => execFileSync(command, args, { cwd: work, stdio: "inherit" });

writeFileSync(
  join(work, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      strict: true,
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2022", "DOM"],
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      typeRoots: [join(root, "node_modules/@types")],
    },
    files: entries.map((e) => join(root, e)),
  }),
);
run(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"]);

writeFileSync(join(work, "deno.json"), "{}\n");
writeFileSync(join(work, "package.json"), readFileSync(join(root, "package.json")));
symlinkSync(join(root, "node_modules"), join(work, "node_modules"));
writeFileSync(
  join(work, "entry.ts"),
  entries.map((e, i) => `export * as e${i} from "${relative(work, join(root, e))}";\n`).join(""),
);
run(join(root, "node_modules/.bin/deno"), ["check", "--quiet", "entry.ts"]);
console.log(`default strict settings ok: ${entries.length} entry points (tsc --strict, deno {})`);

// Runs the conformance suite on Deno, Bun and Node, then prints the per-suite and per-class
// exact-match tables in Markdown (the figures the README quotes). Exits non-zero if any runtime
// reports a failure.
// Usage: node scripts/conformance-all.mjs [--libm runtime]   (default: lrspec's exact glibc libm;
// --libm runtime: the runtimes' own Math.cos, ** …, each difference proven by the glibc oracle)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const runs = [
  ["deno", bin("deno"), [
    "run",
    "--allow-read",
    "--allow-env",
    "--allow-write=conformance/report",
    "conformance/cli.ts",
  ]],
  ["bun", bin("bun"), ["conformance/cli.ts"]],
  ["node", process.execPath, ["--import", "tsx", "conformance/cli.ts"]],
];
const libmArg = process.argv.indexOf("--libm");
const libmName = libmArg >= 0 ? process.argv[libmArg + 1] : "glibc";
const suffix = libmName === "glibc" ? "" : `-${libmName}-libm`;
let ok = true;
const reports = {};
for (const [name, exe, args] of runs) {
  const r = spawnSync(exe, [
    ...args,
    "conformance",
    "--quiet",
    "--json",
    `conformance/report/${name}${suffix}.json`,
    "--libm",
    libmName,
  ], {
    cwd: new URL("..", import.meta.url).pathname,
    encoding: "utf8",
  });
  if (r.status !== 0) {
    ok = false;
    process.stderr.write(`${name}: conformance failed\n${r.stdout}\n${r.stderr}\n`);
  }
  reports[name] = JSON.parse(
    readFileSync(new URL(`../conformance/report/${name}${suffix}.json`, import.meta.url), "utf8"),
  );
}
const n = (x) => x.toLocaleString("en-US");
const pct = (a, b) => (a === b ? "100%" : `${(Math.floor(10000 * a / b) / 100).toFixed(2)}%`);
const label = (r) => `${r.runtime.name} ${r.runtime.version}`;
const suites = reports.deno.summaries.map((s) => s.suite);
console.log(
  "| suite | runtime | values | bit-identical | libm differences (max ULP) | errors mirrored | failures |",
);
console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
for (const suite of suites) {
  for (const r of Object.values(reports)) {
    const s = r.summaries.find((x) => x.suite === suite);
    console.log(
      `| ${suite} | ${label(r)} | ${n(s.values)} | ${n(s.exact)} (${pct(s.exact, s.values)}) | ${
        n(s.libmDiffs)
      } (${s.maxUlp}) | ${s.errorsMirrored}/${s.errorsExpected} | ${s.failures} |`,
    );
  }
}
console.log(`\n${libmName} libm vs glibc, over every argument upstream evaluated:`);
for (const r of Object.values(reports)) {
  for (const s of r.suites) {
    console.log(
      `  ${label(r)} ${s.suite}: ${
        s.libmProbe.map((p) =>
          `${p.op} ${p.differ}/${p.calls}${p.differ ? ` (max ${p.maxUlp} ULP)` : ""}`
        ).join(", ")
      }`,
    );
  }
}
process.exit(ok ? 0 : 1);

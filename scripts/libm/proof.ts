// Proof at scale: lrspec's libm against this machine's C library (glibc), bit for bit.
//
//   deno run --allow-run --allow-read --allow-write scripts/libm/proof.ts [--count N] [--all N]
//        [--seed S] [--functions cos,sin,...] [--ref path/to/ref]
//   node --import tsx scripts/libm/proof.ts ...     bun scripts/libm/proof.ts ...
//
// For each function, `ref` (scripts/libm/ref.c, built with `cc -O2 -o ref ref.c -lm`) draws N
// arguments in the ranges LR schedules use ("schedule") and M over the whole double range
// ("all": random bits, special values, subnormals, huge arguments), calls the C library and
// streams (arguments, result); this script recomputes every result with lrspec's functions and
// counts the records whose bits differ (NaN equals NaN). Not part of CI: 10^8 arguments take
// minutes per function. Output: one Markdown table row per function and range.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { exp, expm1, log, log1p, pow, tanh } from "../../schedules/libm/mod.ts";
import { cos, sin } from "../../glibc/mod.ts";

const FUNCTIONS: Record<string, (x: number, y: number) => number> = {
  cos: (x) => cos(x),
  sin: (x) => sin(x),
  exp: (x) => exp(x),
  log: (x) => log(x),
  log1p: (x) => log1p(x),
  tanh: (x) => tanh(x),
  expm1: (x) => expm1(x),
  pow: (x, y) => pow(x, y),
};

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const count = Number(option("count", "100000000"));
const allCount = Number(option("all", "1000000"));
const seed = option("seed", "1");
const names = option("functions", Object.keys(FUNCTIONS).join(",")).split(",");
const here = fileURLToPath(new URL(".", import.meta.url));
let ref = option("ref", "");
if (ref === "") {
  ref = `${here}.ref`;
  if (!existsSync(ref)) {
    const cc = spawnSync("cc", ["-O2", "-o", ref, `${here}ref.c`, "-lm"], { stdio: "inherit" });
    if (cc.status !== 0) {
      throw new Error("could not build scripts/libm/ref.c (is a C compiler installed?)");
    }
  }
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
function hexBits(x: number): string {
  f64[0] = x;
  return `0x${u64[0]!.toString(16).padStart(16, "0")}`;
}

async function run(name: string, range: string, n: number): Promise<void> {
  const fn = FUNCTIONS[name];
  if (fn === undefined) throw new Error(`unknown function ${name}`);
  const width = name === "pow" ? 3 : 2;
  const started = performance.now();
  const child = spawn(ref, [name, range, String(n), seed], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let pending = new Uint8Array(0);
  let records = 0, differ = 0;
  const examples: string[] = [];
  for await (const chunk of child.stdout as AsyncIterable<Uint8Array>) {
    let bytes = chunk;
    if (pending.length > 0) {
      bytes = new Uint8Array(pending.length + chunk.length);
      bytes.set(pending);
      bytes.set(chunk, pending.length);
    }
    const whole = Math.floor(bytes.length / (8 * width)) * width;
    const values = new Float64Array(bytes.slice(0, whole * 8).buffer);
    for (let i = 0; i < whole; i += width) {
      const x = values[i]!;
      const y = width === 3 ? values[i + 1]! : 0;
      const expected = values[i + width - 1]!;
      const actual = fn(x, y);
      if (!Object.is(actual, expected) && !(actual !== actual && expected !== expected)) {
        differ++;
        if (examples.length < 5) {
          const args = width === 3 ? `${hexBits(x)}, ${hexBits(y)}` : hexBits(x);
          examples.push(`${name}(${args}) = ${hexBits(expected)}, lrspec ${hexBits(actual)}`);
        }
      }
    }
    records += whole / width;
    pending = bytes.slice(whole * 8);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `| ${name} | ${range} | ${records.toLocaleString("en-US")} | ${differ} | ${
      seconds.toFixed(1)
    } s |`,
  );
  for (const e of examples) console.log(`  differs: ${e}`);
  if (records !== n) throw new Error(`${name}: expected ${n} records, got ${records}`);
  if (differ > 0) process.exitCode = 1;
}

console.log(
  `seed ${seed}; ${
    process.versions.bun
      ? `Bun ${process.versions.bun}`
      : process.versions.deno
      ? `Deno ${process.versions.deno}`
      : `Node ${process.version}`
  }`,
);
console.log("| function | range | arguments | differ | time |");
console.log("| --- | --- | ---: | ---: | ---: |");
for (const name of names) {
  if (count > 0) await run(name, "schedule", count);
  if (allCount > 0) await run(name, "all", allCount);
}

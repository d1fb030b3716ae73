// Records glibc's results on the arguments of testing/libm_cases.ts, as digests, for
// schedules/libm/libm_test.ts:
//
//   node --import tsx scripts/libm/make_fixture.ts      (needs a C compiler; run on x86-64 glibc)
//
// Writes fixtures/libm/glibc.json: per function, the FNV-1a digest of the results' bits in
// chunks of 10,000 arguments, and the machine's C library version.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bitsDigest, LIBM_FUNCTIONS, libmCases } from "../../testing/libm_cases.ts";

export const COUNT = 100_000;
export const CHUNK = 10_000;
export const SEED = 20261207;

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));
const ref = `${here}.ref`;
if (!existsSync(ref)) {
  const cc = spawnSync("cc", ["-O2", "-o", ref, `${here}ref.c`, "-lm"], { stdio: "inherit" });
  if (cc.status !== 0) throw new Error("could not build scripts/libm/ref.c");
}
const version = spawnSync("ldd", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];
const functions: Record<string, string[]> = {};
for (const fn of LIBM_FUNCTIONS) {
  const args = libmCases(fn, COUNT, SEED);
  const out = spawnSync(ref, [fn, "stdin"], {
    input: new Uint8Array(args.buffer),
    maxBuffer: 1 << 28,
  });
  if (out.status !== 0) throw new Error(`ref ${fn} failed: ${out.stderr}`);
  const bytes = new Uint8Array(out.stdout);
  const results = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
  if (results.length !== COUNT) throw new Error(`${fn}: ${results.length} results`);
  functions[fn] = [];
  for (let i = 0; i < COUNT; i += CHUNK) {
    functions[fn]!.push(bitsDigest(results.slice(i, i + CHUNK)));
  }
}
mkdirSync(`${root}fixtures/libm`, { recursive: true });
writeFileSync(
  `${root}fixtures/libm/glibc.json`,
  JSON.stringify(
    { libc: version, cpu: "x86-64 with FMA", count: COUNT, chunk: CHUNK, seed: SEED, functions },
    null,
    1,
  ) + "\n",
);
console.log(
  `fixtures/libm/glibc.json: ${LIBM_FUNCTIONS.length} functions × ${COUNT} arguments (${version})`,
);

// Output that loses nothing: a file is replaced atomically (a temporary file beside it, renamed
// once complete), never when it is one of the command's inputs, and left as it was after an error
// or a signal; a failed write to stdout is one line and exit status 2 for every command; a closed
// pipe ends the output quietly with the status of a Unix tool killed by SIGPIPE (141). Spawned
// on the runtime running the tests (`deno run cli/main.ts`, `bun cli/main.ts`, Node's bin).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import process from "node:process";
import { lrspecArgs, REPO_ROOT as ROOT, run } from "../testing/cli.ts";
import { main } from "./main.ts";

const TMP = `${ROOT}.tmp/output`;
rmSync(TMP, { recursive: true, force: true });
mkdirSync(TMP, { recursive: true });
const g = globalThis as { Deno?: unknown; Bun?: unknown };
const RUNTIME = g.Deno ? "deno" : g.Bun ? "bun" : "node";

/** A file in the test's directory with this text; returns its path. */
function file(name: string, text: string): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, text);
  return path;
}

const BASE = file("base.yaml", "SOLVER:\n  BASE_LR: 0.5\n  MAX_ITER: 40\n  STEPS: (20,)\n");
const CONFIG = file("config.yaml", "_BASE_: base.yaml\nSOLVER:\n  GAMMA: 0.5\n");
const OTHER = file("other.yaml", "_BASE_: base.yaml\nSOLVER:\n  GAMMA: 0.25\n");
const LONG = file(
  "long.yaml",
  "SOLVER:\n  BASE_LR: 0.02\n  MAX_ITER: 100000000\n  LR_SCHEDULER_NAME: WarmupCosineLR\n",
);
const HF = `${TMP}/training_args.json`;
copyFileSync(`${ROOT}docs/configs/hf/training_args.json`, HF);
const TIMM = `${TMP}/args.yaml`;
copyFileSync(`${ROOT}docs/configs/timm/resnet50-a3/args.yaml`, TIMM);
const GOLDEN = file("golden.csv", "iter,lr\n0,0.5\n1,0.25\n");

/**
 * A symbolic link, made by `ln` (Deno's symlinkSync needs unscoped read and write permissions,
 * which the test task does not grant).
 */
function symlink(target: string, link: string): void {
  assert.equal(spawnSync("ln", ["-s", target, link]).status, 0, `ln -s ${target} ${link}`);
}

/** The temporary files left in the test's directory (there should be none). */
const leftovers = () => readdirSync(TMP).filter((n) => n.endsWith(".tmp"));

test("--out never names one of the command's inputs", async (t) => {
  const cases: [string, string[], string, string][] = [
    ["the config", ["curve", CONFIG, "--out", CONFIG], CONFIG, ""],
    ["a _BASE_ it includes", ["curve", CONFIG, "--out", BASE], BASE, ""],
    ["through a link", ["plot", CONFIG, "--out", `${TMP}/link.yaml`], `${TMP}/link.yaml`, ""],
    [
      "a TrainingArguments file",
      ["curve", "--hf", HF, "--dataset-size", "5691", "--out", HF],
      HF,
      "",
    ],
    ["a timm args.yaml", ["plot", "--timm", TIMM, "--out", TIMM], TIMM, ""],
    ["plot's second schedule", ["plot", CONFIG, OTHER, "--out", OTHER], OTHER, ""],
    [
      "accumulate --plot",
      ["accumulate", CONFIG, "--num-workers", "2", "--micro-batch", "4", "--plot", CONFIG],
      CONFIG,
      "",
    ],
  ];
  symlink(CONFIG, `${TMP}/link.yaml`);
  for (const [what, args, out, readAs] of cases) {
    await t.test(what, async () => {
      const before = readFileSync(out, "utf8");
      const r = await run(...args);
      assert.equal(r.code, 2, r.stderr);
      const shown = out === `${TMP}/link.yaml` ? ` (read as ${CONFIG})` : readAs;
      assert.equal(
        r.stderr.split("\n").filter((l) => l.startsWith("lrspec: error:")).join("\n"),
        `lrspec: error: cannot write ${out}: it is an input of this command${shown}; ` +
          "write the output to another file",
      );
      assert.equal(readFileSync(out, "utf8"), before);
    });
  }
  rmSync(`${TMP}/link.yaml`);
  assert.deepEqual(leftovers(), []);
});

test("--out replaces a file whole: its permissions kept, a link written through", async () => {
  const out = file("replaced.csv", "old\n");
  chmodSync(out, 0o640);
  symlink(out, `${TMP}/replaced-link.csv`);
  assert.equal((await run("curve", CONFIG, "--out", `${TMP}/replaced-link.csv`)).code, 0);
  const text = readFileSync(out, "utf8");
  assert.equal(text.split("\n").length, 43);
  assert.ok(text.startsWith("iter,lr\n0,0.0005\n"), text.slice(0, 40));
  assert.equal(statSync(out).mode & 0o777, 0o640);
  assert.equal(readFileSync(`${TMP}/replaced-link.csv`, "utf8"), text, "still a link to it");
  assert.deepEqual(leftovers(), []);
});

test("--out to a device writes it in place (nothing to rename over)", async () => {
  const r = await spawned(["plot", CONFIG, "--out", "/dev/null"]).exited;
  assert.deepEqual([r.code, r.stderr], [0, ""]);
});

test("an error while writing leaves the old file, and no temporary file", async () => {
  const out = file("kept.csv", "old\n");
  let stderr = "";
  let failed = false;
  const code = await main(["curve", LONG, "--out", out], {
    stdout: () => {},
    // Progress goes to stderr after each chunk written: the first one fails.
    stderr: (s) => {
      if (!failed) {
        failed = true;
        throw new Error("stderr is gone");
      }
      stderr += s;
    },
    stderrIsTTY: true,
  });
  assert.equal(code, 2);
  assert.equal(stderr, "lrspec: error: stderr is gone\n");
  assert.equal(readFileSync(out, "utf8"), "old\n");
  assert.deepEqual(leftovers(), []);
});

/**
 * The CLI spawned (by bash, which sets a file-size limit or sends stdout to /dev/full); resolves
 * with its status, signal and stderr.
 */
function spawned(
  args: string[],
  options: { stdout?: "pipe" | "/dev/full"; ulimitKb?: number } = {},
) {
  const limit = options.ulimitKb === undefined ? "" : `ulimit -f ${options.ulimitKb}; `;
  const redirect = options.stdout === "/dev/full" ? " > /dev/full" : "";
  const child = spawn(
    "bash",
    ["-c", `${limit}exec "$0" "$@"${redirect}`, process.execPath, ...lrspecArgs(...args)],
    {
      cwd: ROOT,
      stdio: ["ignore", options.stdout === "pipe" ? "pipe" : "ignore", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    },
  );
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
}

/**
 * Resolves once a temporary file appears in the test's directory (the CLI is writing); fails if
 * the CLI ends first. No time limit of its own: how long a loaded machine takes to start a
 * runtime is not what the test is about (the runner's timeout catches a hang).
 */
async function writing(child: ReturnType<typeof spawned>["child"]): Promise<void> {
  while (leftovers().length === 0) {
    assert.ok(
      child.exitCode === null && child.signalCode === null,
      `the CLI ended (${child.exitCode ?? child.signalCode}) before it started writing`,
    );
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("a signal while writing leaves the old file, and no temporary file", async (t) => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    await t.test(signal, async () => {
      const out = file("signalled.csv", "old\n");
      const { child, exited } = spawned(["curve", LONG, "--out", out]);
      await writing(child);
      child.kill(signal);
      const r = await exited;
      // Dies of the signal, as without a handler (a shell shows 128 + its number).
      assert.equal(r.signal, signal, JSON.stringify(r));
      assert.equal(r.stderr, "");
      assert.equal(readFileSync(out, "utf8"), "old\n");
      assert.deepEqual(leftovers(), []);
    });
  }
  await t.test("SIGKILL cannot be caught: the temporary file stays, the old file too", async () => {
    const out = file("killed.csv", "old\n");
    const { child, exited } = spawned(["curve", LONG, "--out", out]);
    await writing(child);
    child.kill("SIGKILL");
    assert.equal((await exited).signal, "SIGKILL");
    assert.equal(readFileSync(out, "utf8"), "old\n");
    for (const name of leftovers()) rmSync(`${TMP}/${name}`);
  });
});

test("a full disk while writing --out: one line, the old file kept", async () => {
  const out = file("full.csv", "old\n");
  // A file-size limit of 4 MiB: the 100M-row curve's write fails with EFBIG.
  const r = await spawned(["curve", LONG, "--out", out], { ulimitKb: 4096 }).exited;
  if (RUNTIME === "deno") {
    // Deno does not ignore SIGXFSZ, whose default action ends it; the rename design still keeps
    // the old file (the temporary file stays, as after SIGKILL).
    assert.equal(r.signal, "SIGXFSZ", JSON.stringify(r));
    for (const name of leftovers()) rmSync(`${TMP}/${name}`);
  } else {
    assert.deepEqual([r.code, r.stderr], [
      2,
      `lrspec: error: cannot write ${out}: file too large\n`,
    ]);
  }
  assert.equal(readFileSync(out, "utf8"), "old\n");
  assert.deepEqual(leftovers(), []);
});

test("a failed write to stdout is one line and exit status 2, for every command", async (t) => {
  const commands = [
    ["curve", CONFIG],
    ["plot", CONFIG],
    ["explain", CONFIG],
    ["diff", CONFIG, OTHER],
    ["verify", "--golden", GOLDEN, "--candidate", GOLDEN],
    ["golden-script"],
    ["accumulate", CONFIG, "--num-workers", "2", "--micro-batch", "4"],
    ["--help"],
    ["--version"],
  ];
  for (const args of commands) {
    await t.test(`${args[0]} > /dev/full`, async () => {
      const r = await spawned(args, { stdout: "/dev/full" }).exited;
      assert.deepEqual(
        [r.code, r.stderr],
        [2, "lrspec: error: cannot write standard output: no space left on the device\n"],
      );
    });
  }
  await t.test("curve --out /dev/full", async () => {
    const r = await spawned(["curve", CONFIG, "--out", "/dev/full"]).exited;
    // Deno lets a program open a device only with --allow-all, and says so.
    const why = RUNTIME === "deno"
      ? 'Requires all access to "/dev/full", run again with the --allow-all flag'
      : "no space left on the device";
    assert.deepEqual([r.code, r.stderr], [2, `lrspec: error: cannot write /dev/full: ${why}\n`]);
  });
});

test("curve | head: a closed pipe ends the output quietly, with status 141", async () => {
  const { child, exited } = spawned(["curve", LONG], { stdout: "pipe" });
  let first = "";
  await new Promise<void>((resolve) => {
    child.stdout!.on("data", (d) => {
      first += d;
      if (first.includes("\n0,")) {
        child.stdout!.destroy();
        resolve();
      }
    });
  });
  const r = await exited;
  assert.ok(first.startsWith("iter,lr\n0,2e-05"), first.slice(0, 40));
  assert.deepEqual([r.code, r.signal, r.stderr], [141, null, ""]);
});

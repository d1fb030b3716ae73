// `--timm`: the args.yaml timm's train.py writes, as train.py runs its schedule. Each curve is
// checked value for value against the library's timmTrainSchedule on the same file read by
// another YAML reader: with and without `lr` (the lr_base rule), per epoch and per update
// (`sched_on_updates`), warmup, cooldown, noise; errors name the file, the key and the line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { type TimmTrainOptions, timmTrainSchedule } from "../schedules/timm/mod.ts";
import { libm } from "../schedules/math.ts";
import { failure, run, spawnLrspec } from "../testing/cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/timm`;
mkdirSync(TMP, { recursive: true });
// Written by timm's own train.py argument parser (see docs/configs/README.md).
const RESNET = "docs/configs/timm/resnet50-a3/args.yaml"; // lr unset, lamb: the sqrt rule
const VIT = "docs/configs/timm/vit-small-updates/args.yaml"; // per update, noise, cooldown

function file(name: string, text: string): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, text);
  return path;
}

function read(path: string): string {
  return readFileSync(path.startsWith("/") ? path : `${ROOT}${path}`, "utf8");
}

/** `curve`'s rows, checked against the library on the file parsed by the `yaml` package. */
function assertSameAsLibrary(
  out: string,
  path: string,
  options: TimmTrainOptions,
  unit: "epoch" | "update",
): Float64Array {
  const [header, ...lines] = out.trimEnd().split("\n");
  assert.equal(header, `${unit},lr`);
  const s = timmTrainSchedule(parseYaml(read(path)), options);
  assert.equal(s.unit, unit);
  const expected = s.lrs[0]!;
  // Both groups (no decay, decay) train at the same rate: one column says it.
  s.lrs.forEach((g) => assert.deepEqual(g, expected));
  assert.equal(lines.length, expected.length, path);
  lines.forEach((line, k) => {
    const [t, lr] = line.split(",").map(Number) as [number, number];
    assert.equal(t, s.t[k], `${path}: row ${k}`);
    assert.ok(Object.is(lr, expected[k]), `${path}: ${unit} ${t}: ${lr} != ${expected[k]}`);
  });
  return expected;
}

test("--timm: an args.yaml train.py wrote, lr unset: the lr_base rule on --num-processes", async () => {
  const r = await run("curve", "--timm", RESNET, "--num-processes", "8");
  assert.equal(r.code, 0, r.stderr);
  const lrs = assertSameAsLibrary(r.stdout, RESNET, { worldSize: 8 }, "epoch");
  assert.equal(lrs.length, 100);
  const lr = 5e-3 * libm.pow(2048 / 256, 0.5); // lamb: sqrt scaling of batch 256 × 8
  assert.equal(lrs[0], 1e-6); // warmup_lr
  assert.equal(lrs[1], 1e-6 + 1 * (lr - 1e-6) / 5); // timm's linear warmup over 5 epochs
  const explained = await run("explain", "--timm", RESNET, "--num-processes", "8");
  assert.equal(explained.code, 0, explained.stderr);
  assert.match(
    explained.stdout,
    /^timm cosine schedule: lr 0\.0141421 \(lr_base 0\.005 × sqrt\(global batch 2048 \/ lr_base_size 256\), sqrt scaling\)$/m,
  );
  assert.match(
    explained.stdout,
    /^ {2}global batch: batch_size 256 × 8 process\(es\) × grad_accum_steps 1 = 2,048 \(--num-processes: args\.yaml does not record it\)$/m,
  );
  assert.match(explained.stdout, /epoch E trains with the rate shown/);
  // One process: an eighth of the batch, sqrt(1/8) of the rate.
  const one = await run("curve", "--timm", RESNET);
  assertSameAsLibrary(one.stdout, RESNET, {}, "epoch");
});

test("--timm: lr set, as train.py --config reads a hand-written file (argparse types)", async () => {
  const withLr = file("with-lr.yaml", read(RESNET).replace(/^lr: null$/m, "lr: 0.008"));
  const r = await run("curve", "--timm", withLr, "--num-processes", "8");
  assert.equal(r.code, 0, r.stderr);
  const lrs = assertSameAsLibrary(r.stdout, withLr, { worldSize: 8 }, "epoch");
  assert.equal(lrs[5]! < 0.008 && lrs[5]! > 0.0079, true); // args.lr, not the rule
  // PyYAML reads 1e-3 as a string; train.py's argparse passes it through float().
  const hand = file(
    "hand.yaml",
    'sched: step\nlr: 1e-3\nepochs: "12"\ndecay_epochs: 4\nwarmup_epochs: 0\nweight_decay: 0\n',
  );
  const h = await run("curve", "--timm", hand);
  assert.equal(h.code, 0, h.stderr);
  const [, ...rows] = h.stdout.trimEnd().split("\n");
  assert.deepEqual(rows, [
    "0,0.001",
    "1,0.001",
    "2,0.001",
    "3,0.001",
    "4,0.0001",
    "5,0.0001",
    "6,0.0001",
    "7,0.0001",
    "8,1.0000000000000003e-05",
    "9,1.0000000000000003e-05",
    "10,1.0000000000000003e-05",
    "11,1.0000000000000003e-05",
  ]);
  const expected = timmTrainSchedule({
    sched: "step",
    lr: 0.001,
    epochs: 12,
    decay_epochs: 4,
    warmup_epochs: 0,
    weight_decay: 0,
  }).lrs[0]!;
  rows.forEach((row, k) => assert.ok(Object.is(Number(row.split(",")[1]), expected[k])));
  const svg = (await run("plot", "--timm", hand)).stdout;
  assert.match(svg, />×0\.1 at 4</);
  assert.match(svg, />×0\.1 at 8</);
});

test("--timm: sched_on_updates, warmup, noise and cooldown, per update", async () => {
  const r = await run("curve", "--timm", VIT, "--updates-per-epoch", "7", "--num-processes", "8");
  assert.equal(r.code, 0, r.stderr);
  const lrs = assertSameAsLibrary(r.stdout, VIT, { updatesPerEpoch: 7, worldSize: 8 }, "update");
  assert.equal(lrs.length, 310 * 7); // 300 epochs + 10 cooldown, 7 updates each
  assert.equal(lrs[0], 1e-6);
  // timm's cosine: lr_min + 0.5 · (lr − lr_min) · (1 + cos(π · t / t_i)), over 300 × 7 updates.
  const noiseless = (t: number) => 1e-5 + 0.5 * (1e-3 - 1e-5) * (1 + libm.cos(Math.PI * t / 2100));
  assert.equal(lrs[35], noiseless(35)); // warmup done (5 epochs × 7)
  assert.ok(lrs[34]! < lrs[35]! && lrs[34] === 1e-6 + 34 * ((1e-3 - 1e-6) / 35)); // timm: init + t · step
  // Noise between 42 % and 90 % of the 2,100 updates: not the noiseless cosine there.
  assert.equal(lrs[800], noiseless(800));
  assert.notEqual(lrs[1000], noiseless(1000));
  assert.equal(lrs[2170 - 1], 1e-5); // cooldown at min_lr
  const svg = (await run("plot", "--timm", VIT, "--updates-per-epoch", "7")).stdout;
  assert.match(svg, />warmup 35</);
  assert.match(svg, />cooldown at 2.1k</);
  assert.match(svg, />update</);
  const explained = await run("explain", "--timm", VIT, "--updates-per-epoch", "7");
  assert.match(explained.stdout, /noise: ±0\.67 of the rate .* over 0\.42–0\.9 of the schedule/);
  assert.match(explained.stdout, /one row per optimizer update: update t = epoch × 7 \+ u/);
  // --x images: the global batch of an update.
  const images = (await run("plot", "--timm", VIT, "--updates-per-epoch", "7", "--x", "images"))
    .stdout;
  assert.match(images, />examples seen \(update × batch\)</);
});

test("--timm errors and notes name the file, the key and the line", async () => {
  assert.match(
    await failure("curve", "--timm", VIT),
    /^docs\/configs\/timm\/vit-small-updates\/args\.yaml:146: sched_on_updates: .*--updates-per-epoch N is needed .*"Train: 0 \[ {3}0\/N …\]"/,
  );
  const cases: [string, RegExp][] = [
    [
      "sched: cosine\nepochs: -1\n",
      /:2: epochs must be > 0 \(timm asserts\): got -1 \(CosineLRScheduler `tInitial`\)/,
    ],
    ["sched: cosine\nlr: abc\n", /:2: lr: invalid float value: 'abc' \(train\.py's argparse/],
    [
      "sched: step\ndecay_epochs: 0\n",
      /:2: decay_epochs: integer division .* \(StepLRScheduler\)$/,
    ],
    ["sched: cosine\nlr: null\nlr_base_size: 0\n", /:3: lr_base_size: .*float division by zero/],
    ["sched: cosine\nlr_noise: [0.5, x]\n", /:2: lr_noise\[1\] must be a number: got "x"/],
    ["sched: cosine\nwarmup_prefix: 'yes'\n", /:2: warmup_prefix must be a boolean/],
    ["- sched\n", /: expected a mapping of train\.py arguments: got a list$/],
  ];
  for (const [text, pattern] of cases) {
    const path = file("bad.yaml", text);
    const message = await failure("curve", "--timm", path);
    assert.ok(message.startsWith(path), message);
    assert.match(message, pattern);
  }
  const notes = file(
    "notes.yaml",
    "sched: cosine\nepochs: 10\nwarmup_epoch: 3\nstart_epoch: 4\nlayer_decay: 0.65\n",
  );
  const r = await run("curve", "--timm", notes, "--updates-per-epoch", "5");
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /notes\.yaml:3: warmup_epoch is not a train\.py option \(did you mean warmup_epochs\?\)/,
  );
  assert.match(
    r.stderr,
    /notes\.yaml:4: start_epoch 4: train\.py resumes at epoch 4; the curve shows every epoch from 0/,
  );
  assert.match(r.stderr, /notes\.yaml:5: layer_decay 0\.65: .*lr_scale 1 \(the head\)/);
  assert.match(r.stderr, /--updates-per-epoch changes nothing: the schedule steps per epoch/);
  assert.equal(r.stdout.trimEnd().split("\n").length, 11); // epochs 0 … 9
  assert.match(
    await failure("curve", "--timm", RESNET, "--updates-per-epoch", "5", "--dataset-size", "9"),
    /^--dataset-size is for --hf files\b/,
  );
  assert.match(await failure("plot", "--timm", RESNET, "--x", "images"), /does not say how many/);
});

test("--timm against --hf and another args.yaml in diff", async () => {
  const d = await run(
    "diff",
    "--timm",
    RESNET,
    "--timm",
    RESNET,
    "--num-processes",
    "8",
    "--num-processes",
    "4",
  );
  assert.equal(d.code, 1, d.stderr);
  assert.match(d.stdout, /^100 epochs in both: 1 bit-identical, 99 different$/m);
  assert.match(d.stdout, /^ {2}epochs 1–99: /m);
});

test("curve --timm on the runtime running the tests (npx lrspec on Node)", () => {
  const r = spawnLrspec(...["curve", "--timm", RESNET, "--num-processes", "8"]);
  assert.equal(r.status, 0, r.stderr);
  assertSameAsLibrary(r.stdout, RESNET, { worldSize: 8 }, "epoch");
});

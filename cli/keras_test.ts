// `--keras`: a Keras schedule's serialize() JSON (or an optimizer config holding one) as Keras'
// optimizer reads it, step by step; each row checked against the library.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CosineDecay, PiecewiseConstantDecay } from "../schedules/keras/mod.ts";
import { failure, run } from "../testing/cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/keras`;
mkdirSync(TMP, { recursive: true });

function file(name: string, value: unknown): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

// keras.optimizers.schedules.serialize(CosineDecay(0.0, 1000, warmup_target=1e-3, warmup_steps=100)),
// as Keras 3.15.1 writes it (docs/configs/keras/cosine.json, also a seed of scripts/fuzz.ts).
const COSINE_FILE = `${ROOT}docs/configs/keras/cosine.json`;
const COSINE = JSON.parse(readFileSync(COSINE_FILE, "utf8")) as {
  config: Record<string, unknown>;
};

function rows(out: string): [number, number][] {
  const [header, ...lines] = out.trimEnd().split("\n");
  assert.equal(header, "step,lr");
  return lines.map((l) => l.split(",").map(Number) as [number, number]);
}

test("lrspec curve --keras", async (t) => {
  await t.test("a serialize() JSON: every step, the whole schedule by default", async () => {
    const r = await run("curve", "--keras", COSINE_FILE);
    assert.equal(r.code, 0, r.stderr);
    const s = new CosineDecay({
      initialLearningRate: 0,
      decaySteps: 1000,
      warmupTarget: 0.001,
      warmupSteps: 100,
    });
    const got = rows(r.stdout);
    assert.equal(got.length, 1210);
    got.forEach(([step, lr], i) => {
      assert.equal(step, i);
      assert.equal(lr, s.call(i), `step ${i}`);
    });
    assert.match(r.stderr, /CosineDecay in float32 as Keras 3.15.1 computes it on the jax backend/);
  });
  await t.test("an optimizer config's learning_rate, --steps, --backend", async () => {
    const optimizer = {
      module: "keras.optimizers",
      class_name: "SGD",
      config: { name: "SGD", learning_rate: COSINE, momentum: 0.9 },
      registered_name: null,
    };
    const r = await run(
      "curve",
      "--keras",
      file("sgd.json", optimizer),
      "--steps",
      "5",
      "--backend",
      "torch",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rows(r.stdout).length, 5);
    assert.match(r.stderr, /torch backend/);
  });
  await t.test("piecewise: float boundaries truncated as Keras casts them", async () => {
    const json = {
      class_name: "PiecewiseConstantDecay",
      config: { boundaries: [10.7, 20.2], values: [0.1, 0.01, 0.001] },
    };
    const r = await run("curve", "--keras", file("piecewise.json", json));
    const s = new PiecewiseConstantDecay({ boundaries: [10.7, 20.2], values: [0.1, 0.01, 0.001] });
    for (const [step, lr] of rows(r.stdout)) assert.equal(lr, s.call(step));
    assert.equal(rows(r.stdout)[11]![1], Math.fround(0.01));
  });
  await t.test("errors name the file and Keras' error", async () => {
    assert.match(
      await failure(
        "curve",
        "--keras",
        file("bad.json", { ...COSINE, config: { ...COSINE.config, decay_steps: 0 } }),
      ),
      /bad.json:1: config.decay_steps: Argument `decay_steps` must be > 0\. Received: decay_steps=0 \(CosineDecay\)/,
    );
    assert.match(
      await failure("curve", "--keras", file("none.json", { a: 1 })),
      /no Keras schedule/,
    );
    assert.match(await failure("curve", "--keras", file("text.json", "{")), /not JSON/);
    assert.match(
      await failure("curve", "--keras", COSINE_FILE, "--backend", "tensorflow"),
      /--backend must be one of numpy, jax, torch/,
    );
    // More rows than a curve holds at once: a clean error, not the engine's "Array buffer
    // allocation failed" (the view checks it for the page as well).
    const huge = await failure("curve", "--keras", COSINE_FILE, "--steps", "1000000000000");
    assert.match(huge, /`steps` must be an integer from 1 to 67108864 .*got 1000000000000/);
    assert.doesNotMatch(huge, /allocation|typed array/i);
  });
});

test("--keras option errors name the file, the key's line and the key as written", async () => {
  const k = file(
    "k.json",
    [
      "{",
      '  "class_name": "ExponentialDecay",',
      '  "config": {',
      '    "initial_learning_rate": 0.1,',
      '    "decay_steps": 0,',
      '    "decay_rate": 0.96',
      "  }",
      "}",
    ].join("\n"),
  );
  assert.match(
    await failure("curve", "--keras", k),
    /^[^\n]*k\.json:5: config\.decay_steps: Argument `decay_steps` must be > 0\. Received: decay_steps=0 \(ExponentialDecay\)/,
  );
  // Inside an optimizer config: the key's path in the file.
  const opt = file(
    "opt.json",
    JSON.stringify(
      { name: "adam", learning_rate: { ...COSINE, config: { ...COSINE.config, decay_steps: -3 } } },
      null,
      2,
    ),
  );
  assert.match(
    await failure("curve", "--keras", opt),
    /opt\.json:8: learning_rate\.config\.decay_steps: Argument `decay_steps` must be > 0\. Received: decay_steps=-3/,
  );
});

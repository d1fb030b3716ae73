import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CosineDecay,
  CosineDecayRestarts,
  deserialize,
  ExponentialDecay,
  fromConfig,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  serialize,
} from "../../mod.ts";
import { optionProblem } from "../../../errors.ts";
import {
  backendMath,
  castToInt32,
  cosf,
  crCosf,
  DEFAULT_BACKEND_MATH,
  fmaf,
  powf,
} from "../../ops.ts";

// Values marked "Keras" were printed by Keras 3.15.1 (numpy backend unless said otherwise, the
// same on all three where no cos/log is involved); the others are the formula, float32 by float32.

const f = Math.fround;
const PI32 = f(Math.PI);

test("ExponentialDecay", async (t) => {
  await t.test("defaults: staircase false, name, backend jax", () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    assert.equal(s.staircase, false);
    assert.equal(s.name, "ExponentialDecay");
    assert.equal(s.backend, "jax");
    // 0.1 * 0.5 ** (15 / 10), in float32 with glibc's powf
    assert.equal(s.call(15), f(f(0.1) * powf(0.5, 1.5)));
  });
  await t.test("staircase floors step / decay_steps", () => {
    const s = new ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 100000,
      decayRate: 0.96,
      staircase: true,
    });
    assert.equal(s.call(99999), f(0.1));
    assert.equal(s.call(-1), 0.104166679084300994873046875); // Keras: floor(-1e-5) = -1
    assert.equal(s.call(16777217), 0.0001094698018277995288372039794921875); // Keras
    assert.equal(s.call(2147483647), 0); // Keras: underflows to 0
  });
  await t.test("the int32 step is cast to float32: 2^24 + 1 acts as 2^24", () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1e7, decayRate: 0.5 });
    assert.equal(s.call(2 ** 24 + 1), s.call(2 ** 24));
    assert.notEqual(s.call(2 ** 24 + 2), s.call(2 ** 24));
  });
  await t.test("a rate above 1 overflows: RangeError where Keras returns inf", () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 1, decayRate: 1.5 });
    assert.ok(Number.isFinite(s.call(100)));
    assert.throws(() => s.call(1000), { name: "RangeError", message: /step 1000 is Infinity/ });
  });
  await t.test("errors carry the owner, option and value as data", () => {
    try {
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 });
      assert.fail("no error");
    } catch (error) {
      assert.deepEqual(optionProblem(error), {
        owner: "ExponentialDecay",
        option: "decaySteps",
        value: 0,
      });
    }
  });
  await t.test("errors", () => {
    assert.throws(
      () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 }),
      {
        name: "RangeError",
        message: /Argument `decay_steps` must be > 0. Received: decay_steps=0/,
      },
    );
    assert.throws(
      () => new ExponentialDecay({ initialLearningRate: 1e39, decaySteps: 1, decayRate: 0.9 }),
      { name: "RangeError", message: /overflows float32/ },
    );
    assert.throws(
      () => new ExponentialDecay({ initial_learning_rate: 0.1 } as never),
      { name: "TypeError", message: /did you mean `initialLearningRate`/ },
    );
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.9 });
    assert.throws(() => s.call(1.5), RangeError);
    assert.throws(() => s.call(2 ** 31), { name: "RangeError", message: /int32/ });
    assert.throws(() => s.call(-(2 ** 31) - 1), RangeError);
    assert.throws(() => s.call("3" as never), TypeError);
    const slow = new ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 1e9,
      decayRate: 0.9,
    });
    assert.equal(slow.call(-(2 ** 31)), f(f(0.1) * powf(f(0.9), f(-(2 ** 31) / 1e9)))); // wrapped
  });
});

test("PiecewiseConstantDecay", async (t) => {
  await t.test("defaults and the intervals (Keras)", () => {
    const s = new PiecewiseConstantDecay({
      boundaries: [0, 5, 20, 16777217],
      values: [1.0, 0.3, 0.2, 0.1, 0.05],
    });
    assert.equal(s.name, "PiecewiseConstant");
    assert.deepEqual(
      [-1, 0, 1, 5, 6, 10, 20, 21, 16777217, 16777218, 2147483647].map((x) => s.call(x)),
      [1, 1, f(0.3), f(0.3), f(0.2), f(0.2), f(0.2), f(0.1), f(0.1), f(0.05), f(0.05)],
    );
  });
  await t.test("float boundaries: float32, then truncated toward zero", () => {
    const s = new PiecewiseConstantDecay({ boundaries: [-3.9, 4.5], values: [0.3, 0.2, 0.1] });
    assert.deepEqual([-4, -3, -2, 4, 5].map((x) => s.call(x)), [
      f(0.3),
      f(0.3),
      f(0.2),
      f(0.2),
      f(0.1),
    ]);
    const big = new PiecewiseConstantDecay({ boundaries: [2 ** 24 + 3.5], values: [0.1, 0.2] });
    assert.equal(big.call(2 ** 24 + 4), f(0.1)); // float32(16777219.5) = 16777220
    assert.equal(big.call(2 ** 24 + 5), f(0.2));
  });
  await t.test("a float boundary beyond int32: numpy/torch -2^31, jax saturates", () => {
    assert.equal(castToInt32("numpy", 1e10), -(2 ** 31));
    assert.equal(castToInt32("torch", -1e10), -(2 ** 31));
    assert.equal(castToInt32("jax", 1e10), 2 ** 31 - 1);
    assert.equal(castToInt32("jax", -1e10), -(2 ** 31));
    assert.equal(castToInt32("jax", NaN), 0);
    assert.equal(castToInt32("numpy", NaN), -(2 ** 31));
    assert.equal(castToInt32("numpy", -0.5), 0);
    const options = { boundaries: [1e10 + 0.5], values: [0.1, 0.2] };
    assert.equal(new PiecewiseConstantDecay({ ...options, backend: "numpy" }).call(0), f(0.2));
    assert.equal(new PiecewiseConstantDecay({ ...options, backend: "jax" }).call(0), f(0.1));
  });
  await t.test("an integer boundary beyond int32: numpy/jax raise, torch wraps around", () => {
    const options = { boundaries: [2 ** 31 - 1, 2 ** 31], values: [0.1, 0.2, 0.3] };
    assert.throws(() => new PiecewiseConstantDecay({ ...options, backend: "numpy" }), {
      name: "RangeError",
      message: /OverflowError/,
    });
    const torch = new PiecewiseConstantDecay({ ...options, backend: "torch" });
    // 2^31 wraps to -2^31: the middle interval (2^31-1, -2^31] is empty, the last is step > -2^31.
    assert.equal(torch.call(0), f(f(0.1) + f(0.3)));
  });
  await t.test("errors (Keras' ValueError, and IndexError at the first call)", () => {
    assert.throws(
      () => new PiecewiseConstantDecay({ boundaries: [10, 20], values: [0.1, 0.01] }),
      { name: "RangeError", message: /The length of boundaries should be 1 less/ },
    );
    assert.throws(() => new PiecewiseConstantDecay({ boundaries: [], values: [0.1] }), RangeError);
    assert.throws(
      () => new PiecewiseConstantDecay({ boundaries: [1], values: [0.1, Infinity] }),
      RangeError,
    );
    assert.throws(
      () => new PiecewiseConstantDecay({ boundaries: 3 as never, values: [0.1] }),
      TypeError,
    );
  });
  await t.test("does not keep the caller's arrays", () => {
    const boundaries = [10];
    const s = new PiecewiseConstantDecay({ boundaries, values: [1, 0.5] });
    boundaries[0] = 100;
    assert.equal(s.call(11), 0.5);
    assert.deepEqual(s.getConfig().boundaries, [10]);
  });
});

test("PolynomialDecay", async (t) => {
  await t.test("defaults: end 0.0001, power 1, cycle false", () => {
    const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10 });
    assert.equal(s.endLearningRate, 0.0001);
    assert.equal(s.power, 1);
    assert.equal(s.cycle, false);
    assert.equal(s.name, "PolynomialDecay");
    const expected = (step: number) =>
      f(f(f(f(0.1) - f(0.0001)) * powf(f(1 - f(step / 10)), 1)) + f(0.0001));
    assert.equal(s.call(3), expected(3));
    assert.equal(s.call(25), expected(10)); // min(step, decay_steps)
  });
  await t.test("power 0.5 (Keras)", () => {
    const s = new PolynomialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10000,
      endLearningRate: 0.01,
      power: 0.5,
    });
    assert.equal(s.call(-1), 0.100004494190216064453125);
    assert.equal(s.call(1), 0.099995501339435577392578125);
    assert.equal(s.call(10), 0.099954985082149505615234375);
    assert.equal(s.call(2147483647), 0.00999999977648258209228515625);
  });
  await t.test("cycle: the next multiple of decay_steps; step 0 uses multiplier 1", () => {
    const s = new PolynomialDecay({
      initialLearningRate: 1,
      decaySteps: 7,
      endLearningRate: 0.1,
      cycle: true,
    });
    assert.equal(s.call(0), 1);
    assert.equal(s.call(7), f(0.1));
    // step 8: decay over 14 steps
    assert.equal(s.call(8), f(f(f(1 - f(0.1)) * powf(f(1 - f(8 / 14)), 1)) + f(0.1)));
  });
  await t.test("errors", () => {
    assert.throws(() => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: -1 }), {
      name: "RangeError",
      message: /decay_steps=-1/,
    });
    assert.throws(
      () => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 1, cycle: 1 as never }),
      TypeError,
    );
  });
});

test("InverseTimeDecay", async (t) => {
  await t.test("defaults and Keras' values", () => {
    const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1.0, decayRate: 0.5 });
    assert.equal(s.staircase, false);
    assert.equal(s.name, "InverseTimeDecay");
    assert.equal(s.call(-1), 0.20000000298023223876953125);
    assert.equal(s.call(1), 0.066666670143604278564453125);
    assert.equal(s.call(10), 0.01666666753590106964111328125);
    assert.equal(s.call(16777217), 1.192092735635696953977458178997039794921875e-8);
  });
  await t.test("staircase", () => {
    const s = new InverseTimeDecay({
      initialLearningRate: 1,
      decaySteps: 3,
      decayRate: 0.1,
      staircase: true,
    });
    assert.equal(s.call(2), 1);
    assert.equal(s.call(3), f(1 / f(1 + f(0.1))));
  });
  await t.test("errors", () => {
    assert.throws(
      () => new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: -1.5, decayRate: 0.5 }),
      { name: "RangeError", message: /decay_steps=-1.5/ },
    );
  });
});

test("CosineDecay", async (t) => {
  await t.test("defaults: alpha 0, no warmup", () => {
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 });
    assert.equal(s.alpha, 0);
    assert.equal(s.warmupTarget, null);
    assert.equal(s.warmupSteps, 0);
    assert.equal(s.name, "CosineDecay");
    const c = cosf(f(PI32 * f(250 / 1000)));
    assert.equal(s.call(250), f(f(0.1) * f(f(1 * f(0.5 * f(1 + c))) + 0)));
    assert.equal(s.call(5000), s.call(1000)); // min(step, decay_steps)
  });
  await t.test("warmup to a target, then decay (Keras)", () => {
    const s = new CosineDecay({
      initialLearningRate: 0.0001,
      decaySteps: 100,
      alpha: 0.05,
      warmupTarget: 0.001,
      warmupSteps: 10,
      backend: "numpy",
    });
    assert.equal(s.call(-1), 0.00000999998883344233036041259765625);
    assert.equal(s.call(0), 0.0000999999974737875163555145263671875);
    assert.equal(s.call(1), 0.000190000006114132702350616455078125);
    assert.equal(s.call(10), 0.001000000047497451305389404296875);
    assert.equal(s.call(100), 0.000073248171247541904449462890625);
    assert.equal(s.call(16777217), 0.00005000000237487256526947021484375);
  });
  await t.test("jax: lax.cond's compiled branches fuse a·b + c (Keras on each backend)", () => {
    const options = {
      initialLearningRate: 0.0001,
      decaySteps: 100,
      alpha: 0.05,
      warmupTarget: 0.001,
      warmupSteps: 10,
    };
    const numpy = new CosineDecay({ ...options, backend: "numpy" });
    const jax = new CosineDecay({ ...options, backend: "jax" });
    assert.equal(numpy.call(-1), 0.00000999998883344233036041259765625); // Keras, numpy
    assert.equal(jax.call(-1), 0.000009999991561926436); // Keras, jax: fmaf(delta, -0.1, init)
    assert.equal(jax.call(53), 0.0006286180578172207); // Keras, jax (decay branch)
    assert.equal(numpy.call(53), 0.0006286181160248816);
  });
  await t.test("warmup_target with warmup_steps 0: decay from the target", () => {
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 50, warmupTarget: 0.2 });
    assert.equal(s.call(0), f(0.2));
  });
  await t.test("the backend's cos: jax glibc cosf, numpy/torch the correctly rounded one", () => {
    assert.equal(DEFAULT_BACKEND_MATH.jax.cos, backendMath.jax.cos);
    const x = f(0.7);
    assert.equal(backendMath.jax.cos(x), cosf(x));
    assert.equal(backendMath.numpy.cos(x), crCosf(x));
  });
  await t.test("errors", () => {
    assert.throws(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 0 }), RangeError);
    assert.throws(
      () =>
        new CosineDecay({
          initialLearningRate: 0.1,
          decaySteps: 1,
          backend: "tensorflow" as never,
        }),
      RangeError,
    );
  });
});

test("CosineDecayRestarts", async (t) => {
  await t.test("defaults: t_mul 2, m_mul 1, alpha 0 (Keras)", () => {
    const s = new CosineDecayRestarts({
      initialLearningRate: 0.1,
      firstDecaySteps: 1000,
      backend: "numpy",
    });
    assert.equal(s.tMul, 2);
    assert.equal(s.mMul, 1);
    assert.equal(s.alpha, 0);
    assert.equal(s.name, "SGDRDecay");
    assert.equal(s.call(0), 0.100000001490116119384765625);
    assert.equal(s.call(1), 0.099999748170375823974609375);
    assert.equal(s.call(1000), 0.100000001490116119384765625);
    assert.equal(s.call(16777217), 0.09985722601413726806640625);
    assert.equal(s.call(2147483647), 0.09985794126987457275390625);
  });
  await t.test("t_mul 1: fixed periods, m_mul scales each restart", () => {
    const s = new CosineDecayRestarts({
      initialLearningRate: 0.1,
      firstDecaySteps: 10,
      tMul: 1,
      mMul: 0.5,
      alpha: 0.1,
    });
    assert.equal(
      s.call(20),
      f(f(0.1) * f(f(f(1 - f(0.1)) * f(f(0.5 * powf(0.5, 2)) * 2)) + f(0.1))),
    );
  });
  await t.test("t_mul < 1 runs out of cycles: RangeError where Keras returns NaN", () => {
    const s = new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 20, tMul: 0.5 });
    assert.ok(Number.isFinite(s.call(30)));
    assert.throws(() => s.call(45), RangeError);
  });
  await t.test("errors", () => {
    assert.throws(() => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 0 }), {
      name: "RangeError",
      message: /Argument `first_decay_steps` must be > 0/,
    });
  });
});

test("fmaf: a·b + c rounded once to float32", () => {
  assert.equal(fmaf(2, 3, 4), 10);
  // a·b = 2^16 + 2^-20 exactly; + 2^40: the double sum drops the 2^-20 and lands on the float32
  // midpoint 2^40 + 2^16, which Math.fround rounds to even (2^40); the exact sum is above it.
  const a = f(1 + 2 ** -12), b = f((1 - 2 ** -12 + 2 ** -24) * 2 ** 16);
  assert.equal(a * b + 2 ** 40, 2 ** 40 + 2 ** 16);
  assert.equal(Math.fround(a * b + 2 ** 40), 2 ** 40);
  assert.equal(fmaf(a, b, 2 ** 40), 2 ** 40 + 2 ** 17);
  assert.equal(fmaf(-a, b, -(2 ** 40)), -(2 ** 40 + 2 ** 17));
  assert.equal(fmaf(1, 2 ** -24, 1), 1); // a true tie: to even
  assert.equal(fmaf(-1, f(0.1), f(0.1)), 0);
  assert.ok(Number.isNaN(fmaf(Infinity, 0, 1)));
});

test("serialize / deserialize / fromConfig", async (t) => {
  await t.test("round trip of every class", () => {
    const schedules = [
      new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
      new PiecewiseConstantDecay({ boundaries: [10.5, 20], values: [1, 0.5, 0.1] }),
      new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: true }),
      new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
      new CosineDecay({
        initialLearningRate: 0,
        decaySteps: 10,
        warmupTarget: 0.1,
        warmupSteps: 3,
      }),
      new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, name: null }),
    ];
    for (const s of schedules) {
      const json = serialize(s);
      assert.equal(json.module, "keras.optimizers.schedules");
      assert.equal(json.registered_name, null);
      const again = deserialize(JSON.stringify(json), { backend: s.backend });
      assert.deepEqual(serialize(again), json);
      for (const step of [0, 1, 5, 11, 25]) assert.equal(again.call(step), s.call(step));
    }
  });
  await t.test("the Keras JSON: snake_case keys, class_name, t_mul / m_mul", () => {
    const s = fromConfig("CosineDecayRestarts", {
      initial_learning_rate: 0.1,
      first_decay_steps: 10,
      t_mul: 1.5,
      m_mul: 0.9,
      alpha: 0,
      name: "SGDRDecay",
    });
    assert.ok(s instanceof CosineDecayRestarts);
    assert.equal((s as CosineDecayRestarts).tMul, 1.5);
    assert.equal(
      deserialize({
        class_name: "CosineDecay",
        config: { initial_learning_rate: 1, decay_steps: 2 },
      }).backend,
      "jax",
    );
  });
  await t.test("errors", () => {
    assert.throws(() => deserialize({ class_name: "Nope", config: {} }), {
      name: "TypeError",
      message: /Could not locate class 'Nope'/,
    });
    assert.throws(
      () =>
        deserialize({
          class_name: "CosineDecay",
          config: { initial_learning_rate: 1, decay_steps: 2, warmup: 3 },
        }),
      { name: "TypeError", message: /unexpected keyword argument 'warmup'/ },
    );
    assert.throws(
      () =>
        deserialize({
          class_name: "CosineDecay",
          config: { initialLearningRate: 1, decaySteps: 2 },
        }),
      TypeError,
    );
    assert.throws(
      () => deserialize({ module: "mine", class_name: "CosineDecay", config: {} }),
      TypeError,
    );
    assert.throws(() => deserialize("{"), SyntaxError);
    assert.throws(() => deserialize(3), TypeError);
    assert.throws(() => deserialize({ class_name: "CosineDecay", config: [] }), TypeError);
    assert.throws(
      () =>
        deserialize({
          class_name: "CosineDecay",
          config: { initial_learning_rate: 1, decay_steps: 0 },
        }),
      RangeError,
    );
  });
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  buildLrScheduler,
  CosineParamScheduler,
  getCfg,
  LRMultiplier,
  sample,
  sampleLr,
  WarmupPolyLR,
} from "../../mod.ts";

type Outcome = { value: number } | { error: string };

function outcomeOf(fn: () => number): Outcome {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

function show(o: Outcome): string {
  return "value" in o ? (Object.is(o.value, -0) ? "-0" : String(o.value)) : `throws ${o.error}`;
}

interface ManifestCase {
  id: string;
  kind: string;
  config?: Record<string, Record<string, unknown>>;
  baseLrs?: number[];
  error?: unknown;
}

const manifest = JSON.parse(
  readFileSync(new URL("../../fixtures/detectron2/manifest.json", import.meta.url), "utf8"),
) as { cases: ManifestCase[] };

function configFor(c: ManifestCase) {
  const cfg = getCfg() as unknown as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(c.config ?? {})) {
    Object.assign(cfg[section]!, values);
  }
  return cfg as unknown as ReturnType<typeof getCfg>;
}

test("sampleLr() equals the learning rates of stepping every build fixture", async (t) => {
  for (const c of manifest.cases) {
    if (c.kind !== "build_lr_scheduler" || c.error !== undefined) continue;
    await t.test(c.id, () => {
      const cfg = configFor(c);
      const optimizer = { paramGroups: c.baseLrs!.map((lr) => ({ lr })) };
      const scheduler = buildLrScheduler(cfg, optimizer, { onWarning: () => {} });
      if (!(scheduler instanceof LRMultiplier)) {
        assert.throws(() => sampleLr(scheduler), TypeError);
        return;
      }
      const maxIter = scheduler.maxIter;
      const curves = c.baseLrs!.map((_, group) => {
        const out = new Float64Array(maxIter + 2).fill(NaN);
        const o = outcomeOf(() => (sampleLr(scheduler, { group, to: maxIter + 2, out }), 0));
        return { out, o };
      });
      let failed: Outcome | undefined;
      for (let iter = 0; iter <= maxIter + 1; iter++) {
        optimizer.paramGroups.forEach((g, group) => {
          const { out } = curves[group]!;
          // The message only on failure: formatting two numbers a step is most of a 10⁷-step case.
          if (!Object.is(out[iter], g.lr)) {
            assert.fail(`${c.id} group ${group} iter ${iter}: ${out[iter]} != ${g.lr}`);
          }
        });
        failed = outcomeOf(() => (scheduler.step(), 0));
        if ("error" in failed) break;
      }
      // Past the end the multiplier raises (multistep, step) or not (cosine): sampleLr agrees.
      for (const { o } of curves) assert.equal(show(o), "error" in failed! ? show(failed!) : "0");
    });
  }
});

test("sampleLr() validates its arguments", () => {
  const optimizer = { paramGroups: [{ lr: 0.1 }, { lr: 0.2 }] };
  const s = new LRMultiplier({
    optimizer,
    multiplier: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
    maxIter: 10,
  });
  assert.deepEqual([...sampleLr(s, { group: 1, from: 10, to: 11 })], [0]);
  assert.throws(() => sampleLr(s, { group: 2 }), {
    name: "RangeError",
    message: "sampleLr: `group` must be an index of baseLrs (0 to 1): got 2",
  });
  // The range and `out` are sampleLr's options: its errors name sampleLr, not sample().
  assert.throws(() => sampleLr(s, { from: 5, to: 4 }), {
    name: "RangeError",
    message: "sampleLr: `to` must be >= `from`: got from=5, to=4",
  });
  assert.throws(() => sampleLr(s, { from: 0.5 }), {
    name: "RangeError",
    message: "sampleLr: `from` must be a safe integer: got 0.5",
  });
  assert.throws(() => sampleLr(s, { to: 2 ** 53 }), {
    name: "RangeError",
    message: /^sampleLr: `to` must be a safe integer/,
  });
  assert.throws(() => sampleLr(s, { out: new Float64Array(3) }), {
    name: "RangeError",
    message: "sampleLr: `out` must hold at least 10 values: got length 3",
  });
  assert.throws(() => sampleLr(s, { out: [] as never }), {
    name: "TypeError",
    message: "sampleLr: `out` must be a Float64Array: got []",
  });
  assert.throws(() => sampleLr(s, { step: 1 } as never), {
    name: "TypeError",
    message: /^sampleLr: unknown option `step`/,
  });
  s.baseLrs = [NaN, 0.2];
  assert.throws(() => sampleLr(s), {
    name: "RangeError",
    message: "sampleLr: `baseLrs[0]` must be finite: got NaN",
  });
  const poly = new WarmupPolyLR({ optimizer: { paramGroups: [{ lr: 1 }] }, maxIters: 10 });
  assert.throws(() => sampleLr(poly), TypeError);
  class Custom extends LRMultiplier {
    override getLr(): number[] {
      return super.getLr().map((x) => x / 2);
    }
  }
  const custom = new Custom({
    optimizer: { paramGroups: [{ lr: 1 }] },
    multiplier: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
    maxIter: 10,
  });
  assert.throws(() => sampleLr(custom), TypeError);
});

test("sampleLr() defaults", async (t) => {
  const s = new CosineParamScheduler({ startValue: 1, endValue: 0.5 });
  await t.test("sampleLr(): from 0, to maxIter, group 0, a new array", () => {
    const optimizer = { paramGroups: [{ lr: 0.5 }, { lr: 2 }] };
    const m = new LRMultiplier({ optimizer, multiplier: s, maxIter: 8 });
    const lrs = sampleLr(m);
    assert.equal(lrs.length, 8);
    assert.deepEqual([...lrs], [...sample(s, { numUpdates: 8 })].map((v) => 0.5 * v));
    assert.notEqual(sampleLr(m), lrs, "a new array per call");
  });
});

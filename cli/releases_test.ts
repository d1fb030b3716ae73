import { test } from "node:test";
import assert from "node:assert/strict";
import { run } from "../testing/cli.ts";

const INSTANT =
  "fixtures/detectron2-configs/configs/quick_schedules/mask_rcnn_R_50_FPN_instant_test.yaml";

test("--torch and --python", async (t) => {
  await t.test("accepted; detectron2's schedules are the same under every supported release", async () => {
    const today = await run("curve", INSTANT);
    const old = await run("curve", INSTANT, "--torch", "1.13", "--python", "3.11");
    assert.equal(today.code, 0, today.stderr);
    assert.equal(old.code, 0, old.stderr);
    assert.equal(old.stdout, today.stdout);
  });
  await t.test("an unknown release is a usage error (exit 2)", async () => {
    const r = await run("curve", INSTANT, "--torch", "1.12");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--torch must be 1.13, 2.11 or 2.13: got "1.12"/);
    const p = await run("curve", INSTANT, "--python", "3.13");
    assert.equal(p.code, 2);
    assert.match(p.stderr, /--python must be 3.11 or 3.12: got "3.13"/);
  });
});

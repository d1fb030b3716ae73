import { test } from "node:test";
import assert from "node:assert/strict";
import { curvePlotSeries, formatTick, getCfg, lrCurve, plotSvg } from "../mod.ts";

/** A strict check that the SVG is well-formed XML: balanced tags, quoted attributes, escapes. */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|([<>])/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = tag.exec(svg))) {
    const text = svg.slice(last, m.index);
    assert.ok(
      !/&(?!amp;|lt;|gt;|quot;|#\d+;)/.test(text),
      `unescaped & in ${JSON.stringify(text)}`,
    );
    last = tag.lastIndex;
    if (m[5]) assert.fail(`stray ${m[5]} at ${m.index}: ${svg.slice(m.index - 20, m.index + 20)}`);
    if (!m[2]) continue;
    if (m[1]) assert.equal(stack.pop(), m[2], `closing </${m[2]}>`);
    else if (!m[4]) stack.push(m[2]);
  }
  assert.deepEqual(stack, [], "every element closed");
  assert.ok(svg.trimStart().startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
}

test("plotSvg", async (t) => {
  const cfg = getCfg();
  Object.assign(cfg.SOLVER, { BASE_LR: 0.02, STEPS: [60000, 80000], MAX_ITER: 90000 });
  const curve = lrCurve(cfg);
  await t.test("one config: axes, curve, warmup and step marks, legend", () => {
    const svg = plotSvg([curvePlotSeries(curve, cfg, { label: "1x <R50> & co" })], {
      title: "faster_rcnn_R_50_FPN_1x",
      subtitle: "linear warmup …",
    });
    assertWellFormed(svg);
    assert.match(svg, />faster_rcnn_R_50_FPN_1x</);
    assert.match(svg, />warmup 1000</);
    assert.match(svg, />×0\.1 at 60k</);
    assert.match(svg, />×0\.1 at 80k</);
    assert.match(svg, />1x &lt;R50&gt; &amp; co</);
    assert.match(svg, />learning rate</);
    assert.match(svg, />iteration</);
    // The step curve keeps its vertical drops despite decimation, with far fewer points.
    const path = /<path d="(M[^"]+)" stroke="#1f77b4"/.exec(svg)![1]!;
    const points = path.split(/[ML]/).filter(Boolean).length;
    assert.ok(points < 200, `${points} points`);
  });
  await t.test("log scale: decade ticks as powers of ten", () => {
    const svg = plotSvg([curvePlotSeries(curve, cfg, { label: "1x" })], { logY: true });
    assertWellFormed(svg);
    assert.match(svg, />10<tspan dy="-6" font-size="9">\u22122<\/tspan>/);
    assert.match(svg, /\(log scale\)/);
  });
  await t.test("several series: legend entries, shared marks merged", () => {
    const other = getCfg();
    Object.assign(other.SOLVER, { BASE_LR: 0.01, STEPS: [60000, 80000], MAX_ITER: 90000 });
    const svg = plotSvg([
      curvePlotSeries(curve, cfg, { label: "a" }),
      curvePlotSeries(lrCurve(other), other, { label: "b" }),
    ]);
    assertWellFormed(svg);
    assert.equal(svg.match(/>warmup 1000</g)?.length, 1);
    assert.match(svg, /stroke="#d62728"/);
    assert.match(svg, />b<\/text>/);
  });
  await t.test("gaps and errors", () => {
    const svg = plotSvg([{ label: "g", x: [0, 1, 2, 3], y: [1, NaN, 2, 3] }]);
    assert.equal(svg.match(/<path d="M[^"]*" stroke="#1f77b4"/g)?.length, 2);
    assert.throws(() => plotSvg([]), RangeError);
    assert.throws(() => plotSvg([{ label: "x", x: [1], y: [] }]), RangeError);
  });
  await t.test("images on the x axis", () => {
    const s = curvePlotSeries(curve, cfg, { label: "x", x: "images" });
    assert.equal(s.x[90000], 90000 * 16);
    assert.equal(s.marks![0]!.x, 16000);
    assert.throws(() => curvePlotSeries(curve, cfg, { label: "x", column: "lr_bias" }), RangeError);
  });
});

test("formatTick", () => {
  assert.deepEqual(
    [0, 500, 90000, 1.5e6, 0.02, 0.0025, 2e-5].map(formatTick),
    ["0", "500", "90k", "1.5M", "0.02", "0.0025", "2e-5"],
  );
});

test("plotSvg: onFrame maps the series' points to where the curve is drawn", async (t) => {
  for (const logY of [false, true]) {
    await t.test(`logY ${logY}`, () => {
      let frame: import("./svg.ts").PlotFrame | undefined;
      const x = [0, 1000, 1000, 4000];
      const y = [0.02, 0.02, 0.002, 0.002];
      const svg = plotSvg([{ label: "a", x, y }], { logY, onFrame: (f) => (frame = f) });
      assert.ok(frame !== undefined, "onFrame called");
      assert.equal(frame.logY, logY);
      assert.ok(frame.xMin <= 0 && frame.xMax >= 4000 && frame.width > 0 && frame.height > 0);
      const px = (v: number) =>
        frame!.left + ((v - frame!.xMin) / (frame!.xMax - frame!.xMin)) * frame!.width;
      const py = (v: number) => {
        const u = logY ? Math.log10(v) : v;
        return frame!.top + frame!.height -
          ((u - frame!.yMin) / (frame!.yMax - frame!.yMin)) * frame!.height;
      };
      const r2 = (v: number) => String(Math.round(v * 100) / 100);
      const d = /<g class="curves"[^>]*>\s*<path d="([^"]+)"/.exec(svg)![1]!;
      assert.equal(
        d,
        `M${r2(px(0))} ${r2(py(0.02))}L${r2(px(1000))} ${r2(py(0.02))}L${r2(px(1000))} ${
          r2(py(0.002))
        }L${r2(px(4000))} ${r2(py(0.002))}`,
      );
    });
  }
});

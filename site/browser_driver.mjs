// Drives the playground in a real browser — Debian's Chromium, headless, through playwright-core
// (nothing downloads a browser) — as a user would: it opens pages, types into fields, picks
// schedules, uploads files, drags, hovers, clicks the export buttons, and records what the page
// shows and every console error. Run by site/browser.ts (the browser tests and the screenshots);
// the assertions are theirs.
//
// Usage: node site/browser_driver.mjs SCENARIOS.json RESULTS.json
//   SCENARIOS.json: { "base": "http://127.0.0.1:PORT/", "scenarios": [{ "name", "steps": [...] }] }
//   RESULTS.json:   [{ "name", "values": { as: result }, "errors": [...], "failure"? }]
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { launchChromium } from "../testing/chromium.mjs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write("usage: node site/browser_driver.mjs SCENARIOS.json RESULTS.json\n");
  process.exit(2);
}
const { base, scenarios } = JSON.parse(readFileSync(input, "utf8"));

const { browser, close } = await launchChromium({
  viewport: { width: 1400, height: 1000 },
  acceptDownloads: true,
});

/** Where a fraction of the chart's plot area is, in page coordinates. */
async function chartPoint(page, fx, fy) {
  const box = await page.locator("#chart svg").boundingBox();
  const frame = await page.evaluate(() => globalThis.lrspecPlayground.frame());
  return { x: box.x + frame.left + fx * frame.width, y: box.y + frame.top + fy * frame.height };
}

async function step(page, s, values) {
  const timeout = s.timeout ?? 20_000; // a step may wait longer (the Python interpreter's start)
  if (s.goto !== undefined || s.gotoStored !== undefined) {
    const target = s.goto !== undefined ? s.goto : values[s.gotoStored];
    await page.goto(new URL(target, base).href);
    await page.waitForSelector("body[data-ready=true]", { timeout });
  } else if (s.viewport) {
    await page.setViewportSize({ width: s.viewport[0], height: s.viewport[1] });
  } else if (s.fill) {
    await page.locator(s.fill).fill(s.value, { timeout });
  } else if (s.select) {
    await page.locator(s.select).selectOption(s.value, { timeout });
  } else if (s.upload) {
    await page.locator(s.upload).setInputFiles(
      s.files.map((f) => ({ name: f.name, mimeType: "text/plain", buffer: Buffer.from(f.text) })),
      { timeout },
    );
  } else if (s.click) {
    await page.locator(s.click).click({ timeout });
  } else if (s.press) {
    for (let i = 0; i < (s.times ?? 1); i++) await page.locator(s.press).press(s.key, { timeout });
  } else if (s.download) {
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout }),
      page.locator(s.download).click({ timeout }),
    ]);
    const path = await download.path();
    values[s.as] = { name: download.suggestedFilename(), text: readFileSync(path, "utf8") };
  } else if (s.text) {
    values[s.as] = await page.locator(s.text).textContent({ timeout });
  } else if (s.eval) {
    values[s.as] = await page.evaluate(`(async () => (${s.eval}))()`);
  } else if (s.hover) {
    const p = await chartPoint(page, s.hover[0], s.hover[1] ?? 0.5);
    await page.mouse.move(p.x, p.y);
    await page.waitForSelector("#chart .readout:not([hidden])", { timeout });
    values[s.as] = await page.locator("#chart .readout").textContent();
  } else if (s.drag) {
    const a = await chartPoint(page, s.drag[0], 0.5);
    const b = await chartPoint(page, s.drag[1], 0.5);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, a.y, { steps: 4 });
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
  } else if (s.dblclick) {
    const p = await chartPoint(page, 0.5, 0.5);
    await page.mouse.dblclick(p.x, p.y);
  } else if (s.waitFor) {
    await page.waitForSelector(s.waitFor, { timeout });
  } else if (s.waitUntil) {
    // Uploads are read asynchronously (File.text()): wait for the page to have them.
    await page.waitForFunction(s.waitUntil, undefined, { timeout });
  } else if (s.screenshot) {
    await page.mouse.move(0, 0);
    if (s.hoverAt) {
      const p = await chartPoint(page, s.hoverAt[0], s.hoverAt[1] ?? 0.5);
      await page.mouse.move(p.x, p.y);
    }
    const options = { path: s.screenshot, timeout, animations: "disabled" };
    if (s.selector) await page.locator(s.selector).screenshot(options);
    else await page.screenshot({ ...options, fullPage: s.fullPage ?? false });
  } else {
    throw new Error(`unknown step ${JSON.stringify(s)}`);
  }
}

const results = [];
try {
  for (const scenario of scenarios) {
    const page = await browser.newPage();
    const errors = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") {
        errors.push(`console ${m.type()}: ${m.text()}`);
      }
    });
    page.on("pageerror", (e) => errors.push(`page error: ${e.stack ?? e}`));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    // Nothing leaves the page: every request is for the site itself (or a file, data or blob).
    const origin = new URL(base).origin;
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (!["file:", "data:", "blob:"].includes(url.protocol) && url.origin !== origin) {
        errors.push(`a request outside the site: ${r.url()}`);
      }
    });
    const values = {};
    const result = { name: scenario.name, values, errors };
    for (const [i, s] of scenario.steps.entries()) {
      try {
        await step(page, s, values);
      } catch (e) {
        result.failure = `step ${i} ${JSON.stringify(s).slice(0, 200)}: ${e.message ?? e}`;
        break;
      }
    }
    results.push(result);
    await page.close();
  }
} finally {
  await close();
}
writeFileSync(output, JSON.stringify(results));

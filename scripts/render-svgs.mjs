// Renders SVG files in a real browser — Debian's Chromium, headless, driven by playwright-core
// (nothing downloads a browser) — takes a screenshot of each, and reports what a reader would
// trip on: an XML error, text outside the picture, text over text, a curve that is not drawn.
//
// Usage: node scripts/render-svgs.mjs OUT_DIR FILE.svg [FILE.svg ...]
// Prints a JSON report ({ file, screenshot, problems[] } per file) on stdout.
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import process from "node:process";
import { launchChromium } from "../testing/chromium.mjs";

const [outDir, ...files] = process.argv.slice(2);
if (!outDir || files.length === 0) {
  process.stderr.write("usage: node scripts/render-svgs.mjs OUT_DIR FILE.svg ...\n");
  process.exit(2);
}

const { browser, close } = await launchChromium({ viewport: { width: 1000, height: 700 } });

/** Runs in the page: the problems a reader would see. */
function inspect() {
  const problems = [];
  const svg = document.documentElement;
  if (svg.tagName.toLowerCase() !== "svg" || document.querySelector("parsererror")) {
    return [`not an SVG document: ${document.documentElement.textContent.slice(0, 200)}`];
  }
  const width = Number(svg.getAttribute("width"));
  const height = Number(svg.getAttribute("height"));
  const boxes = [];
  for (const text of svg.querySelectorAll("text")) {
    if (text.textContent.trim() === "") continue;
    const b = text.getBoundingClientRect();
    const label = text.textContent.trim();
    if (b.width === 0 || b.height === 0) problems.push(`text "${label}" is not rendered`);
    if (b.left < -0.5 || b.top < -0.5 || b.right > width + 0.5 || b.bottom > height + 0.5) {
      problems.push(
        `text "${label}" leaves the picture: [${b.left.toFixed(1)}, ${b.top.toFixed(1)}, ${
          b.right.toFixed(1)
        }, ${b.bottom.toFixed(1)}] in ${width}×${height}`,
      );
    }
    const inset = text.closest(".inset") !== null;
    boxes.push({ label, b, inset });
  }
  // Text over text (1 px of slack: glyph boxes include the line's leading).
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const p = boxes[i], q = boxes[j];
      const dx = Math.min(p.b.right, q.b.right) - Math.max(p.b.left, q.b.left);
      const dy = Math.min(p.b.bottom, q.b.bottom) - Math.max(p.b.top, q.b.top);
      if (dx > 1 && dy > 2) problems.push(`text "${p.label}" overlaps "${q.label}"`);
    }
  }
  // An inset must not hide a label of the main chart.
  const inset = svg.querySelector(".inset rect");
  if (inset) {
    const r = inset.getBoundingClientRect();
    for (const { label, b, inset: inside } of boxes) {
      if (inside) {
        if (b.left < r.left || b.right > r.right || b.top < r.top || b.bottom > r.bottom) {
          problems.push(`text "${label}" leaves the inset`);
        }
        continue;
      }
      const dx = Math.min(r.right, b.right) - Math.max(r.left, b.left);
      const dy = Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top);
      if (dx > 0 && dy > 0) problems.push(`the inset hides "${label}"`);
    }
  }
  const curves = svg.querySelectorAll(".curves path");
  if (curves.length === 0) problems.push("no curve");
  for (const path of curves) {
    const b = path.getBoundingClientRect();
    if (b.width < 1 && b.height < 1) problems.push(`a curve is not drawn: ${path.textContent}`);
  }
  return problems;
}

const report = [];
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  for (const file of files) {
    const url = pathToFileURL(resolve(file)).href;
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url);
    const problems = [...errors, ...(await page.evaluate(inspect))];
    const size = await page.evaluate(() => [
      Number(document.documentElement.getAttribute("width")) || 800,
      Number(document.documentElement.getAttribute("height")) || 450,
    ]);
    await page.setViewportSize({ width: size[0], height: size[1] });
    const screenshot = join(outDir, basename(file).replace(/\.svg$/, ".png"));
    await page.screenshot({ path: screenshot, timeout: 20_000 });
    report.push({ file, screenshot, problems });
  }
} finally {
  await close();
}
process.stdout.write(JSON.stringify(report, null, 2) + "\n");

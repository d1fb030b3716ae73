// The one way this repository starts a browser: Debian's Chromium (`CHROMIUM` overrides the path),
// headless, through playwright-core — nothing downloads a browser — in a fresh profile that
// `close()` removes. Used by the SVG check (scripts/render-svgs.mjs) and the playground's driver
// (site/browser_driver.mjs).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { chromium } from "playwright-core";

/** The browser's path: Debian's `chromium` package, or `$CHROMIUM`. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Chromium's switches: headless, no sandbox (CI runs as root), no network of its own. */
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Starts Chromium with `options` (playwright's `launchPersistentContext` options: `viewport`,
 * `acceptDownloads`, …) over the defaults here; returns the browser context and `close()`, which
 * closes it and removes its profile.
 */
export async function launchChromium(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), "lrspec-chromium-"));
  // A fresh profile: playwright passes it to Chromium as --user-data-dir.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: ARGS,
    ...options,
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

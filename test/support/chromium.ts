import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Real-browser tests use Debian's Chromium, driven by playwright-core. Browsers are never downloaded (no
 * `npx playwright install`): the system package is the one the project's guide allows.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a quiet, headless, container-friendly Chromium: no sandbox (containers lack the namespaces it needs), no
 * GPU, and none of the background traffic (updates, sync) a test machine must not make.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const inCi = process.env.CI === 'true';

/**
 * `false` when the browser suites may run; a skip message when Chromium is missing. Throws in CI, where skipping is
 * not allowed (the sibling of `unavailable()` in services.ts).
 */
export function chromiumUnavailable(): string | false {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return false;
  } catch {
    const message = `Chromium is not installed at ${CHROMIUM_PATH}: SKIPPED (apt-get install chromium)`;
    if (inCi) throw new Error(`${message}. CI=true: nothing may be skipped.`);
    process.stderr.write(`# ${message}\n`);
    return message;
  }
}

/** One headless Chromium; the caller closes it (one per suite, a fresh context per test). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

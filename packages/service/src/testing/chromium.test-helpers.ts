import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { serveLocally } from './local-http-server.test-helpers.js';

/** Debian's Chromium (`apt-get install chromium`); playwright-core never downloads its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * True when the browser suites can run. In CI (`CI=true`) a missing Chromium is a failure
 * (`.ci/run` installs it); elsewhere the suite is skipped with a warning saying how to install it.
 */
export function hasChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}; CI must run the browser suites`);
  }
  console.warn(
    `Chromium is missing at ${CHROMIUM_PATH}: skipping the browser suites (apt-get install chromium fonts-noto-cjk).`,
  );
  return false;
}

/**
 * Launches headless Chromium as this machine allows: no sandbox (root), no GPU, and no
 * background networking (the closed network refuses it). Playwright gives it a fresh temporary
 * profile and removes it on `close`.
 *
 * @example
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await browser.close();
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** An app served over real HTTP with a headless Chromium to open it. */
export interface AppInChromium {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly browser: Browser;
  /** Closes the browser, then the server. */
  readonly close: () => Promise<void>;
}

/**
 * Serves `fetch` (the app's) on 127.0.0.1:<random port> and launches Chromium for it.
 *
 * @example
 * const opened = await openAppInChromium(t.app.fetch);
 * const page = await opened.browser.newPage();
 * await page.goto(`${opened.base}/admin/login`);
 * await opened.close();
 */
export async function openAppInChromium(
  fetch: Parameters<typeof serveLocally>[0],
): Promise<AppInChromium> {
  const server = await serveLocally(fetch);
  try {
    const browser = await launchChromium();
    return {
      base: server.origin,
      browser,
      close: async () => {
        await browser.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}

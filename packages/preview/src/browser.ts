/**
 * Headless Chromium (Debian's `chromium`, or any given with O11Y_CHROMIUM) driven by playwright-core:
 * open a preview page, wait until every panel has drawn, and take a full-page screenshot.
 */
import { existsSync } from 'node:fs';
import { O11yError } from '@o11y/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PAGE_WIDTH } from './collect.ts';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export const CHROMIUM_HINT =
  'install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`; `npm run setup` does it when run as root) or point O11Y_CHROMIUM at a Chrome or Chromium binary';

export function chromiumPath(): string {
  const configured = process.env.O11Y_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) {
      throw new O11yError(`O11Y_CHROMIUM names ${configured}, which does not exist`, {
        id: 'preview/chromium',
        hint: CHROMIUM_HINT,
      });
    }
    return configured;
  }
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found)
    throw new O11yError('no Chromium found for --png', { id: 'preview/chromium', hint: CHROMIUM_HINT });
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // Same pixels on every machine: no GPU, fixed scale factor, no font hinting differences from LCD AA.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--force-device-scale-factor=1',
      '--font-render-hinting=none',
      '--disable-lcd-text',
    ],
  });
}

export interface OpenedPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions, in order. */
  readonly errors: string[];
}

/** Opens a preview page and waits until the renderer says every panel has drawn. */
export async function openPreview(browser: Browser, url: string): Promise<OpenedPage> {
  const page = await browser.newPage({
    viewport: { width: PAGE_WIDTH + 32, height: 900 },
    deviceScaleFactor: 1,
  });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  // An exception while drawing ends the wait at once instead of at the timeout.
  const crashed = new Promise<never>((_, reject) => page.once('pageerror', reject));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  try {
    await Promise.race([
      page.waitForSelector('body[data-preview-state=ready]', { timeout: 60_000 }),
      crashed,
    ]);
  } catch {
    await page.close();
    throw new O11yError(
      `the preview page ${url} did not finish drawing: ${errors.join('; ') || 'no error reported'}`,
      {
        id: 'preview/render',
        hint: 'this is a fault of the preview renderer; please report it with the dashboard JSON',
      },
    );
  }
  return { page, errors };
}

export async function screenshot(browser: Browser, url: string): Promise<Buffer> {
  const { page } = await openPreview(browser, url);
  try {
    return await page.screenshot({ fullPage: true, animations: 'disabled' });
  } finally {
    await page.close();
  }
}

// Shared set-up for the end-to-end tests, the screenshot script and the
// benchmark: Debian's Chromium driven by playwright-core (never a
// downloaded browser), headless, with a fresh profile.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Whether Debian's chromium is installed. */
export function haveChromium() {
  return existsSync(CHROMIUM);
}

/** Launches headless Chromium with a throw-away profile; close() cleans up. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'skein-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

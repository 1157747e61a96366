// Shared set-up for the end-to-end tests, the screenshot script and the
// benchmark: Debian's Chromium driven by playwright-core (never a
// downloaded browser), headless, with a fresh profile.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { execFileSync, spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Whether Debian's chromium is installed. */
export function haveChromium() {
  return existsSync(CHROMIUM);
}

/**
 * What a test file needs besides Debian's chromium: SKEIN_URL (the server
 * scripts/test.sh runs) with url, bin/skein (servers the file starts) with
 * bin. Returns node:test's skip option: false when everything is there,
 * else what is missing; under CI a missing part fails the file instead.
 */
export function needs({ url = false, bin = false } = {}) {
  const missing = [];
  if (url && !process.env.SKEIN_URL) missing.push('SKEIN_URL');
  if (!haveChromium()) missing.push('Debian\'s chromium (apt-get install chromium)');
  if (bin && !existsSync(SKEIN_BIN)) missing.push('bin/skein (make build)');
  if (missing.length === 0) return false;
  const why = `needs ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(why);
  return why;
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

/**
 * A page in a fresh headless Chromium (launch). Every uncaught error of the
 * page, and with consoleErrors (the default) every console error, is pushed onto
 * errors, for the test to assert there was none. close() ends the browser.
 */
export async function openPage(errors, { consoleErrors = true } = {}) {
  const browser = await launch();
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  if (consoleErrors) {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  }
  return { browser, page };
}

/** A free TCP port on the loopback address. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Waits until a Skein server answers /readyz. */
export async function waitReady(url) {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url + '/readyz')).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not become ready`);
}

/** bin/skein, built by make build. */
export const SKEIN_BIN = join(import.meta.dirname, '..', '..', 'bin', 'skein');

/**
 * Starts bin/skein serve on a free port with a temporary data directory
 * (seeded unless args say --no-seed) and env (e.g. SKEIN_AUTH_TOKENS);
 * with gen ({ entities, seed }), `skein gen` first writes a synthetic
 * network into it. stop() ends it and removes the data.
 */
export async function startSkein({ args = [], env = {}, gen = null } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'skein-e2e-'));
  if (gen) {
    execFileSync(SKEIN_BIN, ['gen', '--data', dataDir, '--entities', String(gen.entities), '--seed', String(gen.seed)], { stdio: 'ignore' });
  }
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(SKEIN_BIN, ['serve', '--addr', `127.0.0.1:${port}`, '--data', dataDir, ...args], {
    env: { ...process.env, ...env }, stdio: 'ignore',
  });
  await waitReady(url);
  return {
    url,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A GraphQL request (with a bearer token when given); throws on errors. */
export async function gqlAt(base, query, variables = {}, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(new URL('/graphql', base), { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) {
    const err = new Error(JSON.stringify(body.errors));
    err.code = body.errors[0]?.extensions?.code;
    throw err;
  }
  return body.data;
}

// ---- helpers shared by the end-to-end tests ----------------------------------

const BASE = process.env.SKEIN_URL;
/** How long a test waits for the page (the machine may be shared and slow). */
export const TIMEOUT = 20_000;

/** A GraphQL request against SKEIN_URL; throws on errors. */
export function gql(query, variables = {}) {
  return gqlAt(BASE, query, variables);
}

/** Waits until the page is not busy and animations have run. */
export async function settled(page) {
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: TIMEOUT });
  await page.waitForTimeout(800);
}

/** Opens the chart of these ids (the URL's hash may carry more) and waits for it. */
export async function openChart(page, ids, extra = '') {
  await page.goto(`${BASE}/#ids=${ids.map(encodeURIComponent).join(',')}${extra}`);
  await page.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, ids.length, { timeout: TIMEOUT });
  await settled(page);
}

/** Where a node (or an edge's midpoint) is drawn, in page coordinates. */
export function elementPoint(page, id) {
  return page.evaluate((eid) => {
    const cy = window.skein.chart.cy;
    const r = cy.container().getBoundingClientRect();
    const el = cy.getElementById(eid);
    const p = el.isEdge() ? el.renderedMidpoint() : el.renderedPosition();
    return { x: r.left + p.x, y: r.top + p.y };
  }, id);
}

/** A screenshot of the chart canvas only, with nothing hovered. */
export async function chartShot(page) {
  await page.mouse.move(2, 2);
  await page.waitForTimeout(250);
  return page.locator('#chart').screenshot({ animations: 'disabled' });
}

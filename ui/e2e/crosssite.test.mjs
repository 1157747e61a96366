// End-to-end, in Debian's headless Chromium: a page served from another
// port of the same host auto-submits a text/plain form to /api/import (the
// cross-site planting of issue 12). It must be refused and plant nothing,
// both on the open server (SKEIN_URL) and on a server with tokens where an
// editor is signed in (started here from bin/skein).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, haveChromium, launch, waitReady } from './browser.mjs';

const BASE = process.env.SKEIN_URL;
const CI = process.env.CI === 'true';
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'skein');
const ready = BASE && haveChromium() && existsSync(BIN);
if (CI && !ready) {
  throw new Error('needs SKEIN_URL, Debian\'s chromium and bin/skein (make build)');
}
const skip = ready ? false : 'needs SKEIN_URL, Debian\'s chromium and bin/skein';
const EDITOR = 'editor-token-e2e-0123456789';

let browser;
let attacker; // the other-port page
let tokenServer; // bin/skein with tokens
let tokenURL;
let dataDir;

/** A page whose form posts text/plain JSON to target as soon as it loads. */
function attackPage(target, id) {
  const name = `{"entities":[{"id":"${id}","kind":"PERSON","name":"Planted","description":"`;
  return `<!doctype html><html><body>
<form id="f" method="POST" enctype="text/plain" action="${target}/api/import?format=json">
<input type="hidden" name='${name}' value='"}]}'></form>
<script>document.getElementById('f').submit()</script></body></html>`;
}

async function exists(base, id, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(base + '/graphql', {
    method: 'POST', headers, body: JSON.stringify({ query: `{ entity(id: "${id}") { id } }` }),
  });
  const body = await res.json();
  return body.data?.entity != null;
}

before(async () => {
  if (!ready) return;
  browser = await launch();
  attacker = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    res.setHeader('Content-Type', 'text/html');
    res.end(attackPage(u.searchParams.get('target'), u.searchParams.get('id')));
  });
  await new Promise((r) => attacker.listen(0, '127.0.0.1', r));
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), 'skein-e2e-csrf-'));
  tokenURL = `http://127.0.0.1:${port}`;
  tokenServer = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`, '--data', dataDir, '--no-seed'], {
    env: { ...process.env, SKEIN_AUTH_TOKENS: `editor:${EDITOR}` }, stdio: 'ignore',
  });
  await waitReady(tokenURL);
});

after(async () => {
  await browser?.close();
  attacker?.close();
  tokenServer?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function attackerURL(target, id) {
  const { port } = attacker.address();
  return `http://127.0.0.1:${port}/?target=${encodeURIComponent(target)}&id=${encodeURIComponent(id)}`;
}

test('a cross-site text/plain import is refused on the open server', { skip }, async () => {
  const id = 'person:csrf-open';
  const page = await browser.context.newPage();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(BASE + '/api/import')),
    page.goto(attackerURL(BASE, id)),
  ]);
  assert.equal(res.status(), 403, await res.text());
  assert.equal(await exists(BASE, id), false, 'the form planted an entity');
  await page.close();
});

test('a cross-site text/plain import is refused with an editor signed in', { skip }, async () => {
  const page = await browser.context.newPage();
  await page.goto(tokenURL + '/', { waitUntil: 'domcontentloaded' });
  await page.fill('#token', EDITOR);
  const [signIn] = await Promise.all([
    page.waitForResponse((r) => r.url() === tokenURL + '/auth/login'),
    page.click('button[type=submit]'),
  ]);
  assert.equal(signIn.status(), 303, 'the sign-in is accepted');
  const cookies = await browser.context.cookies(tokenURL);
  const session = cookies.find((c) => c.name === 'skein_session');
  assert.ok(session, 'signed in: a session cookie');
  assert.ok(!session.value.includes(EDITOR), 'the cookie must not carry the token');

  const id = 'person:csrf-signed-in';
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().startsWith(tokenURL + '/api/import')),
    page.goto(attackerURL(tokenURL, id)),
  ]);
  assert.equal(res.status(), 403, await res.text());
  assert.equal(await exists(tokenURL, id, EDITOR), false, 'the form planted an entity');
  await page.close();
});

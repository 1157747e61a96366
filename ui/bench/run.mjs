// Builds bench/index.html, serves it on 127.0.0.1, and drives it in
// headless Chromium; prints the measurements as JSON.
// Usage: npm --prefix ui run bench [-- --nodes 5000 --links 10000 --layout fcose]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { launch } from '../e2e/browser.mjs';

const { values } = parseArgs({
  options: { nodes: { type: 'string', default: '5000' }, links: { type: 'string', default: '10000' }, layout: { type: 'string', default: 'fcose' } },
});

await build({ configFile: join(import.meta.dirname, 'vite.config.ts') });
const root = join(tmpdir(), 'skein-ui-bench');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(root, path === '/' ? 'index.html' : path);
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/?${new URLSearchParams(values)}`;

const browser = await launch();
try {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.benchResult || window.benchError, null, { timeout: 300_000, polling: 500 });
  const { result, error } = await page.evaluate(() => ({ result: window.benchResult, error: window.benchError }));
  if (error) throw new Error(error);
  // Real input, as a user gives it: the renderer's fast paths only kick in then.
  const measure = async (what, act) => {
    await page.evaluate(() => window.bench.start());
    await act();
    result[what] = await page.evaluate(() => window.bench.stop());
  };
  const m = page.mouse;
  await measure('panByMouse', async () => {
    await m.move(700, 400);
    await m.down();
    for (let i = 0; i < 60; i++) await m.move(700 + 300 * Math.sin(i / 10), 400 + 150 * Math.cos(i / 10));
    await m.up();
  });
  await measure('wheelZoom', async () => {
    await m.move(640, 400);
    for (let i = 0; i < 40; i++) await m.wheel(0, i < 20 ? -120 : 120);
    await page.waitForTimeout(300);
  });
  await measure('dragNode', async () => {
    const p = await page.evaluate(() => window.bench.nodeAt(0));
    await m.move(p.x, p.y);
    await m.down();
    for (let i = 0; i < 40; i++) await m.move(p.x + 80 * Math.sin(i / 6), p.y + 80 * Math.cos(i / 6));
    await m.up();
  });
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  server.close();
}

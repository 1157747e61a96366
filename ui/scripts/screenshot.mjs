// Takes docs/screenshot.png: the seeded graph on the chart at 1280×800,
// with Burim Krasniqi selected so the details panel shows his sources.
// Usage: SKEIN_URL=http://127.0.0.1:8080 npm --prefix ui run screenshot [-- OUT.png]
import { join } from 'node:path';
import { launch } from '../e2e/browser.mjs';

const BASE = process.env.SKEIN_URL;
if (!BASE) {
  console.error('set SKEIN_URL to a running `skein serve` with the seed loaded');
  process.exit(2);
}
const out = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'docs', 'screenshot.png');
const select = process.env.SELECT ?? 'person:burim-krasniqi';

// Every entity of the graph (the seed is small), ranked the way search ranks.
const res = await fetch(new URL('/graphql', BASE), {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ query: '{ neighborhood(id: "organization:krasniqi-network", depth: 6, limit: 5000) { nodes { id } } a: neighborhood(id: "organization:alpa-network", depth: 6, limit: 5000) { nodes { id } } s: neighborhood(id: "person:nusret-seferovic", depth: 6, limit: 5000) { nodes { id } } }' }),
});
const body = await res.json();
const ids = [...new Set(Object.values(body.data).flatMap((sg) => sg.nodes.map((n) => n.id)))];

const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(`${BASE}/#ids=${ids.join(',')}`);
  await page.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, ids.length, { timeout: 20000 });
  await page.waitForTimeout(1500); // layout animation
  await page.evaluate((id) => {
    const { chart } = window.skein;
    chart.fit();
    chart.selectOnly(id);
  }, select);
  await page.waitForSelector('#details blockquote', { timeout: 20000 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: out });
  console.log(`wrote ${out} (${ids.length} entities)`);
} finally {
  await browser.close();
}

// Takes screenshots of a big chart for docs/: every entity within 6 hops of
// ROOT (at most LIMIT), laid out by the force layout, at 1280×800.
//   docs/chart-150.png        the whole chart fitted (labels by level of detail)
//   docs/chart-150-zoom.png   zoomed on the busiest hub, its links labelled on hover
//   docs/chart-150-analysis.png  brokers and communities with their legends
// Usage: SKEIN_URL=http://127.0.0.1:8080 ROOT=syn:gang:0 node ui/scripts/screenshot-chart.mjs [OUTDIR]
// (load the data first, e.g. `skein gen --entities 150 --data DIR` and serve DIR with --no-seed).
import { join } from 'node:path';
import { launch } from '../e2e/browser.mjs';
import { measureLayout } from '../e2e/layoutmetric.mjs';

const BASE = process.env.SKEIN_URL;
if (!BASE) {
  console.error('set SKEIN_URL to a running `skein serve`');
  process.exit(2);
}
const ROOT = process.env.ROOT ?? 'syn:gang:0';
const LIMIT = Number(process.env.LIMIT ?? 150);
const outDir = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'docs');

const res = await fetch(new URL('/graphql', BASE), {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ query: `{ neighborhood(id: "${ROOT}", depth: 6, limit: ${LIMIT}) { nodes { id } } }` }),
});
const body = await res.json();
if (body.errors) throw new Error(JSON.stringify(body.errors));
const ids = body.data.neighborhood.nodes.map((n) => n.id);

/** What layoutmetric.mjs measured on screen, in one line. */
function figures(m) {
  return `zoom ${m.zoom.toFixed(2)}: ${m.nodes} entities on screen, ${m.bodyOverlaps} overlapping, ` +
    `${m.labels} labels drawn, ${m.labelOverlaps} overlapping labels, ${m.labelOnBody} labels over entities`;
}

const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.goto(`${BASE}/#ids=${ids.join(',')}`);
  await page.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, ids.length, { timeout: 60000 });
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: 60000 });
  await page.waitForTimeout(2500); // layout animation
  await page.evaluate(() => window.skein.chart.fit());
  await page.waitForTimeout(500);
  await page.mouse.move(2, 2);
  await page.screenshot({ path: join(outDir, 'chart-150.png') });
  console.log(`wrote chart-150.png (${ids.length} entities)`, figures(await measureLayout(page)));

  // Zoomed on the busiest hub, selected, so its links say what they are.
  const hub = await page.evaluate(() => {
    const cy = window.skein.chart.cy;
    const n = cy.nodes().sort((a, b) => b.degree() - a.degree()).first();
    cy.zoom({ level: 1.0, position: n.position() });
    cy.center(n);
    window.skein.chart.selectOnly(n.id());
    return n.id();
  });
  await page.waitForSelector('#details-title', { timeout: 20000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(outDir, 'chart-150-zoom.png') });
  console.log(`wrote chart-150-zoom.png (${hub} selected)`, figures(await measureLayout(page)));

  await page.evaluate(() => {
    window.skein.chart.cy.elements().unselect();
    window.skein.chart.fit();
  });
  await page.check('#community-toggle');
  await page.check('#broker-toggle');
  await page.selectOption('#size-select', 'BETWEENNESS');
  await page.waitForSelector('#broker-view', { timeout: 30000 });
  await page.waitForSelector('#centrality-table tbody tr', { timeout: 30000 });
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(outDir, 'chart-150-analysis.png') });
  console.log('wrote chart-150-analysis.png');
} finally {
  await browser.close();
}

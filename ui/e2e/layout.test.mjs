// End-to-end: the force layout spreads a big chart readably. A synthetic
// network from `skein gen` (150 entities with about 650 links, and 1,000
// with about 4,300, with SKEIN_LAYOUT_SIZES=150,1000) is loaded whole into the chart of a server started
// here, in Debian's headless Chromium, and laid out. Then, from the boxes
// Cytoscape renders (renderedBoundingBox, layoutmetric.mjs), at the zoom the
// chart opens at and zoomed in: no two entities overlap, no label drawn
// overlaps another label or an entity, and close up every label is drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, needs, startSkein } from './browser.mjs';
import { measureEverywhere, measureLayout } from './layoutmetric.mjs';

const skip = needs({ bin: true });

/** Generous: the machine running the suite may be shared and slow. */
const LAYOUT_TIMEOUT = 600_000;

function summary(m) {
  return `zoom ${m.zoom.toFixed(2)}: ${m.nodes} entities, ${m.links} links; overlapping entity pairs ${m.bodyOverlaps}; ` +
    `labels drawn ${m.labels}, overlapping label pairs ${m.labelOverlaps}, labels over an entity ${m.labelOnBody}; ` +
    `links through an entity ${m.edgeThroughNode}`;
}

function assertReadable(m, where) {
  assert.equal(m.bodyOverlaps, 0, `${where}: entities overlap: ${m.worst.join('; ')}`);
  assert.equal(m.labelOverlaps, 0, `${where}: labels overlap: ${m.worst.join('; ')}`);
  assert.equal(m.labelOnBody, 0, `${where}: labels over entities: ${m.worst.join('; ')}`);
}

// 150 runs with the suite; SKEIN_LAYOUT_SIZES=150,1000 adds the bigger
// chart (its layout and the tiles measured take many minutes on a busy
// machine).
const SIZES = (process.env.SKEIN_LAYOUT_SIZES ?? '150').split(',').map(Number).filter((n) => n >= 10);

for (const entities of SIZES) {
  test(`the force layout spreads ${entities} generated entities without overlaps`, { skip, timeout: LAYOUT_TIMEOUT + 120_000 }, async (t) => {
    const server = await startSkein({ args: ['--no-seed'], gen: { entities, seed: 1 } });
    const browser = await launch();
    try {
      const all = await (await fetch(new URL('/api/export/json', server.url))).json();
      const ids = all.entities.map((e) => e.id);
      assert.equal(ids.length, entities);
      const page = await browser.context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/#ids=${ids.map(encodeURIComponent).join(',')}`);
      await page.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, ids.length, { timeout: LAYOUT_TIMEOUT });
      await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: LAYOUT_TIMEOUT });
      // Laid out once more, waiting for the layout's own promise: it ends
      // (layoutstop) in the browser, with every entity placed.
      const placed = await page.evaluate(async () => {
        const chart = window.skein.chart;
        chart.layoutName = 'fcose';
        await chart.layout('fcose');
        return chart.cy.nodes().filter((n) => Number.isFinite(n.position().x) && Number.isFinite(n.position().y)).length;
      });
      assert.equal(placed, entities);
      await page.mouse.move(2, 2);
      await page.waitForTimeout(800); // the level of detail settles

      const fit = await measureLayout(page);
      t.diagnostic(`fitted: ${summary(fit)}`);
      assert.equal(fit.nodes, entities);
      assertReadable(fit, 'fitted');

      for (const zoom of [0.6, 1]) {
        const m = await measureEverywhere(page, zoom);
        assert.equal(m.nodes, entities, `the tiles at zoom ${zoom} missed entities`);
        t.diagnostic(`zoomed (${m.tiles} screens): ${summary(m)}`);
        assertReadable(m, `zoom ${zoom}`);
        // Zoomed in, the layout left room for every label.
        if (zoom === 1) assert.equal(m.labels, entities, `only ${m.labels} of ${entities} labels drawn at zoom 1`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
}

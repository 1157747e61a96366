// End-to-end: the readable chart and the analysis in view, against a real
// `skein serve` with the seed loaded (SKEIN_URL), in Debian's headless
// Chromium. Expected figures come from the GraphQL API, the seed's source
// document and the rendered pixels, never from the UI's own code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gql, needs, openPage, TIMEOUT } from './browser.mjs';

const BASE = process.env.SKEIN_URL;
const skip = needs({ url: true });

const NETWORK = 'organization:krasniqi-network';

function sourceText() {
  const dir = join(import.meta.dirname, '..', '..', 'seed', 'sources');
  return readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n').replace(/\s+/g, ' ');
}
const norm = (s) => s.replace(/\s+/g, ' ').trim();

/** The network and its direct neighbours, with the links among them (from the API). */
async function networkBall() {
  const d = await gql(`{ neighborhood(id:"${NETWORK}", depth:1, limit: 500){ nodes { id kind } links { id source { id } target { id } } } }`);
  return d.neighborhood;
}

async function settled(page) {
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: TIMEOUT });
  await page.waitForTimeout(800);
}

async function openChart(page, ids) {
  await page.goto(`${BASE}/#ids=${ids.join(',')}`);
  await page.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, ids.length, { timeout: TIMEOUT });
  await settled(page);
}

/** Where an element is drawn, in page coordinates. */
function nodePoint(page, id) {
  return page.evaluate((nid) => {
    const cy = window.skein.chart.cy;
    const r = cy.container().getBoundingClientRect();
    const p = cy.getElementById(nid).renderedPosition();
    return { x: r.left + p.x, y: r.top + p.y };
  }, id);
}

/** A screenshot of the chart canvas only. */
async function chartShot(page) {
  await page.mouse.move(2, 2); // no hover
  await page.waitForTimeout(250);
  return page.locator('#chart').screenshot({ animations: 'disabled' });
}

let browser;
let page;
const errors = [];

before(async () => {
  if (skip) return;
  ({ browser, page } = await openPage(errors));
});

after(async () => {
  await browser?.close();
});

test('the readable chart and the analysis in view', { skip }, async (t) => {
  const ball = await networkBall();
  const ids = ball.nodes.map((n) => n.id);
  assert.ok(ids.length > 5, 'the Krasniqi network has neighbours in the seed');
  await openChart(page, ids);

  await t.test('labels by level of detail, checked by rendering', async () => {
    // Renders the chart at a zoom, with the real labels and with every label
    // blanked: equal pictures mean no label was drawn.
    const shots = async (zoom, blank, selectEdge = false) => {
      await page.evaluate(({ z, sel }) => {
        const cy = window.skein.chart.cy;
        cy.elements().unselect();
        cy.zoom(z);
        cy.center();
        if (sel) cy.edges().first().select();
      }, { z: zoom, sel: selectEdge });
      await page.waitForTimeout(150);
      const real = await chartShot(page);
      const saved = await page.evaluate((what) => {
        const cy = window.skein.chart.cy;
        const keep = cy.elements().map((e) => [e.id(), e.data('name'), e.data('label')]);
        cy.batch(() => cy.elements().forEach((e) => {
          if (what.includes('node') && e.isNode()) e.data('name', '');
          if (what.includes('edge') && e.isEdge()) e.data('label', '');
        }));
        return keep;
      }, blank);
      const blanked = await chartShot(page);
      await page.evaluate((keep) => {
        const cy = window.skein.chart.cy;
        cy.batch(() => keep.forEach(([id, name, label]) => {
          const e = cy.getElementById(id);
          if (e.isNode()) e.data('name', name);
          else e.data('label', label);
        }));
      }, saved);
      return { real, blanked };
    };
    let s = await shots(0.3, ['node', 'edge']);
    assert.ok(s.real.equals(s.blanked), 'far out, no label is drawn');
    s = await shots(1.0, ['node']);
    assert.ok(!s.real.equals(s.blanked), 'at zoom 1 entity labels are drawn');
    s = await shots(1.0, ['edge']);
    assert.ok(s.real.equals(s.blanked), 'at zoom 1 no link label is drawn until asked for');
    s = await shots(1.0, ['edge'], true);
    assert.ok(!s.real.equals(s.blanked), 'a selected link shows its label');
    s = await shots(1.6, ['edge']);
    assert.ok(!s.real.equals(s.blanked), 'zoomed in close, link labels are drawn');
    await page.evaluate(() => {
      window.skein.chart.cy.elements().unselect();
      window.skein.chart.fit();
    });
    await settled(page);
  });

  await t.test('select by kind from the legend; the status bar and the details agree', async () => {
    const people = ball.nodes.filter((n) => n.kind === 'PERSON').length;
    assert.ok(people > 1);
    await page.click('#select-kind-PERSON');
    const want = `${people} entities selected`;
    await page.waitForFunction((w) => document.querySelector('#status-selection')?.textContent === w, want, { timeout: TIMEOUT });
    await page.waitForFunction((w) => document.querySelector('#details-title')?.textContent === w, want, { timeout: TIMEOUT });
    const kinds = await page.evaluate(() => window.skein.chart.cy.nodes(':selected').map((n) => n.data('kind')));
    assert.deepEqual([...new Set(kinds)], ['PERSON']);
    await page.click('#btn-select-all');
    const all = `${ids.length} entities selected`;
    await page.waitForFunction((w) => document.querySelector('#status-selection')?.textContent === w, all, { timeout: TIMEOUT });
    await page.keyboard.press('Escape');
  });

  await t.test('collapse works after a reload, undo and redo', async () => {
    // Reload the same chart: nothing was added by hand in this page.
    await openChart(page, ids);
    const linked = new Map();
    for (const l of ball.links) {
      for (const [a, b] of [[l.source.id, l.target.id], [l.target.id, l.source.id]]) {
        if (!linked.has(a)) linked.set(a, new Set());
        linked.get(a).add(b);
      }
    }
    const leaves = ids.filter((id) => id !== NETWORK && [...(linked.get(id) ?? [])].every((x) => x === NETWORK));
    assert.ok(leaves.length > 0, 'some neighbours hang only off the network');
    await page.evaluate((id) => window.skein.chart.selectOnly(id), NETWORK);
    await page.click('#btn-collapse');
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, ids.length - leaves.length, { timeout: TIMEOUT });
    const left = await page.evaluate(() => window.skein.chart.nodeIds());
    for (const l of leaves) assert.ok(!left.includes(l), `${l} collapsed`);
    await page.click('#btn-undo');
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, ids.length, { timeout: TIMEOUT });
    await page.focus('#chart');
    await page.keyboard.press('Control+Shift+Z');
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, ids.length - leaves.length, { timeout: TIMEOUT });
    await page.click('#btn-undo');
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, ids.length, { timeout: TIMEOUT });
    assert.equal(await page.isDisabled('#btn-redo'), false);
    await page.click('#btn-redo');
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, ids.length - leaves.length, { timeout: TIMEOUT });
    await page.click('#btn-undo');
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, ids.length, { timeout: TIMEOUT });
    await settled(page);
  });

  await t.test('the context menu: expand by link type, hide, pin, bundle, remove, timeline, paths', async () => {
    const burim = 'person:burim-krasniqi';
    await openChart(page, [burim]);
    const api = await gql(`{ entity(id:"${burim}"){ links { type source { id } target { id } } } }`);
    const counts = new Map();
    for (const l of api.entity.links) counts.set(l.type, (counts.get(l.type) ?? 0) + 1);
    let p = await nodePoint(page, burim);
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.waitForSelector('#entity-menu:not([hidden]) [data-action=expand-type]', { timeout: TIMEOUT });
    const shown = await page.$$eval('#entity-menu [data-action=expand-type]', (els) => els.map((e) => [e.dataset.type, e.textContent]));
    assert.deepEqual(new Set(shown.map(([ty]) => ty)), new Set(counts.keys()));
    for (const [ty, text] of shown) assert.ok(text.endsWith(`· ${counts.get(ty)}`), `${text} counts ${counts.get(ty)}`);
    // Expand only the type with the fewest links.
    const [type] = [...counts.entries()].sort((a, b) => a[1] - b[1])[0];
    const want = new Set(api.entity.links.filter((l) => l.type === type).flatMap((l) => [l.source.id, l.target.id]));
    await page.click(`#entity-menu [data-action=expand-type][data-type="${type}"]`);
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, want.size, { timeout: TIMEOUT });
    assert.deepEqual(new Set(await page.evaluate(() => window.skein.chart.nodeIds())), want);
    await settled(page);

    // Hide one neighbour: it is not drawn, the status bar says so, and it comes back.
    const other = [...want].find((x) => x !== burim);
    p = await nodePoint(page, other);
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.click('#entity-menu [data-action=hide]');
    await page.waitForFunction(() => /1 hidden/.test(document.querySelector('#status-hidden')?.textContent ?? ''), null, { timeout: TIMEOUT });
    assert.equal(await page.evaluate((id) => window.skein.chart.cy.getElementById(id).visible(), other), false);
    await page.click('#btn-unhide');
    await page.waitForFunction((id) => window.skein.chart.cy.getElementById(id).visible(), other, { timeout: TIMEOUT });

    // Pin Burim: a new layout leaves him where he is, and the URL keeps the pin.
    p = await nodePoint(page, burim);
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.click('#entity-menu [data-action=pin]');
    const before = await page.evaluate((id) => window.skein.chart.cy.getElementById(id).position(), burim);
    await page.selectOption('#layout-select', 'concentric');
    await settled(page);
    const afterPos = await page.evaluate((id) => window.skein.chart.cy.getElementById(id).position(), burim);
    assert.deepEqual(afterPos, before, 'a pinned entity stays put');
    await page.waitForFunction(() => /[#&]pin=person:burim-krasniqi/.test(location.hash), null, { timeout: TIMEOUT });
    await page.selectOption('#layout-select', 'fcose');
    await settled(page);

    // Timeline: a clear message while the view is not built in.
    p = await nodePoint(page, burim);
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.click('#entity-menu [data-action=timeline]');
    const timeline = await page.evaluate(() => window.skein.hooks.openTimeline !== null);
    if (!timeline) {
      await page.waitForFunction(() => /timeline/i.test(document.querySelector('#toast')?.textContent ?? ''), null, { timeout: TIMEOUT });
    }

    // Paths from here: the dialog opens with Burim as the start.
    p = await nodePoint(page, burim);
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.click('#entity-menu [data-action=paths]');
    await page.waitForSelector('#paths-dialog[open]', { timeout: TIMEOUT });
    assert.equal(await page.inputValue('#path-from'), 'Burim Krasniqi');
    await page.click('#paths-cancel');

    // Remove from the menu, then undo.
    const n = (await page.evaluate(() => window.skein.chart.nodeIds())).length;
    p = await nodePoint(page, other);
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.click('#entity-menu [data-action=remove]');
    await page.waitForFunction((k) => window.skein.chart.nodeIds().length === k, n - 1, { timeout: TIMEOUT });
    await page.click('#btn-undo');
    await page.waitForFunction((k) => window.skein.chart.nodeIds().length === k, n, { timeout: TIMEOUT });
  });

  await t.test('a hub\'s leaves fold into a bundle that opens on a click', async () => {
    await openChart(page, ids);
    const leaves = await page.evaluate((hub) => {
      const cy = window.skein.chart.cy;
      return cy.getElementById(hub).neighborhood('node').filter((m) => m.neighborhood('node').every((x) => x.id() === hub)).map((m) => m.id());
    }, NETWORK);
    assert.ok(leaves.length >= 2);
    const p = await nodePoint(page, NETWORK);
    await page.mouse.click(p.x, p.y, { button: 'right' });
    await page.click('#entity-menu [data-action=bundle]');
    const bundle = `bundle:${NETWORK}`;
    await page.waitForFunction((b) => window.skein.chart.cy.getElementById(b).nonempty(), bundle, { timeout: TIMEOUT });
    assert.equal(await page.evaluate((b) => window.skein.chart.cy.getElementById(b).data('name'), bundle), `${leaves.length} members`);
    const hidden = await page.evaluate((l) => l.filter((id) => window.skein.chart.cy.getElementById(id).visible()).length, leaves);
    assert.equal(hidden, 0, 'the members are not drawn');
    assert.equal((await page.evaluate(() => window.skein.chart.nodeIds())).length, ids.length, 'the members stay on the chart');
    await settled(page);
    const b = await nodePoint(page, bundle);
    await page.mouse.click(b.x, b.y); // selects it
    await page.waitForTimeout(500);
    await page.mouse.click(b.x, b.y); // opens it
    await page.waitForFunction((bb) => window.skein.chart.cy.getElementById(bb).empty(), bundle, { timeout: TIMEOUT });
    const visible = await page.evaluate((l) => l.filter((id) => window.skein.chart.cy.getElementById(id).visible()).length, leaves);
    assert.equal(visible, leaves.length);
    await settled(page);
  });

  await t.test('centrality as a ranked table with a size scale; communities with a legend', async () => {
    await openChart(page, ids);
    const api = await gql('query($ids:[ID!]){ centrality(metric: DEGREE, ids:$ids, depth:0, top: 100){ score entity { id } } }', { ids });
    await page.selectOption('#size-select', 'DEGREE');
    await page.waitForSelector('#centrality-table tbody tr', { timeout: TIMEOUT });
    const rows = await page.$$eval('#centrality-table tbody tr', (els) => els.map((e) => ({ id: e.dataset.id, score: Number(e.lastChild.textContent) })));
    const top = [...api.centrality].sort((a, b) => b.score - a.score);
    assert.equal(rows[0].id, top[0].entity.id, 'the highest score first');
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].score >= rows[i].score, 'ranked by score');
    const byId = new Map(api.centrality.map((s) => [s.entity.id, s.score]));
    for (const r of rows) assert.ok(Math.abs(byId.get(r.id) - r.score) < 1e-3, `${r.id} shows the API's score`);
    assert.equal(await page.$$eval('#centrality-view .size-dot', (els) => els.length), 3, 'a scale for node size');
    await page.check('#community-toggle');
    const cs = await gql('query($ids:[ID!]){ communities(ids:$ids, depth:0){ members { id } } }', { ids });
    await page.waitForSelector('#community-legend li', { timeout: TIMEOUT });
    assert.equal(await page.$$eval('#community-legend li', (els) => els.length), cs.communities.length);
    // The halo keeps the kind colour: the fill is still the kind's.
    const fills = await page.evaluate(() => {
      const cy = window.skein.chart.cy;
      const byKind = {};
      cy.nodes('.community').forEach((n) => {
        (byKind[n.data('kind')] ??= new Set()).add(n.style('background-color'));
      });
      return Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, v.size]));
    });
    for (const [k, v] of Object.entries(fills)) assert.equal(v, 1, `${k} keeps one fill colour under the halo`);
    await page.selectOption('#size-select', '');
    await page.uncheck('#community-toggle');
  });

  await t.test('brokers: articulation points and bridges highlighted with a legend', async () => {
    const api = await gql('query($ids:[ID!]){ brokers(ids:$ids, depth:0){ articulationPoints { id } bridges { id } } }', { ids });
    await page.check('#broker-toggle');
    await page.waitForSelector('#broker-view', { timeout: TIMEOUT });
    const marked = await page.evaluate(() => ({
      points: window.skein.chart.cy.nodes('.broker').map((n) => n.id()).sort(),
      bridges: window.skein.chart.cy.edges('.bridge').map((e) => e.id()).sort(),
    }));
    assert.deepEqual(marked.points, api.brokers.articulationPoints.map((p) => p.id).sort());
    assert.deepEqual(marked.bridges, api.brokers.bridges.map((b) => b.id).sort());
    assert.equal(await page.$$eval('#broker-points li', (els) => els.length), api.brokers.articulationPoints.length);
    assert.equal(await page.$$eval('#broker-bridges li', (els) => els.length), api.brokers.bridges.length);
    await page.uncheck('#broker-toggle');
    await page.waitForFunction(() => !document.querySelector('#broker-view'), null, { timeout: TIMEOUT });
  });

  await t.test('sanctions exposure in the details: nearest designated parties, each hop quoted', async () => {
    // An entity of the ball exposed to someone other than itself.
    let pick = null;
    let api = null;
    for (const id of ids) {
      const d = await gql(`{ sanctionsExposure(id:"${id}", maxHops:3){ entity { id } path { length links { sources { quote } } } } }`);
      const others = d.sanctionsExposure.filter((x) => x.entity.id !== id);
      if (others.length > 0) {
        pick = id;
        api = others;
        break;
      }
    }
    assert.ok(pick, 'some entity of the Krasniqi network is exposed to a designated party');
    await page.evaluate((id) => window.skein.chart.selectOnly(id), pick);
    await page.waitForSelector('#exposure .exposure-item', { timeout: TIMEOUT });
    const items = await page.$$eval('#exposure .exposure-item', (els) => els.map((e) => ({ id: e.dataset.id, hops: e.querySelectorAll('.hop').length })));
    assert.deepEqual(items.map((i) => i.id), api.map((x) => x.entity.id));
    assert.deepEqual(items.map((i) => i.hops), api.map((x) => x.path.length));
    const doc = sourceText();
    const quotes = await page.$$eval('#exposure blockquote', (els) => els.map((e) => e.textContent));
    assert.ok(quotes.length > 0);
    for (const q of quotes) assert.ok(doc.includes(norm(q)), `quote not in the source document: ${q}`);
    // Within the exposure, a quote cited by two hops is shown once.
    assert.equal(new Set(quotes.map(norm)).size, quotes.length);
  });

  await t.test('a source quote opens its document with the quote highlighted', async () => {
    await page.evaluate(() => window.skein.chart.selectOnly('person:burim-krasniqi'));
    await page.waitForFunction(() => document.querySelector('#details-title')?.textContent === 'Burim Krasniqi', null, { timeout: TIMEOUT });
    // Once the exposure section has loaded, so nothing moves under the click.
    await page.waitForFunction(() => /·/.test(document.querySelector('#exposure h3')?.textContent ?? ''), null, { timeout: TIMEOUT });
    const first = page.locator('#details > .details-section:not(#exposure) .quote').first();
    const q = norm(await first.locator('blockquote').textContent());
    const entityQuotes = await page.$$eval('#details > .details-section:not(#exposure) blockquote', (els) => els.map((e) => e.textContent.replace(/\s+/g, ' ').trim()));
    assert.equal(new Set(entityQuotes).size, entityQuotes.length, 'one quote is shown once per entity');
    await first.locator('a.doc-link').click();
    await page.waitForSelector('#doc-dialog[open] #doc-quote', { timeout: TIMEOUT });
    assert.equal(norm(await page.textContent('#doc-quote')), q);
    const text = await page.textContent('#doc-body pre');
    assert.ok(norm(text).length > q.length, 'the whole document is shown');
    await page.click('#doc-close');
  });

  await t.test('the audit view lists operations and filters by actor and time', async () => {
    const api = await gql('{ auditLog(first: 50){ nodes { seq actor } } }');
    assert.ok(api.auditLog.nodes.length > 0, 'the server audits');
    const actor = api.auditLog.nodes[0].actor;
    await page.click('#btn-audit');
    await page.waitForSelector('#audit-rows tr', { timeout: TIMEOUT });
    await page.fill('#audit-actor', actor);
    await page.click('#audit-apply');
    await page.waitForFunction(() => /entr/.test(document.querySelector('#audit-status')?.textContent ?? ''), null, { timeout: TIMEOUT });
    const actors = await page.$$eval('#audit-rows tr', (els) => els.map((e) => e.dataset.actor));
    assert.ok(actors.length > 0);
    assert.deepEqual([...new Set(actors)], [actor]);
    await page.fill('#audit-since', '2099-01-01T00:00:00');
    await page.click('#audit-apply');
    await page.waitForFunction(() => document.querySelector('#audit-status')?.textContent === 'No entry matches.', null, { timeout: TIMEOUT });
    assert.equal(await page.$$eval('#audit-rows tr', (els) => els.length), 0);
    await page.click('#audit-close');
  });

  await t.test('search: Enter adds the top-ranked result, and the list shows the alias that matched', async () => {
    const id = 'person:aliastest-e2e';
    await gql('mutation($in:[EntityInput!]!){ upsertEntities(input:$in){ id } }', {
      in: [{ id, kind: 'PERSON', name: 'Qorvath Plinkett', aliases: ['Zembrik Tolloway'] }],
    });
    try {
      await page.click('#btn-clear');
      await page.fill('#search-input', '');
      await page.focus('#search-input');
      await page.keyboard.type('zembrik');
      await page.waitForSelector(`#search-results [data-id="${id}"] .result-alias`, { timeout: TIMEOUT });
      assert.equal(await page.textContent(`#search-results [data-id="${id}"] .result-alias`), 'alias: Zembrik Tolloway');
      // Typed and Enter at once: the API's top result goes on the chart.
      const top = (await gql('{ search(query:"krasniqi", first: 1){ nodes { id } } }')).search.nodes[0].id;
      await page.fill('#search-input', '');
      await page.keyboard.type('krasniqi');
      await page.keyboard.press('Enter');
      await page.waitForFunction((x) => window.skein.chart.nodeIds().includes(x), top, { timeout: TIMEOUT });
      assert.deepEqual(await page.evaluate(() => window.skein.chart.nodeIds()), [top]);
    } finally {
      await gql('mutation($id:ID!){ deleteEntity(id:$id) }', { id });
    }
  });

  assert.deepEqual(errors, [], 'no errors in the page');
});

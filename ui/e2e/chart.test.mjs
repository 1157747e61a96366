// End-to-end: a real `skein serve` with the seed loaded (SKEIN_URL), driven
// through Debian's headless Chromium the way an analyst would use it.
// Expected figures come from the GraphQL API and the seed's source
// document, never from the UI's own code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gql, needs, openPage, TIMEOUT } from './browser.mjs';
import { background, decodePng, differs, inkAround, pixel } from './pixels.mjs';

const BASE = process.env.SKEIN_URL;
const skip = needs({ url: true });

const BURIM = 'person:burim-krasniqi';
const NETWORK = 'organization:krasniqi-network';

/** The seed's source document, whitespace-normalised, to check quotes against. */
function sourceText() {
  const dir = join(import.meta.dirname, '..', '..', 'seed', 'sources');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n')
    .replace(/\s+/g, ' ');
}

/** Entities and the distinct links among them, as the API sees them. */
async function induced(ids) {
  const d = await gql('query($ids:[ID!]!){ entities(ids:$ids){ id name links { id source { id } target { id } } } }', { ids });
  const set = new Set(ids);
  const links = new Set();
  for (const e of d.entities) {
    for (const l of e.links) if (set.has(l.source.id) && set.has(l.target.id)) links.add(l.id);
  }
  return { entities: d.entities.length, links: links.size, names: d.entities.map((e) => e.name) };
}

function countsText(n, l) {
  return `${n} ${n === 1 ? 'entity' : 'entities'} · ${l} ${l === 1 ? 'link' : 'links'}`;
}

async function waitCounts(page, text) {
  await page.waitForFunction((t) => document.querySelector('#status-counts')?.textContent === t, text, { timeout: TIMEOUT });
}

/** Ids of the entities on the chart, read from the page's chart. */
function chartIds(page) {
  return page.evaluate(() => window.skein.chart.nodeIds().sort());
}

/** Clicks (or double-clicks) an entity where it is drawn on the canvas. */
async function clickNode(page, id, opts = {}) {
  const pos = await page.evaluate((nid) => {
    const cy = window.skein.chart.cy;
    const n = cy.getElementById(nid);
    const r = cy.container().getBoundingClientRect();
    const p = n.renderedPosition();
    return { x: r.left + p.x, y: r.top + p.y };
  }, id);
  if (opts.double) await page.mouse.dblclick(pos.x, pos.y);
  else if (opts.shift) {
    await page.keyboard.down('Shift');
    await page.mouse.click(pos.x, pos.y);
    await page.keyboard.up('Shift');
  } else await page.mouse.click(pos.x, pos.y);
}

/**
 * Checks what the chart draws on screen, in a screenshot of its canvas:
 * each entity in view has ink (pixels unlike the background) over most of
 * its centre where Cytoscape says it is, and a spot away from every
 * element has next to none. Returns how many entities in
 * view were checked.
 */
async function assertDrawn(page) {
  const view = await page.evaluate(() => {
    const cy = window.skein.chart.cy;
    const r = cy.container().getBoundingClientRect();
    return {
      x: r.left, y: r.top, width: r.width, height: r.height, ratio: window.devicePixelRatio,
      nodes: cy.nodes().filter((n) => n.style('display') !== 'none').map((n) => ({ id: n.id(), ...n.renderedPosition(), w: n.renderedWidth(), h: n.renderedHeight() })),
      boxes: cy.elements().filter((e) => e.style('display') !== 'none').map((e) => e.renderedBoundingBox({ includeLabels: true, includeOverlays: true })),
    };
  });
  const img = decodePng(await page.screenshot({ clip: { x: view.x, y: view.y, width: view.width, height: view.height } }));
  const k = view.ratio;
  assert.equal(img.width, Math.round(view.width * k), 'the screenshot is of the chart');
  const bg = background(img);
  const inView = view.nodes.filter((n) => n.x >= 0 && n.y >= 0 && n.x < view.width && n.y < view.height);
  assert.ok(inView.length > 0, `no entity in view: ${JSON.stringify(view.nodes)}`);
  for (const n of inView) {
    const r = Math.max(1, Math.floor((Math.min(n.w, n.h) / 4) * k));
    const ink = inkAround(img, n.x * k, n.y * k, r, bg);
    assert.ok(ink >= 0.5, `${n.id} at (${n.x.toFixed(0)}, ${n.y.toFixed(0)}) is not drawn: ${(ink * 100).toFixed(0)}% of its centre differs from the background ${bg}`);
  }
  // A spot 12 px away from every element's box (labels included).
  let empty = null;
  for (let y = 10; y < view.height - 10 && !empty; y += 10) {
    for (let x = 10; x < view.width - 10 && !empty; x += 10) {
      if (!view.boxes.some((b) => x > b.x1 - 12 && x < b.x2 + 12 && y > b.y1 - 12 && y < b.y2 + 12)) empty = { x, y };
    }
  }
  assert.ok(empty, 'the chart has an empty spot to compare with');
  // The background's dot grid inks a few percent of an empty spot.
  const emptyInk = inkAround(img, empty.x * k, empty.y * k, Math.round(6 * k), bg);
  assert.ok(emptyInk < 0.2, `the empty spot (${empty.x}, ${empty.y}) is ${(emptyInk * 100).toFixed(0)}% ink`);
  return inView.length;
}

/** Waits until layouts and animations have stopped moving nodes. */
async function settled(page) {
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: TIMEOUT });
  await page.waitForTimeout(700);
}

let browser;
let page;
let errors = [];

before(async () => {
  if (skip) return;
  ({ browser, page } = await openPage(errors));
});

after(async () => {
  await browser?.close();
});

test('the link chart: search, add, expand, details, paths, reload', { skip }, async (t) => {
  await page.goto(BASE);
  await page.waitForSelector('#status-counts');
  assert.equal(await page.textContent('#status-counts'), countsText(0, 0));

  let shared = '';

  await t.test("search 'krasniqi' lists results in the API's ranking, each with its kind, and adds Burim Krasniqi", async () => {
    const api = await gql('{ search(query:"krasniqi", first:20){ nodes { id kind name } } }');
    await page.focus('#search-input');
    await page.keyboard.type('krasniqi');
    await page.waitForSelector(`#search-results [role=option][data-id="${BURIM}"]`, { timeout: TIMEOUT });
    const options = await page.$$eval('#search-results [role=option]', (els) => els.map((e) => ({ id: e.dataset.id, kind: e.dataset.kind })));
    // The API's order, unchanged: the first option is the top-ranked result.
    assert.deepEqual(options.map((o) => o.id), api.search.nodes.map((n) => n.id));
    assert.deepEqual(options.map((o) => o.kind), api.search.nodes.map((n) => n.kind));

    await page.click(`#search-results [role=option][data-id="${BURIM}"]`);
    await waitCounts(page, countsText(1, 0));
    assert.deepEqual(await chartIds(page), [BURIM]);
    assert.match(page.url(), /#ids=person:burim-krasniqi$/);
  });

  await t.test('details show designations and a verbatim quote of the source', async () => {
    await page.waitForSelector('#details-title', { timeout: TIMEOUT });
    assert.equal(await page.textContent('#details-title'), 'Burim Krasniqi');
    const quotes = await page.$$eval('#details blockquote', (els) => els.map((e) => e.textContent));
    assert.ok(quotes.length > 0, 'the details panel quotes its sources');
    const doc = sourceText();
    for (const q of quotes) assert.ok(doc.includes(q.replace(/\s+/g, ' ').trim()), `quote not in the source document: ${q}`);
    assert.ok(quotes.some((q) => q.includes('Burim Krasniqi')), 'a quote names Burim Krasniqi');
    const designations = await page.textContent('#details');
    assert.match(designations, /Designations/);
  });

  await t.test('expanding Burim Krasniqi brings in his network', async () => {
    const nb = await gql(`{ neighborhood(id:"${BURIM}", depth:1){ nodes { id } } }`);
    const want = await induced(nb.neighborhood.nodes.map((n) => n.id));
    assert.ok(want.entities > 1, 'Burim Krasniqi has neighbours in the seed');
    await page.click('#btn-expand');
    await waitCounts(page, countsText(want.entities, want.links));
    assert.ok((await chartIds(page)).includes(NETWORK));
    await settled(page);
  });

  await t.test('the canvas draws every entity in view', async () => {
    const drawn = await assertDrawn(page);
    assert.equal(drawn, (await chartIds(page)).length, 'after a layout every entity is in view');
  });

  await t.test('expanding the Krasniqi network shows its members', async () => {
    const nb = await gql(`{ neighborhood(id:"${NETWORK}", depth:1, limit: 500){ nodes { id } } }`);
    const ids = [...new Set([...(await chartIds(page)), ...nb.neighborhood.nodes.map((n) => n.id)])];
    const want = await induced(ids);
    await page.selectOption('#expand-cap', '100');
    const positions = () => page.evaluate(() => Object.fromEntries(window.skein.chart.cy.nodes().map((n) => [n.id(), n.position()])));
    const before = await positions();
    await clickNode(page, NETWORK, { double: true });
    await waitCounts(page, countsText(want.entities, want.links));
    await settled(page);
    // Expanding keeps what was on the chart where it was.
    const afterExpand = await positions();
    for (const [id, p] of Object.entries(before)) {
      assert.ok(Math.hypot(afterExpand[id].x - p.x, afterExpand[id].y - p.y) < 1, `${id} stayed put`);
    }
    // The members the source document lists under "Krasniqi network".
    const members = ['Burim Krasniqi', 'Arif Krasniqi', 'Flamur Krasniqi', 'Valon Krasniqi', 'Sami Duriqi',
      'Granit Avdyli', 'Nexhmije Selmani', 'Endrit Ermellahu', 'Shkembim Ermellahu'];
    const names = await page.evaluate(() => window.skein.chart.cy.nodes().map((n) => n.data('name')));
    for (const m of members) assert.ok(names.includes(m), `${m} is on the chart`);
    // The network's details list every member with a role and a quote.
    await page.waitForFunction(() => document.querySelector('#details-title')?.textContent === 'Krasniqi network', null, { timeout: TIMEOUT });
    const panel = await page.textContent('#details');
    for (const m of members) assert.ok(panel.includes(m), `${m} in the network's details`);
    await settled(page);
  });

  await t.test('a link shows why it exists', async () => {
    const pos = await page.evaluate(() => {
      const cy = window.skein.chart.cy;
      const e = cy.edges().filter((x) => x.data('type') === 'MEMBER_OF').first();
      const r = cy.container().getBoundingClientRect();
      const p = e.renderedMidpoint();
      return { x: r.left + p.x, y: r.top + p.y, id: e.id() };
    });
    await page.mouse.click(pos.x, pos.y);
    await page.waitForFunction(() => /Why this link exists/.test(document.querySelector('#details')?.textContent ?? ''), null, { timeout: TIMEOUT });
    const quotes = await page.$$eval('#details blockquote', (els) => els.map((e) => e.textContent));
    assert.ok(quotes.length > 0);
    const doc = sourceText();
    for (const q of quotes) assert.ok(doc.includes(q.replace(/\s+/g, ' ').trim()), `quote not in the source document: ${q}`);
  });

  await t.test('hiding a kind and a link type changes the counts; showing restores them', async () => {
    const before = await page.textContent('#status-counts');
    const people = await page.evaluate(() => window.skein.chart.cy.nodes('[kind = "PERSON"]').length);
    const all = await page.evaluate(() => window.skein.chart.cy.nodes().length);
    await page.uncheck('#f-kind-PERSON');
    const text = await page.textContent('#status-counts');
    assert.ok(text.startsWith(`${all - people} `), `${text} after hiding ${people} people of ${all}`);
    await page.check('#f-kind-PERSON');
    assert.equal(await page.textContent('#status-counts'), before);
    await page.uncheck('#f-type-MEMBER_OF');
    assert.notEqual(await page.textContent('#status-counts'), before);
    await page.check('#f-type-MEMBER_OF');
    assert.equal(await page.textContent('#status-counts'), before);
  });

  await t.test('shift-click selects many; layouts rearrange without changing the chart', async () => {
    const counts = await page.textContent('#status-counts');
    await clickNode(page, BURIM);
    await clickNode(page, NETWORK, { shift: true });
    // The status bar and the details say the same.
    await page.waitForFunction(() => document.querySelector('#status-selection')?.textContent === '2 entities selected', null, { timeout: TIMEOUT });
    await page.waitForFunction(() => document.querySelector('#details .details-title')?.textContent === '2 entities selected', null, { timeout: TIMEOUT });
    const before = await page.evaluate(() => window.skein.chart.cy.getElementById('person:arif-krasniqi').position());
    for (const layout of ['concentric', 'breadthfirst', 'fcose']) {
      await page.selectOption('#layout-select', layout);
      await settled(page);
      assert.equal(await page.textContent('#status-counts'), counts);
    }
    const after = await page.evaluate(() => window.skein.chart.cy.getElementById('person:arif-krasniqi').position());
    assert.notDeepEqual(after, before, 'a layout moves entities');
    await page.keyboard.press('Escape');
  });

  await t.test('the shared URL reloads the same chart', async () => {
    shared = page.url();
    const ids = await chartIds(page);
    const counts = await page.textContent('#status-counts');
    const other = await browser.context.newPage();
    try {
      await other.goto(shared);
      await waitCounts(other, counts);
      assert.deepEqual(await chartIds(other), ids);
    } finally {
      await other.close();
    }
  });

  await t.test('collapse and undo', async () => {
    const before = await page.textContent('#status-counts');
    const ids = await chartIds(page);
    await clickNode(page, NETWORK);
    await page.click('#btn-collapse');
    await page.waitForFunction((b) => document.querySelector('#status-counts').textContent !== b, before, { timeout: TIMEOUT });
    assert.ok((await chartIds(page)).length < ids.length, 'collapsing removes the members');
    await page.click('#btn-undo');
    await waitCounts(page, before);
    assert.deepEqual(await chartIds(page), ids);
  });

  await t.test('remove from chart, and undo', async () => {
    const before = await page.textContent('#status-counts');
    await settled(page);
    await clickNode(page, BURIM);
    await page.focus('#chart');
    await page.keyboard.press('Delete');
    await page.waitForFunction((b) => document.querySelector('#status-counts').textContent !== b, before, { timeout: TIMEOUT });
    assert.ok(!(await chartIds(page)).includes(BURIM));
    await page.keyboard.press('Control+z');
    await waitCounts(page, before);
    assert.ok((await chartIds(page)).includes(BURIM));
  });

  await t.test('exports the chart as PNG, SVG and a GraphML subgraph', async () => {
    await page.click('#btn-export');
    // The chart as the PNG export must draw it: the whole graph at scale 2
    // on white (the export's settings), each entity where the chart has it.
    const chartBox = await page.evaluate(() => {
      const cy = window.skein.chart.cy;
      const bb = cy.elements().boundingBox();
      return {
        bb, ratio: window.devicePixelRatio,
        nodes: cy.nodes().filter((n) => n.style('display') !== 'none').map((n) => ({ id: n.id(), ...n.position(), w: n.width(), h: n.height() })),
      };
    });
    let [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-export=png]')]);
    const img = decodePng(readFileSync(await dl.path()));
    const scale = 2 * chartBox.ratio;
    // The chart sits inside the page with the title above, the legend and sources below.
    const box = await page.evaluate(() => window.skein.lastImage);
    assert.ok(box.x >= 0 && box.y > 0 && box.x + box.w <= img.width && box.y + box.h < img.height, `the chart ${JSON.stringify(box)} inside the ${img.width}x${img.height} PNG`);
    assert.ok(Math.abs(box.w - chartBox.bb.w * scale) <= scale + 1 && Math.abs(box.h - chartBox.bb.h * scale) <= scale + 1,
      `the chart in the PNG is ${box.w}x${box.h}, on screen ${chartBox.bb.w}x${chartBox.bb.h} at scale ${scale}`);
    assert.ok(chartBox.nodes.length > 1, `${chartBox.nodes.length} entities on the chart`);
    const white = [255, 255, 255, 255];
    assert.ok(!differs(pixel(img, 0, 0), white), 'the PNG has a white background');
    for (const n of chartBox.nodes) {
      const x = box.x + (n.x - chartBox.bb.x1) * scale;
      const y = box.y + (n.y - chartBox.bb.y1) * scale;
      const ink = inkAround(img, x, y, Math.max(1, Math.floor((Math.min(n.w, n.h) / 4) * scale)), white);
      assert.ok(ink >= 0.5, `${n.id} is not drawn in the PNG at (${x.toFixed(0)}, ${y.toFixed(0)}): ${(ink * 100).toFixed(0)}% ink`);
    }
    await page.click('#btn-export');
    [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-export=svg]')]);
    const svg = readFileSync(await dl.path(), 'utf8');
    assert.match(svg, /<svg[\s>]/);
    assert.ok(svg.includes('Burim Krasniqi'), 'the SVG carries the labels');
    await page.click('#btn-export');
    const href = await page.getAttribute('[data-format=graphml]', 'href');
    await page.keyboard.press('Escape');
    const res = await fetch(new URL(href, BASE));
    assert.equal(res.status, 200);
    const xml = await res.text();
    for (const id of await chartIds(page)) assert.ok(xml.includes(id), `${id} in the GraphML export`);
  });

  await t.test('finds the path between Vahid and Ali Derakhshan', async () => {
    const vahid = 'person:vahid-derakhshan';
    const ali = 'person:ali-derakhshan';
    const api = await gql(`{ paths(from:"${vahid}", to:"${ali}", maxHops:4, limit:10){ length nodes { id } links { id } } }`);
    assert.ok(api.paths.length > 0, 'the seed connects them');
    await page.click('#btn-clear');
    await waitCounts(page, countsText(0, 0));
    await page.click('#btn-paths');
    for (const [field, q, id] of [['#path-from', 'vahid', vahid], ['#path-to', 'ali derakhshan', ali]]) {
      await page.fill(field, '');
      await page.focus(field);
      await page.keyboard.type(q);
      await page.waitForSelector(`${field}-results [role=option][data-id="${id}"]`, { timeout: TIMEOUT });
      await page.click(`${field}-results [role=option][data-id="${id}"]`);
    }
    await page.click('#paths-run');
    await page.waitForSelector('#path-list li', { timeout: TIMEOUT });
    assert.equal(await page.$$eval('#path-list li', (els) => els.length), api.paths.length);
    const want = new Set(api.paths.flatMap((p) => [...p.nodes.map((n) => n.id), ...p.links.map((l) => l.id)]));
    const lit = await page.evaluate(() => window.skein.chart.cy.elements('.path').map((e) => e.id()));
    assert.deepEqual(new Set(lit), want, 'every element of every path is highlighted');
    const ids = await chartIds(page);
    assert.ok(ids.includes(vahid) && ids.includes(ali));
    const w = await induced(ids);
    await waitCounts(page, countsText(w.entities, w.links));
  });

  await t.test('keyboard: / focuses search, arrows move the selection, focus is visible', async () => {
    await page.click('#chart');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
    await page.keyboard.press('Escape');
    await page.focus('#chart');
    await page.keyboard.press('ArrowRight');
    const sel = await page.evaluate(() => window.skein.chart.selectedNodeIds());
    assert.equal(sel.length, 1);
    const name = await page.evaluate((id) => window.skein.chart.node(id).data('name'), sel[0]);
    await page.waitForFunction((n) => document.querySelector('#details-title')?.textContent === n, name, { timeout: TIMEOUT });
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'details-title');
    // Tab from the search box to the first tool: its focus ring shows.
    await page.focus('#search-input');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ id: document.activeElement?.id, shadow: getComputedStyle(document.activeElement).boxShadow }));
    assert.equal(focused.id, 'btn-paths');
    assert.notEqual(focused.shadow, 'none', 'the focused control shows a focus ring');
  });

  await t.test('an expand over the cap says it was truncated, and expanding again pages on', async () => {
    const api = await gql(`{ entity(id:"${NETWORK}"){ links { source { id } target { id } } } }`);
    const nbrs = new Set(api.entity.links.flatMap((l) => [l.source.id, l.target.id]).filter((x) => x !== NETWORK));
    assert.ok(nbrs.size > 5, 'the network has more than 5 neighbours');
    await page.click('#btn-clear');
    await page.goto(`${BASE}/#ids=${NETWORK}`);
    await waitCounts(page, countsText(1, 0));
    await page.selectOption('#expand-cap', '5');
    await settled(page);
    await clickNode(page, NETWORK, { double: true });
    await page.waitForFunction(() => /Truncated/.test(document.querySelector('#toast')?.textContent ?? ''), null, { timeout: TIMEOUT });
    await page.waitForFunction(() => window.skein.chart.nodeIds().length === 6, null, { timeout: TIMEOUT });
    const first = (await chartIds(page)).filter((x) => x !== NETWORK);
    for (const id of first) assert.ok(nbrs.has(id), `${id} is a neighbour`);
    await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: TIMEOUT });
    await settled(page);
    await clickNode(page, NETWORK, { double: true });
    const want = Math.min(nbrs.size, 10) + 1;
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, want, { timeout: TIMEOUT });
    const second = (await chartIds(page)).filter((x) => x !== NETWORK);
    for (const id of first) assert.ok(second.includes(id), `${id} stays`);
    for (const id of second) assert.ok(nbrs.has(id), `${id} is a neighbour`);
    const w = await induced([NETWORK, ...second]);
    await waitCounts(page, countsText(w.entities, w.links));
  });

  await t.test('analysis overlays size by centrality and colour by community', async () => {
    const res = await fetch(new URL('/graphql', BASE), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: `{ centrality(metric: PAGERANK, ids: ["${NETWORK}"], depth: 0, top: 1) { score } }` }),
    });
    const body = await res.json();
    // Any error, UNAVAILABLE included, fails: the server has analysis.
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(body.data.centrality.length, 1, JSON.stringify(body.data));
    await page.selectOption('#size-select', 'PAGERANK');
    await page.waitForFunction(() => window.skein.chart.cy.nodes('.sized').length > 0, null, { timeout: TIMEOUT });
    await page.check('#community-toggle');
    await page.waitForFunction(() => window.skein.chart.cy.nodes('.community').length > 0, null, { timeout: TIMEOUT });
    const sizes = await page.evaluate(() => window.skein.chart.cy.nodes().map((n) => n.width()));
    assert.ok(Math.max(...sizes) > Math.min(...sizes), 'sizes differ by centrality');
  });

  await t.test('keyboard search: arrows and Enter pick; "More results" pages on', async () => {
    // 25 throw-away entities, more than one page of the search box (20).
    const ids = Array.from({ length: 25 }, (_, i) => `person:pagetest-${String(i).padStart(2, '0')}`);
    await gql('mutation($in:[EntityInput!]!){ upsertEntities(input:$in){ id } }', {
      in: ids.map((id, i) => ({ id, kind: 'PERSON', name: `Pagetest Zqxw ${String(i).padStart(2, '0')}` })),
    });
    try {
      const api = await gql('{ search(query:"pagetest zqxw", first: 20){ totalCount nodes { id } } }');
      assert.equal(api.search.totalCount, 25);
      await page.click('#btn-clear');
      await page.focus('#chart');
      await page.keyboard.press('/');
      await page.keyboard.type('pagetest zqxw');
      await page.waitForSelector('#search-results-opt-more', { timeout: TIMEOUT });
      assert.equal(await page.$$eval('#search-results [role=option][data-id]', (els) => els.length), 20);
      await page.keyboard.press('ArrowUp'); // wraps to the last option: "More results"
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelectorAll('#search-results [role=option][data-id]').length === 25, null, { timeout: TIMEOUT });
      assert.equal(await page.$('#search-results-opt-more'), null, 'no more pages');
      // The active option is now the first of the new page; Enter puts it on the chart.
      const active = await page.getAttribute('#search-input', 'aria-activedescendant');
      const id = await page.getAttribute(`#${active}`, 'data-id');
      await page.keyboard.press('Enter');
      await waitCounts(page, countsText(1, 0));
      assert.deepEqual(await chartIds(page), [id]);
    } finally {
      for (const id of ids) await gql('mutation($id:ID!){ deleteEntity(id:$id) }', { id });
    }
  });

  await t.test('GraphiQL is served from the bundle', async () => {
    const g = await browser.context.newPage();
    const external = [];
    const gErrors = [];
    g.on('pageerror', (e) => gErrors.push(e.message));
    g.on('console', (m) => {
      if (m.type() === 'error') gErrors.push(m.text());
    });
    g.on('request', (r) => {
      if (!r.url().startsWith(BASE) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) external.push(r.url());
    });
    try {
      await g.goto(new URL('/graphiql', BASE).toString());
      await g.waitForSelector('.graphiql-container', { timeout: TIMEOUT });
      // The editor is live: run the default query and see a result.
      await g.waitForSelector('.graphiql-query-editor .monaco-editor .view-lines', { timeout: TIMEOUT });
      await g.waitForFunction(() => /krasniqi/.test(document.querySelector('.graphiql-query-editor .view-lines')?.textContent ?? ''), null, { timeout: TIMEOUT });
      await g.click('.graphiql-execute-button');
      await g.waitForFunction(() => /totalCount/.test(document.querySelector('.graphiql-response')?.textContent ?? ''), null, { timeout: TIMEOUT });
      assert.deepEqual(external, [], 'nothing is loaded from outside the server');
      assert.deepEqual(gErrors, [], 'no errors in GraphiQL (CSP included)');
    } finally {
      await g.close();
    }
  });

  assert.deepEqual(errors, [], 'no errors in the page');
});

// Ids may hold any character but white space and controls (graph.ValidateID):
// the chart in the URL must bring back exactly these, through a reload.
test('a shared chart keeps ids with commas, percent signs, "+&#?/" and non-Latin letters', { skip }, async () => {
  const tag = 'Urlstate Zqvx';
  const entities = [
    { id: 'person:urlstate,comma', kind: 'PERSON', name: `${tag} Comma` },
    { id: 'person:urlstate%25percent+plus&and=eq', kind: 'PERSON', name: `${tag} Percent` },
    { id: 'company:urlstate#hash?query/slash', kind: 'COMPANY', name: `${tag} Hash` },
    { id: 'person:urlstate-Љиљана-حسن-李', kind: 'PERSON', name: `${tag} Љиљана` },
  ];
  const ids = entities.map((e) => e.id);
  await gql('mutation($in:[EntityInput!]!){ upsertEntities(input:$in){ id } }', { in: entities });
  await gql('mutation($in:[LinkInput!]!){ upsertLinks(input:$in){ id } }', {
    in: [{ type: 'ASSOCIATE_OF', source: ids[0], target: ids[1] }, { type: 'OWNS', source: ids[3], target: ids[2] }],
  });
  try {
    const want = await induced(ids);
    assert.equal(want.entities, 4);
    assert.equal(want.links, 2);
    await page.goto(BASE);
    await waitCounts(page, countsText(0, 0));
    for (const e of entities) {
      await page.fill('#search-input', '');
      await page.focus('#search-input');
      await page.keyboard.type(e.name);
      // A CSS string escapes only '"' and '\\' (the locator retries while the list re-renders).
      await page.locator(`#search-results [role=option][data-id="${e.id.replace(/["\\]/g, '\\$&')}"]`).click({ timeout: TIMEOUT });
    }
    await waitCounts(page, countsText(want.entities, want.links));
    assert.deepEqual(await chartIds(page), [...ids].sort());

    // The URL the chart wrote, reloaded, and opened in another tab.
    const shared = page.url();
    assert.match(shared, /#ids=/);
    /** Waits for the chart to hold ids, else fails showing what it holds. */
    const holds = async (p, what) => {
      await waitCounts(p, countsText(want.entities, want.links)).catch(() => {});
      await p.waitForFunction(() => window.skein?.chart, null, { timeout: TIMEOUT });
      assert.deepEqual(await chartIds(p), [...ids].sort(), `${what} ${shared}`);
      assert.equal(await p.textContent('#status-counts'), countsText(want.entities, want.links));
    };
    await page.reload();
    await holds(page, 'reloading');
    const other = await browser.context.newPage();
    try {
      await other.goto(shared);
      await holds(other, 'opening');
    } finally {
      await other.close();
    }
    assert.deepEqual(errors, [], 'no errors in the page');
  } finally {
    for (const id of ids) await gql('mutation($id:ID!){ deleteEntity(id:$id) }', { id });
  }
});

// End-to-end: the evidence kinds and the ownership test in the UI, on a
// synthetic network of about 150 entities written by `skein gen` into a
// server started here (bin/skein), in Debian's headless Chromium. What is
// expected comes from the GraphQL API (the registry, the entities, links,
// holdings and findings) and from the pixels drawn, never from the UI's code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { needs, openPage, startSkein, TIMEOUT } from './browser.mjs';
import { background, decodePng, differs, pixel } from './pixels.mjs';

const skip = needs({ bin: true });

const ENTITIES = 150;
const NODE = 'id kind name sanctioned';

let server;
let base;
let browser;
let page;
let registry;
const errors = [];

async function gql(query, variables = {}) {
  const res = await fetch(new URL('/graphql', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** The whole generated graph, from the JSON export: entities and links with their properties. */
async function everything() {
  const res = await fetch(new URL('/api/export/json', base));
  assert.equal(res.status, 200);
  return res.json();
}

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/**
 * A generated network of about 150 entities that has every kind of the
 * registry and at least one asset meeting the ownership threshold; the
 * generator's random seed is tried in turn until one does.
 */
before(async () => {
  if (skip) return;
  for (let seed = 1; seed <= 40 && !server; seed++) {
    const s = await startSkein({ args: ['--no-seed'], gen: { entities: ENTITIES, seed } });
    base = s.url;
    const d = await gql('{ stats { byKind { kind count } } sanctionsOwnership { totalCount nodes { meetsThreshold } } }');
    if (d.stats.byKind.every((k) => k.count > 0) && d.sanctionsOwnership.nodes.some((f) => f.meetsThreshold)) server = s;
    else await s.stop();
  }
  assert.ok(server, 'no generator seed up to 40 gives every kind and an ownership finding at 150 entities');
  registry = (await gql('{ registry { kinds { kind title plural shape color icon fields { name property label } } linkTypes { type fields { name property label unit summary } } } }')).registry;
  ({ browser, page } = await openPage(errors));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function settled() {
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: TIMEOUT });
  await page.waitForTimeout(600);
}

async function openChart(ids) {
  await page.goto(`${base}/#ids=${ids.join(',')}`);
  // The whole graph takes a while on a loaded machine.
  await page.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, ids.length, { timeout: 4 * TIMEOUT });
  await settled();
}

function hex(c) {
  const m = /^#(..)(..)(..)$/.exec(c);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16), 255];
}

test('the whole generated graph is drawn with the registry\'s shape, colour and icon per kind, and the legend shows them', { skip }, async () => {
  const all = (await everything()).entities;
  assert.ok(all.length >= ENTITIES * 0.9, `${all.length} entities`);
  await openChart(all.map((e) => e.id));
  const drawn = await page.evaluate(() => window.skein.chart.cy.nodes().map((n) => ({
    id: n.id(), kind: n.data('kind'), shape: n.style('shape'), color: n.style('background-color'), image: n.style('background-image'),
  })));
  assert.equal(drawn.length, all.length);
  const spec = new Map(registry.kinds.map((k) => [k.kind, k]));
  for (const n of drawn) {
    const k = spec.get(n.kind);
    assert.ok(k, `${n.id}: kind ${n.kind} is not in the registry`);
    assert.equal(n.shape, k.shape, `${n.id} (${n.kind}) shape`);
    const [r, g, b] = hex(k.color);
    assert.equal(n.color, `rgb(${r},${g},${b})`, `${n.id} (${n.kind}) colour`);
    assert.ok(String(n.image).includes(`/api/icons/${n.kind}.svg`), `${n.id} icon ${n.image}`);
  }
  // The icon images are served, and are the registry's icons.
  for (const k of registry.kinds) {
    const res = await fetch(`${base}/api/icons/${k.kind}.svg`);
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes(`d="${k.icon}"`), `${k.kind}: the served icon is the registry's`);
  }
  // The legend (the entity filters): every registry kind, its plural, its shape, its count on the chart.
  const legend = await page.$$eval('#kind-filters .filter-line', (rows) => rows.map((r) => ({
    label: r.querySelector('.filter-label')?.textContent, count: Number(r.querySelector('.count')?.textContent),
    kind: r.querySelector('svg.kind-mark')?.dataset.kind, shape: r.querySelector('svg.kind-mark')?.dataset.shape,
    drawn: r.querySelector('svg.kind-mark')?.childElementCount ?? 0,
  })));
  const stats = (await gql('{ stats { byKind { kind count } } }')).stats.byKind;
  assert.deepEqual(legend.map((l) => l.kind), registry.kinds.map((k) => k.kind), 'one legend row per registry kind, in its order');
  for (const l of legend) {
    const k = spec.get(l.kind);
    assert.equal(l.label, k.plural);
    assert.equal(l.shape, k.shape);
    assert.equal(l.drawn, 2, `${l.kind}: the legend draws the shape and the icon`);
    assert.equal(l.count, stats.find((s) => s.kind === l.kind).count, `${l.kind}: legend count`);
  }
  assert.deepEqual(errors, []);
});

test('distinct kinds render distinct shapes, in their colour, with their icon (pixels)', { skip }, async () => {
  // One entity of each kind, laid out on a row, large, nothing else drawn.
  const { entities } = await everything();
  const one = registry.kinds.map((k) => entities.find((e) => e.kind === k.kind));
  assert.ok(one.every(Boolean), 'an entity of every kind');
  await openChart(one.map((e) => e.id));
  const view = await page.evaluate((ids) => {
    const cy = window.skein.chart.cy;
    cy.elements().unselect();
    cy.edges().addClass('filtered');
    cy.nodes().addClass('lod-nolabel');
    ids.forEach((id, i) => cy.getElementById(id).position({ x: (i % 3) * 70, y: Math.floor(i / 3) * 70 }).lock());
    cy.fit(cy.nodes(), 60);
    const r = cy.container().getBoundingClientRect();
    return {
      x: r.left, y: r.top, width: r.width, height: r.height, ratio: window.devicePixelRatio,
      nodes: ids.map((id) => {
        const n = cy.getElementById(id);
        return { id, kind: n.data('kind'), sanctioned: n.data('sanctioned'), ...n.renderedPosition(), w: n.renderedWidth(), h: n.renderedHeight() };
      }),
    };
  }, one.map((e) => e.id));
  await page.mouse.move(2, 2);
  await page.waitForTimeout(800); // icons are images: let them load and draw
  const img = decodePng(await page.screenshot({ clip: { x: view.x, y: view.y, width: view.width, height: view.height } }));
  const k = view.ratio;
  const bg = background(img);
  const spec = new Map(registry.kinds.map((x) => [x.kind, x]));
  const G = 24; // silhouette grid
  const silhouettes = new Map();
  for (const n of view.nodes) {
    assert.ok(n.w >= 40, `${n.kind} is drawn large enough to read (${n.w.toFixed(0)} px)`);
    // The silhouette: which cells of the node's box are inked.
    const mask = [];
    for (let gy = 0; gy < G; gy++) {
      for (let gx = 0; gx < G; gx++) {
        const px = (n.x - n.w / 2 + ((gx + 0.5) * n.w) / G) * k;
        const py = (n.y - n.h / 2 + ((gy + 0.5) * n.h) / G) * k;
        mask.push(differs(pixel(img, px, py), bg) ? 1 : 0);
      }
    }
    silhouettes.set(n.kind, mask);
    // The fill, between the icon and the border, is the kind's colour
    // (a designated entity's red ring is outside this point).
    const fill = pixel(img, n.x * k, (n.y + n.h * 0.36) * k);
    assert.ok(!differs(fill, hex(spec.get(n.kind).color), 40), `${n.kind}: fill ${fill} is not ${spec.get(n.kind).color}`);
    // The icon: darker ink over the fill in the centre.
    let icon = 0;
    let all = 0;
    for (let dy = -n.h * 0.25; dy <= n.h * 0.25; dy += 1 / k) {
      for (let dx = -n.w * 0.25; dx <= n.w * 0.25; dx += 1 / k) {
        all++;
        if (differs(pixel(img, (n.x + dx) * k, (n.y + dy) * k), fill, 40)) icon++;
      }
    }
    assert.ok(icon / all > 0.08, `${n.kind}: no icon drawn (${((icon / all) * 100).toFixed(0)}% of the centre differs from the fill)`);
  }
  // Kinds with different registry shapes have different silhouettes.
  const kinds = [...silhouettes.keys()];
  for (let i = 0; i < kinds.length; i++) {
    for (let j = i + 1; j < kinds.length; j++) {
      const a = spec.get(kinds[i]);
      const b = spec.get(kinds[j]);
      if (a.shape === b.shape) continue;
      const ma = silhouettes.get(kinds[i]);
      const mb = silhouettes.get(kinds[j]);
      const diff = ma.filter((v, x) => v !== mb[x]).length / ma.length;
      assert.ok(diff > 0.03, `${kinds[i]} (${a.shape}) and ${kinds[j]} (${b.shape}) draw the same silhouette (${(diff * 100).toFixed(1)}% differ)`);
    }
  }
  assert.deepEqual(errors, []);
});

test('details show the kind\'s fields under the registry\'s labels; links carry percentages and amounts', { skip }, async () => {
  // An entity of a new kind with typed fields set.
  const spec = new Map(registry.kinds.map((x) => [x.kind, x]));
  const g = await everything();
  let subject = null;
  for (const kind of ['IDENTIFICATION', 'VESSEL', 'BANK_ACCOUNT', 'ADDRESS', 'VEHICLE']) {
    subject = g.entities.find((e) => e.kind === kind && spec.get(kind).fields.filter((f) => e.properties?.[f.property]).length >= 2);
    if (subject) break;
  }
  assert.ok(subject, 'a generated entity of a new kind with typed fields');
  await openChart([subject.id]);
  await page.evaluate((id) => window.skein.chart.selectOnly(id), subject.id);
  await page.waitForSelector('#details .facts', { timeout: TIMEOUT });
  const facts = await page.$$eval('#details > .facts dt', (dts) => dts.map((dt) => ({ k: dt.textContent, v: dt.nextElementSibling?.textContent })));
  for (const f of spec.get(subject.kind).fields) {
    const v = subject.properties[f.property];
    if (!v) continue;
    const row = facts.find((x) => x.k === f.label);
    assert.ok(row, `${subject.kind} ${f.name}: no row labelled ${f.label} in ${JSON.stringify(facts)}`);
    // Values are shown as given (a country with its code kept, an enum in words).
    const words = (x) => x.toLowerCase().replace(/_/g, ' ');
    assert.ok(words(row.v).includes(words(v.split(';')[0].trim())), `${f.label}: ${row.v} does not show ${v}`);
  }
  // The kind's badge is its shape.
  assert.equal(await page.$eval('#details .details-kind svg.kind-mark', (s) => s.dataset.shape), spec.get(subject.kind).shape);

  // An OWNS link with a percentage and a PAYS link with an amount.
  const owns = g.links.find((l) => l.type === 'OWNS' && l.properties?.percentage);
  const pays = g.links.find((l) => l.type === 'PAYS' && l.properties?.amount && l.properties?.currency);
  assert.ok(owns && pays, 'the generated graph has an OWNS link with a percentage and a PAYS link with an amount');
  for (const l of [owns, pays]) {
    l.source = { id: l.source };
    l.target = { id: l.target };
  }
  owns.percentage = Number(owns.properties.percentage);
  pays.amount = Number(pays.properties.amount);
  pays.currency = pays.properties.currency;
  await openChart([...new Set([owns.source.id, owns.target.id, pays.source.id, pays.target.id])]);
  const share = `${numberFormat.format(owns.percentage)}%`;
  const amount = `${numberFormat.format(pays.amount)} ${pays.currency}`;
  const labels = await page.evaluate((ids) => ids.map((id) => window.skein.chart.cy.getElementById(id).data('label')), [owns.id, pays.id]);
  assert.ok(labels[0].includes(share), `OWNS label ${labels[0]} lacks ${share}`);
  assert.ok(labels[1].includes(amount), `PAYS label ${labels[1]} lacks ${amount}`);
  // Hovering a link draws its label (with the percentage) over the chart.
  const mid = await page.evaluate((id) => {
    const cy = window.skein.chart.cy;
    const r = cy.container().getBoundingClientRect();
    const p = cy.getElementById(id).renderedMidpoint();
    return { x: r.left + p.x, y: r.top + p.y };
  }, owns.id);
  await page.mouse.move(mid.x, mid.y);
  await page.waitForFunction((id) => window.skein.chart.cy.getElementById(id).style('label').length > 0, owns.id, { timeout: TIMEOUT });
  assert.ok((await page.evaluate((id) => window.skein.chart.cy.getElementById(id).style('label'), owns.id)).includes(share));
  // The link's details: its typed fields under the registry's labels.
  await page.evaluate((id) => {
    const cy = window.skein.chart.cy;
    cy.elements().unselect();
    cy.getElementById(id).select();
  }, pays.id);
  await page.waitForFunction(() => document.querySelector('#details .details-kind')?.textContent === 'Link', null, { timeout: TIMEOUT });
  const linkFacts = await page.$$eval('#details .facts dt', (dts) => Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])));
  const paysSpec = registry.linkTypes.find((t) => t.type === 'PAYS');
  for (const f of paysSpec.fields) {
    if (!pays.properties[f.property]) continue;
    assert.ok(f.label in linkFacts, `PAYS ${f.name}: no row ${f.label} in ${JSON.stringify(linkFacts)}`);
  }
  assert.equal(linkFacts[paysSpec.fields.find((f) => f.name === 'amount').label], numberFormat.format(pays.amount));
  assert.deepEqual(errors, []);
});

test('holdings and owners, with shares and chains, are in an entity\'s details', { skip }, async () => {
  const f = (await gql(`{ sanctionsOwnership { nodes { asset { id } } } }`)).sanctionsOwnership.nodes[0];
  const want = (await gql(`query($id: ID!) { owners(id: $id) { share owner { id } paths { nodes { id } } unknownPaths { nodes { id } } } }`, { id: f.asset.id })).owners;
  assert.ok(want.length > 0);
  await openChart([f.asset.id]);
  await page.evaluate((id) => window.skein.chart.selectOnly(id), f.asset.id);
  await page.waitForSelector('#owners-list .own-item', { timeout: TIMEOUT });
  const got = await page.$$eval('#owners-list .own-item', (items) => items.map((i) => ({ id: i.dataset.id, share: Number(i.querySelector('.own-share').dataset.share), chains: i.querySelectorAll('.chain').length })));
  assert.deepEqual(got, want.map((o) => ({ id: o.owner.id, share: o.share, chains: o.paths.length + o.unknownPaths.length })));
  // The chains go onto the chart.
  await page.click('#owners-list .own-item .own-show');
  const chainIds = [...new Set(want[0].paths.concat(want[0].unknownPaths).flatMap((p) => p.nodes.map((n) => n.id)))];
  await page.waitForFunction((ids) => ids.every((id) => window.skein.chart.has(id)), chainIds, { timeout: TIMEOUT });
  // And an owner's holdings, seen from the owner.
  const owner = want[0].owner.id;
  const holds = (await gql(`query($id: ID!) { holdings(id: $id) { share asset { id } } }`, { id: owner })).holdings;
  await page.evaluate((id) => window.skein.chart.selectOnly(id), owner);
  await page.waitForSelector('#holdings-list .own-item', { timeout: TIMEOUT });
  const gotHolds = await page.$$eval('#holdings-list .own-item', (items) => items.map((i) => ({ id: i.dataset.id, share: Number(i.querySelector('.own-share').dataset.share) })));
  assert.deepEqual(gotHolds, holds.map((o) => ({ id: o.asset.id, share: o.share })));
  assert.deepEqual(errors, []);
});

test('the ownership findings view lists what the API finds, with chains and wording, and adds them to the chart', { skip }, async () => {
  // The findings, then each one's chains (one finding per request: chains are costly).
  const list = async (combined) => (await gql(`query($c: Boolean) { sanctionsOwnership(combined: $c, first: 100) {
    totalCount edges { cursor node { share meetsThreshold statement asset { id } owners { owner { id } } } } } }`, { c: combined })).sanctionsOwnership;
  const chainsOf = async (after) => (await gql(`query($after: String) { sanctionsOwnership(first: 1, after: $after) {
    nodes { owners { owner { id } paths { nodes { id } links { id } } unknownPaths { nodes { id } links { id } } } } } }`, { after })).sanctionsOwnership.nodes[0].owners;
  const all = await list(false);
  assert.ok(all.totalCount >= 1);
  await page.goto(base + '/');
  await page.waitForFunction(() => window.skein, null, { timeout: TIMEOUT });
  await page.click('#btn-ownership');
  await page.waitForFunction((n) => document.querySelector('#own-status')?.textContent?.startsWith(`${n} finding`), all.totalCount, { timeout: TIMEOUT });
  const got = await page.$$eval('#own-findings .own-finding', (fs) => fs.map((f) => ({
    id: f.dataset.id, share: Number(f.dataset.share), text: f.textContent,
    owners: [...f.querySelectorAll('.own-owner')].map((o) => ({ id: o.dataset.id, hops: o.querySelectorAll('.hop').length })),
  })));
  assert.ok(got.length >= 1 && got.length <= all.totalCount, `${got.length} findings shown of ${all.totalCount}`);
  assert.equal(await page.isVisible('#own-more'), got.length < all.totalCount, 'Load more is offered while findings are left');
  const want = { nodes: [] };
  for (const [i, e] of all.edges.slice(0, got.length).entries()) {
    want.nodes.push({ ...e.node, owners: await chainsOf(i === 0 ? null : all.edges[i - 1].cursor) });
  }
  assert.deepEqual(got.map((f) => ({ id: f.id, share: f.share })), want.nodes.map((f) => ({ id: f.asset.id, share: f.share })), 'the API\'s findings, in its order');
  for (const [i, f] of want.nodes.entries()) {
    assert.deepEqual(got[i].owners, f.owners.map((o) => ({ id: o.owner.id, hops: [...o.paths, ...o.unknownPaths].reduce((s, p) => s + p.links.length, 0) })));
    assert.ok(got[i].text.includes(f.statement), 'the finding carries the server\'s statement');
    if (f.meetsThreshold) assert.ok(got[i].text.includes('meets the ownership threshold'));
    // Never a legal conclusion.
    assert.doesNotMatch(got[i].text, /\b(is|are) (sanctioned|designated|frozen)\b|subject to (the )?sanctions|in breach|violat|illegal/i);
  }
  // Summed across designated owners: the server's combined count.
  const combined = await list(true);
  await page.check('#own-combined');
  await page.click('#own-run');
  await page.waitForFunction((n) => document.querySelector('#own-status')?.textContent?.startsWith(`${n} finding`) && /summed/.test(document.querySelector('#own-status')?.textContent), combined.totalCount, { timeout: TIMEOUT });
  const combinedIds = await page.$$eval('#own-findings .own-finding', (fs) => fs.map((f) => f.dataset.id));
  assert.deepEqual(combinedIds, combined.edges.slice(0, combinedIds.length).map((e) => e.node.asset.id));
  await page.uncheck('#own-combined');
  // A threshold out of range is refused with a message, not sent.
  await page.fill('#own-min', '150');
  await page.click('#own-run');
  await page.waitForFunction(() => /0 to 100/.test(document.querySelector('#own-status')?.textContent ?? ''), null, { timeout: TIMEOUT });
  await page.fill('#own-min', '50');
  await page.click('#own-run');
  await page.waitForFunction((n) => document.querySelectorAll('#own-findings .own-finding').length === n && /per designated owner/.test(document.querySelector('#own-status')?.textContent), got.length, { timeout: TIMEOUT });
  // The findings' entities go onto the chart: assets, owners, every chain.
  await page.click('#own-add-all');
  const ids = [...new Set(want.nodes.flatMap((f) => [f.asset.id, ...f.owners.flatMap((o) => [o.owner.id, ...[...o.paths, ...o.unknownPaths].flatMap((p) => p.nodes.map((n) => n.id))])]))];
  const links = [...new Set(want.nodes.flatMap((f) => f.owners.flatMap((o) => [...o.paths, ...o.unknownPaths].flatMap((p) => p.links.map((l) => l.id)))))];
  await page.waitForFunction(([a, b]) => a.every((id) => window.skein.chart.has(id)) && b.every((id) => window.skein.chart.has(id)), [ids, links], { timeout: TIMEOUT });
  await settled();
  // The chains are highlighted on the chart.
  const highlighted = await page.evaluate((xs) => xs.filter((id) => window.skein.chart.cy.getElementById(id).hasClass('path')).length, links);
  assert.equal(highlighted, links.length);
  assert.deepEqual(errors, []);
});

// End-to-end: the disruption panel on a real `skein serve` with the seed
// (SKEIN_URL), in Debian's headless Chromium. Every expected figure comes
// from the GraphQL API over the same entities, never from the UI's code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gql, needs, openPage, TIMEOUT } from './browser.mjs';

const BASE = process.env.SKEIN_URL;
const skip = needs({ url: true });
// The seed is a forest (every core number is 1, few brokers), so the test
// adds a small synthetic network of its own, clearly named, and deletes it
// afterwards: two triangles joined through a go-between with a pendant.
const FIXTURE = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((x) => `person:e2e-disruption-${x}`);
const FIXTURE_LINKS = [['a', 'b'], ['a', 'c'], ['b', 'c'], ['c', 'g'], ['g', 'd'], ['d', 'e'], ['d', 'f'], ['e', 'f'], ['h', 'g'], ['f', 'd']];

async function clickNode(page, id) {
  const pos = await page.evaluate((nid) => {
    const cy = window.skein.chart.cy;
    const r = cy.container().getBoundingClientRect();
    const p = cy.getElementById(nid).renderedPosition();
    return { x: r.left + p.x, y: r.top + p.y };
  }, id);
  await page.mouse.click(pos.x, pos.y);
}

let browser;
let page;
const errors = [];

before(async () => {
  if (skip) return;
  ({ browser, page } = await openPage(errors, { consoleErrors: false }));
});

after(async () => {
  await browser?.close();
});

test('disruption: key players, what if removed, the k-core, brokerage roles', { skip }, async (t) => {
  await gql('mutation($e: [EntityInput!]!) { upsertEntities(input: $e) { id } }', {
    e: FIXTURE.map((id) => ({ id, kind: 'PERSON', name: `E2E ${id.slice(-1).toUpperCase()}`, description: 'synthetic test entity' })),
  });
  await gql('mutation($l: [LinkInput!]!) { upsertLinks(input: $l) { id } }', {
    l: FIXTURE_LINKS.map(([s, d]) => ({ type: 'ASSOCIATE_OF', source: `person:e2e-disruption-${s}`, target: `person:e2e-disruption-${d}` })),
  });
  t.after(async () => {
    for (const id of FIXTURE) await gql('mutation($id: ID!) { deleteEntity(id: $id) }', { id });
  });
  const ids = [...FIXTURE].sort();
  await page.goto(`${BASE}/#ids=${ids.join(',')}`);
  await page.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, ids.length, { timeout: TIMEOUT });
  await page.waitForFunction(() => !document.body.classList.contains('busy'), null, { timeout: TIMEOUT });

  let players;
  await t.test('key players for k = 1..5 are the API answer, in order, selected on the chart', async () => {
    for (const k of [1, 2, 3, 4, 5]) {
      const want = (await gql('query($k: Int!, $ids: [ID!]) { keyPlayers(k: $k, ids: $ids, depth: 0) { entities { id name } steps exact } }',
        { k, ids })).keyPlayers;
      await page.selectOption('#kp-k', String(k));
      await page.click('#btn-keyplayers');
      await page.waitForFunction((n) => document.querySelectorAll('#kp-list li').length === n, k, { timeout: TIMEOUT });
      const items = await page.$$eval('#kp-list li', (els) => els.map((e) => e.textContent));
      want.entities.forEach((e, i) => {
        assert.ok(items[i].startsWith(e.name), `item ${i}: ${items[i]}, want ${e.name}`);
        assert.ok(items[i].includes(`${(want.steps[i] * 100).toFixed(1)}%`), `item ${i}: ${items[i]}, steps ${want.steps}`);
      });
      const selected = await page.evaluate(() => window.skein.chart.selectedNodeIds().sort());
      assert.deepEqual(selected, want.entities.map((e) => e.id).sort());
      if (k === 2) players = want.entities.map((e) => e.id);
    }
  });

  await t.test('what if removed: greyed out, severed links, split components, before/after', async () => {
    await page.selectOption('#kp-k', '2');
    await page.click('#btn-keyplayers');
    await page.waitForFunction(() => document.querySelectorAll('#kp-list li').length === 2, null, { timeout: TIMEOUT });
    await page.click('#btn-kp-whatif');
    await page.waitForSelector('#disrupt-summary', { timeout: TIMEOUT });
    const d = (await gql(`query($r: [ID!]!, $ids: [ID!]) { disruption(remove: $r, ids: $ids, depth: 0) {
      before { entities links components largestComponent } after { entities links components largestComponent }
      severed { id } } }`, { r: players, ids })).disruption;
    const cells = await page.$$eval('#disrupt-summary tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)));
    assert.deepEqual(cells.slice(0, 4), [
      [String(d.before.entities), String(d.after.entities)],
      [String(d.before.links), String(d.after.links)],
      [String(d.before.components), String(d.after.components)],
      [String(d.before.largestComponent), String(d.after.largestComponent)],
    ]);
    assert.ok(d.after.components > d.before.components, 'removing the key players splits the network');
    const drawn = await page.evaluate(() => ({
      removed: window.skein.chart.cy.nodes('.disrupt-removed').map((n) => n.id()).sort(),
      severed: window.skein.chart.cy.edges('.disrupt-severed').map((e) => e.id()).sort(),
      colours: new Set(window.skein.chart.cy.nodes('.community').not('.disrupt-removed').map((n) => n.data('ccolor'))).size,
    }));
    assert.deepEqual(drawn.removed, [...players].sort());
    assert.deepEqual(drawn.severed, d.severed.map((l) => l.id).sort());
    assert.equal(drawn.colours, Math.min(d.after.components, 10), 'one colour per component left');
    assert.match(await page.textContent('#disrupt-severed'), new RegExp(`^${d.severed.length} link`));
    await page.click('#btn-whatif-clear');
    assert.equal(await page.evaluate(() => window.skein.chart.cy.$('.disrupt-removed, .disrupt-severed').length), 0);
  });

  await t.test('the k-core filter shows only entities of core number >= k', async () => {
    const core = (await gql('query($ids: [ID!]) { centrality(metric: CORE_NUMBER, ids: $ids, depth: 0, top: 1000) { score entity { id } } }', { ids })).centrality;
    const k = Math.max(...core.map((s) => s.score));
    const want = core.filter((s) => s.score >= k).map((s) => s.entity.id).sort();
    assert.ok(want.length < ids.length, `the ${k}-core leaves some out`);
    await page.fill('#core-k', String(k));
    await page.dispatchEvent('#core-k', 'change');
    await page.waitForFunction((n) => window.skein.chart.cy.nodes().not('.filtered').length === n, want.length, { timeout: TIMEOUT });
    const shown = await page.evaluate(() => window.skein.chart.cy.nodes().not('.filtered').map((n) => n.id()).sort());
    assert.deepEqual(shown, want);
    await page.fill('#core-k', '0');
    await page.dispatchEvent('#core-k', 'change');
    await page.waitForFunction((n) => window.skein.chart.cy.nodes().not('.filtered').length === n, ids.length, { timeout: TIMEOUT });
  });

  await t.test('the details give brokerage roles', async () => {
    const b = (await gql('query($ids: [ID!]) { brokerage(ids: $ids, depth: 0) { entity { id } coordinator itinerant gatekeeper representative liaison } }', { ids })).brokerage;
    assert.ok(b.length > 0, 'someone brokers on this chart');
    const top = b[0];
    await page.evaluate(() => window.skein.chart.cy.nodes().unselect());
    await clickNode(page, top.entity.id);
    await page.waitForSelector('dl#brokerage-roles', { timeout: TIMEOUT });
    const dds = await page.$$eval('dl#brokerage-roles dd', (els) => els.map((e) => Number(e.textContent)));
    assert.deepEqual(dds, [top.coordinator, top.itinerant, top.gatekeeper, top.representative, top.liaison]);
  });

  assert.deepEqual(errors, []);
});

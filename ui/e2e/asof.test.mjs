// End-to-end: the chart "as of" a date, against a real `skein serve`
// (SKEIN_URL) in Debian's headless Chromium. A small fictional network with
// dated links (full, partial and open dates, some undated) and two
// designations (one delisted) is written here through the API and deleted
// afterwards. At each date the links drawn must equal the links in force
// then, worked out here from the fixture's dates on plain calendar
// arithmetic (not the UI's code), and the red ring must be drawn (read
// from the pixels) exactly on the entities designated then.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chartShot, gql, needs, openChart, openPage, settled, TIMEOUT } from './browser.mjs';
import { days, pad } from './refdates.mjs';
import { decodePng, pixel } from './pixels.mjs';

const BASE = process.env.SKEIN_URL;
const skip = needs({ url: true });

// ---- the fixture -------------------------------------------------------------------

const P = (n) => `person:asofq-${n}`;
const BOSS = P('boss');
const RING = 'organization:asofq-ring';
const DESIGNATIONS = {
  [BOSS]: { listedOn: '2019-06-15' },
  [P('p1')]: { listedOn: '2013-01', delistedOn: '2016-06' },
};
const ENTITIES = [
  { id: RING, kind: 'ORGANIZATION', name: 'Asofq Ring' },
  { id: BOSS, kind: 'PERSON', name: 'Asofq Boss' },
  ...['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((n) => ({ id: P(n), kind: 'PERSON', name: `Asofq ${n.toUpperCase()}` })),
  ...['c1', 'c2', 'c3'].map((n) => ({ id: `company:asofq-${n}`, kind: 'COMPANY', name: `Asofq Holdings ${n.toUpperCase()}` })),
].map((e) => (DESIGNATIONS[e.id]
  ? { ...e, designations: [{ regime: 'Asofq test regime', authority: 'Asofq authority', ...DESIGNATIONS[e.id] }] }
  : e));
const C = (n) => `company:asofq-${n}`;
/** Entity dates (FtM properties): on the timeline, never used to filter. */
const PROPS = { [P('p5')]: { birthDate: '1971-04' }, [C('c1')]: { incorporationDate: '2017-11-03' }, [C('c3')]: { dissolutionDate: '2021' } };
for (const e of ENTITIES) {
  if (PROPS[e.id]) e.properties = Object.entries(PROPS[e.id]).map(([key, value]) => ({ key, value }));
}
const LINKS = [
  { id: 'asofq-l1', type: 'MEMBER_OF', source: BOSS, target: RING, startDate: '2010' },
  { id: 'asofq-l2', type: 'MEMBER_OF', source: P('p1'), target: RING, startDate: '2012-03', endDate: '2016' },
  { id: 'asofq-l3', type: 'MEMBER_OF', source: P('p2'), target: RING, startDate: '2015-07-01', endDate: '2019-06-15' },
  { id: 'asofq-l4', type: 'MEMBER_OF', source: P('p3'), target: RING },
  { id: 'asofq-l5', type: 'MEMBER_OF', source: P('p4'), target: RING, startDate: '2019-06-16' },
  { id: 'asofq-l6', type: 'ASSOCIATE_OF', source: P('p5'), target: BOSS, endDate: '2014-12' },
  { id: 'asofq-l7', type: 'ASSOCIATE_OF', source: P('p6'), target: P('p1'), startDate: '2020' },
  { id: 'asofq-l8', type: 'OWNS', source: BOSS, target: C('c1'), startDate: '2018-01-10', endDate: '2021-03' },
  { id: 'asofq-l9', type: 'OWNS', source: P('p2'), target: C('c2'), startDate: '2016', endDate: '2016' },
  { id: 'asofq-l10', type: 'OWNS', source: C('c2'), target: C('c3'), startDate: '2017-05' },
  { id: 'asofq-l11', type: 'ASSOCIATE_OF', source: P('p3'), target: P('p4'), startDate: '2019-06', endDate: '2019-06' },
];
const IDS = ENTITIES.map((e) => e.id);

/** In force at D (issue 13): start unknown or <= D's last day, end unknown or >= D's first day. */
function inForce(start, end, d) {
  if (!d) return true;
  const [lo, hi] = days(d);
  return (!start || days(start)[0] <= hi) && (!end || days(end)[1] >= lo);
}

/** The fixture's links among `on` in force at D, and the entities designated then. */
function expected(d, on = IDS) {
  const set = new Set(on);
  return {
    links: LINKS.filter((l) => set.has(l.source) && set.has(l.target) && inForce(l.startDate, l.endDate, d)).map((l) => l.id).sort(),
    ringed: on.filter((id) => DESIGNATIONS[id] && inForce(DESIGNATIONS[id].listedOn, DESIGNATIONS[id].delistedOn, d)).sort(),
  };
}

// ---- reading the chart --------------------------------------------------------------

function linksOnChart(page) {
  return page.evaluate(() => window.skein.chart.cy.edges().map((e) => e.id()).sort());
}

/** Waits until the chart draws exactly these links. */
async function waitLinks(page, want) {
  await page.waitForFunction((w) => JSON.stringify(window.skein.chart.cy.edges().map((e) => e.id()).sort()) === JSON.stringify(w), want, { timeout: TIMEOUT })
    .catch(async (err) => {
      assert.deepEqual(await linksOnChart(page), want, `links drawn (${err.message})`);
    });
  await settled(page);
}

/**
 * The entities drawn with a red ring, read from a screenshot: the share of
 * clearly red pixels in the band around each node's edge (its upper half,
 * away from the label below it).
 */
async function ringedByPixels(page) {
  await page.evaluate(() => {
    window.skein.chart.cy.elements().unselect();
  });
  const nodes = await page.evaluate(() => window.skein.chart.cy.nodes().map((n) => ({ id: n.id(), ...n.renderedPosition(), r: n.renderedWidth() / 2 })));
  const img = decodePng(await chartShot(page));
  const out = [];
  for (const n of nodes) {
    let red = 0;
    let all = 0;
    for (let dy = -Math.ceil(n.r + 5); dy <= 0; dy++) {
      for (let dx = -Math.ceil(n.r + 5); dx <= Math.ceil(n.r + 5); dx++) {
        const d = Math.hypot(dx, dy);
        if (d < n.r - 3 || d > n.r + 3) continue;
        const p = pixel(img, n.x + dx, n.y + dy);
        if (!p) continue;
        all++;
        if (p[0] > 150 && p[1] < 110 && p[2] < 110) red++;
      }
    }
    if (all > 0 && red / all > 0.3) out.push(n.id);
  }
  return out.sort();
}

/** Types a date into the as-of field and presses Enter. */
async function typeAsOf(page, value) {
  await page.fill('#asof-input', value);
  await page.press('#asof-input', 'Enter');
}

// ---- the browser ------------------------------------------------------------------------

let browser;
let page;
const errors = [];
const requests = [];

before(async () => {
  if (skip) return;
  await gql('mutation($in:[EntityInput!]!){ upsertEntities(input:$in){ id } }', { in: ENTITIES });
  await gql('mutation($in:[LinkInput!]!){ upsertLinks(input:$in){ id } }', { in: LINKS });
  ({ browser, page } = await openPage(errors));
  page.on('dialog', (d) => void d.accept(d.type() === 'prompt' ? (page.nextPrompt ?? '') : undefined));
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && r.method() === 'POST') {
      try {
        requests.push(JSON.parse(r.postData() ?? '{}'));
      } catch { /* not JSON */ }
    }
  });
});

after(async () => {
  await browser?.close();
  if (skip) return;
  await gql(`mutation(${IDS.map((_, i) => `$i${i}:ID!`).join(',')}){ ${IDS.map((_, i) => `d${i}: deleteEntity(id:$i${i})`).join(' ')} }`, Object.fromEntries(IDS.map((id, i) => [`i${i}`, id])));
});

test('the chart as of a date: links in force, designations, every query dated', { skip }, async (t) => {
  // The API holds the fixture as written (else the reference means nothing).
  const api = await gql('query($ids:[ID!]!){ entities(ids:$ids){ id designations { listedOn delistedOn } links { id startDate endDate } } }', { ids: IDS });
  assert.equal(new Set(api.entities.flatMap((e) => e.links.map((l) => l.id))).size, LINKS.length);
  assert.equal(api.entities.find((e) => e.id === P('p1')).designations[0].delistedOn, '2016-06');

  await openChart(page, IDS);
  const undated = expected(null);
  assert.deepEqual(await linksOnChart(page), undated.links, 'undated: every link');
  assert.deepEqual(await ringedByPixels(page), undated.ringed, 'undated: both designated entities ringed');

  await t.test('each date draws the links in force and the designations then', async () => {
    for (const d of ['2014', '2016-07', '2019-06-14', '2019-06', '2019-06-15', '2019-06-16', '2022']) {
      await typeAsOf(page, d);
      const want = expected(d);
      await waitLinks(page, want.links);
      assert.deepEqual(await linksOnChart(page), want.links, `links at ${d}`);
      assert.deepEqual(await ringedByPixels(page), want.ringed, `red rings at ${d}`);
      assert.equal(await page.inputValue('#asof-input'), d);
      assert.equal(new URL(page.url()).hash.match(/asof=([^&]*)/)?.[1], d, 'the date is in the URL');
      // Every entity stays on the chart, linked or not.
      assert.equal(await page.evaluate(() => window.skein.chart.nodeIds().length), IDS.length);
    }
    // The day before the listing has no ring on the boss; the listing day has.
    assert.ok(!expected('2019-06-14').ringed.includes(BOSS) && expected('2019-06-15').ringed.includes(BOSS));
  });

  await t.test('an invalid date says so and changes nothing', async () => {
    const before = await linksOnChart(page);
    const url = page.url();
    for (const bad of ['2019-13', '2019-02-30', 'June 2019', '19']) {
      await typeAsOf(page, bad);
      await page.waitForFunction((b) => document.getElementById('toast')?.textContent?.includes(`"${b}"`), bad, { timeout: TIMEOUT });
      assert.equal(await page.getAttribute('#asof-input', 'aria-invalid'), 'true');
      assert.deepEqual(await linksOnChart(page), before);
      assert.equal(page.url(), url);
      assert.equal(await page.evaluate(() => new URL(location.href).hash.match(/asof=([^&]*)/)?.[1]), '2022');
    }
    await page.press('#asof-input', 'Escape');
    assert.equal(await page.inputValue('#asof-input'), '2022');
  });

  await t.test('every later query passes the date', async () => {
    await typeAsOf(page, '2016-07');
    await waitLinks(page, expected('2016-07').links);
    requests.length = 0;
    // Overlays: centrality, communities, brokers.
    await page.selectOption('#size-select', { index: 1 });
    await page.check('#community-toggle');
    await page.check('#broker-toggle');
    await page.waitForFunction(() => !document.body.classList.contains('busy'));
    await page.waitForTimeout(1200);
    // The details of an entity: its links, exposure, holdings and owners.
    await page.evaluate((id) => window.skein.chart.selectOnly(id), P('p2'));
    await page.waitForSelector('#details-title', { timeout: TIMEOUT });
    await page.waitForTimeout(1500);
    const names = new Set(requests.map((r) => /^\s*(?:query|mutation)\s+(\w+)/.exec(r.query ?? '')?.[1]).filter(Boolean));
    for (const op of ['Centrality', 'Communities', 'Brokers', 'Entity', 'Exposure', 'Holdings', 'Owners']) {
      assert.ok(names.has(op), `a ${op} query was sent (sent: ${[...names].join(', ')})`);
    }
    const timeFields = /\b(neighborhood|paths|links|centrality|communities|brokers|sanctionsExposure|holdings|owners|disruption|keyPlayers|brokerage|sanctioned)\b/;
    for (const r of requests) {
      if (!timeFields.test(r.query ?? '') || /query Cited/.test(r.query)) continue;
      assert.match(r.query, /\$asOf: Date/, `declares $asOf: ${r.query.slice(0, 80)}`);
      assert.equal(r.variables?.asOf, '2016-07', `passes the date: ${r.query.slice(0, 80)}`);
    }
    await page.selectOption('#size-select', '');
    await page.uncheck('#community-toggle');
    await page.uncheck('#broker-toggle');
  });

  await t.test('expanding at a date brings only the links in force', async () => {
    await openChart(page, [RING], '&asof=2014');
    assert.equal(await page.inputValue('#asof-input'), '2014');
    await page.evaluate((id) => window.skein.chart.selectOnly(id), RING);
    await page.focus('#chart');
    await page.keyboard.press('e');
    const members = LINKS.filter((l) => (l.source === RING || l.target === RING) && inForce(l.startDate, l.endDate, '2014'));
    const on = [RING, ...members.map((l) => (l.source === RING ? l.target : l.source))];
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, on.length, { timeout: TIMEOUT });
    await settled(page);
    assert.deepEqual((await page.evaluate(() => window.skein.chart.nodeIds())).sort(), [...on].sort());
    assert.deepEqual(await linksOnChart(page), expected('2014', on).links);
  });

  await t.test('clearing the date returns to the undated chart', async () => {
    await openChart(page, IDS, '&asof=2019-06-14');
    await waitLinks(page, expected('2019-06-14').links);
    // An edit at the date, undone after the date is cleared: the chart that
    // comes back is read again undated.
    await page.evaluate((id) => window.skein.chart.selectOnly(id), RING);
    await page.focus('#chart');
    await page.keyboard.press('Delete');
    const rest = IDS.filter((id) => id !== RING);
    await waitLinks(page, expected('2019-06-14', rest).links);
    await page.click('#asof-clear');
    await waitLinks(page, expected(null, rest).links);
    assert.equal(await page.inputValue('#asof-input'), '');
    assert.doesNotMatch(new URL(page.url()).hash, /asof=/);
    await page.click('#btn-undo');
    await page.waitForFunction((n) => window.skein.chart.nodeIds().length === n, IDS.length, { timeout: TIMEOUT });
    await waitLinks(page, undated.links);
    assert.deepEqual(await ringedByPixels(page), undated.ringed);
  });

  await t.test('the timeline counts every dated event of the chart and still brushes it', async () => {
    // Every dated fact of the fixture: link starts and ends, listings and
    // delistings, births, incorporations, dissolutions.
    const events = [
      ...LINKS.flatMap((l) => [l.startDate, l.endDate]),
      ...Object.values(DESIGNATIONS).flatMap((d) => [d.listedOn, d.delistedOn]),
      ...Object.values(PROPS).flatMap((p) => Object.values(p)),
    ].filter(Boolean);
    const linkEvents = LINKS.flatMap((l) => [l.startDate, l.endDate]).filter(Boolean);
    assert.ok(events.length > linkEvents.length);
    await page.click('#btn-timeline');
    await page.waitForSelector('#tl-summary[data-source=server]', { timeout: TIMEOUT });
    assert.equal(await page.getAttribute('#tl-summary', 'data-events'), String(events.length));
    const bars = await page.$$eval('#tl-hist .tl-bar:not(.focus)', (els) => els.map((e) => ({ period: e.dataset.period, count: Number(e.dataset.count) })));
    assert.equal(bars.reduce((a, b) => a + b.count, 0), events.length, 'the bars count every event once');
    for (const b of bars) assert.equal(b.count, events.filter((d) => days(d)[0].startsWith(b.period)).length, b.period);
    // The births (1971) widen the axis beyond the links' first date.
    assert.ok(bars[0].period.startsWith('1971'), `first bar ${bars[0].period}`);

    // The brush filters the chart: from the first slot to 2015, from the keyboard.
    await page.focus('#tl-hist');
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Shift+ArrowLeft');
      if ((await page.getAttribute('#tl-window', 'data-to')) <= '2015-12-31') break;
    }
    const w = await page.evaluate(() => ({ from: document.getElementById('tl-window').dataset.from, to: document.getElementById('tl-window').dataset.to }));
    assert.ok(w.from && w.to, JSON.stringify(w));
    const inWindow = (l) => (!l.startDate || days(l.startDate)[0] <= days(w.to)[1]) && (!l.endDate || days(l.endDate)[1] >= days(w.from)[0]);
    const shown = await page.evaluate(() => window.skein.chart.cy.edges().filter((e) => e.visible()).map((e) => e.id()).sort());
    assert.deepEqual(shown, LINKS.filter(inWindow).map((l) => l.id).sort());
    assert.ok(shown.length < LINKS.length, 'the window hides some links');
    await page.click('#tl-clear');
    await page.click('#tl-close');
  });

  await t.test('a reload with &asof= keeps the view; Back and Forward move between dates', async () => {
    await typeAsOf(page, '2016-07');
    await waitLinks(page, expected('2016-07').links);
    await typeAsOf(page, '2019-06-15');
    await waitLinks(page, expected('2019-06-15').links);
    await page.reload();
    await page.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, IDS.length, { timeout: TIMEOUT });
    await waitLinks(page, expected('2019-06-15').links);
    assert.equal(await page.inputValue('#asof-input'), '2019-06-15');
    assert.deepEqual(await ringedByPixels(page), expected('2019-06-15').ringed);

    await page.goBack();
    await page.waitForFunction(() => document.getElementById('asof-input')?.value === '2016-07', null, { timeout: TIMEOUT });
    await waitLinks(page, expected('2016-07').links);
    assert.match(new URL(page.url()).hash, /asof=2016-07/);
    assert.deepEqual(await ringedByPixels(page), expected('2016-07').ringed);
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('asof-input')?.value === '', null, { timeout: TIMEOUT });
    await waitLinks(page, undated.links);
    await page.goForward();
    await page.waitForFunction(() => document.getElementById('asof-input')?.value === '2016-07', null, { timeout: TIMEOUT });
    await waitLinks(page, expected('2016-07').links);
  });

  await t.test('a case keeps its date: save at a date, reopen /case/ID', async () => {
    await typeAsOf(page, '2019-06-14');
    await waitLinks(page, expected('2019-06-14').links);
    page.nextPrompt = 'Asofq dated case';
    await page.click('#btn-case-new');
    await page.waitForFunction(() => location.pathname.startsWith('/case/'), null, { timeout: TIMEOUT });
    const id = decodeURIComponent(new URL(page.url()).pathname.slice('/case/'.length));
    const saved = await gql('query($id:ID!){ case(id:$id){ asOf } }', { id });
    assert.equal(saved.case.asOf, '2019-06-14');
    // A change of the date is saved too.
    await typeAsOf(page, '2019-06');
    await waitLinks(page, expected('2019-06').links);
    await page.waitForFunction(() => document.getElementById('case-status')?.textContent?.startsWith('Saved'), null, { timeout: TIMEOUT });
    for (let i = 0; i < 50 && (await gql('query($id:ID!){ case(id:$id){ asOf } }', { id })).case.asOf !== '2019-06'; i++) await page.waitForTimeout(200);
    assert.equal((await gql('query($id:ID!){ case(id:$id){ asOf } }', { id })).case.asOf, '2019-06');
    await typeAsOf(page, '2019-06-14');
    await waitLinks(page, expected('2019-06-14').links);
    for (let i = 0; i < 50 && (await gql('query($id:ID!){ case(id:$id){ asOf } }', { id })).case.asOf !== '2019-06-14'; i++) await page.waitForTimeout(200);

    // A fresh page on /case/ID: the date and the chart at it come back.
    const other = await browser.context.newPage();
    try {
      await other.goto(`${BASE}/case/${encodeURIComponent(id)}`);
      await other.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, IDS.length, { timeout: TIMEOUT });
      await waitLinks(other, expected('2019-06-14').links);
      assert.equal(await other.inputValue('#asof-input'), '2019-06-14');
      assert.deepEqual(await ringedByPixels(other), expected('2019-06-14').ringed);
      assert.ok(!(await ringedByPixels(other)).includes(BOSS), 'no ring on the boss the day before the listing');
    } finally {
      await other.close();
    }
    await gql('mutation($id:ID!){ deleteCase(id:$id) }', { id });
  });

  assert.deepEqual(errors, [], 'no errors in the page');
});

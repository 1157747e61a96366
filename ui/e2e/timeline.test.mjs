// End-to-end: time on the chart, against a real `skein serve` (SKEIN_URL)
// in Debian's headless Chromium: dates on link hover and in the details,
// the timeline's histogram and range brush filtering the chart as it
// moves, the window in the shared URL, "Open in timeline" from the entity
// menu. The chart is a dated network of 150 fictional entities written
// here through the API (membership spells, ownership changes, some open,
// some partial dates, some undated) and deleted afterwards. Expected
// figures come from that fixture through a reference written here on
// plain calendar arithmetic, and from the rendered pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chartShot, elementPoint, gql, needs, openChart, openPage, settled, TIMEOUT } from './browser.mjs';
import { days, pad } from './refdates.mjs';
import { background, decodePng, inkAround } from './pixels.mjs';

const skip = needs({ url: true });

// ---- the fixture ---------------------------------------------------------------

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A date at a random precision: YYYY, YYYY-MM or YYYY-MM-DD (days 1..28). */
function randomDate(r, fromYear, toYear) {
  const y = fromYear + Math.floor(r() * (toYear - fromYear + 1));
  const p = r();
  if (p < 0.2) return String(y);
  const m = 1 + Math.floor(r() * 12);
  if (p < 0.55) return `${y}-${pad(m)}`;
  return `${y}-${pad(m)}-${pad(1 + Math.floor(r() * 28))}`;
}

/** Whether a link overlaps a window (issue 13: unknown ends are open). */
function inWindow(l, from, to) {
  const lo = from ? days(from)[0] : '0000-01-01';
  const hi = to ? days(to)[1] : '9999-12-31';
  const s = l.startDate ? days(l.startDate)[0] : '0000-01-01';
  const e = l.endDate ? days(l.endDate)[1] : '9999-12-31';
  return s <= hi && e >= lo;
}

function fixture() {
  const r = rng(1313);
  const orgs = ['North', 'Harbour', 'Valley'].map((n, i) => ({ id: `organization:tlzq-${i}`, kind: 'ORGANIZATION', name: `Tlzq ${n} Ring` }));
  const people = Array.from({ length: 110 }, (_, i) => ({ id: `person:tlzq-${pad(i)}`, kind: 'PERSON', name: `Tlzq Person ${pad(i)}` }));
  const companies = Array.from({ length: 37 }, (_, i) => ({ id: `company:tlzq-${pad(i)}`, kind: 'COMPANY', name: `Tlzq Holdings ${pad(i)}` }));
  const links = [];
  for (const [i, p] of people.entries()) {
    const org = orgs[Math.floor(r() * orgs.length)];
    const l = { id: `tlzq-m-${pad(i)}`, type: 'MEMBER_OF', source: p.id, target: org.id };
    if (r() < 0.9) {
      l.startDate = randomDate(r, 2008, 2020);
      if (r() < 0.6) {
        const y = Number(l.startDate.slice(0, 4)) + 1 + Math.floor(r() * 4);
        l.endDate = randomDate(r, y, y);
      }
    }
    links.push(l);
  }
  companies.forEach((c, i) => {
    const owner = people[Math.floor(r() * people.length)];
    const l = { id: `tlzq-o-${pad(i)}`, type: 'OWNS', source: owner.id, target: c.id, startDate: randomDate(r, 2012, 2023) };
    if (r() < 0.3) l.endDate = String(Number(l.startDate.slice(0, 4)) + 2);
    links.push(l);
  });
  for (let i = 0; i < 40; i++) {
    const a = people[Math.floor(r() * people.length)];
    const b = people[Math.floor(r() * people.length)];
    if (a === b) continue;
    const l = { id: `tlzq-a-${pad(i)}`, type: 'ASSOCIATE_OF', source: a.id, target: b.id };
    if (r() < 0.5) l.startDate = randomDate(r, 2010, 2022);
    links.push(l);
  }
  return { entities: [...orgs, ...people, ...companies], links };
}

const FIX = fixture();
const IDS = FIX.entities.map((e) => e.id);

// A person with dates of her own (a birth, a designation listed and
// delisted) and one dated membership: "Open in timeline" lists them all.
const DATED = {
  id: 'person:tlzq-dated', kind: 'PERSON', name: 'Tlzq Dated Person', birthDate: '1979-11',
  designations: [{ regime: 'Tlzq Test Regime', authority: 'Tlzq Authority', listedOn: '2016-04-12', delistedOn: '2019' }],
};
const DATED_LINK = { id: 'tlzq-m-dated', type: 'MEMBER_OF', source: DATED.id, target: 'organization:tlzq-0', startDate: '2015-02' };

/** The links of the fixture that are drawn with window [from, to], and the entities hidden. */
function expectedInWindow(from, to) {
  const shown = FIX.links.filter((l) => inWindow(l, from, to)).map((l) => l.id).sort();
  const keep = new Set(shown);
  const hidden = IDS.filter((id) => {
    const own = FIX.links.filter((l) => l.source === id || l.target === id);
    return own.length > 0 && own.every((l) => !keep.has(l.id));
  }).sort();
  return { shown, hidden };
}

/** What the chart draws: visible link ids and hidden entity ids. */
function drawn(page) {
  return page.evaluate(() => {
    const cy = window.skein.chart.cy;
    return {
      shown: cy.edges().filter((e) => e.visible()).map((e) => e.id()).sort(),
      hidden: cy.nodes().filter((n) => !n.visible()).map((n) => n.id()).sort(),
    };
  });
}

// ---- the browser ------------------------------------------------------------------

let browser;
let page;
const errors = [];

before(async () => {
  if (skip) return;
  await gql('mutation($in:[EntityInput!]!){ upsertEntities(input:$in){ id } }', { in: FIX.entities });
  await gql('mutation($in:[LinkInput!]!){ upsertLinks(input:$in){ id } }', { in: FIX.links });
  ({ browser, page } = await openPage(errors));
});

after(async () => {
  await browser?.close();
  // A few requests (each deletion is a mutation field; the server takes 30 a request).
  const all = [...IDS, DATED.id];
  for (let k = 0; !skip && k < all.length; k += 30) {
    const part = all.slice(k, k + 30);
    await gql(`mutation(${part.map((_, i) => `$i${i}:ID!`).join(',')}){ ${part.map((_, i) => `d${i}: deleteEntity(id:$i${i})`).join(' ')} }`, Object.fromEntries(part.map((id, i) => [`i${i}`, id])));
  }
});

test('time on the chart: link dates, the timeline brush, the window in the URL', { skip }, async (t) => {
  // The API holds the fixture's dates as written.
  const api = await gql('query($ids:[ID!]!){ entities(ids:$ids){ id links { id startDate endDate } } }', { ids: IDS });
  const apiLinks = new Map(api.entities.flatMap((e) => e.links).map((l) => [l.id, l]));
  assert.equal(apiLinks.size, FIX.links.length);
  for (const l of FIX.links) {
    assert.equal(apiLinks.get(l.id).startDate ?? undefined, l.startDate, l.id);
    assert.equal(apiLinks.get(l.id).endDate ?? undefined, l.endDate, l.id);
  }
  await openChart(page, IDS);
  assert.equal(await page.evaluate(() => window.skein.chart.cy.edges().length), FIX.links.length);
  const byId = new Map(FIX.links.map((l) => [l.id, l]));
  const dated = FIX.links.filter((l) => l.startDate && l.endDate);

  await t.test('a link shows its dates on hover', async () => {
    await page.evaluate(() => {
      window.skein.chart.cy.zoom(1.6);
    });
    let seen = 0;
    for (const l of dated) {
      await page.evaluate((id) => {
        window.skein.chart.cy.center(window.skein.chart.cy.getElementById(id));
      }, l.id);
      const p = await elementPoint(page, l.id);
      await page.mouse.move(p.x - 30, p.y - 30);
      await page.mouse.move(p.x, p.y);
      const tip = await page.waitForSelector('#link-tip:not([hidden])', { timeout: 1500 }).catch(() => null);
      if (!tip) continue; // a node lies over this midpoint
      const hovered = byId.get(await tip.getAttribute('data-link'));
      assert.ok(hovered, 'the tip names a fixture link');
      const text = await tip.textContent();
      const want = hovered.startDate && hovered.endDate ? `${hovered.startDate} – ${hovered.endDate}`
        : hovered.startDate ? `since ${hovered.startDate}` : hovered.endDate ? `until ${hovered.endDate}` : 'no dates recorded';
      assert.ok(text.endsWith(want), `tip "${text}" shows ${want}`);
      if (++seen === 3) break;
    }
    assert.equal(seen, 3, 'three links were hovered');
    await page.mouse.move(2, 2);
    await page.waitForSelector('#link-tip[hidden]', { state: 'attached', timeout: TIMEOUT });
  });

  await t.test('details show a link\'s dates and the dates of an entity\'s links', async () => {
    const l = dated[0];
    await page.evaluate((id) => {
      window.skein.chart.selectOnly(id);
    }, l.id);
    await page.waitForFunction((id) => document.querySelector('#details .details-id')?.textContent === id, l.id, { timeout: TIMEOUT });
    const facts = await page.$$eval('#details .facts dt', (dts) => Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    assert.equal(facts['From date'], l.startDate);
    assert.equal(facts['To date'], l.endDate);
    await page.evaluate((id) => {
      window.skein.chart.selectOnly(id);
    }, l.source);
    await page.waitForFunction((id) => document.querySelector('#details .details-id')?.textContent === id, l.source, { timeout: TIMEOUT });
    const rows = await page.$$eval('#details .link-item .link-dates', (els) => els.map((e) => e.textContent));
    const own = FIX.links.filter((x) => (x.source === l.source || x.target === l.source) && (x.startDate || x.endDate));
    assert.equal(rows.length, own.length, 'one date line per dated link');
    assert.ok(rows.includes(`${l.startDate} – ${l.endDate}`));
    await page.keyboard.press('Escape');
  });

  const events = FIX.links.flatMap((l) => [l.startDate, l.endDate].filter(Boolean));

  await t.test('the timeline draws the chart\'s dated events', async () => {
    await page.click('#btn-timeline');
    await page.waitForSelector('#timeline:not([hidden]) .tl-bar', { timeout: TIMEOUT });
    assert.equal(await page.getAttribute('#tl-summary', 'data-events'), String(events.length));
    const bars = await page.$$eval('#tl-hist .tl-bar:not(.focus)', (els) => els.map((e) => ({ period: e.dataset.period, count: Number(e.dataset.count) })));
    assert.equal(bars.reduce((a, b) => a + b.count, 0), events.length, 'the bars count every event once');
    // Each bar counts the events whose first day falls in its period.
    for (const b of bars.slice(0, 10)) {
      assert.equal(b.count, events.filter((d) => days(d)[0].startsWith(b.period)).length, b.period);
    }
    // The bars are drawn: blue ink where the tallest bar is, none above the bars.
    const shot = decodePng(await page.locator('#tl-hist').screenshot());
    const boxes = await page.$$eval('#tl-hist .tl-bar:not(.focus)', (els) => {
      const r0 = document.getElementById('tl-hist').getBoundingClientRect();
      return els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x - r0.x + r.width / 2, y: r.y - r0.y + r.height - 2, h: r.height }; });
    });
    const tallest = boxes.reduce((a, b) => (b.h > a.h ? b : a));
    const bg = background(shot);
    assert.ok(inkAround(shot, tallest.x, tallest.y, 1, bg) > 0.5, 'the tallest bar is drawn');
  });

  await t.test('the brush filters the chart as it moves; the window goes into the URL', async () => {
    const bars = await page.$$eval('#tl-hist .tl-bar:not(.focus)', (els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { period: e.dataset.period, x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }));
    const a = bars[Math.floor(bars.length * 0.3)];
    const mid = bars[Math.floor(bars.length * 0.45)];
    const b = bars[Math.floor(bars.length * 0.6)];
    const full = decodePng(await chartShot(page));
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(mid.x, mid.y, { steps: 4 });
    // While the button is still down, the chart already shows the window so far.
    await page.waitForFunction((to) => document.getElementById('tl-window').dataset.to === to, mid.period, { timeout: TIMEOUT });
    assert.equal(await page.getAttribute('#tl-window', 'data-from'), a.period);
    assert.deepEqual(await drawn(page), expectedInWindow(a.period, mid.period));
    await page.mouse.move(b.x, b.y, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction((to) => document.getElementById('tl-window').dataset.to === to, b.period, { timeout: TIMEOUT });
    const want = expectedInWindow(a.period, b.period);
    assert.ok(want.shown.length < FIX.links.length && want.hidden.length > 0, 'the window leaves some links and entities out');
    assert.deepEqual(await drawn(page), want);
    assert.match(await page.textContent('#tl-window'), new RegExp(`${want.hidden.length} entit`));

    // What is left out is not drawn: ink at an entity before, none after.
    const after = decodePng(await chartShot(page));
    // The hidden entity checked is the one farthest from every entity still
    // shown, so that no shown node or its label lies over its place.
    const gone = await page.evaluate((ids) => {
      const cy = window.skein.chart.cy;
      const ext = cy.extent();
      const shown = cy.nodes().filter((n) => n.visible()).map((n) => n.renderedPosition());
      const clearance = (p) => Math.min(Infinity, ...shown.map((q) => Math.hypot(p.x - q.x, p.y - q.y)));
      return ids.map((id) => ({ id, p: cy.getElementById(id).renderedPosition(), pos: cy.getElementById(id).position() }))
        .filter((x) => x.pos.x > ext.x1 && x.pos.x < ext.x2 && x.pos.y > ext.y1 && x.pos.y < ext.y2)
        .map((x) => ({ ...x, clear: clearance(x.p) }))
        .sort((x, y) => y.clear - x.clear);
    }, want.hidden);
    assert.ok(gone.length > 0, 'a hidden entity lies in the view');
    const g = gone[0].p;
    assert.ok(inkAround(full, g.x, g.y, 3, background(full)) > 0.3, `${gone[0].id} was drawn before`);
    assert.ok(inkAround(after, g.x, g.y, 3, background(after)) < 0.3, `${gone[0].id} is not drawn in the window`);

    // The shared URL carries the window; a reload brings it back.
    const url = new URL(page.url());
    assert.match(url.hash, new RegExp(`&from=${a.period}&to=${b.period}`));
    await page.reload();
    await page.waitForFunction((n) => window.skein?.chart.nodeIds().length === n, IDS.length, { timeout: TIMEOUT });
    await settled(page);
    assert.equal(await page.isVisible('#timeline'), true, 'a URL with a window opens the timeline');
    assert.equal(await page.getAttribute('#tl-window', 'data-from'), a.period);
    assert.deepEqual(await drawn(page), want);
  });

  await t.test('the keyboard moves the window; clearing it shows everything', async () => {
    const from = await page.getAttribute('#tl-window', 'data-from');
    const to = await page.getAttribute('#tl-window', 'data-to');
    await page.focus('#tl-hist');
    await page.keyboard.press('ArrowRight');
    const next = (p) => {
      const [y, m] = p.split('-').map(Number);
      return m === 12 ? `${y + 1}-01` : `${y}-${pad(m + 1)}`;
    };
    await page.waitForFunction((f) => document.getElementById('tl-window').dataset.from === f, next(from), { timeout: TIMEOUT });
    assert.equal(await page.getAttribute('#tl-window', 'data-to'), next(to));
    assert.deepEqual(await drawn(page), expectedInWindow(next(from), next(to)));
    await page.click('#tl-clear');
    await page.waitForFunction(() => document.getElementById('tl-window').dataset.from === '', null, { timeout: TIMEOUT });
    assert.deepEqual(await drawn(page), { shown: FIX.links.map((l) => l.id).sort(), hidden: [] });
    assert.doesNotMatch(new URL(page.url()).hash, /from=|to=/);
  });

  await t.test('"Open in timeline" shows an entity\'s events', async () => {
    // The person with the most dated links.
    const count = (id) => FIX.links.filter((l) => l.source === id || l.target === id).reduce((n, l) => n + (l.startDate ? 1 : 0) + (l.endDate ? 1 : 0), 0);
    const person = IDS.filter((id) => id.startsWith('person:')).reduce((a, b) => (count(b) > count(a) ? b : a));
    // The entity menu from the keyboard (Shift+F10 on the selected entity).
    await page.evaluate((id) => {
      window.skein.chart.selectOnly(id);
    }, person);
    await page.focus('#chart');
    await page.keyboard.press('Shift+F10');
    await page.click('#entity-menu [data-action=timeline]');
    await page.waitForSelector('#timeline-events', { timeout: TIMEOUT });
    const rows = await page.$$eval('#timeline-events li', (els) => els.map((e) => ({ date: e.dataset.date, kind: e.dataset.kind, link: e.dataset.link })));
    const want = FIX.links.filter((l) => l.source === person || l.target === person)
      .flatMap((l) => [l.startDate && { date: l.startDate, kind: 'LINK_STARTED', link: l.id }, l.endDate && { date: l.endDate, kind: 'LINK_ENDED', link: l.id }].filter(Boolean));
    assert.equal(rows.length, want.length);
    assert.deepEqual([...rows].sort((x, y) => (x.link + x.kind).localeCompare(y.link + y.kind)), [...want].sort((x, y) => (x.link + x.kind).localeCompare(y.link + y.kind)));
    const dayOrder = rows.map((r) => days(r.date)[0]);
    assert.deepEqual(dayOrder, [...dayOrder].sort(), 'oldest first');
    const focus = await page.$$eval('#tl-hist .tl-bar.focus', (els) => els.reduce((n, e) => n + Number(e.dataset.count), 0));
    assert.equal(focus, want.length, 'the entity\'s events are drawn over the chart\'s');
    assert.match(await page.textContent('#tl-focus'), /Tlzq Person/);
  });

  await t.test('"Open in timeline" lists an entity\'s designations and birth with its links\' dates, as the server\'s timeline has them', async () => {
    await gql('mutation($in:[EntityInput!]!){ upsertEntities(input:$in){ id } }', { in: [DATED] });
    await gql('mutation($in:[LinkInput!]!){ upsertLinks(input:$in){ id } }', { in: [DATED_LINK] });
    const ids = [DATED.id, DATED_LINK.target];
    // The server's timeline of the two: the person's own facts and the one link among them.
    const api = await gql('query($ids:[ID!]!){ timeline(ids:$ids, depth:0){ totalCount events { date kind } } }', { ids });
    const want = [
      { date: '1979-11', kind: 'BORN' },
      { date: '2015-02', kind: 'LINK_STARTED' },
      { date: '2016-04-12', kind: 'DESIGNATED' },
      { date: '2019', kind: 'DELISTED' },
    ];
    assert.deepEqual(api.timeline.events, want);
    await openChart(page, ids);
    await page.evaluate((id) => {
      window.skein.chart.selectOnly(id);
    }, DATED.id);
    await page.focus('#chart');
    await page.keyboard.press('Shift+F10');
    await page.click('#entity-menu [data-action=timeline]');
    await page.waitForSelector('#timeline-events[data-complete=true]', { timeout: TIMEOUT });
    const rows = await page.$$eval('#timeline-events li', (els) => els.map((e) => ({ date: e.dataset.date, kind: e.dataset.kind, text: e.textContent })));
    assert.deepEqual(rows.map(({ date, kind }) => ({ date, kind })), want, 'every event, oldest first');
    assert.match(rows[2].text, /designated: Tlzq Test Regime \(Tlzq Authority\)/);
    assert.match(rows[3].text, /delisted: Tlzq Test Regime/);
    assert.match(rows[1].text, /Tlzq North Ring began/);
    // The histogram counts them too, the focus drawn over it.
    await page.waitForFunction((n) => document.getElementById('tl-summary')?.dataset.events === String(n), api.timeline.totalCount, { timeout: TIMEOUT });
    await page.waitForFunction((n) => [...document.querySelectorAll('#tl-hist .tl-bar.focus')].reduce((a, e) => a + Number(e.dataset.count), 0) === n, want.length, { timeout: TIMEOUT });
  });

  assert.deepEqual(errors, [], 'no errors in the page');
});

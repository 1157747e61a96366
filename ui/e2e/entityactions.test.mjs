// End-to-end: "Screen" and "Find duplicates" in an entity's details, in
// Debian's headless Chromium, against a bin/skein started here (seeded)
// with a few fixture entities written through the API: a person with an
// alias, a birth date and an identity document she holds (HOLDS), a second
// record of her, and an unrelated duplicate pair of companies. Screen
// opens ?view=screening with the entity's names, kind, birth date and
// identifiers in the form and screens them: the answer is the API's
// match() of that query, with the entity first. Find duplicates opens
// ?view=duplicates with the pairs xref(ids: [id]) gives, and no other,
// until "Show every pair".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gqlAt, needs, openPage, startSkein, TIMEOUT } from './browser.mjs';

const skip = needs({ bin: true });


// Fixtures, not facts: made-up entities that exist only in this test's store.
const FIXTURE = 'End-to-end test fixture, not a fact.';
const src = (quote) => [{ document: 'document:e2e-fixture-actions', quote }];
const LIRIM = 'person:e2e-act-lirim';
const LIRIM2 = 'person:e2e-act-lirim-2';
const DOC = 'identification:e2e-act-id';
const ENTITIES = [
  { id: LIRIM, kind: 'PERSON', name: 'Lirime Fiktivaj', aliases: ['L. Fiktivaj'], description: FIXTURE, birthDate: '1977-03-09', sources: src('Lirime Fiktivaj is a fixture.') },
  { id: LIRIM2, kind: 'PERSON', name: 'Lirime Fiktivaj', description: FIXTURE, birthDate: '1977-03-09', sources: src('A second record of Lirime Fiktivaj.') },
  { id: DOC, kind: 'IDENTIFICATION', name: 'P4417702', number: 'P4417702', documentType: 'PASSPORT', description: FIXTURE, sources: src('Her passport, a fixture.') },
  { id: 'company:e2e-act-c1', kind: 'COMPANY', name: 'Fiktivaj Trading Qorr', description: FIXTURE, sources: src('A fixture company.') },
  { id: 'company:e2e-act-c2', kind: 'COMPANY', name: 'Fiktivaj Trading Qorr', description: FIXTURE, sources: src('The same fixture company again.') },
];
const LINKS = [{ id: 'e2e-act-holds', type: 'HOLDS', source: LIRIM, target: DOC, sources: src('She holds the passport.') }];

let srv;
let browser;
let page;
const errors = [];
const gql = (q, v) => gqlAt(srv.url, q, v);

before(async () => {
  if (skip) return;
  srv = await startSkein();
  await gql('mutation($in: [EntityInput!]!) { upsertEntities(input: $in) { id } }', { in: ENTITIES });
  await gql('mutation($in: [LinkInput!]!) { upsertLinks(input: $in) { id } }', { in: LINKS });
  ({ browser, page } = await openPage(errors, { consoleErrors: false }));
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

/** Puts the entity on the chart and shows its details. */
async function details(id, name) {
  await page.goto(`${srv.url}/#ids=${encodeURIComponent(id)}`);
  await page.waitForFunction((x) => window.skein?.chart.has(x), id, { timeout: TIMEOUT });
  await page.evaluate((x) => window.skein.chart.selectOnly(x), id);
  await page.waitForFunction((n) => document.querySelector('#details-title')?.textContent === n, name, { timeout: TIMEOUT });
}

test('Screen in the details screens the entity\'s names, kind, birth date and identifiers', { skip }, async () => {
  await details(LIRIM, 'Lirime Fiktivaj');
  await page.click('#details [data-action=screen]');
  await page.waitForSelector('#page-screening:not([hidden])', { timeout: TIMEOUT });
  assert.equal(new URL(page.url()).searchParams.get('view'), 'screening');
  await page.waitForFunction(() => /screened/.test(document.querySelector('#screen-summary')?.textContent ?? ''), null, { timeout: TIMEOUT });

  // The form holds the query as a CSV row under its header.
  const lines = (await page.inputValue('#screen-input')).split('\n');
  assert.equal(lines[0], 'key,kind,names,birthdate,countries,identifiers');
  assert.equal(lines[1], `${LIRIM},PERSON,"Lirime Fiktivaj;L. Fiktivaj",1977-03-09,,P4417702`);
  assert.equal(lines.length, 2);

  // The answer is the API's for that query, the entity itself first.
  const api = await gql(`query($q: [MatchQuery!]!) { match(queries: $q) { key candidates { entity { id } score match features { name } } } }`,
    { q: [{ key: LIRIM, kind: 'PERSON', names: ['Lirime Fiktivaj', 'L. Fiktivaj'], birthDate: '1977-03-09', identifiers: ['P4417702'] }] });
  const want = api.match[0].candidates;
  assert.equal(want[0].entity.id, LIRIM);
  assert.ok(want[0].features.some((f) => f.name === 'identifier'), 'her passport number counts');
  const result = page.locator(`.screen-result[data-key="${LIRIM}"]`);
  assert.equal(await result.count(), 1);
  const rows = await result.locator('tr.screen-cand').evaluateAll((trs) => trs.map((tr) => ({
    id: tr.dataset.id, match: tr.dataset.match === 'true', features: [...tr.querySelectorAll('li.feature')].map((f) => f.dataset.feature),
  })));
  assert.deepEqual(rows, want.map((c) => ({ id: c.entity.id, match: c.match, features: c.features.map((f) => f.name) })));
  assert.ok(rows.some((r) => r.id === LIRIM2 && r.match), 'her second record is a match too');

  // Back to the chart: it is still there.
  await page.click('#page-screening [data-close]');
  await page.waitForSelector('#page-screening', { state: 'hidden', timeout: TIMEOUT });
  assert.equal(await page.evaluate((x) => window.skein.chart.has(x), LIRIM), true);
});

/** The pairs the duplicates page shows, as "a b". */
async function shownPairs() {
  await page.waitForFunction(() => /candidate pair|No candidate duplicates/.test(document.querySelector('#dup-status')?.textContent ?? ''), null, { timeout: TIMEOUT });
  return page.$$eval('#dup-pairs .dup-pair', (els) => els.map((el) => `${el.dataset.a} ${el.dataset.b}`).sort());
}

test('Find duplicates in the details shows the pairs xref gives for that entity alone', { skip }, async () => {
  // The first page as the page asks it (10 pairs).
  const pairsOf = async (ids) => {
    const d = await gql('query($ids: [ID!]) { xref(ids: $ids, first: 10) { totalCount nodes { a { id } b { id } } } }', { ids });
    return { total: d.xref.totalCount, pairs: d.xref.nodes.map((p) => `${p.a.id} ${p.b.id}`).sort() };
  };
  const own = await pairsOf([LIRIM]);
  const every = await pairsOf(null);
  assert.deepEqual(own.pairs, [`${LIRIM} ${LIRIM2}`]);
  assert.ok(every.total > own.total && every.pairs.includes('company:e2e-act-c1 company:e2e-act-c2'), 'other pairs exist');

  await details(LIRIM, 'Lirime Fiktivaj');
  await page.click('#details [data-action=duplicates]');
  await page.waitForSelector('#page-duplicates:not([hidden])', { timeout: TIMEOUT });
  assert.equal(new URL(page.url()).searchParams.get('view'), 'duplicates');
  assert.deepEqual(await shownPairs(), own.pairs);
  assert.match(await page.textContent('#dup-status'), new RegExp(`^${own.total} candidate pair`));
  assert.match(await page.textContent('#dup-scope'), /Only the pairs of Lirime Fiktivaj \(person:e2e-act-lirim\)/);

  // Every pair again.
  await page.click('#dup-all');
  await page.waitForFunction(() => document.querySelector('#dup-scope')?.hidden, null, { timeout: TIMEOUT });
  assert.deepEqual(await shownPairs(), every.pairs);
  assert.match(await page.textContent('#dup-status'), new RegExp(`^${every.total} candidate pair`));

  // Leaving the page ends the restriction: the sidebar's link shows every pair.
  await page.click('#page-duplicates [data-close]');
  await details(LIRIM2, 'Lirime Fiktivaj');
  await page.click('#details [data-action=duplicates]');
  await page.waitForSelector('#page-duplicates:not([hidden])', { timeout: TIMEOUT });
  assert.deepEqual(await shownPairs(), (await pairsOf([LIRIM2])).pairs);
  await page.click('#page-duplicates [data-close]');
  await page.click('#nav-duplicates');
  await page.waitForSelector('#page-duplicates:not([hidden])', { timeout: TIMEOUT });
  await page.waitForFunction(() => document.querySelector('#dup-scope')?.hidden, null, { timeout: TIMEOUT });
  assert.deepEqual(await shownPairs(), every.pairs);
  assert.deepEqual(errors, []);
});

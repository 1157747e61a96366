// End-to-end: the duplicates page (?view=duplicates) in Debian's headless
// Chromium, against a bin/skein started here with tokens (viewer, analyst,
// editor) on the seed plus three fixture pairs written through the API
// (the seed itself has no duplicates): pairs side by side with names,
// aliases, kinds, fields and quoted sources; paging with Next; an analyst
// sees but cannot judge, a viewer is refused; Different hides a pair for
// good (after a reload too), Same merges it keeping both sources (shown on
// the page and in the chart's details), Unsure keeps it flagged; and the
// judgements list says who decided what and when.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gqlAt, needs, openPage, startSkein, TIMEOUT } from './browser.mjs';

const skip = needs({ bin: true });

const VIEWER = 'viewer-token-e2e-dups-0123';
const ANALYST = 'analyst-token-e2e-dups-0123';
const EDITOR = 'editor-token-e2e-dups-0123';

// Fixtures, not facts: made-up people that exist only in this test's store.
const FIXTURE = 'End-to-end test fixture, not a fact.';
const doc = (n) => `document:e2e-fixture-${n}`;
const person = (id, name, quote, n, extra = {}) => ({
  id, kind: 'PERSON', name, description: FIXTURE, sources: [{ document: doc(n), quote }], ...extra,
});
const ENTITIES = [
  person('person:e2e-dup-a1', 'Agron Fixturi', 'Agron Fixturi is the first record of pair A.', 1),
  person('person:e2e-dup-a2', 'Fixturi Agron', 'Fixturi Agron is the second record of pair A.', 2, { aliases: ['A. Fixturi'] }),
  person('person:e2e-dup-b1', 'Besnik Provaj', 'Besnik Provaj is the first record of pair B.', 1, { properties: [{ key: 'birthDate', value: '1980' }] }),
  person('person:e2e-dup-b2', 'Besnik Provai', 'Besnik Provai is the second record of pair B.', 2, { properties: [{ key: 'birthDate', value: '1980' }], aliases: ['B. Provai'] }),
  person('person:e2e-dup-c1', 'Dardan Testaj', 'Dardan Testaj is the first record of pair C.', 1),
  person('person:e2e-dup-c2', 'Dardan Testaj', 'Dardan Testaj is the second record of pair C.', 2, { countries: ['Kosovo'] }),
];
const PAIR_A = ['person:e2e-dup-a1', 'person:e2e-dup-a2'];
const PAIR_B = ['person:e2e-dup-b1', 'person:e2e-dup-b2'];
const PAIR_C = ['person:e2e-dup-c1', 'person:e2e-dup-c2'];
const byId = Object.fromEntries(ENTITIES.map((e) => [e.id, e]));

let srv;
let browser;
let page;
const errors = [];

before(async () => {
  if (skip) return;
  srv = await startSkein({ env: { SKEIN_AUTH_TOKENS: `viewer:${VIEWER},analyst:${ANALYST},editor:${EDITOR}` } });
  await gqlAt(srv.url, 'mutation($in: [EntityInput!]!) { upsertEntities(input: $in) { id } }', { in: ENTITIES }, EDITOR);
  ({ browser, page } = await openPage(errors, { consoleErrors: false }));
});

after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signIn(token) {
  assert.equal((await page.request.post(`${srv.url}/auth/login`, { data: { token } })).status(), 200);
}

/** Opens the page and waits until it has answered (pairs, none, or a refusal). */
async function openDuplicates() {
  await page.goto(`${srv.url}/?view=duplicates`);
  await page.waitForSelector('#page-duplicates:not([hidden])', { timeout: TIMEOUT });
  await loaded();
}

async function loaded() {
  await page.waitForFunction(() => {
    const refused = document.querySelector('#dup-refused');
    const status = document.querySelector('#dup-status')?.textContent ?? '';
    return (refused && !refused.hidden) || /candidate pair|No candidate duplicates/.test(status);
  }, null, { timeout: TIMEOUT });
}

/** The pairs as the page shows them. */
function pairs() {
  return page.$$eval('#dup-pairs .dup-pair', (els) => els.map((el) => ({
    a: el.dataset.a,
    b: el.dataset.b,
    verdict: el.querySelector('.dup-verdict')?.textContent ?? null,
    features: [...el.querySelectorAll('li.feature')].map((f) => f.dataset.feature),
    buttons: [...el.querySelectorAll('.dup-judge')].map((b) => ({ verdict: b.dataset.verdict, disabled: b.disabled, title: b.title })),
    sides: [...el.querySelectorAll('.dup-side')].map((s) => ({
      id: s.dataset.id,
      name: s.querySelector('.dup-name')?.textContent.trim(),
      kind: s.querySelector('dt.dup-kind + dd')?.textContent,
      aliases: s.querySelector('dt.dup-aliases + dd')?.textContent ?? null,
      text: s.textContent,
      quotes: [...s.querySelectorAll('blockquote')].map((q) => q.textContent),
      cites: [...s.querySelectorAll('figcaption')].map((q) => q.textContent),
    })),
  })));
}

const key = (p) => `${p.a} ${p.b}`;
const pairKey = (ids) => ids.join(' ');

test('an analyst sees the pairs side by side with names, aliases, kinds, fields and quoted sources, but cannot judge', { skip }, async () => {
  await signIn(ANALYST);
  await openDuplicates();
  assert.match(await page.textContent('#dup-status'), /^3 candidate pairs · showing 1–3 · only an editor can judge pairs \(you are signed in as analyst\)/);
  const shown = await pairs();
  assert.deepEqual(new Set(shown.map(key)), new Set([PAIR_A, PAIR_B, PAIR_C].map(pairKey)), 'the fixture pairs, and no seed entity');
  for (const p of shown) {
    assert.ok(p.features.includes('name'), `the name feature explains ${key(p)}`);
    assert.deepEqual(p.sides.map((s) => s.id), [p.a, p.b]);
    for (const s of p.sides) {
      const e = byId[s.id];
      assert.ok(s.name.startsWith(e.name), `${s.id}: its name (${s.name})`);
      assert.equal(s.kind, 'Person');
      assert.equal(s.aliases, e.aliases ? e.aliases.join('; ') : null, `${s.id}: its aliases`);
      assert.deepEqual(s.quotes, e.sources.map((x) => x.quote), `${s.id}: its sources, quoted`);
      assert.equal(s.cites.length, s.quotes.length, `${s.id}: each quote has its citation line`);
      assert.ok(s.text.includes(FIXTURE), 'the description');
    }
    for (const b of p.buttons) {
      assert.equal(b.disabled, true, `${b.verdict} is off for an analyst`);
      assert.match(b.title, /Only an editor can judge pairs; you are signed in as analyst/);
    }
  }
  // Typed fields by their registry label: pair B agrees on the birth date.
  const b = shown.find((p) => key(p) === pairKey(PAIR_B));
  assert.ok(b.sides.every((s) => /1980/.test(s.text)));
  assert.ok(b.features.includes('birthDate'));
  // The server is the guard, not the page.
  await assert.rejects(gqlAt(srv.url, `mutation { judge(a: "${PAIR_A[0]}", b: "${PAIR_A[1]}", verdict: DIFFERENT) { verdict } }`, {}, ANALYST),
    (e) => e.code === 'FORBIDDEN');
  assert.match(await page.textContent('#judgement-status'), /No pair judged yet/);
});

test('a viewer is refused the duplicates, clearly', { skip }, async () => {
  await signIn(VIEWER);
  await openDuplicates();
  assert.equal(await page.locator('#dup-refused').isVisible(), true);
  assert.match(await page.textContent('#dup-refused'), /Duplicates are not open to you\..*needs the analyst role, judging them the editor role; you are signed in as viewer/);
  assert.equal(await page.locator('#dup-main').isVisible(), false, 'no pairs, no buttons');
  assert.equal(await page.locator('.dup-judge').count(), 0);
});

test('paging with Next and Previous', { skip }, async () => {
  await signIn(EDITOR);
  await openDuplicates();
  await page.selectOption('#dup-size', '2');
  await page.waitForFunction(() => /showing 1–2/.test(document.querySelector('#dup-status')?.textContent ?? ''), null, { timeout: TIMEOUT });
  const first = await pairs();
  assert.equal(first.length, 2);
  assert.equal(await page.isDisabled('#dup-prev'), true);
  await page.click('#dup-next');
  await page.waitForFunction(() => /showing 3–3/.test(document.querySelector('#dup-status')?.textContent ?? ''), null, { timeout: TIMEOUT });
  const second = await pairs();
  assert.equal(second.length, 1);
  assert.equal(await page.isDisabled('#dup-next'), true, 'no page after the last');
  assert.deepEqual(new Set([...first, ...second].map(key)), new Set([PAIR_A, PAIR_B, PAIR_C].map(pairKey)), 'the pages cover every pair once');
  await page.click('#dup-prev');
  await page.waitForFunction(() => /showing 1–2/.test(document.querySelector('#dup-status')?.textContent ?? ''), null, { timeout: TIMEOUT });
  assert.deepEqual((await pairs()).map(key), first.map(key));
});

async function judge(ids, verdict) {
  const sel = `.dup-pair[data-a="${ids[0]}"][data-b="${ids[1]}"] .dup-judge[data-verdict="${verdict}"]`;
  assert.equal(await page.isDisabled(sel), false, `${verdict} is on for an editor`);
  await page.click(sel);
  await page.waitForSelector('#dup-notice:not([hidden])', { timeout: TIMEOUT });
  await page.waitForFunction((v) => [...document.querySelectorAll('#judgement-rows tr')].some((r) => r.dataset.verdict === v), verdict, { timeout: TIMEOUT });
  await loaded();
}

test('Different hides the pair, also after a reload; the judgement says who and when', { skip }, async () => {
  await signIn(EDITOR);
  await openDuplicates();
  const start = Date.now();
  await judge(PAIR_A, 'DIFFERENT');
  assert.match(await page.textContent('#dup-notice'), /^Different: Agron Fixturi and Fixturi Agron will not be proposed again\./);
  assert.ok(!(await pairs()).some((p) => key(p) === pairKey(PAIR_A)), 'gone from the page');
  await page.reload();
  await page.waitForSelector('#page-duplicates:not([hidden])', { timeout: TIMEOUT });
  await loaded();
  assert.match(await page.textContent('#dup-status'), /^2 candidate pairs/);
  assert.ok(!(await pairs()).some((p) => key(p) === pairKey(PAIR_A)), 'still gone after a reload');
  const row = page.locator(`#judgement-rows tr[data-a="${PAIR_A[0]}"][data-b="${PAIR_A[1]}"]`);
  // The judgements list loads on its own after the pairs: wait for it, since count() does not.
  await row.first().waitFor({ timeout: TIMEOUT });
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator('.j-verdict').textContent(), 'Different');
  assert.match(await row.locator('.j-actor').textContent(), /^editor/);
  const at = Date.parse(await row.locator('td').first().getAttribute('title'));
  assert.ok(at >= start - 60_000 && at <= Date.now() + 60_000, 'decided now');
  assert.match(await row.textContent(), /Agron Fixturi.*Fixturi Agron/);
});

test('Same merges the pair and the merged entity keeps both sources, on the page and in the chart\'s details', { skip }, async () => {
  await signIn(EDITOR);
  await openDuplicates();
  await judge(PAIR_B, 'SAME');
  const want = [byId[PAIR_B[0]].sources[0].quote, byId[PAIR_B[1]].sources[0].quote];
  assert.match(await page.textContent('#dup-notice'), /^Same: Besnik Provai \(person:e2e-dup-b2\) was merged into Besnik Provaj \(person:e2e-dup-b1\), which now cites 2 sources\./);
  assert.deepEqual(new Set(await page.$$eval('#dup-notice .dup-merged blockquote', (q) => q.map((x) => x.textContent))), new Set(want));
  assert.ok(!(await pairs()).some((p) => key(p) === pairKey(PAIR_B)), 'the pair is gone');
  await assert.rejects(gqlAt(srv.url, `{ entity(id: "${PAIR_B[1]}") { id } }`, {}, EDITOR), (e) => e.code === 'NOT_FOUND', 'b was merged away');
  const row = page.locator(`#judgement-rows tr[data-a="${PAIR_B[0]}"][data-b="${PAIR_B[1]}"]`);
  assert.equal(await row.locator('.j-verdict').textContent(), 'Same');

  // The merged entity on the chart: its details quote both sources, and b's name is an alias.
  await page.goto(`${srv.url}/#ids=${PAIR_B[0]}`);
  await page.waitForFunction((id) => window.skein?.chart.has(id), PAIR_B[0], { timeout: TIMEOUT });
  await page.evaluate((id) => window.skein.chart.selectOnly(id), PAIR_B[0]);
  await page.waitForFunction(() => document.querySelector('#details-title')?.textContent === 'Besnik Provaj', null, { timeout: TIMEOUT });
  const quotes = await page.$$eval('#details blockquote', (q) => q.map((x) => x.textContent));
  for (const q of want) assert.ok(quotes.includes(q), `the details quote "${q}"`);
  assert.match(await page.textContent('#details'), /Besnik Provai/);
});

test('Unsure keeps the pair, flagged; the judgements list has every decision', { skip }, async () => {
  await signIn(EDITOR);
  await openDuplicates();
  await judge(PAIR_C, 'UNSURE');
  const c = (await pairs()).find((p) => key(p) === pairKey(PAIR_C));
  assert.ok(c, 'an unsure pair stays');
  assert.equal(c.verdict, 'Judged unsure before');
  const rows = await page.$$eval('#judgement-rows tr', (rs) => rs.map((r) => [r.dataset.a, r.dataset.b, r.dataset.verdict]));
  assert.deepEqual(new Set(rows.map((r) => r.join(' '))), new Set([
    `${pairKey(PAIR_A)} DIFFERENT`, `${pairKey(PAIR_B)} SAME`, `${pairKey(PAIR_C)} UNSURE`,
  ]));
  assert.match(await page.textContent('#judgement-status'), /^3 judgements/);
  assert.deepEqual(errors, []);
});

// End-to-end: the screening page (?view=screening) against a real `skein
// serve` with the seed (SKEIN_URL), in Debian's headless Chromium. Every
// designated person of the seed (read from seed/dataset.json) is found
// first, and flagged a match, from spelling variants pasted into the page;
// a surname alone is not a match; the features and the designated parties
// nearby are rendered as the API gives them; "add to chart" puts the hit
// on the chart; bad input names its line; a CSV uploads and the answer
// downloads as CSV; a viewer on a server with tokens (bin/skein started
// here) is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gqlAt, needs, openPage, startSkein, TIMEOUT } from './browser.mjs';

const BASE = process.env.SKEIN_URL;
const skip = needs({ url: true, bin: true });

const BURIM = 'person:burim-krasniqi';
const gql = (q, v) => gqlAt(BASE, q, v);

// The designated people of the seed, from its data file (not from the API).
const dataset = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'seed', 'dataset.json'), 'utf8'));
const designated = dataset.entities.filter((e) => e.kind === 'PERSON' && (e.designations ?? []).length > 0);

// How a screening list from the region may write each name in Serbian
// Cyrillic: test input, not a fact of the seed (the source has Latin only).
const CYRILLIC = {
  'person:burim-krasniqi': 'Бурим Краснићи',
  'person:arif-krasniqi': 'Ариф Краснићи',
  'person:flamur-krasniqi': 'Фламур Краснићи',
  'person:valon-krasniqi': 'Валон Краснићи',
  'person:sami-duriqi': 'Сами Дурићи',
  'person:granit-avdyli': 'Гранит Авдили',
  'person:nexhmije-selmani': 'Неџмије Селмани',
  'person:endrit-ermellahu': 'Ендрит Ермелаху',
  'person:shkembim-ermellahu': 'Шкембим Ермелаху',
  'person:nusret-seferovic': 'Нусрет Сеферовић',
  'person:ali-derakhshan': 'Али Дерахшан',
  'person:vahid-derakhshan': 'Вахид Дерахшан',
};

const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const swap = (s) => s.split(/\s+/).reverse().join(' ');

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

async function openScreening(p = page, base = BASE, hash = '') {
  await p.goto(`${base}/?view=screening${hash}`);
  await p.waitForSelector('#page-screening:not([hidden]) #screen-input', { timeout: TIMEOUT });
}

/** Pastes lines, runs the screening and waits for its answer (results or a message). */
async function screen(text, p = page) {
  // Set at once (fill() of a thousand lines is slow on a busy machine).
  await p.$eval('#screen-input', (t, v) => { t.value = v; }, text);
  await p.click('#screen-run');
  await p.waitForFunction(() => {
    const msg = document.querySelector('#screen-msg');
    return (msg && !msg.hidden) || /screened/.test(document.querySelector('#screen-summary')?.textContent ?? '');
  }, null, { timeout: TIMEOUT });
}

/** What the page shows for each query: line, status, verdict, and its candidate rows. */
function rendered(p = page) {
  return p.$$eval('#screen-results .screen-result', (secs) => secs.map((s) => ({
    line: Number(s.dataset.line),
    status: s.dataset.status,
    name: s.querySelector('.screen-name')?.textContent,
    verdict: s.querySelector('.screen-verdict')?.textContent,
    rows: [...s.querySelectorAll('tr.screen-cand')].map((r) => ({
      id: r.dataset.id,
      match: r.dataset.match === 'true',
      name: r.querySelector('.cand-name')?.textContent,
      flag: r.querySelector('.screen-flag')?.textContent,
      score: r.querySelector('.screen-score')?.textContent.trim(),
      features: [...r.querySelectorAll('li.feature')].map((f) => ({
        name: f.dataset.feature,
        detail: f.querySelector('.feature-detail')?.textContent,
        score: f.querySelector('.feature-score')?.textContent,
      })),
      exposure: [...r.querySelectorAll('.exposure li')].map((li) => li.dataset.id),
      designated: !!r.querySelector('.screen-designated'),
    })),
  })));
}

test('every designated person is found first and matched from spelling variants pasted into the page', { skip }, async () => {
  assert.equal(designated.length, 12, 'the seed has the 12 designated people of the source');
  const lines = [];
  for (const p of designated) {
    assert.ok(CYRILLIC[p.id], `a Cyrillic spelling for ${p.id}`);
    lines.push({ id: p.id, how: 'no diacritics', text: fold(p.name) });
    lines.push({ id: p.id, how: 'swapped order', text: swap(p.name) });
    lines.push({ id: p.id, how: 'Cyrillic', text: CYRILLIC[p.id] });
  }
  await openScreening();
  await screen(lines.map((l) => l.text).join('\n'));
  const out = await rendered();
  assert.equal(out.length, lines.length, 'one answer per pasted line');
  for (const [i, l] of lines.entries()) {
    const r = out[i];
    const want = designated.find((p) => p.id === l.id);
    assert.equal(r.line, i + 1, 'answers in the order of the lines');
    assert.equal(r.name, l.text);
    assert.ok(r.rows.length > 0, `${l.how} "${l.text}": candidates shown`);
    assert.equal(r.rows[0].id, l.id, `${l.how} "${l.text}": ${l.id} first, got ${r.rows[0].id}`);
    assert.ok(r.rows[0].match, `${l.how} "${l.text}": flagged a match`);
    assert.equal(r.rows[0].flag, '✓ match');
    assert.equal(r.rows[0].name, want.name);
    assert.equal(r.status, 'match');
    assert.equal(r.verdict, `Match: ${want.name}`);
    assert.ok(r.rows[0].designated, `${l.how}: the hit is shown as designated`);
    const nameFeature = r.rows[0].features.find((f) => f.name === 'name');
    assert.ok(nameFeature?.detail.includes(l.text) && nameFeature.detail.includes(want.name),
      `the names compared are shown: ${nameFeature?.detail}`);
  }
  const summary = await page.textContent('#screen-summary');
  assert.match(summary, new RegExp(`^${lines.length} names screened: ${lines.length} matched`));
  assert.deepEqual(errors, []);
});

test('a surname alone is not a match', { skip }, async () => {
  await openScreening();
  await screen('Krasniqi\nBurim Krasniqi');
  const [surname, full] = await rendered();
  assert.equal(surname.status, 'nomatch');
  assert.match(surname.verdict, /^No match \(best \d\.\d\d: /);
  assert.ok(surname.rows.length >= 4, 'the Krasniqis are shown as candidates');
  assert.ok(surname.rows.every((r) => !r.match && r.flag === 'no'), 'none of them flagged a match');
  assert.ok(surname.rows.every((r) => /krasniqi/i.test(r.name)), 'the candidates share the surname');
  assert.equal(full.status, 'match', 'the full name is');
  assert.match(await page.textContent('#screen-summary'), /2 names screened: 1 matched .*1 not matched/);
});

test('the explanation: features and nearby designated parties as the API gives them', { skip }, async () => {
  const line = 'Krasniqi Burim, 1970, Kosovo, X-123';
  await openScreening();
  await screen(line);
  const [r] = await rendered();
  const api = (await gql(`query($q: [MatchQuery!]!) { match(queries: $q) { candidates {
      entity { id } score match features { name score detail } exposure { entity { id } } } } }`,
  { q: [{ key: 'line 1', names: ['Krasniqi Burim'], birthDate: '1970', countries: ['Kosovo'], identifiers: ['X-123'] }] })).match[0];
  assert.deepEqual(r.rows.map((x) => x.id), api.candidates.map((c) => c.entity.id), 'the candidates in the API\'s order');
  for (const [i, c] of api.candidates.entries()) {
    const row = r.rows[i];
    assert.equal(row.score.split(/\s+/).pop(), c.score.toFixed(2));
    assert.equal(row.match, c.match);
    assert.deepEqual(row.features.map((f) => [f.name, f.detail]), c.features.map((f) => [f.name, f.detail]), `features of ${c.entity.id}`);
  }
  // The features name what was compared: the birth date, the identifier and the country, each with its own line.
  const top = r.rows[0];
  assert.equal(top.id, BURIM);
  for (const f of ['name', 'birthDate', 'identifier']) {
    assert.ok(top.features.some((x) => x.name === f), `a ${f} feature is shown`);
  }
  assert.match(top.features.find((x) => x.name === 'birthDate').detail, /1970/);
  assert.match(top.features.find((x) => x.name === 'identifier').detail, /x123|X-123/i);
  // The seed gives the Krasniqi network's country (Kosovo): that candidate shows the overlap raising its score.
  const network = r.rows.find((x) => x.id === 'organization:krasniqi-network');
  const country = network?.features.find((x) => x.name === 'country');
  assert.ok(country, 'a country feature on the network');
  assert.match(country.detail, /kosovo/i);
  assert.match(country.score, /^\+0\.\d\d$/);
  // The designated parties near Burim: every one the API's sanctionsExposure gives, nearest first.
  const exp = (await gql(`{ sanctionsExposure(id: "${BURIM}") { entity { id } path { length } } }`)).sanctionsExposure;
  assert.ok(exp.length > 0);
  assert.deepEqual(new Set(top.exposure), new Set(exp.map((x) => x.entity.id)));
  const hops = await page.$$eval(`tr.screen-cand[data-id="${BURIM}"] .exposure li`, (lis) => lis.map((li) => Number(/(\d+) hops?/.exec(li.textContent)[1])));
  assert.deepEqual(hops, [...hops].sort((a, b) => a - b), 'nearest first');
  const more = page.locator(`tr.screen-cand[data-id="${BURIM}"] .exposure-more summary`);
  if (exp.length > 3) {
    assert.equal(await more.textContent(), `${exp.length - 3} more`);
    await more.click();
    assert.ok(await page.locator(`tr.screen-cand[data-id="${BURIM}"] .exposure-more[open] li`).first().isVisible());
  }
});

test('add to chart puts the hit on the chart; the page has its own address and survives a reload', { skip }, async () => {
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => !!window.skein, null, { timeout: TIMEOUT });
  assert.equal(await page.locator('#page-screening').count() === 0 || await page.locator('#page-screening').isHidden(), true);
  // From the app's navigation.
  await page.click('#nav-screening');
  await page.waitForSelector('#page-screening:not([hidden])');
  assert.equal(new URL(page.url()).searchParams.get('view'), 'screening');
  await screen('Nusret Seferovic');
  const add = page.locator(`tr.screen-cand[data-id="person:nusret-seferovic"] .screen-add`).first();
  assert.equal(await add.textContent(), 'Add to chart');
  await add.click();
  await page.waitForFunction(() => window.skein.chart.has('person:nusret-seferovic'), null, { timeout: TIMEOUT });
  await page.waitForFunction(() => document.querySelector('tr.screen-cand[data-id="person:nusret-seferovic"] .screen-add')?.textContent === 'Show on the chart');
  // The chart (in the hash) and the page (in the query) both survive a reload.
  await page.waitForFunction(() => location.hash.includes('nusret-seferovic'));
  await page.reload();
  await page.waitForSelector('#page-screening:not([hidden]) #screen-input', { timeout: TIMEOUT });
  await page.waitForFunction(() => window.skein?.chart.has('person:nusret-seferovic'), null, { timeout: TIMEOUT });
  // "Show on the chart" goes back to it, with the hit selected and drawn.
  await screen('Nusret Seferovic');
  await page.locator(`tr.screen-cand[data-id="person:nusret-seferovic"] .screen-add`).first().click();
  await page.waitForSelector('#page-screening', { state: 'hidden' });
  assert.equal(new URL(page.url()).searchParams.get('view'), null);
  assert.deepEqual(await page.evaluate(() => window.skein.chart.selectedNodeIds()), ['person:nusret-seferovic']);
  assert.ok(await page.locator('#chart').isVisible());
  assert.match(await page.textContent('#status-counts'), /^1 entity/);
});

test('bad input: empty, a malformed line, a bad date, too many rows; each message names its line', { skip }, async () => {
  await openScreening();
  const message = async (text) => {
    await screen(text);
    assert.equal(await page.locator('#screen-msg').isVisible(), true, `a message for ${JSON.stringify(text.slice(0, 40))}`);
    return page.textContent('#screen-msg');
  };
  assert.match(await message('  \n\n'), /Nothing to screen/);
  assert.match(await message('Burim Krasniqi\nArif Krasniqi\n"Valon Krasniqi, 1980\nSami Duriqi'), /^Line 3: a quote \("\) opened here is never closed/);
  const bad = await message('Burim Krasniqi\nKrasniqi, Burim');
  assert.match(bad, /^Line 2 \(Krasniqi, Burim\): birthDate: date "Burim" is not an ISO date/);
  assert.match(bad, /goes in quotes/);
  // The line in error is selected in the box.
  const sel = await page.evaluate(() => {
    const t = document.querySelector('#screen-input');
    return t.value.slice(t.selectionStart, t.selectionEnd);
  });
  assert.equal(sel, 'Krasniqi, Burim');
  assert.match(await message('Burim Krasniqi\na, 1970, Kosovo, X1, extra'), /^Line 2: 5 cells, at most 4/);
  // graph.MaxMatchQueries (1,000, in schema/screen.graphql's description) and one more.
  await screen('Burim Krasniqi');
  assert.equal(await page.locator('#screen-results .screen-result').count(), 1);
  const many = Array.from({ length: 1001 }, (_, i) => `Person Number${i}`).join('\n');
  assert.match(await message(many), /^Too many rows: 1,001 names/);
  assert.equal(await page.locator('#screen-results .screen-result').count(), 0, 'no stale answers under an error');
  // A good list after that is answered, and the message is gone.
  await screen('"Krasniqi, Burim"');
  assert.equal(await page.locator('#screen-msg').isVisible(), false);
  const [r] = await rendered();
  assert.equal(r.rows[0].id, BURIM);
});

test('a CSV upload is read by its header; a bad row names the file and line; the answer downloads as CSV', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skein-screen-'));
  try {
    const good = join(dir, 'roster.csv');
    writeFileSync(good, 'key,name,birthdate,countries\nc-1,Vahid Derakhshan,,\nc-2,"Ermellahu, Endrit",,Kosovo\nc-3,Krasniqi,,\n');
    await openScreening();
    await page.setInputFiles('#screen-file', good);
    await page.waitForFunction(() => /screened/.test(document.querySelector('#screen-summary')?.textContent ?? ''), null, { timeout: TIMEOUT });
    const out = await rendered();
    assert.deepEqual(out.map((r) => r.line), [2, 3, 4], 'lines of the file, after its header');
    assert.deepEqual(await page.$$eval('#screen-results .screen-result', (s) => s.map((x) => x.dataset.key)), ['c-1', 'c-2', 'c-3']);
    assert.equal(out[0].rows[0].id, 'person:vahid-derakhshan');
    assert.equal(out[1].rows[0].id, 'person:endrit-ermellahu');
    assert.equal(out[2].status, 'nomatch');
    assert.match(await page.inputValue('#screen-input'), /^key,name,birthdate,countries/);

    // The download is the server's CSV of the same queries.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#screen-csv')]);
    const [head, ...rows] = parseCsv(readFileSync(await dl.path(), 'utf8'));
    assert.deepEqual(head, ['key', 'query', 'rank', 'entity_id', 'entity_kind', 'entity_name', 'score', 'match', 'features', 'exposure']);
    const col = Object.fromEntries(head.map((h, i) => [h, i]));
    const first = (key) => rows.find((r) => r[col.key] === key && r[col.rank] === '1');
    assert.equal(first('c-1')[col.entity_id], 'person:vahid-derakhshan');
    assert.equal(first('c-1')[col.match], 'true');
    assert.equal(first('c-2')[col.entity_id], 'person:endrit-ermellahu');
    assert.equal(first('c-2')[col.query], 'Ermellahu, Endrit');
    const c3 = rows.filter((r) => r[col.key] === 'c-3');
    assert.ok(c3.length > 0 && c3.every((r) => r[col.match] === 'false'), 'the surname alone is no match in the file either');

    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'name,birthdate\nBurim Krasniqi,\nArif Krasniqi,1980-13-01\n');
    await page.setInputFiles('#screen-file', broken);
    await page.waitForSelector('#screen-msg:not([hidden])', { timeout: TIMEOUT });
    assert.match(await page.textContent('#screen-msg'), /^broken\.csv: Line 3 \(Arif Krasniqi,1980-13-01\): birthDate: date "1980-13-01" is not an ISO date/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a viewer is refused screening, clearly; an analyst is not', { skip }, async () => {
  const VIEWER = 'viewer-token-e2e-screen-0123';
  const ANALYST = 'analyst-token-e2e-screen-0123';
  const srv = await startSkein({ env: { SKEIN_AUTH_TOKENS: `viewer:${VIEWER},analyst:${ANALYST}` } });
  const p = await browser.context.newPage();
  try {
    assert.equal((await p.request.post(`${srv.url}/auth/login`, { data: { token: VIEWER } })).status(), 200);
    await p.goto(`${srv.url}/?view=screening`);
    await p.waitForSelector('#screen-refused:not([hidden])', { timeout: TIMEOUT });
    assert.match(await p.textContent('#screen-refused'), /Screening is not open to you\. It needs the analyst role .*signed in as viewer/);
    assert.equal(await p.locator('#screen-form').isVisible(), false, 'no form to fill');
    // The server refuses too (the page is not the guard).
    await assert.rejects(gqlAt(srv.url, '{ match(queries: [{names: ["Burim Krasniqi"]}]) { key } }', {}, VIEWER), (e) => e.code === 'FORBIDDEN');

    assert.equal((await p.request.post(`${srv.url}/auth/login`, { data: { token: ANALYST } })).status(), 200);
    await openScreening(p, srv.url);
    assert.equal(await p.locator('#screen-refused').isVisible(), false);
    await screen('Burim Krasniqi', p);
    const [r] = await rendered(p);
    assert.equal(r.rows[0].id, BURIM);
  } finally {
    await p.close();
    await srv.stop();
  }
});

/** RFC 4180 rows (quoted cells, doubled quotes), for reading the downloaded answer. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

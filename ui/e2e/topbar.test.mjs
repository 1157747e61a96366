// End-to-end: the top bar fits, against a real `skein serve` (SKEIN_URL)
// in Debian's headless Chromium, at 1280 and 1024 px wide: the search box
// keeps at least 220 px and takes typed text whole (Cyrillic too), and no
// control of the bar overlaps another, wraps onto a second row or leaves
// the window, with every control shown that any role can see (Sign out
// too). The view controls and the lists are in the sidebar, usable there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { needs, openPage, TIMEOUT } from './browser.mjs';

const BASE = process.env.SKEIN_URL;
const skip = needs({ url: true });
const MIN_SEARCH = 220;

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

/** The boxes of the top bar's visible controls, in page pixels. */
function boxes() {
  return page.evaluate(() => {
    const bar = document.querySelector('.topbar');
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const controls = [bar.querySelector('.brand'), bar.querySelector('.search'), ...bar.querySelector('.toolbar').children].filter(shown);
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { id: el.id || el.className || el.tagName, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    return {
      bar: box(bar),
      controls: controls.map(box),
      search: document.getElementById('search-input').getBoundingClientRect().width,
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
}

for (const width of [1280, 1024]) {
  test(`the top bar fits at ${width} px`, { skip }, async () => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${BASE}/`);
    await page.waitForSelector('#asof-input', { timeout: TIMEOUT });
    await page.waitForSelector('#btn-ownership', { timeout: TIMEOUT });
    // Signed in with a token the bar also shows Sign out: the widest case.
    await page.evaluate(() => {
      document.getElementById('btn-signout').hidden = false;
    });
    const m = await boxes();
    assert.ok(m.search >= MIN_SEARCH, `the search box is ${m.search} px wide, at least ${MIN_SEARCH}`);
    assert.ok(m.scrollWidth <= width, `the page is ${m.scrollWidth} px wide in a ${width} px window`);
    const ids = m.controls.map((c) => c.id);
    for (const want of ['btn-paths', 'btn-timeline', 'tool-select tool-asof', 'export-menu', 'btn-audit', 'btn-signout']) {
      assert.ok(ids.includes(want), `${want} is in the top bar (${ids.join(', ')})`);
    }
    const sorted = [...m.controls].sort((a, b) => a.left - b.left);
    sorted.forEach((c, i) => {
      assert.ok(c.left >= 0 && c.right <= width, `${c.id} (${c.left}–${c.right}) is inside the window`);
      assert.ok(c.top >= m.bar.top && c.bottom <= m.bar.bottom, `${c.id} is on the bar's one row`);
      if (i > 0) assert.ok(c.left >= sorted[i - 1].right, `${c.id} (from ${c.left}) overlaps ${sorted[i - 1].id} (to ${sorted[i - 1].right})`);
    });

    // The search box takes typed text whole, the caret at its end.
    const typed = 'Бурим Krasniqi';
    await page.click('#search-input');
    await page.keyboard.type(typed);
    assert.equal(await page.inputValue('#search-input'), typed);
    assert.equal(await page.evaluate(() => document.getElementById('search-input').selectionStart), typed.length);
    await page.waitForSelector('#search-results:not([hidden])', { timeout: TIMEOUT });
    await page.fill('#search-input', '');
    await page.keyboard.press('Escape');

    // The controls moved to the sidebar are there and work.
    for (const id of ['layout-select', 'size-select', 'community-toggle', 'broker-toggle', 'btn-ownership', 'nav-screening', 'nav-duplicates']) {
      assert.equal(await page.evaluate((x) => !!document.getElementById(x)?.closest('.sidebar'), id), true, `#${id} is in the sidebar`);
    }
    await page.selectOption('#layout-select', 'concentric');
    assert.equal(await page.inputValue('#layout-select'), 'concentric');
    await page.selectOption('#layout-select', 'fcose');
    assert.deepEqual(errors, []);
  });
}

// How readable a laid-out chart is, measured from what Cytoscape renders:
// the on-screen boxes of the entities' bodies and of the labels drawn
// (renderedBoundingBox), counted pairwise. Used by the layout e2e test and
// printed by the screenshot script.

/**
 * Measures the chart in the page at its current zoom and pan, over the
 * entities on screen:
 *   nodes            entities on screen
 *   bodyOverlaps     pairs of entities whose bodies overlap
 *   labels           entity labels drawn (not hidden by the level of detail
 *                    and big enough on screen for Cytoscape to draw them)
 *   labelOverlaps    pairs of drawn labels that overlap
 *   labelOnBody      drawn labels that overlap another entity's body
 *   worst            a few of the offending pairs, by name, for messages
 *   zoom             the zoom measured at
 *   edgeThroughNode  links whose straight line crosses the body of an
 *                    entity that is not one of its ends (a readability
 *                    figure, reported, not asserted)
 * Boxes touching by less than `slack` pixels do not count as overlapping.
 */
export function measureLayout(page, slack = 0.5) {
  return page.evaluate((eps) => {
    const cy = window.skein.chart.cy;
    const zoom = cy.zoom();
    // Label boxes are cached from the last time a label was projected,
    // which may be before it was last moved: recompute them.
    cy.nodes().updateStyle();
    // What is on screen: Cytoscape renders (and so measures afresh) only
    // what is in the viewport.
    const view = { x1: 0, y1: 0, x2: cy.width(), y2: cy.height() };
    const nodes = cy.nodes().filter((n) => {
      if (!n.visible()) return false;
      const b = n.renderedBoundingBox({ includeLabels: false, includeOverlays: false, includeUnderlays: false });
      return b.x2 > view.x1 && b.x1 < view.x2 && b.y2 > view.y1 && b.y1 < view.y2;
    });
    const body = (n) => n.renderedBoundingBox({ includeLabels: false, includeOverlays: false, includeUnderlays: false, useCache: false });
    const labelShown = (n) => {
      if (String(n.pstyle('label').strValue ?? '') === '') return false;
      if (Number(n.pstyle('text-opacity').value) === 0) return false;
      return n.pstyle('font-size').pfValue * zoom >= n.pstyle('min-zoomed-font-size').pfValue;
    };
    const label = (n) => n.renderedBoundingBox({
      includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true,
      includeOverlays: false, includeUnderlays: false, useCache: false,
    });
    const box = (r) => `[${r.x1.toFixed(0)},${r.y1.toFixed(0)} ${r.x2.toFixed(0)},${r.y2.toFixed(0)}]`;
    const hit = (a, b) => a.x1 + eps < b.x2 && b.x1 + eps < a.x2 && a.y1 + eps < b.y2 && b.y1 + eps < a.y2;
    const items = nodes.map((n) => ({ id: n.id(), name: String(n.data('name') ?? n.id()), b: body(n), l: labelShown(n) ? label(n) : null }));
    const worst = [];
    let bodyOverlaps = 0;
    let labelOverlaps = 0;
    let labelOnBody = 0;
    for (let i = 0; i < items.length; i++) {
      const a = items[i];
      for (let j = i + 1; j < items.length; j++) {
        const b = items[j];
        if (hit(a.b, b.b)) {
          bodyOverlaps++;
          if (worst.length < 8) worst.push(`bodies ${a.name} / ${b.name}`);
        }
        if (a.l && b.l && a.l.w > 0 && b.l.w > 0 && hit(a.l, b.l)) {
          labelOverlaps++;
          if (worst.length < 8) worst.push(`labels ${a.name} / ${b.name} by ${Math.min(a.l.x2 - b.l.x1, b.l.x2 - a.l.x1).toFixed(1)}×${Math.min(a.l.y2 - b.l.y1, b.l.y2 - a.l.y1).toFixed(1)}px`);
        }
      }
    }
    for (const a of items) {
      if (!a.l || a.l.w === 0) continue;
      for (const b of items) {
        if (a !== b && hit(a.l, b.b)) {
          labelOnBody++;
          if (worst.length < 8) worst.push(`label ${a.name} ${box(a.l)} (at ${box(a.b)}) on ${b.name} ${box(b.b)}`);
          break;
        }
      }
    }
    // Links through bodies: the segment between the two ends' centres
    // against every other body box (Liang–Barsky clipping).
    const crosses = (p, q, r) => {
      let t0 = 0;
      let t1 = 1;
      const dx = q.x - p.x;
      const dy = q.y - p.y;
      for (const [pp, qq] of [[-dx, p.x - r.x1], [dx, r.x2 - p.x], [-dy, p.y - r.y1], [dy, r.y2 - p.y]]) {
        if (pp === 0) {
          if (qq < 0) return false;
        } else {
          const t = qq / pp;
          if (pp < 0) t0 = Math.max(t0, t);
          else t1 = Math.min(t1, t);
          if (t0 > t1) return false;
        }
      }
      return true;
    };
    let edgeThroughNode = 0;
    cy.edges().filter((e) => e.visible()).forEach((e) => {
      const p = e.source().renderedPosition();
      const q = e.target().renderedPosition();
      for (const it of items) {
        if (it.id === e.source().id() || it.id === e.target().id()) continue;
        const r = it.b;
        const shrunk = { x1: r.x1 + 2, y1: r.y1 + 2, x2: r.x2 - 2, y2: r.y2 - 2 };
        if (crosses(p, q, shrunk)) {
          edgeThroughNode++;
          break;
        }
      }
    });
    return {
      ids: items.map((it) => it.id),
      labelled: items.filter((it) => it.l && it.l.w > 0).map((it) => it.id),
      nodes: items.length,
      links: cy.edges().filter((e) => e.visible()).length,
      bodyOverlaps,
      labels: items.filter((it) => it.l && it.l.w > 0).length,
      labelOverlaps,
      labelOnBody,
      edgeThroughNode,
      zoom,
      worst,
    };
  }, slack);
}

/**
 * measureLayout over the whole chart at this zoom: the viewport is panned
 * across the chart tile by tile (each drawn before it is measured), and the
 * counts are added up; nodes and labels count each entity once.
 */
export async function measureEverywhere(page, zoom) {
  const tiles = await page.evaluate((z) => {
    const cy = window.skein.chart.cy;
    cy.zoom(z);
    const bb = cy.nodes().boundingBox({ includeLabels: false });
    const w = cy.width() / z;
    const h = cy.height() / z;
    const out = [];
    for (let x = bb.x1 + w / 2; x < bb.x2 + w / 2; x += w) {
      for (let y = bb.y1 + h / 2; y < bb.y2 + h / 2; y += h) out.push({ x, y });
    }
    return out;
  }, zoom);
  const total = { nodes: 0, links: 0, bodyOverlaps: 0, labels: 0, labelOverlaps: 0, labelOnBody: 0, edgeThroughNode: 0, zoom, worst: [], tiles: tiles.length };
  const seen = new Set();
  const labelled = new Set();
  for (const c of tiles) {
    await page.evaluate((p) => {
      const cy = window.skein.chart.cy;
      cy.pan({ x: cy.width() / 2 - p.x * cy.zoom(), y: cy.height() / 2 - p.y * cy.zoom() });
    }, c);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(250);
    const m = await measureLayout(page);
    for (const k of ['bodyOverlaps', 'labelOverlaps', 'labelOnBody', 'edgeThroughNode']) total[k] += m[k];
    total.worst.push(...m.worst.slice(0, 8 - total.worst.length));
    total.links = m.links;
    for (const id of m.ids) seen.add(id);
    for (const id of m.labelled) labelled.add(id);
  }
  total.nodes = seen.size;
  total.labels = labelled.size;
  return total;
}

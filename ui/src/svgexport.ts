// SVG export of the chart, drawn from the chart's own geometry so the file
// is small, clean vector art (one element per entity, link and label)
// that opens in any editor.
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';
import { iconSvg, shapeSvg } from './kinds';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const num = (n: number) => (Math.round(n * 10) / 10).toString();

function nodeShape(n: NodeSingular): string {
  const { x, y } = n.position();
  const w = n.width();
  const hh = n.height();
  const fill = n.style('background-color');
  const bw = parseFloat(n.style('border-width')) || 0;
  const stroke = n.style('border-color');
  const paint = `fill="${fill}" stroke="${stroke}" stroke-width="${num(bw)}"`;
  // The chart's shapes and the registry's icons, drawn as the legend draws them.
  return shapeSvg(String(n.style('shape')), x, y, w, hh, paint) + iconSvg(String(n.data('kind') ?? ''), x, y, w, hh);
}

function edgeShape(e: EdgeSingular): string {
  const s = e.sourceEndpoint();
  const t = e.targetEndpoint();
  const color = e.style('line-color');
  const width = parseFloat(e.style('width')) || 1;
  const dash = e.style('line-style') === 'dashed' ? ' stroke-dasharray="6 4"' : e.style('line-style') === 'dotted' ? ' stroke-dasharray="2 3"' : '';
  const arrow = e.style('target-arrow-shape') === 'none' ? '' : ' marker-end="url(#arrow)"';
  let out = `<line x1="${num(s.x)}" y1="${num(s.y)}" x2="${num(t.x)}" y2="${num(t.y)}" stroke="${color}" stroke-width="${num(width)}"${dash}${arrow}/>`;
  const label = e.data('label') as string;
  if (label) {
    const m = { x: (s.x + t.x) / 2, y: (s.y + t.y) / 2 };
    let deg = (Math.atan2(t.y - s.y, t.x - s.x) * 180) / Math.PI;
    if (deg > 90) deg -= 180;
    if (deg < -90) deg += 180;
    out += `<text x="${num(m.x)}" y="${num(m.y)}" transform="rotate(${num(deg)} ${num(m.x)} ${num(m.y)})" class="el">${esc(label)}</text>`;
  }
  return out;
}

export function chartSvg(cy: Core): string {
  const eles = cy.elements().not('.filtered');
  const bb = eles.boundingBox({});
  const pad = 24;
  const x0 = bb.x1 - pad;
  const y0 = bb.y1 - pad;
  const w = bb.w + 2 * pad;
  const hh = bb.h + 2 * pad;
  const edges = eles.edges().filter((e) => e.visible()).map((e) => edgeShape(e as EdgeSingular));
  const nodes = eles.nodes().map((n) => {
    const { x, y } = n.position();
    const label = `<text x="${num(x)}" y="${num(y + n.height() / 2 + 14)}" class="nl">${esc(n.data('name'))}</text>`;
    return `<g><title>${esc(n.id())}</title>${nodeShape(n)}${label}</g>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(x0)} ${num(y0)} ${num(w)} ${num(hh)}" width="${Math.ceil(w)}" height="${Math.ceil(hh)}">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8ea3bd"/></marker>`,
    `<style>text{font-family:Inter,"Segoe UI",Roboto,Arial,sans-serif}.nl{font-size:11px;font-weight:500;fill:#1c2733;text-anchor:middle}.el{font-size:9px;fill:#4a5563;text-anchor:middle;dominant-baseline:central;paint-order:stroke;stroke:#fff;stroke-width:3px}</style></defs>`,
    `<rect x="${num(x0)}" y="${num(y0)}" width="${num(w)}" height="${num(hh)}" fill="#ffffff"/>`,
    ...edges,
    ...nodes,
    `</svg>`,
  ].join('\n');
}

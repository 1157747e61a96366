// Chart images for a report: PNG and SVG with the title (the case's),
// the date of the export (and the as-of date), a legend of the kinds and
// link types drawn, and the source documents the entities and links on the
// chart cite.
import type { EdgeSingular } from 'cytoscape';
import { gql } from './api';
import type { Chart } from './chart';
import { kindInfo, linkTypeLabel, SANCTION_COLOR } from './style';

export interface ExportMeta {
  title: string;
  dateLine: string;
  kinds: { label: string; color: string; shape: string }[];
  types: string[];
  sources: string[];
}

interface Cited {
  id: string;
  sources: { document: Doc | null }[];
  designations: { sources: { document: Doc | null }[] }[];
  links: { id: string; sources: { document: Doc | null }[] }[];
}
interface Doc {
  id: string;
  title: string;
  publisher: string | null;
  published: string | null;
}

const DOC = 'document { id title publisher published }';

/** The documents cited by the entities and the links drawn on the chart. */
async function citedDocuments(ids: string[], linkIds: Set<string>): Promise<Doc[]> {
  const docs = new Map<string, Doc>();
  const add = (refs: { document: Doc | null }[]) => {
    for (const r of refs) if (r.document) docs.set(r.document.id, r.document);
  };
  for (let i = 0; i < ids.length; i += 200) {
    const d = await gql<{ entities: Cited[] }>(
      `query Cited($ids: [ID!]!) { entities(ids: $ids) { id sources { ${DOC} } designations { sources { ${DOC} } } links { id sources { ${DOC} } } } }`,
      { ids: ids.slice(i, i + 200) },
    );
    for (const e of d.entities) {
      add(e.sources);
      for (const g of e.designations) add(g.sources);
      for (const l of e.links) if (linkIds.has(l.id)) add(l.sources);
    }
  }
  return [...docs.values()].sort((a, b) => a.title.localeCompare(b.title));
}

export async function exportMeta(chart: Chart, info: { title: string; asOf: string | null } | null): Promise<ExportMeta> {
  const nodes = chart.entities().not('.filtered').filter((n) => !n.data('missing'));
  const edges = chart.cy.edges().filter((e) => !e.data('bundle') && e.visible());
  const kinds = [...new Set(nodes.map((n) => n.data('kind') as string))].sort().map((k) => {
    const i = kindInfo(k);
    return { label: i.plural, color: i.color, shape: i.shape };
  });
  const types = [...new Set(edges.map((e) => (e as EdgeSingular).data('type') as string))].sort().map(linkTypeLabel);
  const docs = await citedDocuments(nodes.map((n) => n.id()), new Set(edges.map((e) => e.id())));
  const now = new Date();
  const date = `${now.toISOString().slice(0, 10)} ${now.toISOString().slice(11, 16)} UTC`;
  return {
    title: info?.title ?? 'Skein link chart',
    dateLine: `Exported ${date}${info?.asOf ? ` · as of ${info.asOf}` : ''} · ${nodes.length} entities, ${edges.length} links`,
    kinds,
    types,
    sources: docs.map((d) => [d.title, d.publisher, d.published].filter(Boolean).join(', ')),
  };
}

const FONT = 'Inter, "Segoe UI", Roboto, Arial, sans-serif';
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** Splits text into lines of at most `width` by the measure given. */
function wrap(text: string, width: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > width) {
      out.push(line);
      line = word;
    } else line = next;
  }
  if (line) out.push(line);
  return out;
}

/** The text blocks under the chart: the legend, then the sources. */
function footerLines(meta: ExportMeta): { links: string; sources: string[] } {
  return {
    links: meta.types.length ? `Links: ${meta.types.join(' · ')}` : 'No links drawn.',
    sources: meta.sources.length ? meta.sources.map((s) => `• ${s}`) : ['No sources cited by what is drawn.'],
  };
}

/** The chart PNG (as Cytoscape draws it) inside a page with title, date, legend and sources. */
export async function pngWithLegend(chart: Chart, meta: ExportMeta): Promise<{ blob: Blob; chartBox: { x: number; y: number; w: number; h: number } }> {
  const blob = chart.cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff', maxWidth: 8000, maxHeight: 8000 }) as unknown as Blob;
  const img = await createImageBitmap(blob);
  const s = 2;
  const pad = 24 * s;
  const width = Math.max(img.width + 2 * pad, 900 * s);
  const probe = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
  const small = `${12 * s}px ${FONT}`;
  probe.font = small;
  const measure = (t: string) => probe.measureText(t).width;
  const { links, sources } = footerLines(meta);
  const linkLines = wrap(links, width - 2 * pad, measure);
  const sourceLines = sources.flatMap((t) => wrap(t, width - 2 * pad, measure));
  const line = 18 * s;
  const headH = pad + 28 * s + line + 10 * s;
  const footH = 16 * s + line /* kinds */ + linkLines.length * line + line /* heading */ + sourceLines.length * line + pad;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = headH + img.height + footH;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = '#111827';
  ctx.font = `600 ${22 * s}px ${FONT}`;
  ctx.fillText(meta.title, pad, pad + 22 * s);
  ctx.fillStyle = '#4a5563';
  ctx.font = small;
  ctx.fillText(meta.dateLine, pad, pad + 28 * s + line - 4 * s);
  const chartBox = { x: Math.round((width - img.width) / 2), y: headH, w: img.width, h: img.height };
  ctx.drawImage(img, chartBox.x, chartBox.y);
  let y = headH + img.height + 16 * s;
  ctx.strokeStyle = '#dde3ea';
  ctx.beginPath();
  ctx.moveTo(pad, y - 8 * s);
  ctx.lineTo(width - pad, y - 8 * s);
  ctx.stroke();
  // Kinds: a swatch of each kind's colour and shape, then the sanction ring.
  let x = pad;
  const r = 7 * s;
  for (const k of [...meta.kinds, { label: 'Sanctioned (red ring)', color: '#ffffff', shape: 'ring' }]) {
    ctx.beginPath();
    if (k.shape === 'ring') {
      ctx.lineWidth = 3 * s;
      ctx.strokeStyle = SANCTION_COLOR;
      ctx.arc(x + r, y + r - 2 * s, r - 1.5 * s, 0, 2 * Math.PI);
      ctx.stroke();
    } else {
      ctx.fillStyle = k.color;
      if (k.shape.includes('rectangle')) ctx.rect(x, y - 2 * s, 2 * r, 2 * r);
      else if (k.shape.includes('hexagon')) {
        for (let i = 0; i < 6; i++) {
          const a = (Math.PI / 3) * i;
          ctx.lineTo(x + r + r * Math.cos(a), y + r - 2 * s + r * Math.sin(a));
        }
        ctx.closePath();
      } else if (k.shape.includes('diamond')) {
        ctx.moveTo(x + r, y - 2 * s);
        ctx.lineTo(x + 2 * r, y + r - 2 * s);
        ctx.lineTo(x + r, y + 2 * r - 2 * s);
        ctx.lineTo(x, y + r - 2 * s);
        ctx.closePath();
      } else ctx.arc(x + r, y + r - 2 * s, r, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.fillStyle = '#1c2733';
    ctx.fillText(k.label, x + 2 * r + 6 * s, y + 2 * r - 4 * s);
    x += 2 * r + 6 * s + measure(k.label) + 18 * s;
  }
  y += line;
  ctx.fillStyle = '#1c2733';
  for (const l of linkLines) {
    y += line;
    ctx.fillText(l, pad, y - 4 * s);
  }
  y += line;
  ctx.font = `600 ${12 * s}px ${FONT}`;
  ctx.fillText('Sources cited', pad, y - 4 * s);
  ctx.font = small;
  for (const l of sourceLines) {
    y += line;
    ctx.fillText(l, pad, y - 4 * s);
  }
  const png = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'));
  return { blob: png, chartBox };
}

/** The chart's SVG inside a page with title, date, legend and sources. */
export function svgWithLegend(chartSvg: string, meta: ExportMeta): string {
  const m = /<svg [^>]*viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"[^>]*>/.exec(chartSvg);
  const cw = m ? Number(m[3]) : 600;
  const ch = m ? Number(m[4]) : 400;
  const pad = 24;
  const width = Math.max(cw + 2 * pad, 900);
  const measure = (t: string) => t.length * 6.4; // 12px sans-serif, on average
  const { links, sources } = footerLines(meta);
  const linkLines = wrap(links, width - 2 * pad, measure);
  const sourceLines = sources.flatMap((t) => wrap(t, width - 2 * pad, measure));
  const line = 18;
  const headH = pad + 28 + line + 10;
  const inner = chartSvg.replace(/^<\?xml[^>]*>\s*/, '').replace(/^<svg /, `<svg x="${(width - cw) / 2}" y="${headH}" `);
  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    '', // the size, once known
    `<style>.t{font-family:${esc(FONT)};fill:#1c2733}.h{font-size:22px;font-weight:600;fill:#111827}.s{font-size:12px}.m{fill:#4a5563}.b{font-weight:600}</style>`,
    `<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>`,
    `<text class="t h" id="export-title" x="${pad}" y="${pad + 22}">${esc(meta.title)}</text>`,
    `<text class="t s m" id="export-date" x="${pad}" y="${pad + 28 + line - 4}">${esc(meta.dateLine)}</text>`,
    inner,
  ];
  let y = headH + ch + 16;
  out.push(`<g id="export-legend"><line x1="${pad}" y1="${y - 8}" x2="${width - pad}" y2="${y - 8}" stroke="#dde3ea"/>`);
  let x = pad;
  const r = 7;
  for (const k of meta.kinds) {
    const shape = k.shape.includes('rectangle') ? `<rect x="${x}" y="${y - 2}" width="${2 * r}" height="${2 * r}" fill="${k.color}"/>`
      : `<circle cx="${x + r}" cy="${y + r - 2}" r="${r}" fill="${k.color}"/>`;
    out.push(`${shape}<text class="t s" x="${x + 2 * r + 6}" y="${y + 2 * r - 4}">${esc(k.label)}</text>`);
    x += 2 * r + 6 + measure(k.label) + 18;
  }
  out.push(`<circle cx="${x + r}" cy="${y + r - 2}" r="${r - 1.5}" fill="none" stroke="${SANCTION_COLOR}" stroke-width="3"/><text class="t s" x="${x + 2 * r + 6}" y="${y + 2 * r - 4}">Sanctioned (red ring)</text>`);
  y += line;
  for (const l of linkLines) {
    y += line;
    out.push(`<text class="t s" x="${pad}" y="${y - 4}">${esc(l)}</text>`);
  }
  out.push('</g><g id="export-sources">');
  y += line;
  out.push(`<text class="t s b" x="${pad}" y="${y - 4}">Sources cited</text>`);
  for (const l of sourceLines) {
    y += line;
    out.push(`<text class="t s" x="${pad}" y="${y - 4}">${esc(l)}</text>`);
  }
  out.push('</g></svg>');
  const height = y + pad;
  out[1] = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" width="${Math.ceil(width)}" height="${Math.ceil(height)}">`;
  return out.join('\n');
}

// The registry of entity kinds and link types, from the `registry` query:
// each kind's shape, colour, icon and typed fields, each link type's
// fields. Loaded once before the UI starts; the chart's styles, the legend,
// the details and the link labels all follow it, so a kind added to the
// server's registry shows here without a second list.
import { gql } from './api';

export interface FieldInfo {
  name: string; // GraphQL name, e.g. imoNumber
  property: string; // key in properties (FtM name)
  label: string;
  type: string; // string, date, country, number, currency, iban, enum
  list: boolean;
  unit: string | null;
  summary: boolean;
  /** A number that names one thing (registration, IMO, document number, IBAN): screening compares it. */
  identifier: boolean;
  description: string;
}

export interface KindInfo {
  kind: string;
  label: string; // singular, for badges
  plural: string; // for headings and filters
  color: string;
  shape: string; // a Cytoscape node shape
  icon: string; // SVG path data, 24x24
  fields: FieldInfo[];
}

export interface LinkTypeInfo {
  type: string;
  description: string;
  source: string;
  target: string;
  fields: FieldInfo[];
}

/** What an unknown kind (or a server without the registry) is drawn as. */
export const OTHER: KindInfo = { kind: '', label: 'Other', plural: 'Other', color: '#7d8793', shape: 'round-diamond', icon: '', fields: [] };

/** The icon's paint over the kind's colour (the same as the server's icon images). */
export const ICON_PAINT = { fill: '#0d1b2a', opacity: 0.6 };

let kinds: KindInfo[] = [];
const byKind = new Map<string, KindInfo>();
const byType = new Map<string, LinkTypeInfo>();

const FIELD = 'name property label type list unit summary identifier description';

/** Loads the registry; false (and the fallback style) when the server does not answer it. */
export async function loadRegistry(): Promise<boolean> {
  try {
    const d = await gql<{ registry: { kinds: (Omit<KindInfo, 'label'> & { title: string })[]; linkTypes: LinkTypeInfo[] } }>(
      `{ registry { kinds { kind title plural color shape icon fields { ${FIELD} } } linkTypes { type description source target fields { ${FIELD} } } } }`,
    );
    setRegistry(d.registry.kinds.map(({ title, ...k }) => ({ ...k, label: title })), d.registry.linkTypes);
    await preloadIcons();
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads the icon images into the browser's cache before the chart first
 * draws, so nodes do not redraw one by one as their icons arrive (at most
 * a few seconds: a slow icon is drawn when it comes).
 */
async function preloadIcons(): Promise<void> {
  const one = (kind: string) => new Promise<void>((resolve) => {
    const img = new Image();
    img.onload = () => resolve();
    img.onerror = () => resolve();
    img.src = iconUrl(kind);
  });
  await Promise.race([Promise.all(kinds.filter((k) => k.icon).map((k) => one(k.kind))), new Promise((r) => setTimeout(r, 3000))]);
}

function setRegistry(ks: KindInfo[], ls: LinkTypeInfo[]): void {
  kinds = ks;
  byKind.clear();
  for (const k of ks) byKind.set(k.kind, k);
  byType.clear();
  for (const l of ls) byType.set(l.type, l);
}

/** The kinds, in the registry's order. */
export function kindList(): KindInfo[] {
  return kinds;
}

export function kindInfo(kind: string): KindInfo {
  return byKind.get(kind) ?? { ...OTHER, kind, label: titleCase(kind), plural: titleCase(kind) };
}

export function linkTypeInfo(type: string): LinkTypeInfo | undefined {
  return byType.get(type);
}

/** The URL of a kind's icon image (the chart draws images from URLs only). */
export function iconUrl(kind: string): string {
  return `/api/icons/${encodeURIComponent(kind)}.svg`;
}

// ---- values ------------------------------------------------------------

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
let regionNames: Intl.DisplayNames | null = null;
try {
  regionNames = new Intl.DisplayNames(['en-GB'], { type: 'region', fallback: 'code' });
} catch {
  regionNames = null;
}

/** A number as people read it, with its unit: 56.7%, 12,500. */
export function formatNumber(n: number, unit = ''): string {
  return `${numberFormat.format(n)}${unit}`;
}

function countryName(code: string): string {
  if (code === 'XK') return 'Kosovo (XK)';
  const n = regionNames?.of(code);
  return n && n !== code ? `${n} (${code})` : code;
}

/** A typed value as people read it: 51%, 12,500, Albania (AL), Driving licence. */
export function formatValue(f: FieldInfo, value: string | number): string {
  const one = (v: string): string => {
    switch (f.type) {
      case 'number': {
        const n = Number(v);
        return Number.isFinite(n) ? formatNumber(n, f.unit ?? '') : v;
      }
      case 'country':
        return countryName(v.toUpperCase());
      case 'enum':
        return titleCase(v).replace(/^(\w)(.*)$/, (_, a: string, b: string) => a + b.toLowerCase());
      default:
        return v;
    }
  };
  if (typeof value === 'number') return one(String(value));
  return f.list ? value.split(';').map((s) => s.trim()).filter(Boolean).map(one).join(', ') : one(value);
}

export interface FieldValue {
  field: FieldInfo;
  value: string;
}

/**
 * Splits properties into the registry's typed fields (in its order, with
 * labels and formatted values) and the free properties left.
 */
export function typedFields(fields: FieldInfo[], props: { key: string; value: string }[]): { typed: FieldValue[]; free: { key: string; value: string }[] } {
  const m = new Map(props.map((p) => [p.key, p.value]));
  const typed: FieldValue[] = [];
  const used = new Set<string>();
  for (const f of fields) {
    const v = m.get(f.property);
    if (v === undefined || v === '') continue;
    typed.push({ field: f, value: formatValue(f, v) });
    used.add(f.property);
  }
  return { typed, free: props.filter((p) => !used.has(p.key)) };
}

/** What a link shows of its typed fields on the chart, from its properties: "51%", "12,500 EUR", "brother". */
export function linkSummary(type: string, props: { key: string; value: string }[] | undefined): string {
  const spec = byType.get(type);
  if (!spec || !props?.length) return '';
  const m = new Map(props.map((p) => [p.key, p.value]));
  const parts: string[] = [];
  for (const f of spec.fields) {
    const v = f.summary ? m.get(f.property) : undefined;
    if (v) parts.push(formatValue(f, v));
  }
  return parts.join(' ');
}

/** A link's share (its first summary number, OWNS percentage), formatted, or null when not stated. */
export function linkShare(type: string, props: { key: string; value: string }[] | undefined): string | null {
  const f = byType.get(type)?.fields.find((x) => x.summary && x.type === 'number');
  const v = f ? props?.find((p) => p.key === f.property)?.value : undefined;
  return f && v ? formatValue(f, v) : null;
}

export function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s_])(\w)/g, (_, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase());
}

// ---- drawing the shapes outside the chart (legend, SVG export) ----------

const SVG_NS = 'http://www.w3.org/2000/svg';
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const num = (n: number) => (Math.round(n * 10) / 10).toString();

/** Unit polygons (in -1..1) of Cytoscape's polygon shapes. */
function unitPolygon(shape: string): [number, number][] | null {
  const ngon = (n: number, rot: number) => Array.from({ length: n }, (_, i): [number, number] => {
    const a = rot + (2 * Math.PI * i) / n;
    return [Math.cos(a), Math.sin(a)];
  });
  switch (shape.replace(/^round-/, '')) {
    case 'hexagon':
      return ngon(6, 0);
    case 'octagon':
      return ngon(8, Math.PI / 8);
    case 'pentagon':
      return ngon(5, -Math.PI / 2);
    case 'triangle':
      return [[0, -1], [1, 1], [-1, 1]];
    case 'diamond':
      return [[0, -1], [1, 0], [0, 1], [-1, 0]];
    case 'tag':
      return [[-1, -1], [0.5, -1], [1, 0], [0.5, 1], [-1, 1]];
    case 'rhomboid':
      return [[-1, -1], [0.333, -1], [1, 1], [-0.333, 1]];
    case 'cut-rectangle': {
      const c = 0.4;
      return [[-1 + c, -1], [1 - c, -1], [1, -1 + c], [1, 1 - c], [1 - c, 1], [-1 + c, 1], [-1, 1 - c], [-1, -1 + c]];
    }
    default:
      return null;
  }
}

/**
 * SVG markup of a node shape centred on (x, y), w by h, with paint
 * attributes: the chart's shapes, for the legend and the SVG export.
 */
export function shapeSvg(shape: string, x: number, y: number, w: number, h: number, paint: string): string {
  const round = shape.startsWith('round-');
  const poly = unitPolygon(shape);
  if (poly) {
    const pts = poly.map(([u, v]) => `${num(x + (u * w) / 2)},${num(y + (v * h) / 2)}`).join(' ');
    return `<polygon points="${pts}" ${paint}${round ? ' stroke-linejoin="round"' : ''}/>`;
  }
  if (shape.includes('rectangle') || shape === 'barrel') {
    const rx = shape === 'rectangle' ? 0 : shape === 'barrel' ? Math.min(w, h) / 2.5 : Math.min(w, h) / 4;
    const ry = shape === 'barrel' ? Math.min(w, h) / 5 : rx;
    return `<rect x="${num(x - w / 2)}" y="${num(y - h / 2)}" width="${num(w)}" height="${num(h)}" rx="${num(rx)}" ry="${num(ry)}" ${paint}/>`;
  }
  return `<ellipse cx="${num(x)}" cy="${num(y)}" rx="${num(w / 2)}" ry="${num(h / 2)}" ${paint}/>`;
}

/** SVG markup of a kind's icon over a w by h node centred on (x, y). */
export function iconSvg(kind: string, x: number, y: number, w: number, h: number): string {
  const k = byKind.get(kind);
  if (!k?.icon) return '';
  const s = (Math.min(w, h) * 0.6) / 24;
  return `<path d="${esc(k.icon)}" fill="${ICON_PAINT.fill}" fill-opacity="${ICON_PAINT.opacity}" transform="translate(${num(x - 12 * s)} ${num(y - 12 * s)}) scale(${Math.round(s * 1000) / 1000})"/>`;
}

/** A small picture of a kind as the chart draws it: its shape, colour and icon. */
export function kindMark(kind: string, size = 16): SVGSVGElement {
  const info = kindInfo(kind);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'kind-mark');
  svg.setAttribute('aria-hidden', 'true');
  svg.dataset.kind = kind;
  svg.dataset.shape = info.shape;
  svg.innerHTML = shapeSvg(info.shape, 12, 12, 22, 22, `fill="${esc(info.color)}" stroke="${esc(info.color)}" stroke-width="1"`) + iconSvg(kind, 12, 12, 22, 22);
  return svg;
}

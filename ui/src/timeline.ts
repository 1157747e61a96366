// The timeline under the chart: a histogram of the chart's dated events
// (the server's timeline of the chart's entities and the links among them:
// links starting and ending, designations and delistings, births,
// incorporations, dissolutions; the chart's own link dates until it
// answers, or when it cannot) with a range brush. Moving the brush sets the time window (timestate.ts)
// and the chart draws only the links that overlap it, as it moves. The
// window goes into the URL with the chart; "Open in timeline" on an entity
// opens the panel with that entity's events drawn over the chart's and
// listed in the details: its links' dates on the chart, and its own dated
// facts from the server (designations and delistings, birth,
// incorporation, dissolution).
import type { EdgeSingular } from 'cytoscape';
import type { Chart } from './chart';
import { overlaps, periodOf, span, nextPeriod, windowText, type DateRange, type Period } from './dates';
import { onTimeState, setTimeState, timeState } from './timestate';
import { h, toast } from './ui';
import { linkLabel } from './style';
import { entityEvents, timelineHistogram, type EntityEvent, type TimelineBucket } from './api';

/** One period of the histogram. */
export interface Bucket {
  start: string;
  count: number;
}

/** A dated event of the chart: a link starting or ending. */
export interface ChartEvent {
  date: string;
  kind: 'LINK_STARTED' | 'LINK_ENDED';
  linkId: string;
  source: { id: string; name: string };
  target: { id: string; name: string };
  label: string;
}

/** The order of events of the same date (the server's, graph/analysis/timeline.go). */
const KIND_ORDER = ['BORN', 'INCORPORATED', 'LINK_STARTED', 'DESIGNATED', 'DELISTED', 'LINK_ENDED', 'DISSOLVED'];

/** The histogram's slots: at most this many per period before a coarser one is used. */
const MAX_SLOTS: Record<Period, number> = { DAY: 120, MONTH: 240, YEAR: Infinity };
/** More entities than one timeline query takes: the chart's own link dates are drawn. */
const MAX_IDS = 1000;
const HEIGHT = 74;
const AXIS = 16;
const HANDLE = 7;

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The dated events of the links on the chart, in date order. */
export function chartEvents(chart: Chart): ChartEvent[] {
  const out: ChartEvent[] = [];
  chart.cy.edges().forEach((e) => {
    if (e.data('bundle')) return;
    const base = {
      linkId: e.id(),
      source: { id: e.source().id(), name: String(e.source().data('name')) },
      target: { id: e.target().id(), name: String(e.target().data('name')) },
      label: String(e.data('label') ?? linkLabel(e.data('type'), e.data('role'))),
    };
    const s = e.data('startDate');
    const en = e.data('endDate');
    if (s && span(s)) out.push({ ...base, date: s, kind: 'LINK_STARTED' });
    if (en && span(en)) out.push({ ...base, date: en, kind: 'LINK_ENDED' });
  });
  return out.sort((a, b) => span(a.date)![0] - span(b.date)![0] || span(a.date)![1] - span(b.date)![1] || a.kind.localeCompare(b.kind) || a.linkId.localeCompare(b.linkId));
}

/**
 * Counts per period over the events' first days, by the finest period
 * that gives a readable number of slots; periods without events are left
 * out (the drawing fills them).
 */
export function histogram(events: { date: string }[], by?: Period): { by: Period; buckets: Bucket[] } {
  const days = events.map((e) => span(e.date)![0]);
  if (days.length === 0) return { by: by ?? 'MONTH', buckets: [] };
  const lo = Math.min(...days);
  const hi = Math.max(...days);
  const pick = by ?? (['DAY', 'MONTH', 'YEAR'] as Period[]).find((p) => slotsBetween(periodOf(lo, p), periodOf(hi, p), p) <= MAX_SLOTS[p])!;
  const counts = new Map<string, number>();
  for (const d of days) counts.set(periodOf(d, pick), (counts.get(periodOf(d, pick)) ?? 0) + 1);
  const buckets = [...counts.entries()].map(([start, count]) => ({ start, count })).sort((a, b) => span(a.start)![0] - span(b.start)![0]);
  return { by: pick, buckets };
}

/** The finest of the server's histograms that gives a readable number of slots. */
function serverHistogram(by: Record<Period, TimelineBucket[]>): { by: Period; buckets: Bucket[] } {
  const fits = (p: Period) => {
    const b = by[p];
    return b.length === 0 || slotsBetween(b[0].start, b[b.length - 1].start, p) <= MAX_SLOTS[p];
  };
  const pick = (['DAY', 'MONTH', 'YEAR'] as Period[]).find(fits) ?? 'YEAR';
  return { by: pick, buckets: by[pick].map((b) => ({ start: b.start, count: b.count })) };
}

function slotsBetween(a: string, b: string, by: Period): number {
  const [ya, ma] = [Number(a.slice(0, 4)), Number(a.slice(5, 7) || 1)];
  const [yb, mb] = [Number(b.slice(0, 4)), Number(b.slice(5, 7) || 1)];
  if (by === 'YEAR') return yb - ya + 1;
  if (by === 'MONTH') return (yb - ya) * 12 + (mb - ma) + 1;
  return span(b)![0] - span(a)![0] + 1;
}

export interface TimelineOptions {
  chart: Chart;
  /** The element the panel sits in (over the chart's bottom). */
  wrap: HTMLElement;
  /** Where an entity's events are listed. */
  details: HTMLElement;
  selectOnChart: (id: string) => void;
}

type Drag = { mode: 'new' | 'left' | 'right' | 'move'; anchor: number; lo: number; hi: number };

export class TimelineView {
  readonly root: HTMLElement;
  private readonly opt: TimelineOptions;
  private readonly hist: SVGSVGElement;
  private readonly summary: HTMLElement;
  private readonly windowEl: HTMLElement;
  private readonly focusEl: HTMLElement;
  private slots: string[] = [];
  private by: Period = 'MONTH';
  private counts = new Map<string, number>();
  private focusCounts = new Map<string, number>();
  private focusId: string | null = null;
  private drag: Drag | null = null;
  private timer: number | undefined;
  /** The server's histograms of the chart's entities (key: their ids). */
  private server: { key: string; total: number; by: Record<Period, TimelineBucket[]> } | null = null;
  private asked = '';
  /** The focused entity's own dated facts, once the server gave them. */
  private own: { id: string; events: EntityEvent[] } | null = null;

  constructor(opt: TimelineOptions) {
    this.opt = opt;
    this.summary = h('span', { id: 'tl-summary', class: 'tl-summary' });
    this.windowEl = h('span', { id: 'tl-window', class: 'tl-window' });
    this.focusEl = h('span', { id: 'tl-focus', class: 'tl-focus' });
    this.hist = svg('svg', { id: 'tl-hist', class: 'tl-hist', height: HEIGHT, tabindex: 0, role: 'slider', 'aria-label': 'Time window: drag across the histogram to filter the chart; arrows move it, Shift+arrows resize it, Escape clears it' });
    this.root = h('section', { id: 'timeline', class: 'timeline-panel', 'aria-label': 'Timeline', hidden: true },
      h('div', { class: 'tl-head' },
        h('h2', {}, 'Timeline'), this.summary, this.windowEl,
        h('button', { type: 'button', id: 'tl-clear', class: 'linklike', onclick: () => setTimeState({ window: null }) }, 'clear window'),
        this.focusEl,
        h('span', { class: 'tl-spacer' }),
        h('button', { type: 'button', id: 'tl-close', class: 'tl-close', 'aria-label': 'Close the timeline', title: 'Close the timeline', onclick: () => this.close() }, '×')),
      this.hist);
    opt.wrap.append(this.root);
    this.hist.addEventListener('pointerdown', (ev) => this.down(ev));
    this.hist.addEventListener('pointermove', (ev) => this.move(ev));
    this.hist.addEventListener('pointerup', (ev) => this.up(ev));
    this.hist.addEventListener('keydown', (ev) => this.key(ev));
    new ResizeObserver(() => this.draw()).observe(this.root);
    onTimeState((s, prev) => {
      const w = s.window;
      if (w?.from !== prev.window?.from || w?.to !== prev.window?.to) this.applyWindow(w);
      this.draw();
    });
  }

  isOpen(): boolean {
    return !this.root.hidden;
  }

  open(): void {
    if (this.isOpen()) return;
    this.root.hidden = false;
    this.opt.wrap.classList.add('with-timeline');
    this.opt.chart.cy.resize();
    this.recount();
  }

  close(): void {
    this.root.hidden = true;
    this.opt.wrap.classList.remove('with-timeline');
    this.opt.chart.cy.resize();
  }

  toggle(): void {
    if (this.isOpen()) this.close();
    else this.open();
  }

  /** The chart changed: recount (soon, once for a burst of changes). */
  chartChanged(): void {
    if (!this.isOpen()) return;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.recount(), 60);
  }

  /**
   * Opens the timeline at an entity: its events over the chart's, and
   * listed, once the server has given its own dated facts.
   */
  openAt(id: string): void {
    this.focusId = id;
    this.own = null;
    this.open();
    this.recount();
    const name = String(this.opt.chart.node(id)?.data('name') ?? id);
    this.opt.details.replaceChildren(h('div', { class: 'details-empty' }, `Loading the timeline of ${name}…`));
    entityEvents(id).then((events) => {
      if (this.focusId !== id) return;
      this.own = { id, events };
      this.recount();
      this.listEvents(id, events, null);
    }, (err) => {
      if (this.focusId === id) this.listEvents(id, [], err instanceof Error ? err.message : String(err));
    });
  }

  private applyWindow(w: DateRange | null): void {
    this.opt.chart.setLinkFilter(w ? (e: EdgeSingular) => overlaps(e.data('startDate'), e.data('endDate'), w) : null);
  }

  /** The server's histograms for the chart's entities, once per set of ids. */
  private fetchServer(): void {
    const ids = this.opt.chart.nodeIds().filter((id) => !this.opt.chart.node(id)?.data('missing'));
    const key = [...ids].sort().join('\n');
    if (key === this.asked || this.server?.key === key) return;
    this.asked = key;
    if (ids.length === 0 || ids.length > MAX_IDS) return;
    timelineHistogram(ids).then((t) => {
      if (this.asked !== key) return;
      this.server = { key, total: t.totalCount, by: { YEAR: t.YEAR, MONTH: t.MONTH, DAY: t.DAY } };
      this.recount();
    }, () => {
      // The chart's own link dates stay drawn.
      if (this.asked === key) this.asked = '';
    });
  }

  private recount(): void {
    const events = chartEvents(this.opt.chart);
    this.fetchServer();
    const key = [...this.opt.chart.nodeIds().filter((id) => !this.opt.chart.node(id)?.data('missing'))].sort().join('\n');
    const server = this.server?.key === key ? this.server : null;
    const { by, buckets } = server ? serverHistogram(server.by) : histogram(events);
    this.by = by;
    this.counts = new Map(buckets.map((b) => [b.start, b.count]));
    this.slots = [];
    if (buckets.length > 0) {
      for (let p = buckets[0].start; ; p = nextPeriod(p, by)) {
        this.slots.push(p);
        // (A bound on the walk, should a period ever not match the walk's.)
        if (p === buckets[buckets.length - 1].start || this.slots.length > 100_000) break;
      }
    }
    const focus = this.focusId && this.opt.chart.has(this.focusId) ? this.focusId : null;
    if (!focus) this.focusId = null;
    this.focusCounts = new Map();
    if (focus) {
      const own = this.own?.id === focus ? this.own.events : [];
      for (const e of [...events.filter((x) => x.source.id === focus || x.target.id === focus), ...own]) {
        const d = span(e.date);
        if (!d) continue;
        const p = periodOf(d[0], by);
        this.focusCounts.set(p, (this.focusCounts.get(p) ?? 0) + 1);
      }
    }
    const undated = this.opt.chart.cy.edges().filter((e) => !e.data('bundle') && !e.data('startDate') && !e.data('endDate')).length;
    const total = server ? server.total : events.length;
    this.summary.textContent = `${total} dated event${total === 1 ? '' : 's'}` +
      (server && total > events.length ? ` (${total - events.length} of entities and designations)` : '') +
      (undated ? ` · ${undated} undated link${undated === 1 ? '' : 's'} (always shown)` : '');
    this.summary.dataset.events = String(total);
    this.summary.dataset.source = server ? 'server' : 'chart';
    this.focusEl.replaceChildren(...(focus ? [
      'Focus: ', h('strong', {}, String(this.opt.chart.node(focus)?.data('name') ?? focus)),
      h('button', { type: 'button', class: 'linklike', id: 'tl-unfocus', 'aria-label': 'Stop focusing the entity', onclick: () => { this.focusId = null; this.recount(); } }, '×'),
    ] : []));
    this.draw();
  }

  // ---- drawing -----------------------------------------------------------

  private geometry(): { x0: number; slotW: number; width: number } {
    const width = Math.max(200, this.hist.clientWidth || this.root.clientWidth - 20);
    const x0 = 8;
    const slotW = this.slots.length ? (width - 2 * x0) / this.slots.length : 0;
    return { x0, slotW, width };
  }

  /** The slots the window covers, [lo, hi], or null when there is none. */
  private windowSlots(w: DateRange | null): [number, number] | null {
    if (!w || this.slots.length === 0) return null;
    const inW = this.slots.map((p) => overlaps(p, p, w));
    const lo = inW.indexOf(true);
    if (lo < 0) return null;
    return [lo, inW.lastIndexOf(true)];
  }

  private draw(): void {
    if (!this.isOpen()) return;
    const { asOf, window: w } = timeState();
    this.windowEl.textContent = `Window: ${w ? windowText(w) : 'all time'}`;
    this.windowEl.dataset.from = w?.from ?? '';
    this.windowEl.dataset.to = w?.to ?? '';
    (this.root.querySelector('#tl-clear') as HTMLButtonElement).hidden = !w;
    const hidden = this.opt.chart.linkFiltered();
    if (w) this.windowEl.textContent += ` · ${hidden.links.length} link${hidden.links.length === 1 ? '' : 's'} and ${hidden.nodes.length} entit${hidden.nodes.length === 1 ? 'y' : 'ies'} outside it`;
    const { x0, slotW, width } = this.geometry();
    this.hist.setAttribute('width', String(width));
    const parts: SVGElement[] = [];
    if (this.slots.length === 0) {
      parts.push(svg('text', { x: width / 2, y: HEIGHT / 2, 'text-anchor': 'middle', class: 'tl-empty' }, 'No dated events on the chart.'));
      this.hist.replaceChildren(...parts);
      return;
    }
    const max = Math.max(...this.counts.values(), 1);
    const barH = HEIGHT - AXIS - 6;
    const ws = this.windowSlots(w);
    this.slots.forEach((p, i) => {
      const c = this.counts.get(p) ?? 0;
      const x = x0 + i * slotW;
      if (c > 0) {
        const hgt = Math.max(2, (c / max) * barH);
        const inside = !ws || (i >= ws[0] && i <= ws[1]);
        parts.push(svg('rect', {
          x: x + slotW * 0.1, y: 4 + barH - hgt, width: Math.max(1, slotW * 0.8), height: hgt,
          class: inside ? 'tl-bar' : 'tl-bar out', 'data-period': p, 'data-count': c,
        }, undefined));
        const f = this.focusCounts.get(p) ?? 0;
        if (f > 0) {
          const fh = Math.max(2, (f / max) * barH);
          parts.push(svg('rect', { x: x + slotW * 0.1, y: 4 + barH - fh, width: Math.max(1, slotW * 0.8), height: fh, class: 'tl-bar focus', 'data-period': p, 'data-count': f }));
        }
      }
    });
    // Axis: a label at each year (or every few years), months when they fit.
    const years = [...new Set(this.slots.map((p) => p.slice(0, 4)))];
    const every = Math.max(1, Math.ceil((years.length * 38) / width));
    this.slots.forEach((p, i) => {
      const first = i === 0 || p.slice(0, 4) !== this.slots[i - 1].slice(0, 4);
      const label = this.by === 'DAY' ? (p.endsWith('-01') || i === 0 ? p.slice(0, 7) : null) : first && Number(p.slice(0, 4)) % every === 0 ? p.slice(0, 4) : null;
      if (!label) return;
      const x = x0 + i * slotW;
      parts.push(svg('line', { x1: x, x2: x, y1: HEIGHT - AXIS, y2: HEIGHT - AXIS + 4, class: 'tl-tick' }));
      parts.push(svg('text', { x: x + 2, y: HEIGHT - 3, class: 'tl-label' }, label));
    });
    parts.push(svg('line', { x1: x0, x2: width - x0, y1: HEIGHT - AXIS, y2: HEIGHT - AXIS, class: 'tl-axis' }));
    if (asOf) {
      const i = this.slots.findIndex((p) => overlaps(p, p, { from: asOf, to: asOf }));
      const s = span(asOf)!;
      const x = i >= 0 ? x0 + (i + 0.5) * slotW : s[0] < span(this.slots[0])![0] ? x0 : width - x0;
      parts.push(svg('line', { x1: x, x2: x, y1: 0, y2: HEIGHT - AXIS, class: 'tl-asof', id: 'tl-asof' }));
    }
    if (ws) {
      const bx = x0 + ws[0] * slotW;
      const bw = (ws[1] - ws[0] + 1) * slotW;
      parts.push(svg('rect', { x: bx, y: 1, width: bw, height: HEIGHT - AXIS - 1, class: 'tl-brush', id: 'tl-brush' }));
      parts.push(svg('rect', { x: bx - 2, y: 8, width: 4, height: HEIGHT - AXIS - 16, class: 'tl-handle' }));
      parts.push(svg('rect', { x: bx + bw - 2, y: 8, width: 4, height: HEIGHT - AXIS - 16, class: 'tl-handle' }));
    }
    this.hist.setAttribute('aria-valuetext', w ? windowText(w) : 'all time');
    this.hist.replaceChildren(...parts);
  }

  // ---- the brush -----------------------------------------------------------

  private slotAt(clientX: number): number {
    const { x0, slotW } = this.geometry();
    const x = clientX - this.hist.getBoundingClientRect().left;
    return Math.max(0, Math.min(this.slots.length - 1, Math.floor((x - x0) / slotW)));
  }

  private setSlots(lo: number, hi: number): void {
    const a = Math.max(0, Math.min(lo, hi));
    const b = Math.min(this.slots.length - 1, Math.max(lo, hi));
    setTimeState({ window: { from: this.slots[a], to: this.slots[b] } });
  }

  private down(ev: PointerEvent): void {
    if (this.slots.length === 0 || ev.button !== 0) return;
    this.hist.setPointerCapture(ev.pointerId);
    const { x0, slotW } = this.geometry();
    const ws = this.windowSlots(timeState().window);
    const x = ev.clientX - this.hist.getBoundingClientRect().left;
    const i = this.slotAt(ev.clientX);
    if (ws) {
      const left = x0 + ws[0] * slotW;
      const right = x0 + (ws[1] + 1) * slotW;
      if (Math.abs(x - left) <= HANDLE) this.drag = { mode: 'left', anchor: i, lo: ws[0], hi: ws[1] };
      else if (Math.abs(x - right) <= HANDLE) this.drag = { mode: 'right', anchor: i, lo: ws[0], hi: ws[1] };
      else if (x > left && x < right) this.drag = { mode: 'move', anchor: i, lo: ws[0], hi: ws[1] };
    }
    if (!this.drag) {
      this.drag = { mode: 'new', anchor: i, lo: i, hi: i };
      this.setSlots(i, i);
    }
    ev.preventDefault();
  }

  private move(ev: PointerEvent): void {
    const d = this.drag;
    if (!d) return;
    const i = this.slotAt(ev.clientX);
    if (d.mode === 'new') this.setSlots(d.anchor, i);
    else if (d.mode === 'left') this.setSlots(Math.min(i, d.hi), d.hi);
    else if (d.mode === 'right') this.setSlots(d.lo, Math.max(i, d.lo));
    else {
      const shift = Math.max(-d.lo, Math.min(this.slots.length - 1 - d.hi, i - d.anchor));
      this.setSlots(d.lo + shift, d.hi + shift);
    }
  }

  private up(ev: PointerEvent): void {
    if (!this.drag) return;
    this.move(ev);
    this.drag = null;
  }

  private key(ev: KeyboardEvent): void {
    if (this.slots.length === 0) return;
    const ws = this.windowSlots(timeState().window) ?? [0, this.slots.length - 1];
    const step = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
    if (step !== 0) {
      if (ev.shiftKey) this.setSlots(ws[0], Math.max(ws[0], ws[1] + step));
      else if (ws[0] + step >= 0 && ws[1] + step < this.slots.length) this.setSlots(ws[0] + step, ws[1] + step);
    } else if (ev.key === 'Escape' || ev.key === 'Delete') {
      setTimeState({ window: null });
    } else return;
    ev.preventDefault();
    ev.stopPropagation();
  }

  // ---- an entity's events ------------------------------------------------------

  private listEvents(id: string, own: EntityEvent[], failed: string | null): void {
    const name = String(this.opt.chart.node(id)?.data('name') ?? id);
    const links = chartEvents(this.opt.chart).filter((e) => e.source.id === id || e.target.id === id);
    type Row = { date: string; kind: string; key: string; el: HTMLElement };
    const rows: Row[] = [];
    for (const e of links) {
      const other = e.source.id === id ? e.target : e.source;
      rows.push({ date: e.date, kind: e.kind, key: e.linkId, el: h('li', { 'data-kind': e.kind, 'data-link': e.linkId, 'data-date': e.date },
        h('span', { class: 'tl-date' }, e.date), ' ',
        h('button', { type: 'button', class: 'linklike', onclick: () => this.opt.selectOnChart(e.linkId) }, `${e.label} ${other.name}`),
        ` ${e.kind === 'LINK_STARTED' ? 'began' : 'ended'}`) });
    }
    for (const e of own) {
      if (!span(e.date)) continue;
      const d = e.designation;
      rows.push({ date: e.date, kind: e.kind, key: d ? `${d.regime} ${d.authority}` : '', el: h('li', { 'data-kind': e.kind, 'data-date': e.date },
        h('span', { class: 'tl-date' }, e.date), ' ', ownText(e)) });
    }
    rows.sort((a, b) => span(a.date)![0] - span(b.date)![0] || span(a.date)![1] - span(b.date)![1]
      || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.key.localeCompare(b.key));
    const n = rows.length;
    const hint = n
      ? `${n} dated event${n === 1 ? '' : 's'}, oldest first: ${links.length} of its links on the chart, ${n - links.length} of its own (designations, birth, incorporation, dissolution); drawn in orange on the timeline.`
      : 'None of its links on the chart has a date, and it has no dated designation, birth, incorporation or dissolution.';
    this.opt.details.replaceChildren(
      h('header', { class: 'details-head' },
        h('div', { class: 'details-kind' }, 'Timeline'),
        h('h2', { class: 'details-title', id: 'details-title', tabindex: -1 }, name)),
      h('p', { class: 'hint' }, hint),
      failed ? h('p', { class: 'hint', role: 'alert' }, `Its own dates (designations, birth, incorporation, dissolution) could not be read: ${failed}`) : '',
      h('ol', { class: 'tl-events', id: 'timeline-events', 'data-complete': String(!failed) }, ...rows.map((r) => r.el)),
    );
    if (n === 0) toast(`${name}: no dated events.`, 'info', 3500);
  }
}

/** An entity's own event, in words. */
function ownText(e: EntityEvent): string {
  const d = e.designation;
  const listing = d ? ` ${d.regime} (${d.authority})` : '';
  switch (e.kind) {
    case 'BORN': return 'born';
    case 'INCORPORATED': return 'incorporated';
    case 'DISSOLVED': return 'dissolved';
    case 'DESIGNATED': return `designated:${listing}`;
    case 'DELISTED': return `delisted:${listing}`;
  }
  return String(e.kind).toLowerCase();
}

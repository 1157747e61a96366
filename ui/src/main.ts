// Skein link chart: wires the chart, search, details, path finder,
// filters, analysis overlays, export and the shareable URL together.
import './app.css';
import * as api from './api';
import { ApiError } from './api';
import { Chart, type LayoutName } from './chart';
import { Details } from './details';
import { TypeAhead } from './search';
import { COMMUNITY_COLORS, KINDS, kindInfo, linkTypeLabel, titleCase } from './style';
import type { EntityNode, LinkEdge } from './types';
import type { NodeCollection } from 'cytoscape';
import { busy, byId, download, h, statusMessage, toast } from './ui';
import { readChartIds, writeChartIds } from './urlstate';

const chartEl = byId('chart');
let overlayTimer: number | undefined;
let lastUrlIds = '';

const chart = new Chart({ container: chartEl, onChange: () => changed() });
const cy = chart.cy;

const details = new Details(byId('details'), {
  showOnChart: (id) => void addById(id),
  isOnChart: (id) => chart.has(id),
  selectOnChart: (id) => {
    if (chart.has(id)) {
      chart.selectOnly(id);
      const n = chart.node(id);
      if (n) chart.ensureVisible(n as unknown as NodeCollection);
    } else void addById(id);
  },
  expand: (id) => void expand([id]),
  highlightPath: (ids) => chart.highlight(ids),
});

// ---- what happens after every change -------------------------------------

function changed(): void {
  const { entities, links } = chart.visibleCounts();
  byId('status-counts').textContent = `${plural(entities, 'entity', 'entities')} · ${plural(links, 'link', 'links')}`;
  const hidden = cy.nodes().length - entities;
  byId('status-hidden').textContent = hidden > 0 ? `${hidden} hidden by filters` : '';
  byId('empty').hidden = cy.nodes().nonempty();
  renderFilters();
  const ids = chart.nodeIds();
  const key = ids.join(',');
  if (key !== lastUrlIds) {
    lastUrlIds = key;
    writeChartIds(ids);
    scheduleOverlays();
  }
  (byId('btn-undo') as HTMLButtonElement).disabled = !chart.canUndo();
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---- adding, expanding, collapsing, removing -------------------------------

/**
 * Puts entities on the chart together with every link between them and
 * what is already there, so the chart is always the full picture of the
 * entities it shows (and a reloaded URL draws the same chart).
 */
async function addEntities(entities: EntityNode[], links: LinkEdge[], near?: string): Promise<NodeCollection> {
  const fresh = entities.filter((e) => !chart.has(e.id)).map((e) => e.id);
  const withLinks = await api.entitiesWithLinks(fresh);
  const all = [...links, ...withLinks.flatMap((x) => x.links)];
  const wasEmpty = cy.nodes().empty();
  const added = chart.add(entities, all, near);
  if (wasEmpty) await chart.layout(chart.layoutName);
  else await chart.relax(added);
  return added;
}

async function addEntity(e: EntityNode): Promise<void> {
  if (chart.has(e.id)) {
    chart.selectOnly(e.id);
    chart.fit(chart.node(e.id) as unknown as NodeCollection);
    return;
  }
  chart.checkpoint();
  try {
    await busy(`Adding ${e.name}…`, () => addEntities([e], []));
    chart.pin(e.id);
    chart.selectOnly(e.id);
  } catch (err) {
    chart.dropCheckpoint();
    report(err, `Could not add ${e.name}`);
  }
}

async function addById(id: string): Promise<void> {
  try {
    const [found] = await api.entitiesWithLinks([id]);
    if (!found) {
      toast(`${id} is not in the graph.`, 'warn');
      return;
    }
    await addEntity(found.entity);
  } catch (err) {
    report(err, 'Could not add the entity');
  }
}

function cap(): number {
  return Number((byId('expand-cap') as HTMLSelectElement).value) || 25;
}

async function expand(ids: string[]): Promise<void> {
  if (ids.length === 0) {
    toast('Select an entity to expand.', 'info', 3000);
    return;
  }
  chart.checkpoint();
  const before = cy.elements().length;
  const notes: string[] = [];
  try {
    await busy('Expanding…', async () => {
      for (const id of ids) {
        // limit counts the expanded entity itself.
        const sg = await api.neighborhood(id, cap() + 1);
        const name = sg.nodes.find((n) => n.id === id)?.name ?? chart.node(id)?.data('name') ?? id;
        await addEntities(sg.nodes, sg.links, id);
        chart.markExpanded(id);
        if (sg.truncated) {
          const shown = sg.nodes.filter((n) => n.id !== id).length;
          const of = sg.degree !== null ? ` of ${sg.degree} links` : '';
          notes.push(`${name}: showing ${shown} neighbours${of} — the expand cap is ${cap()}; raise it to see more.`);
        }
      }
    });
  } catch (err) {
    report(err, 'Could not expand');
  }
  if (cy.elements().length === before) {
    chart.dropCheckpoint();
    if (notes.length === 0) toast('Nothing new: every neighbour is already on the chart.', 'info', 3000);
  }
  if (notes.length > 0) toast(`Truncated. ${notes.join(' ')}`, 'warn', 10000);
  changed();
}

function collapse(ids: string[]): void {
  if (ids.length === 0) return;
  chart.checkpoint();
  let removed = 0;
  for (const id of ids) removed += chart.collapse(id).length;
  if (removed === 0) {
    chart.dropCheckpoint();
    toast('Nothing to collapse: no neighbour hangs only off the selection.', 'info', 3500);
  }
}

function removeSelected(): void {
  const ids = cy.elements(':selected').map((e) => e.id());
  if (ids.length === 0) return;
  chart.checkpoint();
  chart.remove(ids);
  details.empty();
}

function undo(): void {
  if (!chart.undo()) toast('Nothing to undo.', 'info', 2500);
}

// ---- selection -> details --------------------------------------------------

let detailTimer: number | undefined;
let detailSeq = 0;

cy.on('select unselect', () => {
  window.clearTimeout(detailTimer);
  detailTimer = window.setTimeout(showSelection, 40);
});

async function showSelection(): Promise<void> {
  const seq = ++detailSeq;
  const nodes = cy.nodes(':selected');
  const edges = cy.edges(':selected');
  const total = nodes.length + edges.length;
  byId('status-selection').textContent = total > 0 ? `${total} selected` : '';
  try {
    if (total === 0) return;
    if (nodes.length === 1 && edges.length === 0) {
      const id = nodes.first().id();
      details.loading(nodes.first().data('name'));
      const e = await api.entityDetail(id);
      if (seq !== detailSeq) return;
      if (e) details.entity(e);
      else details.message(`${id} is no longer in the graph.`);
    } else if (edges.length === 1 && nodes.length === 0) {
      const e = edges.first();
      details.loading('link');
      const l = await api.linkDetail(e.id());
      if (seq !== detailSeq) return;
      if (l) details.link(l);
      else details.message('This link is no longer in the graph.');
    } else {
      details.multi(nodes.map((n) => n.data('name') as string));
    }
  } catch (err) {
    if (seq === detailSeq) details.message(err instanceof Error ? err.message : String(err));
  }
}

cy.on('dbltap', 'node', (ev) => void expand([ev.target.id()]));
cy.on('tap', (ev) => {
  if (ev.target === cy) chart.clearHighlight();
});

// ---- search ----------------------------------------------------------------

const searchInput = byId<HTMLInputElement>('search-input');
new TypeAhead({
  input: searchInput,
  list: byId('search-results'),
  isOnChart: (id) => chart.has(id),
  onPick: (e) => {
    searchInput.value = '';
    // The chart takes the focus, so E expands the pick straight away.
    chartEl.focus();
    void addEntity(e);
  },
});

for (const b of document.querySelectorAll<HTMLButtonElement>('[data-try]')) {
  b.addEventListener('click', () => {
    searchInput.value = b.dataset.try ?? '';
    searchInput.focus();
    searchInput.dispatchEvent(new Event('input'));
  });
}

// ---- filters ---------------------------------------------------------------

function renderFilters(): void {
  const { kinds, types } = chart.census();
  const kindList = [...new Set([...Object.keys(KINDS), ...kinds.keys()])];
  byId('kind-filters').replaceChildren(
    ...kindList.map((k) => filterRow(`kind-${k}`, kindInfo(k).plural, kinds.get(k) ?? 0, !chart.isKindHidden(k),
      (on) => chart.setKindHidden(k, !on), h('span', { class: `kind-dot kind-${k.toLowerCase()}`, 'aria-hidden': 'true' }))),
    h('div', { class: 'legend-row' }, h('span', { class: 'sanction-mark', 'aria-hidden': 'true' }), 'Red ring: sanctioned'),
  );
  const typeList = [...types.keys()].sort();
  for (const t of ['MEMBER_OF']) if (!typeList.includes(t) && chart.isTypeHidden(t)) typeList.push(t);
  byId('type-filters').replaceChildren(
    ...(typeList.length === 0
      ? [h('div', { class: 'hint' }, 'No links on the chart yet.')]
      : typeList.map((t) => filterRow(`type-${t}`, linkTypeLabel(t), types.get(t) ?? 0, !chart.isTypeHidden(t),
        (on) => chart.setTypeHidden(t, !on), null))),
  );
}

function filterRow(id: string, label: string, count: number, checked: boolean, onToggle: (on: boolean) => void, mark: Node | null): HTMLElement {
  const input = h('input', { type: 'checkbox', id: `f-${id}`, checked, 'aria-label': `Show ${label}` });
  input.addEventListener('change', () => onToggle(input.checked));
  return h('label', { class: 'filter-row', for: `f-${id}` }, input, mark, h('span', { class: 'filter-label' }, label), h('span', { class: 'count' }, String(count)));
}

// ---- path finder -------------------------------------------------------------

interface Pick {
  entity: EntityNode | null;
  input: HTMLInputElement;
}

const dialog = byId<HTMLDialogElement>('paths-dialog');
const picks: Record<'from' | 'to', Pick> = {
  from: makePick('from', 'From'),
  to: makePick('to', 'To'),
};

function makePick(which: 'from' | 'to', label: string): Pick {
  const root = byId(`pick-${which}`);
  const input = h('input', { type: 'search', id: `path-${which}`, autocomplete: 'off', placeholder: 'Type a name…' });
  const list = h('div', { id: `path-${which}-results`, class: 'dropdown', role: 'listbox', 'aria-label': `${label} results`, hidden: true });
  root.replaceChildren(h('label', { for: `path-${which}`, class: 'pick-label' }, label), h('div', { class: 'search' }, input, list));
  const pick: Pick = { entity: null, input };
  input.addEventListener('input', () => {
    pick.entity = null;
  });
  new TypeAhead({
    input,
    list,
    first: 10,
    onPick: (e) => {
      pick.entity = e;
      input.value = e.name;
    },
  });
  return pick;
}

function setPick(p: Pick, e: EntityNode | null): void {
  p.entity = e;
  p.input.value = e ? e.name : '';
}

function nodeEntity(id: string): EntityNode | null {
  const n = chart.node(id);
  return n ? { id, name: n.data('name'), kind: n.data('kind'), sanctioned: !!n.data('sanctioned') } : null;
}

function openPaths(): void {
  const sel = chart.selectedNodeIds();
  if (sel.length >= 1) setPick(picks.from, nodeEntity(sel[0]));
  if (sel.length >= 2) setPick(picks.to, nodeEntity(sel[1]));
  dialog.showModal();
  (picks.from.entity ? picks.to.input : picks.from.input).focus();
}

byId('btn-paths').addEventListener('click', openPaths);
byId('paths-cancel').addEventListener('click', () => dialog.close());
byId('paths-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const from = picks.from.entity;
  const to = picks.to.entity;
  if (!from || !to) {
    toast('Pick both entities from the suggestions.', 'warn', 3500);
    (from ? picks.to.input : picks.from.input).focus();
    return;
  }
  dialog.close();
  void findPaths(from, to, Number((byId('paths-hops') as HTMLSelectElement).value));
});

async function findPaths(from: EntityNode, to: EntityNode, maxHops: number): Promise<void> {
  try {
    const found = await busy(`Finding paths from ${from.name} to ${to.name}…`, () => api.paths(from.id, to.id, maxHops));
    if (found.length === 0) {
      toast(`No path between ${from.name} and ${to.name} within ${maxHops} hops.`, 'warn');
      return;
    }
    chart.checkpoint();
    const before = cy.elements().length;
    await busy('Drawing paths…', () => addEntities(found.flatMap((p) => p.nodes), found.flatMap((p) => p.links)));
    if (cy.elements().length === before) chart.dropCheckpoint();
    const ids = found.flatMap((p) => [...p.nodes.map((n) => n.id), ...p.links.map((l) => l.id)]);
    chart.highlight(ids);
    chart.fit(cy.nodes('.path'));
    details.paths(from.name, to.name, found);
    changed();
  } catch (err) {
    report(err, 'Could not find paths');
  }
}

// ---- layout, analysis overlays -----------------------------------------------

const layoutSelect = byId<HTMLSelectElement>('layout-select');
layoutSelect.addEventListener('change', () => void chart.layout(layoutSelect.value as LayoutName));

const sizeSelect = byId<HTMLSelectElement>('size-select');
const communityToggle = byId<HTMLInputElement>('community-toggle');

async function initAnalysis(): Promise<void> {
  try {
    const metrics = await api.centralityMetrics();
    if (metrics.length === 0) throw new ApiError('no metrics', 'UNAVAILABLE');
    sizeSelect.append(...metrics.map((m) => h('option', { value: m }, titleCase(m))));
  } catch {
    sizeSelect.disabled = true;
    sizeSelect.title = 'Centrality is not available on this server';
  }
}

sizeSelect.addEventListener('change', () => void applyOverlays());
communityToggle.addEventListener('change', () => void applyOverlays());

function scheduleOverlays(): void {
  if (!sizeSelect.value && !communityToggle.checked) return;
  window.clearTimeout(overlayTimer);
  overlayTimer = window.setTimeout(() => void applyOverlays(), 400);
}

async function applyOverlays(): Promise<void> {
  const ids = chart.nodeIds();
  const metric = sizeSelect.value;
  if (!metric || ids.length === 0) chart.setScores(null);
  if (!communityToggle.checked || ids.length === 0) chart.setCommunities(null);
  if (ids.length === 0) return;
  if (metric) {
    try {
      const scores = await api.centrality(metric, ids);
      chart.setScores(new Map(scores.map((s) => [s.entity.id, s.score])));
    } catch (err) {
      chart.setScores(null);
      sizeSelect.value = '';
      report(err, 'Centrality is not available');
    }
  }
  if (communityToggle.checked) {
    try {
      const cs = await api.communities(ids);
      const colors = new Map<string, string>();
      [...cs].sort((a, b) => b.members.length - a.members.length).forEach((c, i) => {
        for (const m of c.members) colors.set(m.id, COMMUNITY_COLORS[i % COMMUNITY_COLORS.length]);
      });
      chart.setCommunities(colors);
      statusMessage(`${plural(cs.length, 'community', 'communities')}`);
    } catch (err) {
      chart.setCommunities(null);
      communityToggle.checked = false;
      report(err, 'Communities are not available');
    }
  }
}

// ---- export --------------------------------------------------------------------

const exportBtn = byId<HTMLButtonElement>('btn-export');
const exportList = byId('export-list');
const exportLinks = api.EXPORT_FORMATS.map((f) =>
  h('a', { role: 'menuitem', 'data-format': f.id, href: '#', class: 'menu-link' }, `Subgraph: ${f.label}`));
exportList.append(...exportLinks);

function toggleExport(open: boolean): void {
  exportList.hidden = !open;
  exportBtn.setAttribute('aria-expanded', String(open));
  if (open) {
    const ids = chart.nodeIds();
    for (const a of exportLinks) {
      const q = new URLSearchParams({ ids: ids.join(','), depth: '0' });
      a.setAttribute('href', `/api/export/${a.dataset.format}?${q.toString()}`);
      a.toggleAttribute('aria-disabled', ids.length === 0);
    }
    exportList.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }
}

exportBtn.addEventListener('click', () => toggleExport(exportList.hidden));
exportList.addEventListener('keydown', (ev) => {
  const items = [...exportList.querySelectorAll<HTMLElement>('[role=menuitem]')];
  const i = items.indexOf(document.activeElement as HTMLElement);
  if (ev.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
  else if (ev.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
  else if (ev.key === 'Escape') {
    toggleExport(false);
    exportBtn.focus();
  } else return;
  ev.preventDefault();
});
document.addEventListener('click', (ev) => {
  if (!byId('export-menu').contains(ev.target as Node)) toggleExport(false);
});
exportList.addEventListener('click', (ev) => {
  const t = (ev.target as HTMLElement).closest<HTMLElement>('[role=menuitem]');
  if (!t) return;
  if (cy.nodes().empty()) {
    ev.preventDefault();
    toast('The chart is empty: nothing to export.', 'info', 3000);
    return;
  }
  if (t.dataset.export === 'png') download('skein-chart.png', chart.png());
  else if (t.dataset.export === 'svg') download('skein-chart.svg', new Blob([chart.svg()], { type: 'image/svg+xml' }));
  toggleExport(false);
});

// ---- buttons and keys ------------------------------------------------------------

byId('btn-expand').addEventListener('click', () => void expand(chart.selectedNodeIds()));
byId('btn-collapse').addEventListener('click', () => collapse(chart.selectedNodeIds()));
byId('btn-remove').addEventListener('click', removeSelected);
byId('btn-undo').addEventListener('click', undo);
byId('btn-fit').addEventListener('click', () => chart.fit());
byId('btn-clear').addEventListener('click', () => {
  if (cy.nodes().empty()) return;
  chart.checkpoint();
  chart.clear();
  details.empty();
});

function typing(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName));
}

document.addEventListener('keydown', (ev) => {
  if (dialog.open) return;
  if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 'z' && !typing(ev.target)) {
    ev.preventDefault();
    undo();
    return;
  }
  if (typing(ev.target) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const onChart = document.activeElement === chartEl;
  switch (ev.key) {
    case '/':
      searchInput.focus();
      break;
    case 'e':
    case 'E':
      void expand(chart.selectedNodeIds());
      break;
    case 'c':
    case 'C':
      collapse(chart.selectedNodeIds());
      break;
    case 'Delete':
    case 'Backspace':
      removeSelected();
      break;
    case 'f':
    case 'F':
      chart.fit();
      break;
    case 'p':
    case 'P':
      openPaths();
      break;
    case '+':
    case '=':
      cy.zoom({ level: cy.zoom() * 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      break;
    case '-':
      cy.zoom({ level: cy.zoom() / 1.2, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
      break;
    case 'ArrowRight':
    case 'ArrowDown':
    case 'ArrowLeft':
    case 'ArrowUp':
      if (!onChart) return;
      chart.step(ev.key === 'ArrowRight' || ev.key === 'ArrowDown' ? 1 : -1);
      break;
    case 'Enter':
      // From the chart into the details of the selection.
      if (!onChart) return;
      document.getElementById('details-title')?.focus();
      break;
    case 'Escape':
      chart.clearHighlight();
      cy.elements(':selected').unselect();
      break;
    default:
      return;
  }
  ev.preventDefault();
});

// ---- errors, start-up --------------------------------------------------------------

function report(err: unknown, what: string): void {
  if (err instanceof ApiError && err.code === 'UNAVAILABLE') {
    toast(`${what}: ${err.message}`, 'info');
  } else {
    toast(`${what}: ${err instanceof Error ? err.message : String(err)}`, 'error');
  }
}

async function loadFromUrl(): Promise<void> {
  const ids = readChartIds();
  if (ids.length === 0) return;
  try {
    await busy('Loading chart…', async () => {
      const found = await api.entitiesWithLinks(ids);
      const missing = ids.length - found.length;
      chart.add(found.map((f) => f.entity), found.flatMap((f) => f.links));
      for (const f of found) chart.pin(f.entity.id);
      await chart.layout(chart.layoutName);
      if (missing > 0) toast(`${plural(missing, 'entity', 'entities')} of this chart no longer exist.`, 'warn');
    });
  } catch (err) {
    report(err, 'Could not load the chart');
  }
}

window.addEventListener('hashchange', () => {
  const ids = readChartIds();
  if (ids.join(',') === chart.nodeIds().join(',')) return;
  chart.checkpoint();
  chart.clear();
  void loadFromUrl();
});

changed();
void initAnalysis();
void loadFromUrl();

// For tests and the benchmark: the chart is reachable from the page.
declare global {
  interface Window {
    skein?: { chart: Chart };
  }
}
window.skein = { chart };

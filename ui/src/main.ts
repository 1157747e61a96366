// Skein link chart: wires the chart, search, details, path finder,
// filters, analysis overlays, export and the shareable URL together.
import './app.css';
import * as api from './api';
import { ApiError } from './api';
import { Chart, type LayoutName } from './chart';
import { Details } from './details';
import { initDisruption } from './disruption';
import { TypeAhead } from './search';
import { COMMUNITY_COLORS, kindInfo, linkTypeLabel, titleCase } from './style';
import { kindList, kindMark, loadRegistry } from './kinds';
import { OwnershipView } from './ownershipview';
import type { EntityNode, LinkEdge } from './types';
import type { NodeCollection } from 'cytoscape';
import { busy, byId, download, h, statusMessage, toast } from './ui';
import { readChartIds, readPinnedIds } from './urlstate';
import { Cases } from './cases';
import { exportMeta, pngWithLegend, svgWithLegend } from './chartexport';
import { isHistoryState } from './history';
import { EntityMenu } from './contextmenu';
import { isBundle } from './bundle';
import { selectionText } from './selection';
import { hooks } from './hooks';
import { AnalysisView } from './analysisview';
import { ExposureView } from './exposureview';
import { AuditView } from './auditview';
import { TimelineView } from './timeline';
import { LinkHover } from './linkhover';
import { onTimeState, setTimeState, timeState } from './timestate';
import { readTimeParams, writeTimeParams } from './urlstate';
import { AsOfControl } from './asof';
import { Pages } from './pages';
import { entityQuery, ScreeningPage } from './screening';
import { DuplicatesPage } from './duplicates';

// Kinds, their styles and fields come from the server's registry: loaded
// before the chart is drawn (a server without it gets the fallback style).
const registryLoaded = await loadRegistry();

const chartEl = byId('chart');
let overlayTimer: number | undefined;
let lastUrlIds = '|'; // ids|pinned last written to the URL

const chart = new Chart({ container: chartEl, onChange: () => changed() });
const cy = chart.cy;

// Time: the timeline's window filters the chart; both live in the URL.
const timeline = new TimelineView({
  chart,
  wrap: byId('chart-wrap'),
  details: byId('details'),
  selectOnChart: (id) => chart.selectOnly(id),
});
hooks.openTimeline = (id) => timeline.openAt(id);
new LinkHover(byId('chart-wrap'), cy);
byId('btn-timeline').addEventListener('click', () => timeline.toggle());
// The as-of date re-queries the chart; overlays and details follow it.
const asOfControl = new AsOfControl({
  chart,
  after: byId('btn-timeline'),
  refreshed: () => {
    changed();
    scheduleOverlays();
    if (cy.elements(':selected').nonempty()) void showSelection();
  },
  report: (err, what) => report(err, what),
});

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
  // The entity's names, kind, birth date and identifiers, screened on the
  // screening page; its candidate duplicates on the duplicates page.
  screen: (e) => {
    entityQuery(e).then((q) => {
      screening.prefill(q);
      pages.show('screening');
    }, (err) => report(err, `Could not screen ${e.name}`));
  },
  findDuplicates: (id, name) => {
    duplicates.restrict({ id, name });
    pages.show('duplicates');
  },
});

// Saved cases: autosave, the list, notes, Back/Forward through the chart.
const cases = new Cases({
  chart,
  changed: () => changed(),
  report: (err, what) => report(err, what),
  select: (id) => {
    if (!chart.has(id)) return;
    chart.selectOnly(id);
    const el = cy.getElementById(id);
    chart.ensureVisible((el.isEdge() ? el.connectedNodes() : el) as unknown as NodeCollection);
  },
});

// ---- what happens after every change -------------------------------------

function changed(): void {
  const { entities, links } = chart.visibleCounts();
  byId('status-counts').textContent = `${plural(entities, 'entity', 'entities')} · ${plural(links, 'link', 'links')}`;
  const hidden = chart.entities().length - entities;
  const byHand = chart.hiddenIds().length;
  const statusHidden = byId('status-hidden');
  statusHidden.replaceChildren();
  if (hidden > 0) {
    statusHidden.append(`${hidden} hidden`);
    if (byHand > 0) {
      statusHidden.append(' · ', h('button', { type: 'button', class: 'linklike', id: 'btn-unhide', onclick: () => unhideAll() }, `show ${byHand} hidden by hand`));
    }
  }
  byId('empty').hidden = cy.nodes().nonempty();
  renderFilters();
  const ids = chart.nodeIds();
  const pinned = chart.pinnedIds();
  const key = `${ids.join(',')}|${pinned.join(',')}`;
  if (key !== lastUrlIds) {
    const idsChanged = key.split('|')[0] !== lastUrlIds.split('|')[0];
    lastUrlIds = key;
    if (idsChanged) scheduleOverlays();
  }
  cases.recorded();
  (byId('btn-undo') as HTMLButtonElement).disabled = !chart.canUndo();
  (byId('btn-redo') as HTMLButtonElement).disabled = !chart.canRedo();
  timeline.chartChanged();
}

function unhideAll(): void {
  chart.checkpoint();
  chart.setHidden(chart.hiddenIds(), false);
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
    chart.markManual(e.id);
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

/**
 * Expands entities by up to the cap of neighbours not yet on the chart, so
 * expanding a hub again brings the next page ("next 25") rather than the
 * same neighbours. types limits it to links of those types.
 */
async function expand(ids: string[], types?: string[]): Promise<void> {
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
        const got = await api.linksOf(id, types);
        if (!got) {
          notes.push(`${id} is no longer in the graph.`);
          continue;
        }
        const name = chart.node(id)?.data('name') ?? id;
        // Neighbours in the API's order (links by id), each once.
        const others = new Map<string, EntityNode>();
        for (const l of got.links) {
          const o = l.source.id === id ? l.target : l.source;
          if (o.id !== id && !others.has(o.id)) others.set(o.id, o);
        }
        const fresh = [...others.values()].filter((o) => !chart.has(o.id));
        const page = fresh.slice(0, cap());
        const pageIds = new Set(page.map((o) => o.id));
        const links = got.links.filter((l) => pageIds.has(l.source.id) || pageIds.has(l.target.id) || (chart.has(l.source.id) && chart.has(l.target.id)));
        await addEntities(page, links, id);
        chart.markExpanded(id);
        const left = fresh.length - page.length;
        if (left > 0) {
          notes.push(`${name}: ${page.length} more of ${others.size} neighbours shown; ${left} not yet on the chart — expand again for the next ${Math.min(cap(), left)}.`);
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
  if (notes.length > 0) toast(`Truncated at the expand cap (${cap()}). ${notes.join(' ')}`, 'warn', 10000);
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
  else asOfControl.reconcile();
}

function redo(): void {
  if (!chart.redo()) toast('Nothing to redo.', 'info', 2500);
  else asOfControl.reconcile();
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
  // One wording, shared by the status bar and the details, so they agree.
  const text = selectionText(nodes.filter((n) => !isBundle(n)).length, edges.filter((e) => !e.data('bundle')).length, nodes.filter((n) => isBundle(n)).length);
  byId('status-selection').textContent = text;
  try {
    if (total === 0) return;
    if (nodes.length === 1 && edges.length === 0 && isBundle(nodes.first())) {
      const b = nodes.first();
      details.multi(text, (b.data('members') as string[]).map((m) => chart.node(m)?.data('name') ?? m), 'A bundle of leaves: click it again, or press Enter, to open it.');
    } else if (nodes.length === 1 && edges.length === 0) {
      const id = nodes.first().id();
      details.loading(nodes.first().data('name'));
      const e = await api.entityDetail(id);
      if (seq !== detailSeq) return;
      if (e) {
        details.entity(e);
        exposure.show(e.id, () => seq === detailSeq);
        void ownership.show(e.id, () => seq === detailSeq);
        disruption.entityDetails(e.id, byId('details'));
      } else details.message(`${id} is no longer in the graph.`);
    } else if (edges.length === 1 && nodes.length === 0) {
      const e = edges.first();
      details.loading('link');
      const l = await api.linkDetail(e.id());
      if (seq !== detailSeq) return;
      if (l) details.link(l);
      else details.message('This link is no longer in the graph.');
    } else {
      details.multi(text, [...nodes.map((n) => n.data('name') as string), ...edges.map((e) => `${e.source().data('name')} — ${e.data('label')} — ${e.target().data('name')}`)]);
    }
  } catch (err) {
    if (seq === detailSeq) details.message(err instanceof Error ? err.message : String(err));
  }
}

cy.on('dbltap', 'node', (ev) => {
  if (!isBundle(ev.target)) void expand([ev.target.id()]);
});

// A bundle opens on a click on it when it is already selected, or a double click.
cy.on('tap', 'node', (ev) => {
  const n = ev.target;
  if (isBundle(n) && n.selected()) openBundle(n.id());
});

function openBundle(id: string): void {
  if (!chart.node(id)) return;
  chart.checkpoint();
  const members = chart.unbundle(id);
  void chart.relax(members);
}

// ---- context menu ----------------------------------------------------------

const menu = new EntityMenu(document.body, {
  linkTypes: (id) => api.linkTypeCounts(id),
  expand: (id, types) => void expand([id], types),
  hide: (id) => {
    chart.checkpoint();
    chart.setHidden(chart.selectedNodeIds().includes(id) ? chart.selectedNodeIds() : [id], true);
  },
  togglePin: (id) => {
    chart.checkpoint();
    const on = !chart.isPinned(id);
    for (const x of chart.selectedNodeIds().includes(id) ? chart.selectedNodeIds() : [id]) chart.setPinned(x, on);
  },
  isPinned: (id) => chart.isPinned(id),
  remove: (id) => {
    const ids = chart.selectedNodeIds().includes(id) ? chart.selectedNodeIds() : [id];
    chart.checkpoint();
    chart.remove(ids);
    details.empty();
  },
  pathsFrom: (id) => {
    chart.selectOnly(id);
    setPick(picks.to, null);
    openPaths();
  },
  openTimeline: (id) => {
    if (hooks.openTimeline) hooks.openTimeline(id);
    else toast('The timeline view is not part of this build yet: nothing to open.', 'info', 4000);
  },
  leafCount: (id) => chart.leafCount(id),
  bundle: (id) => {
    chart.checkpoint();
    const n = chart.bundle(id);
    if (n === 0) chart.dropCheckpoint();
  },
  selectNeighbours: (id) => {
    const n = chart.node(id);
    if (!n) return;
    cy.elements(':selected').unselect();
    n.closedNeighborhood('node').not('.filtered').select();
  },
});

cy.on('cxttap', 'node', (ev) => {
  const n = ev.target;
  if (isBundle(n)) {
    openBundle(n.id());
    return;
  }
  const r = chartEl.getBoundingClientRect();
  const p = ev.renderedPosition ?? n.renderedPosition();
  if (!n.selected()) chart.selectOnly(n.id());
  menu.open(n.id(), n.data('name'), r.left + p.x, r.top + p.y);
});

/** The menu of the selected entity, from the keyboard. */
function menuFromKeyboard(): void {
  const id = chart.selectedNodeIds()[0];
  const n = id ? chart.node(id) : null;
  if (!n) {
    toast('Select an entity first.', 'info', 2500);
    return;
  }
  const r = chartEl.getBoundingClientRect();
  const p = n.renderedPosition();
  menu.open(id, n.data('name'), r.left + p.x, r.top + p.y);
}
cy.on('tap', (ev) => {
  if (ev.target === cy) chart.clearHighlight();
});

// Sanctions exposure joins an entity's details; a path goes onto the chart.
const exposure = new ExposureView(byId('details'), {
  showPath: async (p) => {
    chart.checkpoint();
    const before = cy.elements().length;
    await busy('Drawing the path…', () => addEntities(p.nodes, p.links));
    if (cy.elements().length === before) chart.dropCheckpoint();
    chart.highlight([...p.nodes.map((n) => n.id), ...p.links.map((l) => l.id)]);
    changed();
  },
  openEntity: (id) => void addById(id),
});

// Ownership: holdings and owners in an entity's details, and the sanctions
// ownership findings as a view (the sidebar's Lists); findings go onto the chart.
const ownership = new OwnershipView(byId('details'), {
  show: async (nodes, links) => {
    chart.checkpoint();
    const before = cy.elements().length;
    await busy('Drawing the ownership chains…', () => addEntities(nodes, links));
    if (cy.elements().length === before) chart.dropCheckpoint();
    chart.highlight([...nodes.map((n) => n.id), ...links.map((l) => l.id)]);
    chart.fit(cy.nodes('.path'));
    changed();
  },
  openEntity: (id) => void addById(id),
});
const ownershipBtn = h('button', { type: 'button', id: 'btn-ownership', title: 'Assets designated parties hold more than a threshold of' }, 'Ownership');
ownershipBtn.addEventListener('click', () => ownership.open());
// With the other lists in the sidebar: the top bar keeps room for the search.
byId('nav-duplicates').after(ownershipBtn);

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
  // Every kind of the registry, with the shape and icon the chart draws it
  // with: the filters are the legend.
  const all = [...new Set([...kindList().map((k) => k.kind), ...kinds.keys()])];
  byId('kind-filters').replaceChildren(
    ...all.map((k) => {
      const row = filterRow(`kind-${k}`, kindInfo(k).plural, kinds.get(k) ?? 0, !chart.isKindHidden(k),
        (on) => chart.setKindHidden(k, !on), kindMark(k));
      const pick = h('button', {
        type: 'button', class: 'select-kind', id: `select-kind-${k}`, title: `Select every ${kindInfo(k).label.toLowerCase()} on the chart`,
        'aria-label': `Select all ${kindInfo(k).plural}`, disabled: (kinds.get(k) ?? 0) === 0,
        onclick: () => {
          const n = chart.selectAll(k);
          if (n === 0) toast(`No visible ${kindInfo(k).plural.toLowerCase()} to select.`, 'info', 2500);
        },
      }, 'select');
      return h('div', { class: 'filter-line' }, row, pick);
    }),
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
const disruption = initDisruption({ chart, report: (err, what) => report(err, what) });
const communityToggle = byId<HTMLInputElement>('community-toggle');
const brokerToggle = byId<HTMLInputElement>('broker-toggle');
const analysis = new AnalysisView(byId('chart-wrap'), cy, (ids) => {
  cy.elements(':selected').unselect();
  for (const id of ids) cy.getElementById(id).select();
  const sel = cy.elements(':selected');
  if (sel.nonempty()) chart.ensureVisible(sel.nodes().nonempty() ? sel.nodes() : sel.connectedNodes());
});
const nameOf = (id: string): string => chart.node(id)?.data('name') ?? id;

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
brokerToggle.addEventListener('change', () => void applyOverlays());

function scheduleOverlays(): void {
  if (!sizeSelect.value && !communityToggle.checked && !brokerToggle.checked) return;
  window.clearTimeout(overlayTimer);
  overlayTimer = window.setTimeout(() => void applyOverlays(), 400);
}

async function applyOverlays(): Promise<void> {
  const ids = chart.nodeIds();
  const metric = sizeSelect.value;
  if (!metric || ids.length === 0) {
    chart.setScores(null);
    analysis.showCentrality(null, []);
  }
  if (!communityToggle.checked || ids.length === 0) {
    chart.setCommunities(null);
    analysis.showCommunities(null);
  }
  if (!brokerToggle.checked || ids.length === 0) {
    analysis.markBrokers(null, null);
    analysis.showBrokers(null);
  }
  if (ids.length === 0) return;
  if (metric) {
    try {
      const scores = await api.centrality(metric, ids);
      chart.setScores(new Map(scores.map((s) => [s.entity.id, s.score])));
      analysis.showCentrality(metric, scores.map((s) => ({ id: s.entity.id, name: nameOf(s.entity.id), score: s.score })));
    } catch (err) {
      chart.setScores(null);
      analysis.showCentrality(null, []);
      sizeSelect.value = '';
      report(err, 'Centrality is not available');
    }
  }
  if (brokerToggle.checked) {
    try {
      const b = await api.brokers(ids);
      analysis.markBrokers(new Set(b.articulationPoints.map((p) => p.id)), new Set(b.bridges.map((e) => e.id)));
      analysis.showBrokers({
        points: b.articulationPoints.map((p) => ({ id: p.id, name: p.name })),
        bridges: b.bridges.map((e) => ({ id: e.id, label: `${e.source.name} — ${linkTypeLabel(e.type)} — ${e.target.name}` })),
      });
    } catch (err) {
      analysis.markBrokers(null, null);
      analysis.showBrokers(null);
      brokerToggle.checked = false;
      report(err, 'Brokers are not available');
    }
  }
  if (communityToggle.checked) {
    try {
      const cs = await api.communities(ids);
      const colors = new Map<string, string>();
      const rows = [...cs].sort((a, b) => b.members.length - a.members.length).map((c, i) => {
        const color = COMMUNITY_COLORS[i % COMMUNITY_COLORS.length];
        for (const m of c.members) colors.set(m.id, color);
        return { color, members: c.members.map((m) => ({ id: m.id, name: nameOf(m.id) })) };
      });
      chart.setCommunities(colors);
      analysis.showCommunities(rows);
      statusMessage(`${plural(cs.length, 'community', 'communities')}`);
    } catch (err) {
      chart.setCommunities(null);
      analysis.showCommunities(null);
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
    // A case's ANX carries its saved positions: save them first.
    const open = cases.current();
    if (open) void cases.flush();
    for (const a of exportLinks) {
      const q = new URLSearchParams({ ids: ids.join(','), depth: '0' });
      const asOf = timeState().asOf;
      if (asOf) q.set('asOf', asOf);
      if (open && a.dataset.format === 'anx') q.set('case', open.id);
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
  toggleExport(false);
  const kind = t.dataset.export;
  if (kind !== 'png' && kind !== 'svg') return;
  // Title, date, legend and sources around the chart.
  const cur = cases.current();
  const name = (cur?.title ?? 'skein-chart').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'skein-chart';
  void busy('Making the image…', async () => {
    const meta = await exportMeta(chart, cur && { ...cur, asOf: timeState().asOf });
    if (kind === 'png') {
      const { blob, chartBox } = await pngWithLegend(chart, meta);
      // Where the chart sits in the image, for tests that read its pixels.
      if (window.skein) window.skein.lastImage = chartBox;
      download(`${name}.png`, blob);
    }
    else download(`${name}.svg`, new Blob([svgWithLegend(chart.svg(), meta)], { type: 'image/svg+xml' }));
  }).catch((err) => report(err, 'Could not make the image'));
});

// ---- buttons and keys ------------------------------------------------------------

byId('btn-expand').addEventListener('click', () => void expand(chart.selectedNodeIds()));
byId('btn-collapse').addEventListener('click', () => collapse(chart.selectedNodeIds()));
byId('btn-remove').addEventListener('click', removeSelected);
byId('btn-undo').addEventListener('click', undo);
byId('btn-redo').addEventListener('click', redo);
byId('btn-select-all').addEventListener('click', () => chart.selectAll());
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
  if (dialog.open || menu.isOpen() || pages.isOpen()) return;
  if ((ev.ctrlKey || ev.metaKey) && !typing(ev.target)) {
    const k = ev.key.toLowerCase();
    if ((k === 'z' && ev.shiftKey) || k === 'y') {
      ev.preventDefault();
      redo();
      return;
    }
    if (k === 'z') {
      ev.preventDefault();
      undo();
      return;
    }
    if (k === 'a') {
      ev.preventDefault();
      chart.selectAll();
      return;
    }
  }
  if (!typing(ev.target) && (ev.key === 'ContextMenu' || (ev.shiftKey && ev.key === 'F10'))) {
    ev.preventDefault();
    menuFromKeyboard();
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
    case 'Enter': {
      // From the chart into the details of the selection (a bundle opens).
      if (!onChart) return;
      const b = cy.nodes(':selected').filter((n) => isBundle(n));
      if (b.length === 1) openBundle(b.first().id());
      else document.getElementById('details-title')?.focus();
      break;
    }
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

async function loadFromUrl(ids = readChartIds(), pinned = readPinnedIds()): Promise<void> {
  if (ids.length === 0) return;
  try {
    await busy('Loading chart…', async () => {
      const found = await api.entitiesWithLinks(ids);
      const missing = ids.length - found.length;
      chart.add(found.map((f) => f.entity), found.flatMap((f) => f.links));
      await chart.layout(chart.layoutName);
      for (const id of pinned) chart.setPinned(id, true);
      if (missing > 0) toast(`${plural(missing, 'entity', 'entities')} of this chart no longer exist.`, 'warn');
    });
  } catch (err) {
    report(err, 'Could not load the chart');
  }
}

window.addEventListener('hashchange', () => {
  // Back and Forward through the chart's own entries are the history's
  // (history.ts reads their time).
  if (isHistoryState(window.history.state)) return;
  setTimeState(readTimeParams(), 'url');
  const ids = readChartIds();
  const pinned = readPinnedIds();
  if (ids.join(',') === chart.nodeIds().join(',')) return;
  chart.checkpoint();
  // Clearing rewrites the URL, so the chart to load is read first.
  void cases.quietly(async () => {
    chart.clear();
    await loadFromUrl(ids, pinned);
  });
});

// Pages over the chart (?view=...): screening and duplicates.
const pages = new Pages();
const screening = new ScreeningPage({
  addToChart: (id) => addById(id),
  isOnChart: (id) => chart.has(id),
  showOnChart: (id) => {
    pages.close();
    chart.selectOnly(id);
    const n = chart.node(id);
    if (n) chart.ensureVisible(n as unknown as NodeCollection);
  },
});
pages.add({ name: 'screening', title: 'Screening', build: (el) => screening.build(el), shown: () => void screening.shown() });
const duplicates = new DuplicatesPage();
pages.add({ name: 'duplicates', title: 'Duplicates', build: (el) => duplicates.build(el), shown: () => void duplicates.shown(), hidden: () => duplicates.restrict(null) });
pages.wire();
pages.sync();

const audit = new AuditView();
byId('btn-audit').addEventListener('click', () => audit.open());

byId('btn-signout').addEventListener('click', async () => {
  try {
    await fetch('/auth/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  } finally {
    window.location.assign('/');
  }
});

changed();
if (!registryLoaded) toast('The kinds registry is not available: entities are drawn without their shapes and icons.', 'warn');
void initAnalysis();
// The time in the URL applies before the chart loads (so it loads as of it).
setTimeState(readTimeParams(), 'url');
// A new date is a history step (history.ts writes its URL); a window
// changes the current entry's.
onTimeState((s, prev) => {
  if (s.asOf === prev.asOf || !cases.tracking) writeTimeParams();
});
if (timeState().window) timeline.open();
void cases.start(() => loadFromUrl());

// For tests and the benchmark: the chart is reachable from the page.
declare global {
  interface Window {
    skein?: { chart: Chart; hooks: typeof hooks; cases: Cases; lastImage?: { x: number; y: number; w: number; h: number } };
  }
}
window.skein = { chart, hooks, cases };

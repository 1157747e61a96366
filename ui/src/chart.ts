// The link chart: a Cytoscape instance plus what an analyst does to it
// (add, expand, collapse, remove, undo, hide, lay out, highlight).
import cytoscape from 'cytoscape';
import type { Core, ElementDefinition, EdgeSingular, LayoutOptions, NodeCollection, NodeSingular, Position } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { EntityNode, LinkEdge } from './types';
import { linkLabel, stylesheet } from './style';
import { linkSummary } from './kinds';
import { chartSvg } from './svgexport';
import { LevelOfDetail } from './lod';
import { bundleLeaves, isBundle, leavesOf, restoreBundles, unbundle } from './bundle';
import type { SavedBundle } from './bundle';
import { spreadApart } from './spread';

cytoscape.use(fcose);

export type LayoutName = 'fcose' | 'concentric' | 'breadthfirst';

/** Above this many elements the chart trades polish for frame rate. */
const BIG = 1500;
const UNDO_DEPTH = 40;
const MAX_FIT_ZOOM = 1.4;

interface Snapshot {
  elements: ElementDefinition[];
}

export interface ChartOptions {
  container: HTMLElement;
  /** Called after anything that changes what is on the chart. */
  onChange?: () => void;
}

export class Chart {
  readonly cy: Core;
  private undoStack: Snapshot[] = [];
  private redoStack: Snapshot[] = [];
  readonly lod: LevelOfDetail;
  private hiddenKinds = new Set<string>();
  private hiddenTypes = new Set<string>();
  private coreHidden = new Set<string>();
  private linkFilter: ((e: EdgeSingular) => boolean) | null = null;
  private onChange: () => void;
  private big = false;
  layoutName: LayoutName = 'fcose';

  constructor(opts: ChartOptions) {
    this.onChange = opts.onChange ?? (() => {});
    this.cy = cytoscape({
      container: opts.container,
      style: stylesheet(),
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: true, // shift-drag (or ctrl-drag) selects many
      selectionType: 'single', // shift/ctrl-click adds to the selection
    });
    this.lod = new LevelOfDetail(this.cy);
  }

  // ---- contents ---------------------------------------------------------

  has(id: string): boolean {
    return this.cy.getElementById(id).nonempty();
  }

  /** Ids of the entities on the chart (bundles are not entities). */
  nodeIds(): string[] {
    return this.entities().map((n) => n.id());
  }

  /** The entity nodes: everything but bundle nodes. */
  entities(): NodeCollection {
    return this.cy.nodes().filter((n) => !isBundle(n));
  }

  node(id: string): NodeSingular | null {
    const n = this.cy.getElementById(id);
    return n.nonempty() && n.isNode() ? (n as NodeSingular) : null;
  }

  /**
   * Adds entities and the links whose two ends are (then) on the chart.
   * New nodes are placed near `near` (or near their neighbours already on
   * the chart) so existing positions stay put. Returns the added nodes.
   */
  add(entities: EntityNode[], links: LinkEdge[], near?: string): NodeCollection {
    const cy = this.cy;
    const fresh = entities.filter((e) => !this.has(e.id));
    const known = new Set([...this.nodeIds(), ...fresh.map((e) => e.id)]);
    const freshLinks = dedupe(links).filter(
      (l) => !this.has(l.id) && known.has(l.source.id) && known.has(l.target.id),
    );
    // Refresh data of entities already on the chart (a name may have changed).
    for (const e of entities) {
      const n = this.node(e.id);
      if (n) n.data({ name: e.name, kind: e.kind, sanctioned: e.sanctioned });
    }
    if (fresh.length === 0 && freshLinks.length === 0) return cy.collection() as NodeCollection;

    const positions = this.placeNew(fresh, freshLinks, near);
    // Switch to the big-chart style before adding, so it is applied once.
    this.tuneForSize(cy.elements().length + fresh.length + freshLinks.length);
    let added!: NodeCollection;
    cy.batch(() => {
      added = cy.add(
        fresh.map((e) => ({
          group: 'nodes' as const,
          data: { id: e.id, name: e.name, kind: e.kind, sanctioned: !!e.sanctioned, countries: e.countries ?? [] },
          position: positions.get(e.id),
        })),
      ) as NodeCollection;
      cy.add(
        freshLinks.map((l) => ({
          group: 'edges' as const,
          data: {
            id: l.id,
            source: l.source.id,
            target: l.target.id,
            type: l.type,
            role: l.role ?? '',
            label: linkLabel(l.type, l.role, linkSummary(l.type, l.properties)),
            startDate: l.startDate ?? null,
            endDate: l.endDate ?? null,
          },
        })),
      );
    });
    this.tuneForSize();
    this.applyFilters();
    this.onChange();
    return added;
  }

  /** Initial positions for new nodes: around their anchor, away from the crowd. */
  private placeNew(fresh: EntityNode[], links: LinkEdge[], near?: string): Map<string, Position> {
    const out = new Map<string, Position>();
    if (fresh.length === 0) return out;
    const cy = this.cy;
    const freshIds = new Set(fresh.map((e) => e.id));
    if (cy.nodes().empty()) {
      // Empty chart: a circle; the layout that follows does the rest.
      const r = 40 + fresh.length * 12;
      fresh.forEach((e, i) => {
        const a = (2 * Math.PI * i) / fresh.length;
        out.set(e.id, { x: r * Math.cos(a), y: r * Math.sin(a) });
      });
      return out;
    }
    // Group new nodes by the chart node they hang off.
    const anchorOf = new Map<string, string>();
    for (const e of fresh) {
      let anchor = near && this.has(near) ? near : undefined;
      if (!anchor) {
        for (const l of links) {
          const other = l.source.id === e.id ? l.target.id : l.target.id === e.id ? l.source.id : undefined;
          if (other && !freshIds.has(other) && this.has(other)) {
            anchor = other;
            break;
          }
        }
      }
      anchorOf.set(e.id, anchor ?? '');
    }
    const groups = new Map<string, string[]>();
    for (const [id, a] of anchorOf) groups.set(a, [...(groups.get(a) ?? []), id]);
    const bb = cy.nodes().boundingBox({});
    for (const [anchor, ids] of groups) {
      if (!anchor) {
        // Unconnected to anything on the chart: to the right of the chart.
        ids.forEach((id, i) => out.set(id, { x: bb.x2 + 120, y: bb.y1 + i * 70 }));
        continue;
      }
      const a = (cy.getElementById(anchor) as NodeSingular).position();
      // Point away from the anchor's existing neighbours (or the chart centre).
      const nbrs = (cy.getElementById(anchor) as NodeSingular).neighborhood('node');
      const ref = nbrs.nonempty() ? centroid(nbrs) : { x: (bb.x1 + bb.x2) / 2, y: (bb.y1 + bb.y2) / 2 };
      let dir = Math.atan2(a.y - ref.y, a.x - ref.x);
      if (!Number.isFinite(dir) || (a.x === ref.x && a.y === ref.y)) dir = 0;
      const n = ids.length;
      const spread = nbrs.nonempty() ? Math.min(2 * Math.PI, Math.PI * 0.9 + n * 0.12) : 2 * Math.PI;
      const r = 110 + Math.min(n, 60) * 5;
      ids.forEach((id, i) => {
        const t = n === 1 ? dir : dir - spread / 2 + (spread * (i + 0.5)) / n;
        out.set(id, { x: a.x + r * Math.cos(t), y: a.y + r * Math.sin(t) });
      });
    }
    return out;
  }

  remove(ids: string[]): void {
    if (ids.length === 0) return;
    this.cy.batch(() => {
      for (const id of ids) this.cy.getElementById(id).remove();
    });
    this.tuneForSize();
    this.onChange();
  }

  clear(): void {
    this.cy.elements().remove();
    this.onChange();
  }

  /**
   * Collapses a node: removes the neighbours that hang only off it (they
   * have no other link on the chart) and were not put there by hand.
   */
  collapse(id: string): string[] {
    const n = this.node(id);
    if (!n) return [];
    const leaves = n
      .neighborhood('node')
      .filter((m) => !m.data('pinned') && !m.data('manual') && m.neighborhood('node').every((x) => (x as NodeSingular).id() === id));
    const removed = leaves.map((m) => m.id());
    n.data('expanded', false);
    this.remove(removed);
    return removed;
  }

  markExpanded(id: string): void {
    this.node(id)?.data('expanded', true);
  }

  /** Marks an entity as put on the chart by hand: Collapse keeps it. */
  markManual(id: string): void {
    this.node(id)?.data('manual', true);
  }

  /** Pins an entity in place: layouts do not move it and Collapse keeps it. */
  setPinned(id: string, pinned: boolean): void {
    const n = this.node(id);
    if (!n) return;
    n.data('pinned', pinned);
    if (pinned) n.lock();
    else n.unlock();
    this.onChange();
  }

  isPinned(id: string): boolean {
    return !!this.node(id)?.data('pinned');
  }

  pinnedIds(): string[] {
    return this.entities().filter((n) => !!n.data('pinned')).map((n) => n.id());
  }

  /** Hides entities (kept on the chart, not drawn) or shows them again. */
  setHidden(ids: string[], hidden: boolean): void {
    this.cy.batch(() => {
      for (const id of ids) this.node(id)?.data('hidden', hidden);
    });
    this.applyFilters();
    this.onChange();
  }

  hiddenIds(): string[] {
    return this.entities().filter((n) => !!n.data('hidden')).map((n) => n.id());
  }

  // ---- bundles ------------------------------------------------------------

  /** Leaves that hang only off id (candidates for a bundle). */
  leafCount(id: string): number {
    const n = this.node(id);
    return n ? leavesOf(n).length : 0;
  }

  /** Bundles the leaves of id into one "N members" node. */
  bundle(id: string): number {
    const n = this.node(id);
    if (!n) return 0;
    const count = bundleLeaves(this.cy, n);
    this.applyFilters();
    this.onChange();
    return count;
  }

  /** Bundles again what a case saved. */
  restoreBundles(saved: SavedBundle[] | undefined): void {
    if (restoreBundles(this.cy, saved) === 0) return;
    this.applyFilters();
    this.onChange();
  }

  /** Opens a bundle: its members come back around where it was. */
  unbundle(bundleId: string): NodeCollection {
    const members = unbundle(this.cy, bundleId);
    this.applyFilters();
    this.onChange();
    return members;
  }

  // ---- undo -------------------------------------------------------------

  /** Records the chart as it is, before a change the user may want to undo. */
  checkpoint(): void {
    this.undoStack.push(this.snapshot());
    if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
    this.redoStack = [];
  }

  private snapshot(): Snapshot {
    return { elements: this.cy.elements().jsons() as unknown as ElementDefinition[] };
  }

  private restore(snap: Snapshot): void {
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(snap.elements);
    });
    this.tuneForSize();
    this.applyFilters();
    this.onChange();
  }

  /** The chart as element definitions (data, positions, classes): what history and undo keep. */
  elementsJson(): ElementDefinition[] {
    return this.snapshot().elements;
  }

  /** Replaces the chart with saved elements (a history entry), pinned ones locked. */
  load(elements: ElementDefinition[]): void {
    this.restore({ elements });
    this.entities().forEach((n) => {
      if (n.data('pinned')) n.lock();
    });
  }

  /** Forgets undo and redo (another case was opened). */
  resetUndo(): void {
    this.undoStack = [];
    this.redoStack = [];
    this.onChange();
  }

  /** Forgets the last checkpoint (the change it guarded changed nothing). */
  dropCheckpoint(): void {
    this.undoStack.pop();
  }

  canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  undo(): boolean {
    const snap = this.undoStack.pop();
    if (!snap) return false;
    this.redoStack.push(this.snapshot());
    this.restore(snap);
    return true;
  }

  /** Re-does the last undone change. */
  redo(): boolean {
    const snap = this.redoStack.pop();
    if (!snap) return false;
    this.undoStack.push(this.snapshot());
    this.restore(snap);
    return true;
  }

  // ---- filters ----------------------------------------------------------

  setKindHidden(kind: string, hidden: boolean): void {
    if (hidden) this.hiddenKinds.add(kind);
    else this.hiddenKinds.delete(kind);
    this.applyFilters();
    this.onChange();
  }

  setTypeHidden(type: string, hidden: boolean): void {
    if (hidden) this.hiddenTypes.add(type);
    else this.hiddenTypes.delete(type);
    this.applyFilters();
    this.onChange();
  }

  /** Hides these entities (the k-core filter), or none. */
  setHiddenIds(ids: Set<string> | null): void {
    this.coreHidden = ids ?? new Set();
    this.applyFilters();
    this.onChange();
  }

  /**
   * Draws only the links keep accepts (the timeline's window), or all. An
   * entity whose every link on the chart is left out goes with them; one
   * with no links at all stays.
   */
  setLinkFilter(keep: ((e: EdgeSingular) => boolean) | null): void {
    this.linkFilter = keep;
    this.applyFilters();
    this.onChange();
  }

  /** Ids of the entities and links the link filter leaves out. */
  linkFiltered(): { nodes: string[]; links: string[] } {
    return this.filteredByLinks();
  }

  private filteredByLinks(): { nodes: string[]; links: string[] } {
    const keep = this.linkFilter;
    if (!keep) return { nodes: [], links: [] };
    const links = this.cy.edges().filter((e) => !e.data('bundle') && !keep(e));
    const out = new Set(links.map((e) => e.id()));
    const nodes = this.entities().filter((n) => {
      const own = n.connectedEdges().filter((e) => !e.data('bundle'));
      return own.nonempty() && own.every((e) => out.has((e as EdgeSingular).id()));
    });
    return { nodes: nodes.map((n) => n.id()), links: [...out] };
  }

  private applyFilters(): void {
    const manual = this.cy.nodes('[?hidden], [?bundledIn]');
    if (this.hiddenKinds.size === 0 && this.hiddenTypes.size === 0 && this.coreHidden.size === 0 && !this.linkFilter && manual.empty() && this.cy.$('.filtered').empty()) return;
    const byTime = this.filteredByLinks();
    const timeNodes = new Set(byTime.nodes);
    const timeLinks = new Set(byTime.links);
    this.cy.batch(() => {
      this.cy.nodes().forEach((n) => {
        n.toggleClass('filtered', this.hiddenKinds.has(n.data('kind')) || this.coreHidden.has(n.id()) || timeNodes.has(n.id()) || !!n.data('hidden') || !!n.data('bundledIn'));
      });
      this.cy.edges().forEach((e) => {
        e.toggleClass('filtered', this.hiddenTypes.has(e.data('type')) || timeLinks.has(e.id()));
      });
    });
  }

  /** Kinds and link types on the chart, with how many of each. */
  census(): { kinds: Map<string, number>; types: Map<string, number> } {
    const kinds = new Map<string, number>();
    const types = new Map<string, number>();
    this.entities().forEach((n) => {
      kinds.set(n.data('kind'), (kinds.get(n.data('kind')) ?? 0) + 1);
    });
    this.cy.edges().filter((e) => !e.data('bundle')).forEach((e) => {
      types.set(e.data('type'), (types.get(e.data('type')) ?? 0) + 1);
    });
    return { kinds, types };
  }

  /** Kinds and link types hidden by the filters, for a saved view. */
  hiddenFilters(): { kinds: string[]; types: string[] } {
    return { kinds: [...this.hiddenKinds], types: [...this.hiddenTypes] };
  }

  isKindHidden(kind: string): boolean {
    return this.hiddenKinds.has(kind);
  }

  isTypeHidden(type: string): boolean {
    return this.hiddenTypes.has(type);
  }

  /** Entities and links the user can see (not hidden by a filter). */
  visibleCounts(): { entities: number; links: number } {
    const nodes = this.entities().not('.filtered');
    const links = this.cy.edges().filter(
      (e) => !e.data('bundle') && !e.hasClass('filtered') && !e.source().hasClass('filtered') && !e.target().hasClass('filtered'),
    );
    return { entities: nodes.length, links: links.length };
  }

  // ---- layout -----------------------------------------------------------

  layout(name: LayoutName = this.layoutName, opts: { fit?: boolean } = {}): Promise<void> {
    this.layoutName = name;
    const eles = this.cy.elements().not('.filtered');
    if (eles.empty()) return Promise.resolve();
    if (name === 'fcose') return this.forceLayout(eles, opts.fit ?? true);
    const l = eles.layout({ ...this.layoutOptions(name, eles.nodes().length), fit: opts.fit ?? true } as LayoutOptions);
    const done = new Promise<void>((resolve) => l.one('layoutstop', () => resolve())).then(() => this.capZoom());
    l.run();
    return done;
  }

  /**
   * The force layout: fcose computes the positions without drawing them,
   * spreadApart (spread.ts) then moves overlapping entities and labels
   * apart, and the result is animated into place on charts small enough.
   */
  private forceLayout(eles: cytoscape.CollectionReturnValue, fit: boolean): Promise<void> {
    const n = eles.nodes().length;
    const l = eles.layout({ ...this.layoutOptions('fcose', n), animate: false, fit: false } as unknown as LayoutOptions);
    const computed = new Promise<void>((resolve) => l.one('layoutstop', () => resolve()));
    // fcose moves the nodes in place; remember where they were, so the
    // animation below starts from there.
    const before = new Map(eles.nodes().map((v) => [v.id(), { ...(v as NodeSingular).position() }]));
    l.run();
    return computed.then(() => {
      const nodes = eles.nodes();
      const spread = spreadApart(nodes);
      const target = new Map(nodes.map((v) => [v.id(), spread.get(v.id()) ?? { ...(v as NodeSingular).position() }]));
      const animate = n < 400;
      if (animate) this.cy.batch(() => nodes.forEach((v) => { const p = before.get(v.id()); if (p && !v.locked()) v.position(p); }));
      const p = eles.layout({
        name: 'preset',
        positions: (v: NodeSingular) => target.get(v.id()) ?? v.position(),
        animate,
        animationDuration: 500,
        fit,
        padding: 30,
      } as unknown as LayoutOptions);
      const done = new Promise<void>((resolve) => p.one('layoutstop', () => resolve()));
      p.run();
      return done.then(() => this.capZoom());
    });
  }

  /**
   * Relaxes newly added nodes with everything else held in place, so an
   * expansion never scrambles what the analyst has already arranged.
   */
  relax(added: NodeCollection): Promise<void> {
    if (added.empty()) return Promise.resolve();
    const all = this.cy.nodes().not('.filtered');
    if (all.length === added.length) return this.layout('fcose');
    const addedIds = new Set(added.map((n) => n.id()));
    const fixed = all
      .filter((n) => !addedIds.has(n.id()))
      .map((n) => ({ nodeId: n.id(), position: { ...(n as NodeSingular).position() } }));
    const l = this.cy.elements().not('.filtered').layout({
      ...this.layoutOptions('fcose', all.length),
      randomize: false,
      fit: false,
      // Label boxes would shift node centres by a few pixels.
      nodeDimensionsIncludeLabels: false,
      fixedNodeConstraint: fixed,
    } as unknown as LayoutOptions);
    const done = new Promise<void>((resolve) => l.one('layoutstop', () => resolve()));
    l.run();
    return done.then(() => {
      // fcose honours fixed nodes up to a translation of the whole drawing;
      // undo that, so what was on the chart is exactly where it was.
      const first = fixed[0];
      const now = this.cy.getElementById(first.nodeId).position();
      const dx = first.position.x - now.x;
      const dy = first.position.y - now.y;
      if (dx !== 0 || dy !== 0) {
        this.cy.batch(() => {
          all.forEach((n) => {
            const p = (n as NodeSingular).position();
            (n as NodeSingular).position({ x: p.x + dx, y: p.y + dy });
          });
        });
      }
      // Then the new entities make room for themselves; the others stay.
      const moved = spreadApart(all, { fixed: new Set(fixed.map((f) => f.nodeId)) });
      this.cy.batch(() => moved.forEach((p, id) => this.cy.getElementById(id).position(p)));
      this.ensureVisible(added);
    });
  }

  private layoutOptions(name: LayoutName, n: number): Record<string, unknown> {
    const animate = n < 400;
    switch (name) {
      case 'concentric':
        return {
          name: 'concentric',
          concentric: (node: NodeSingular) => node.degree(false),
          levelWidth: () => 1,
          minNodeSpacing: 36,
          animate,
          animationDuration: 450,
          padding: 30,
        };
      case 'breadthfirst':
        return {
          name: 'breadthfirst',
          directed: false,
          spacingFactor: 1.15,
          roots: this.cy.nodes(':selected').nonempty() ? this.cy.nodes(':selected') : undefined,
          animate,
          animationDuration: 450,
          padding: 30,
        };
      default:
        return {
          name: 'fcose',
          quality: n > 2000 ? 'draft' : 'default',
          randomize: true,
          animate,
          animationDuration: 500,
          padding: 30,
          // Labels are given room afterwards (spreadApart), at full size,
          // whatever the level of detail draws at the moment.
          nodeDimensionsIncludeLabels: false,
          // Compact: spreadApart grows the drawing where labels need room.
          idealEdgeLength: 50,
          nodeRepulsion: 4500,
          nodeSeparation: 70,
          packComponents: true,
          numIter: n > 2000 ? 1200 : 2500,
        };
    }
  }

  fit(eles?: NodeCollection): void {
    const target = (eles && eles.nonempty() ? eles : this.cy.elements().not('.filtered')) as cytoscape.CollectionReturnValue;
    if (target.empty()) return;
    this.cy.stop();
    this.cy.fit(target, 36);
    this.capZoom(target);
  }

  /** A chart of one or two entities should not fill the screen with them. */
  private capZoom(target: cytoscape.CollectionReturnValue = this.cy.elements().not('.filtered')): void {
    if (this.cy.zoom() > MAX_FIT_ZOOM) {
      this.cy.zoom(MAX_FIT_ZOOM);
      this.cy.center(target);
    }
  }

  /** Pans (and zooms out if needed) so that `eles` are on screen. */
  ensureVisible(eles: NodeCollection): void {
    if (eles.empty()) return;
    const ext = this.cy.extent();
    const bb = eles.boundingBox({});
    const inside = bb.x1 >= ext.x1 && bb.x2 <= ext.x2 && bb.y1 >= ext.y1 && bb.y2 <= ext.y2;
    if (!inside) this.fit(this.cy.nodes().not('.filtered'));
  }

  /** Big charts: straight edges and fewer labels keep panning smooth. */
  private tuneForSize(count = this.cy.elements().length): void {
    const big = count > BIG;
    if (big === this.big) return;
    this.big = big;
    this.cy
      .style()
      .selector('edge')
      // haystack edges are Cytoscape's fastest; they draw no arrows.
      .style({ 'curve-style': big ? 'haystack' : 'bezier', 'min-zoomed-font-size': big ? 14 : 8 })
      .selector('node')
      .style({ 'min-zoomed-font-size': big ? 10 : 5 })
      .update();
    // While the user pans or zooms a big chart, move a cached texture of it
    // and leave edges out, then redraw in full when they stop.
    const r = (this.cy as unknown as { renderer(): Record<string, unknown> }).renderer();
    r.textureOnViewport = big;
    r.hideEdgesOnViewport = big;
  }

  // ---- highlight ----------------------------------------------------------

  highlight(ids: string[]): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.elements().removeClass('path faded');
      if (ids.length === 0) return;
      const set = new Set(ids);
      cy.elements().forEach((el) => {
        if (set.has(el.id())) el.addClass('path');
        else el.addClass('faded');
      });
    });
  }

  clearHighlight(): void {
    this.cy.elements().removeClass('path faded');
  }

  // ---- overlays -----------------------------------------------------------

  setScores(scores: Map<string, number> | null): void {
    this.cy.batch(() => {
      if (!scores) {
        this.cy.nodes().removeClass('sized');
        return;
      }
      const max = Math.max(...scores.values(), 0);
      this.cy.nodes().forEach((n) => {
        const s = scores.get(n.id()) ?? 0;
        n.data('score', max > 0 ? s / max : 0);
        n.addClass('sized');
      });
    });
  }

  setCommunities(colors: Map<string, string> | null): void {
    this.cy.batch(() => {
      if (!colors) {
        this.cy.nodes().removeClass('community');
        return;
      }
      this.cy.nodes().forEach((n) => {
        const c = colors.get(n.id());
        if (c) {
          n.data('ccolor', c);
          n.addClass('community');
        } else {
          n.removeClass('community');
        }
      });
    });
  }

  // ---- selection ----------------------------------------------------------

  selectedNodeIds(): string[] {
    return this.cy.nodes(':selected').filter((n) => !isBundle(n)).map((n) => n.id());
  }

  /** Selects every visible entity (of kind, when given). */
  selectAll(kind?: string): number {
    const nodes = this.entities().not('.filtered').filter((n) => !kind || n.data('kind') === kind);
    this.cy.batch(() => {
      this.cy.elements(':selected').unselect();
      nodes.select();
    });
    return nodes.length;
  }

  selectOnly(id: string): void {
    const el = this.cy.getElementById(id);
    if (el.empty()) return;
    this.cy.elements(':selected').unselect();
    el.select();
  }

  /** Moves the selection to the next (or previous) visible entity, by position. */
  step(delta: 1 | -1): NodeSingular | null {
    const nodes = this.cy
      .nodes()
      .not('.filtered')
      .toArray()
      .map((n) => n as NodeSingular)
      .sort((a, b) => a.position('x') - b.position('x') || a.position('y') - b.position('y'));
    if (nodes.length === 0) return null;
    const cur = this.cy.nodes(':selected').first();
    let i = cur.nonempty() ? nodes.findIndex((n) => n.id() === cur.id()) : -1;
    i = i < 0 ? (delta > 0 ? 0 : nodes.length - 1) : (i + delta + nodes.length) % nodes.length;
    const next = nodes[i] as NodeSingular;
    this.cy.elements(':selected').unselect();
    next.select();
    this.ensureVisible(next as unknown as NodeCollection);
    return next;
  }

  edge(id: string): EdgeSingular | null {
    const e = this.cy.getElementById(id);
    return e.nonempty() && e.isEdge() ? (e as EdgeSingular) : null;
  }

  // ---- images -------------------------------------------------------------

  png(): Blob {
    return this.cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }) as unknown as Blob;
  }

  svg(): string {
    return chartSvg(this.cy);
  }
}

function centroid(nodes: NodeCollection): Position {
  let x = 0;
  let y = 0;
  nodes.forEach((n) => {
    x += n.position('x');
    y += n.position('y');
  });
  return { x: x / nodes.length, y: y / nodes.length };
}

function dedupe(links: LinkEdge[]): LinkEdge[] {
  const seen = new Set<string>();
  return links.filter((l) => (seen.has(l.id) ? false : (seen.add(l.id), true)));
}

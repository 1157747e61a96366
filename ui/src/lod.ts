// Labels by level of detail. A chart of a hundred entities with every
// label drawn is a hairball, so labels appear as the analyst asks for them:
//   - link labels only on hover, on selection (of the link or of an
//     entity it touches) or when zoomed in close;
//   - entity labels hidden when zoomed far out; at middle zoom only the
//     hubs (the most connected entities), sanctioned and selected ones;
//   - a label that would overlap a label of higher priority (selected,
//     sanctioned, more links) or another entity is not drawn, until the
//     entity is hovered or selected. Labels have a fixed size in chart
//     units, so this depends on positions only, not on the zoom.
// The tiers are classes on the elements, switched only when the zoom
// crosses a threshold, so panning a big chart costs nothing.
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';
import { LABEL_FONT, bodyExtent, labelExtent } from './spread';
import type { LabelFont } from './spread';

/** At or above this zoom every link label is drawn. */
export const EDGE_LABEL_ZOOM = 1.25;
/** Below this zoom no entity label is drawn (except hovered ones). */
export const NODE_LABEL_ZOOM = 0.35;
/** Below this zoom (and above NODE_LABEL_ZOOM) only hubs keep their label. */
export const ALL_LABELS_ZOOM = 0.85;
/** The share of entities that count as hubs for the middle tier. */
const HUB_SHARE = 0.12;
const CELL = 120;
/** A selection touching more links than this labels them on hover only. */
const MAX_SELECTED_EDGE_LABELS = 16;

export type Tier = 'far' | 'mid' | 'near' | 'close';

export function tierOf(zoom: number): Tier {
  if (zoom < NODE_LABEL_ZOOM) return 'far';
  if (zoom < ALL_LABELS_ZOOM) return 'mid';
  if (zoom < EDGE_LABEL_ZOOM) return 'near';
  return 'close';
}

/** Classes the stylesheet reads (see style.ts). */
export const LOD = {
  nodeHidden: 'lod-nolabel', // entity label not drawn
  edgeShown: 'lod-label', // link label drawn
  faint: 'lod-faint', // link drawn light (far and middle zoom)
  hover: 'lod-hover',
  hub: 'lod-hub',
  big: 'lod-big', // middle zoom: the few labels drawn are larger (style.ts: 18px)
  noIcon: 'lod-noicon', // far out: kind icons are too small to read, so not drawn
} as const;

export class LevelOfDetail {
  private readonly cy: Core;
  private tier: Tier | null = null;
  private hubsDirty = true;

  constructor(cy: Core) {
    this.cy = cy;
    cy.on('zoom', () => this.update());
    cy.on('add remove', () => {
      this.hubsDirty = true;
      this.scheduleRefresh();
    });
    cy.on('select unselect', () => this.scheduleRefresh());
    cy.on('position', () => this.scheduleRefresh(150));
    cy.on('data', 'node', () => this.scheduleRefresh(150));
    cy.on('mouseover', 'node, edge', (ev) => this.hover(ev.target, true));
    cy.on('mouseout', 'node, edge', (ev) => this.hover(ev.target, false));
  }

  private timer: number | undefined;

  private scheduleRefresh(ms = 0): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.refresh(), ms);
  }

  /** The current tier, for the status bar and tests. */
  current(): Tier {
    return tierOf(this.cy.zoom());
  }

  private update(): void {
    const t = this.current();
    if (t !== this.tier) this.refresh();
  }

  /** Re-applies the classes of the current tier to every element. */
  refresh(): void {
    const cy = this.cy;
    const t = this.current();
    this.tier = t;
    if (this.hubsDirty) this.markHubs();
    const selNodes = cy.nodes(':selected');
    const shown = this.uncluttered(t);
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        n.toggleClass(LOD.nodeHidden, !shown.has(n.id()));
        n.toggleClass(LOD.big, t === 'mid' && shown.has(n.id()));
        n.toggleClass(LOD.noIcon, t === 'far');
      });
      // A hub's links are labelled on hover only: dozens of labels at once help nobody.
      const adj = selNodes.connectedEdges();
      const near = adj.length <= MAX_SELECTED_EDGE_LABELS ? adj : selNodes.edges().filter(() => false);
      const faint = t === 'far' || t === 'mid';
      cy.edges().forEach((e) => {
        const show = t === 'close' || e.selected() || e.hasClass(LOD.hover) || near.contains(e) ||
          e.source().hasClass(LOD.hover) || e.target().hasClass(LOD.hover);
        e.toggleClass(LOD.edgeShown, show);
        e.toggleClass(LOD.faint, faint && !show);
      });
    });
  }

  /**
   * The entities whose label is drawn: those the tier allows, by priority,
   * leaving out a label that would overlap a label already placed or the
   * body of another entity. Selected and hovered entities always show.
   */
  private uncluttered(t: Tier): Set<string> {
    const out = new Set<string>();
    const visible = this.cy.nodes().filter((n) => n.visible());
    const must = (n: NodeSingular) => n.selected() || n.hasClass(LOD.hover) || !!n.data('bundle');
    const allowed = visible.filter((n) => must(n as NodeSingular) || t === 'near' || t === 'close' ||
      (t === 'mid' && (n.hasClass(LOD.hub) || !!n.data('sanctioned'))));
    const bodies = new Grid();
    visible.forEach((n) => {
      const p = n.position();
      const b = bodyExtent(n);
      bodies.add({ x1: p.x + b.x1, y1: p.y + b.y1, x2: p.x + b.x2, y2: p.y + b.y2, id: n.id() });
    });
    const labels = new Grid();
    const ranked = allowed.toArray().map((n) => n as NodeSingular).sort((a, b) =>
      Number(must(b)) - Number(must(a)) || Number(!!b.data('sanctioned')) - Number(!!a.data('sanctioned')) ||
      b.degree(false) - a.degree(false) || String(a.data('name')).localeCompare(String(b.data('name'))));
    // At middle zoom the few labels drawn are larger (lod-big).
    for (const n of ranked) {
      const box = labelBox(n, t === 'mid');
      if (!must(n) && (labels.hits(box) || bodies.hits(box))) continue;
      labels.add(box);
      out.add(n.id());
    }
    return out;
  }

  /** Hubs: the most connected entities on the chart, at least degree 3. */
  private markHubs(): void {
    this.hubsDirty = false;
    const nodes = this.cy.nodes();
    const degrees = nodes.map((n) => n.degree(false)).sort((a, b) => b - a);
    const cut = Math.max(3, degrees[Math.floor(degrees.length * HUB_SHARE)] ?? 3);
    this.cy.batch(() => nodes.forEach((n) => {
      n.toggleClass(LOD.hub, n.degree(false) >= cut);
    }));
  }

  private hover(el: NodeSingular | EdgeSingular, on: boolean): void {
    el.toggleClass(LOD.hover, on);
    if (el.isNode()) {
      // A hovered entity shows its label, and its links say what they are.
      const t = this.current();
      if (on) el.removeClass(LOD.nodeHidden);
      else this.scheduleRefresh(60);
      el.connectedEdges().forEach((e) => {
        e.toggleClass(LOD.faint, !on && (t === 'far' || t === 'mid'));
        e.toggleClass(LOD.edgeShown, on || t === 'close' || e.selected() || e.source().selected() || e.target().selected());
      });
    } else {
      el.toggleClass(LOD.edgeShown, on || this.current() === 'close' || el.selected() || el.source().selected() || el.target().selected());
    }
  }
}

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  id?: string;
}

/** The font of the few labels drawn at middle zoom (style.ts lod-big). */
const BIG_FONT: LabelFont = { size: 18, weight: 600, maxWidth: 195 };

/** Where an entity's label is drawn (below the node), in chart units. */
function labelBox(n: NodeSingular, big: boolean): Box {
  const p = n.position();
  const e = labelExtent(n, big ? BIG_FONT : LABEL_FONT) ?? { x1: 0, x2: 0, y1: 0, y2: 0 };
  return { x1: p.x + e.x1, x2: p.x + e.x2, y1: p.y + e.y1, y2: p.y + e.y2, id: n.id() };
}

/** A uniform grid of boxes, to find overlaps without comparing every pair. */
class Grid {
  private readonly cells = new Map<string, Box[]>();

  private keys(b: Box): string[] {
    const out: string[] = [];
    for (let i = Math.floor(b.x1 / CELL); i <= Math.floor(b.x2 / CELL); i++) {
      for (let j = Math.floor(b.y1 / CELL); j <= Math.floor(b.y2 / CELL); j++) out.push(`${i},${j}`);
    }
    return out;
  }

  add(b: Box): void {
    for (const k of this.keys(b)) {
      const c = this.cells.get(k);
      if (c) c.push(b);
      else this.cells.set(k, [b]);
    }
  }

  /** Whether b overlaps a box of another entity. */
  hits(b: Box): boolean {
    for (const k of this.keys(b)) {
      for (const o of this.cells.get(k) ?? []) {
        if (o.id !== b.id && o.x1 < b.x2 && b.x1 < o.x2 && o.y1 < b.y2 && b.y1 < o.y2) return true;
      }
    }
    return false;
  }
}

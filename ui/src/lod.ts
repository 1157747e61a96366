// Labels by level of detail. A chart of a hundred entities with every
// label drawn is a hairball, so labels appear as the analyst asks for them:
//   - link labels only on hover, on selection (of the link or of an
//     entity it touches) or when zoomed in close;
//   - entity labels hidden when zoomed far out; at middle zoom only the
//     hubs (the most connected entities), sanctioned and selected ones.
// The tiers are classes on the elements, switched only when the zoom
// crosses a threshold, so panning a big chart costs nothing.
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';

/** At or above this zoom every link label is drawn. */
export const EDGE_LABEL_ZOOM = 1.25;
/** Below this zoom no entity label is drawn (except hovered ones). */
export const NODE_LABEL_ZOOM = 0.45;
/** Below this zoom (and above NODE_LABEL_ZOOM) only hubs keep their label. */
export const ALL_LABELS_ZOOM = 0.85;
/** The share of entities that count as hubs for the middle tier. */
const HUB_SHARE = 0.2;

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
  hover: 'lod-hover',
  hub: 'lod-hub',
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
    cy.on('mouseover', 'node, edge', (ev) => this.hover(ev.target, true));
    cy.on('mouseout', 'node, edge', (ev) => this.hover(ev.target, false));
  }

  private timer: number | undefined;

  private scheduleRefresh(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.refresh(), 0);
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
    cy.batch(() => {
      cy.nodes().forEach((n) => {
        const show = t === 'near' || t === 'close' || (t === 'mid' && (n.hasClass(LOD.hub) || !!n.data('sanctioned'))) ||
          n.selected() || n.hasClass(LOD.hover) || !!n.data('bundle');
        n.toggleClass(LOD.nodeHidden, !show);
      });
      const near = selNodes.connectedEdges();
      cy.edges().forEach((e) => {
        const show = t === 'close' || e.selected() || e.hasClass(LOD.hover) || near.contains(e) ||
          e.source().hasClass(LOD.hover) || e.target().hasClass(LOD.hover);
        e.toggleClass(LOD.edgeShown, show);
      });
    });
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
      // The links of a hovered entity say what they are.
      const t = this.current();
      el.toggleClass(LOD.nodeHidden, !on && !(t === 'near' || t === 'close' || el.selected() ||
        (t === 'mid' && (el.hasClass(LOD.hub) || !!el.data('sanctioned')))));
      el.connectedEdges().forEach((e) => {
        e.toggleClass(LOD.edgeShown, on || t === 'close' || e.selected() || e.source().selected() || e.target().selected());
      });
    } else {
      el.toggleClass(LOD.edgeShown, on || this.current() === 'close' || el.selected() || el.source().selected() || el.target().selected());
    }
  }
}

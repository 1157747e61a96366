// Analysis in view: a panel over the chart with what the overlays mean —
// centrality as a ranked table with its scores and the node-size scale,
// communities as a legend of the halo colours (the kind colours stay), and
// brokers (articulation points and bridges) with their own legend.
import type { Core } from 'cytoscape';
import { h } from './ui';
import { titleCase } from './style';

export interface RankedScore {
  id: string;
  name: string;
  score: number;
}

export interface CommunityRow {
  color: string;
  members: { id: string; name: string }[];
}

export interface BrokerResult {
  points: { id: string; name: string }[];
  bridges: { id: string; label: string }[];
}

/** Node size range of the sized overlay (style.ts maps score 0..1 onto it). */
export const SIZE_MIN = 22;
export const SIZE_MAX = 78;
/** Rows of the ranked table. */
const TOP = 10;

export class AnalysisView {
  private readonly root: HTMLElement;
  private readonly cy: Core;
  private readonly select: (ids: string[]) => void;
  private centrality: HTMLElement | null = null;
  private communities: HTMLElement | null = null;
  private brokers: HTMLElement | null = null;

  constructor(parent: HTMLElement, cy: Core, select: (ids: string[]) => void) {
    this.cy = cy;
    this.select = select;
    this.root = h('aside', { id: 'analysis-panel', class: 'analysis-panel', 'aria-label': 'Analysis', hidden: true });
    parent.append(this.root);
  }

  private render(): void {
    const parts = [this.centrality, this.communities, this.brokers].filter((p): p is HTMLElement => p !== null);
    this.root.replaceChildren(...parts);
    this.root.hidden = parts.length === 0;
  }

  /** The ranked table of scores, highest first, and the size scale. */
  showCentrality(metric: string | null, scores: RankedScore[]): void {
    if (!metric) {
      this.centrality = null;
      this.render();
      return;
    }
    const ranked = [...scores].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
    const max = ranked[0]?.score ?? 0;
    const digits = max > 0 && max < 0.01 ? 5 : 3;
    const fmt = (v: number) => v.toFixed(digits);
    const rows = ranked.slice(0, TOP).map((s, i) =>
      h('tr', { 'data-id': s.id, class: 'rank-row', onclick: () => this.select([s.id]), title: 'Select on the chart' },
        h('td', { class: 'num' }, String(i + 1)),
        h('td', {}, s.name),
        h('td', { class: 'num' }, fmt(s.score))));
    const scale = h('div', { class: 'size-scale', 'aria-label': 'Node size scale' },
      ...[0, 0.5, 1].map((f) => {
        const d = Math.round((SIZE_MIN + (SIZE_MAX - SIZE_MIN) * f) / 2);
        return h('div', { class: 'size-step' },
          h('span', { class: 'size-dot', style: `width:${d}px;height:${d}px` }),
          h('span', { class: 'num' }, fmt(max * f)));
      }));
    this.centrality = h('details', { class: 'analysis-section', id: 'centrality-view', open: true },
      h('summary', {}, `Centrality · ${titleCase(metric)}`),
      h('p', { class: 'hint' }, `Node size shows the score, from 0 to the highest on the chart (${fmt(max)}).`),
      scale,
      h('table', { class: 'rank-table', id: 'centrality-table' },
        h('thead', {}, h('tr', {}, h('th', { class: 'num' }, '#'), h('th', {}, 'Entity'), h('th', { class: 'num' }, 'Score'))),
        h('tbody', {}, ...rows)),
      ranked.length > TOP ? h('p', { class: 'hint' }, `Top ${TOP} of ${ranked.length}.`) : null);
    this.render();
  }

  /** Communities by halo colour, largest first; a row selects its members. */
  showCommunities(rows: CommunityRow[] | null): void {
    if (!rows) {
      this.communities = null;
      this.render();
      return;
    }
    this.communities = h('details', { class: 'analysis-section', id: 'community-view', open: true },
      h('summary', {}, `Communities · ${rows.length}`),
      h('p', { class: 'hint' }, 'The halo shows the community; the fill keeps the kind colour.'),
      h('ul', { class: 'legend-list', id: 'community-legend' },
        ...rows.map((r, i) => {
          const names = r.members.map((m) => m.name);
          return h('li', {},
            h('button', {
              type: 'button', class: 'legend-item', 'data-community': String(i),
              title: 'Select the members', onclick: () => this.select(r.members.map((m) => m.id)),
            },
            h('span', { class: 'halo-swatch', style: `border-color:${r.color}` }),
            h('span', { class: 'legend-text' }, `${r.members.length} · ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`)));
        })));
    this.render();
  }

  /** Articulation points and bridges: the legend and the lists. */
  showBrokers(b: BrokerResult | null): void {
    if (!b) {
      this.brokers = null;
      this.render();
      return;
    }
    const pointList = b.points.map((p) => h('li', {}, h('button', { type: 'button', class: 'linklike', 'data-id': p.id, onclick: () => this.select([p.id]) }, p.name)));
    const bridgeList = b.bridges.map((e) => h('li', {}, h('button', { type: 'button', class: 'linklike', 'data-id': e.id, onclick: () => this.select([e.id]) }, e.label)));
    this.brokers = h('details', { class: 'analysis-section', id: 'broker-view', open: true },
      h('summary', {}, `Brokers · ${b.points.length} + ${b.bridges.length}`),
      h('div', { class: 'legend-row' }, h('span', { class: 'broker-swatch', 'aria-hidden': 'true' }),
        `Articulation point · ${b.points.length}: removing it cuts the chart apart`),
      h('ul', { class: 'plain-list compact', id: 'broker-points' }, ...pointList),
      h('div', { class: 'legend-row' }, h('span', { class: 'bridge-swatch', 'aria-hidden': 'true' }),
        `Bridge · ${b.bridges.length}: the only link between two parts`),
      h('ul', { class: 'plain-list compact', id: 'broker-bridges' }, ...bridgeList));
    this.render();
  }

  /** Marks brokers on the chart (classes read by style.ts). */
  markBrokers(points: Set<string> | null, bridges: Set<string> | null): void {
    this.cy.batch(() => {
      this.cy.elements().removeClass('broker bridge');
      if (points) this.cy.nodes().filter((n) => points.has(n.id())).addClass('broker');
      if (bridges) this.cy.edges().filter((e) => bridges.has(e.id())).addClass('bridge');
    });
  }
}

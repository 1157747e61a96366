// Disruption analysis in the workspace: "what if removed" (the chart with
// the picked entities greyed out, the severed links marked, the split
// components coloured, the before/after summary), key-player suggestions
// for k = 1..5, the k-core filter, and brokerage roles in the details. All
// figures come from the GraphQL API over the entities on the chart.
import { at, gql } from './api';
import type { Chart } from './chart';
import { COMMUNITY_COLORS } from './style';
import { byId, h, statusMessage } from './ui';

interface Summary {
  entities: number;
  links: number;
  components: number;
  largestComponent: number;
  fragmentation: number;
  globalEfficiency: number;
}

interface Disruption {
  before: Summary;
  after: Summary;
  severed: { id: string }[];
  isolated: { id: string; name: string }[];
  designatedReach: { entity: { id: string; name: string }; before: number; after: number }[];
}

interface KeyPlayers {
  entities: { id: string; name: string }[];
  fragmentation: number;
  steps: number[];
  exact: boolean;
}

interface Brokerage {
  entity: { id: string };
  coordinator: number;
  itinerant: number;
  gatekeeper: number;
  representative: number;
  liaison: number;
}

const SUMMARY = 'entities links components largestComponent fragmentation globalEfficiency';

export interface DisruptionOptions {
  chart: Chart;
  report: (err: unknown, what: string) => void;
}

/** Wires the Disruption panel; returns the hook the details call. */
export function initDisruption(opts: DisruptionOptions): { entityDetails: (id: string, root: HTMLElement) => void } {
  const { chart, report } = opts;
  const result = byId('disrupt-result');
  const kSelect = byId<HTMLSelectElement>('kp-k');
  const coreInput = byId<HTMLInputElement>('core-k');
  let simulated = false;

  function clearSimulation(): void {
    if (!simulated) return;
    simulated = false;
    chart.cy.elements().removeClass('disrupt-removed disrupt-severed');
    chart.setCommunities(null);
    const toggle = byId<HTMLInputElement>('community-toggle');
    if (toggle.checked) toggle.dispatchEvent(new Event('change'));
  }

  async function whatIf(remove: string[]): Promise<void> {
    const ids = chart.nodeIds();
    if (remove.length === 0) {
      statusMessage('Select the entities to remove first');
      return;
    }
    try {
      const d = await gql<{ disruption: Disruption }>(
        `query WhatIf($remove: [ID!]!, $ids: [ID!], $asOf: Date) {
          disruption(remove: $remove, ids: $ids, depth: 0, asOf: $asOf) {
            before { ${SUMMARY} } after { ${SUMMARY} }
            severed { id } isolated { id name }
            designatedReach { entity { id name } before after }
          }
        }`,
        at({ remove, ids }),
      );
      show(remove, d.disruption);
    } catch (err) {
      report(err, 'The disruption analysis failed');
    }
  }

  function show(remove: string[], d: Disruption): void {
    clearSimulation();
    simulated = true;
    const cy = chart.cy;
    const gone = new Set(remove);
    const severed = new Set(d.severed.map((l) => l.id));
    // Colour what is left by component, largest first.
    const colors = new Map<string, string>();
    cy.batch(() => {
      for (const id of gone) cy.getElementById(id).addClass('disrupt-removed');
      cy.edges().forEach((e) => {
        if (severed.has(e.id())) e.addClass('disrupt-severed');
      });
      const left = cy.elements().not('.disrupt-removed').not('.disrupt-severed');
      const comps = left.components().sort((a, b) => b.nodes().length - a.nodes().length);
      comps.forEach((c, i) => {
        c.nodes().forEach((n) => {
          colors.set(n.id(), COMMUNITY_COLORS[i % COMMUNITY_COLORS.length]);
        });
      });
    });
    chart.setCommunities(colors);
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    const row = (label: string, f: (s: Summary) => string) =>
      h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, f(d.before)), h('td', {}, f(d.after)));
    const table = h('table', { class: 'disrupt-summary', id: 'disrupt-summary' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
      h('tbody', {},
        row('Entities', (s) => String(s.entities)),
        row('Links', (s) => String(s.links)),
        row('Components', (s) => String(s.components)),
        row('Largest component', (s) => String(s.largestComponent)),
        row('Fragmentation', (s) => pct(s.fragmentation)),
        row('Global efficiency', (s) => s.globalEfficiency.toFixed(3))));
    const parts: Node[] = [
      table,
      h('p', { id: 'disrupt-severed' }, `${d.severed.length} ${d.severed.length === 1 ? 'link' : 'links'} severed`),
    ];
    if (d.isolated.length) {
      parts.push(h('p', { id: 'disrupt-isolated' }, `Left isolated: ${d.isolated.map((e) => e.name).join(', ')}`));
    }
    if (d.designatedReach.length) {
      parts.push(h('ul', { class: 'plain-list', id: 'disrupt-reach' },
        ...d.designatedReach.map((r) => h('li', {}, `${r.entity.name}: reaches ${r.before} → ${r.after}`))));
    }
    parts.push(h('button', { type: 'button', id: 'btn-whatif-clear', onclick: () => {
      clearSimulation();
      result.replaceChildren();
    } }, 'Back to the network'));
    result.replaceChildren(...parts);
  }

  async function suggest(): Promise<void> {
    const ids = chart.nodeIds();
    const k = Number(kSelect.value);
    if (ids.length === 0) return;
    try {
      const d = await gql<{ keyPlayers: KeyPlayers }>(
        `query KeyPlayers($k: Int!, $ids: [ID!], $asOf: Date) {
          keyPlayers(k: $k, ids: $ids, depth: 0, asOf: $asOf) { entities { id name } fragmentation steps exact }
        }`,
        at({ k: Math.min(k, ids.length), ids }),
      );
      const kp = d.keyPlayers;
      clearSimulation();
      chart.cy.nodes().unselect();
      for (const e of kp.entities) chart.node(e.id)?.select();
      result.replaceChildren(
        h('p', { id: 'kp-answer' }, `${kp.exact ? 'Best' : 'Suggested (heuristic)'} ${kp.entities.length} to remove:`),
        h('ol', { class: 'plain-list', id: 'kp-list' },
          ...kp.entities.map((e, i) => h('li', {}, `${e.name} — fragmentation ${(kp.steps[i] * 100).toFixed(1)}%`))),
        h('button', { type: 'button', id: 'btn-kp-whatif', onclick: () => void whatIf(kp.entities.map((e) => e.id)) },
          'What if they were removed'),
      );
    } catch (err) {
      report(err, 'Key players are not available');
    }
  }

  async function applyCore(): Promise<void> {
    const k = Number(coreInput.value);
    const ids = chart.nodeIds();
    if (!k || ids.length === 0) {
      chart.setHiddenIds(null);
      return;
    }
    try {
      const d = await gql<{ centrality: { entity: { id: string }; score: number }[] }>(
        `query Core($ids: [ID!], $top: Int, $asOf: Date) { centrality(metric: CORE_NUMBER, ids: $ids, depth: 0, top: $top, asOf: $asOf) { score entity { id } } }`,
        at({ ids, top: Math.min(ids.length, 1000) }),
      );
      const core = new Map(d.centrality.map((s) => [s.entity.id, s.score]));
      chart.setHiddenIds(new Set(ids.filter((id) => (core.get(id) ?? 0) < k)));
      statusMessage(`Showing the ${k}-core`);
    } catch (err) {
      report(err, 'Core numbers are not available');
    }
  }

  byId('btn-whatif').addEventListener('click', () => void whatIf(chart.selectedNodeIds()));
  byId('btn-keyplayers').addEventListener('click', () => void suggest());
  coreInput.addEventListener('change', () => void applyCore());

  return {
    /** Appends the entity's brokerage roles (among the chart's entities) to the details. */
    entityDetails(id: string, root: HTMLElement): void {
      const ids = chart.nodeIds();
      if (!ids.includes(id) || ids.length < 3) return;
      void gql<{ brokerage: Brokerage[] }>(
        `query Brokerage($ids: [ID!], $asOf: Date) { brokerage(ids: $ids, depth: 0, asOf: $asOf) {
          entity { id } coordinator itinerant gatekeeper representative liaison } }`,
        at({ ids }),
      ).then((d) => {
        const b = d.brokerage.find((x) => x.entity.id === id);
        const roles: [string, number][] = b
          ? [['Coordinator', b.coordinator], ['Itinerant', b.itinerant], ['Gatekeeper', b.gatekeeper],
            ['Representative', b.representative], ['Liaison', b.liaison]]
          : [];
        const list = h('dl', { class: 'facts', id: 'brokerage-roles' });
        for (const [k, v] of roles) list.append(h('dt', {}, k), h('dd', {}, String(v)));
        root.append(h('section', { class: 'details-section' },
          h('h3', {}, 'Brokerage roles (communities on the chart)'),
          roles.length ? list : h('p', { class: 'hint', id: 'brokerage-roles' }, 'Brokers no pair on the chart.')));
      }, () => { /* brokerage needs the analyst role; the details stand without it */ });
    },
  };
}

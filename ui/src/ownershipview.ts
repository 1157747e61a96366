// Ownership: what an entity holds and who holds it (directly or through
// others, with the integrated share and the chains) in its details, and the
// sanctions ownership findings as a view: assets designated parties hold
// more than a threshold of, with every chain and the quote of every hop.
// A finding says it meets the ownership threshold; it is never a legal
// conclusion, and the view never words it as one.
import { at, gql } from './api';
import type { EntityNode, LinkEdge, SourceRef } from './types';
import { formatNumber, kindMark, linkShare } from './kinds';
import { QuoteSet } from './quotes';
import { h } from './ui';
import { onTimeState, timeState } from './timestate';

// Asked as of the chart's date (api.at): designations and OWNS links in force then.
const NODE = 'id kind name sanctioned(asOf: $asOf) countries';
const SOURCES = 'sources { quote document { id title path } }';
/** A chain's link; its properties hold the percentage (kinds.ts linkShare). */
const CHAIN = 'id type role properties { key value } source { id } target { id }';
/** An ownership with its chains' entities, for one entity's details. */
const OWNERSHIP = 'share direct complete owner { id kind name sanctioned(asOf: $asOf) } asset { id kind name sanctioned(asOf: $asOf) } paths { nodes { id kind name sanctioned(asOf: $asOf) } links { id type role properties { key value } source { id } target { id } } } unknownPaths { nodes { id kind name sanctioned(asOf: $asOf) } links { id type role properties { key value } source { id } target { id } } }';
/** Findings per page. */
const PAGE = 5;
/** The server's MaxAliases is 30. */
const ALIASES = 25;

/** A chain of OWNS links, owner first; its entities as far as they are known. */
export interface Chain {
  links: LinkEdge[];
  nodes?: EntityNode[];
}

export interface Ownership {
  owner: EntityNode;
  asset: EntityNode;
  share: number;
  direct: number | null;
  complete: boolean;
  paths: Chain[];
  unknownPaths: Chain[];
}

export interface Finding {
  asset: EntityNode;
  owners: Ownership[];
  share: number;
  meetsThreshold: boolean;
  unknownShares: boolean;
  statement: string;
}

export interface OwnershipActions {
  /** Puts entities and links on the chart and highlights them. */
  show: (nodes: EntityNode[], links: LinkEdge[]) => void | Promise<void>;
  openEntity: (id: string) => void;
}

const pct = (n: number) => formatNumber(n, '%');

/** " as of 2021-06" for the chart's as-of date, or nothing without one. */
const asOfText = (d: string | null) => (d ? ` as of ${d}` : '');

/**
 * What an entity holds and who holds it: two requests, as the estimated
 * cost of ownerships with their chains is near the server's limit.
 */
async function ownershipOf(id: string): Promise<{ holdings: Ownership[]; owners: Ownership[] }> {
  const [a, b] = await Promise.all([
    gql<{ holdings: Ownership[] }>(`query Holdings($id: ID!, $asOf: Date) { holdings(id: $id, asOf: $asOf) { ${OWNERSHIP} } }`, at({ id })),
    gql<{ owners: Ownership[] }>(`query Owners($id: ID!, $asOf: Date) { owners(id: $id, asOf: $asOf) { ${OWNERSHIP} } }`, at({ id })),
  ]);
  return { holdings: a.holdings, owners: b.owners };
}

type FindingPage = { totalCount: number; edges: { cursor: string; node: Finding }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** One page of the sanctions ownership findings, without their chains (see chainsOf). */
export async function findings(minShare: number, combined: boolean, after: string | null): Promise<FindingPage> {
  const d = await gql<{ sanctionsOwnership: FindingPage }>(
    `query Findings($min: Float, $combined: Boolean, $first: Int, $after: String, $asOf: Date) {
      sanctionsOwnership(minShare: $min, combined: $combined, first: $first, after: $after, asOf: $asOf) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { share meetsThreshold unknownShares statement asset { ${NODE} } owners { share direct complete owner { ${NODE} } asset { ${NODE} } } } }
      }
    }`,
    at({ min: minShare, combined, first: PAGE, after }),
  );
  return d.sanctionsOwnership;
}

/**
 * The chains of the one finding after cursor `after`, per designated owner,
 * exactly as the finding counts them (with combined, chains through another
 * designated party are not counted twice). One finding per request: chains
 * of several findings at once exceed the server's cost limit.
 */
async function chainsOf(minShare: number, combined: boolean, after: string | null): Promise<Map<string, { paths: Chain[]; unknownPaths: Chain[] }>> {
  const d = await gql<{ sanctionsOwnership: { nodes: { owners: { owner: { id: string }; paths: Chain[]; unknownPaths: Chain[] }[] }[] } }>(
    `query FindingChains($min: Float, $combined: Boolean, $after: String, $asOf: Date) {
      sanctionsOwnership(minShare: $min, combined: $combined, first: 1, after: $after, asOf: $asOf) {
        nodes { owners { owner { id } paths { links { ${CHAIN} } } unknownPaths { links { ${CHAIN} } } } }
      }
    }`,
    at({ min: minShare, combined, after }),
  );
  const out = new Map<string, { paths: Chain[]; unknownPaths: Chain[] }>();
  for (const o of d.sanctionsOwnership.nodes[0]?.owners ?? []) out.set(o.owner.id, { paths: o.paths, unknownPaths: o.unknownPaths });
  return out;
}

/** Entities by id (the chains' intermediaries), in batches. */
async function entities(ids: string[]): Promise<Map<string, EntityNode>> {
  const out = new Map<string, EntityNode>();
  for (let i = 0; i < ids.length; i += 200) {
    const d = await gql<{ entities: EntityNode[] }>(`query E($ids: [ID!]!, $asOf: Date) { entities(ids: $ids) { ${NODE} } }`, at({ ids: ids.slice(i, i + 200) }));
    for (const e of d.entities) out.set(e.id, e);
  }
  return out;
}

/** The source quotes of links, by id (aliased link queries, within the server's alias limit). */
async function linkSources(ids: string[]): Promise<Map<string, SourceRef[]>> {
  const out = new Map<string, SourceRef[]>();
  for (let i = 0; i < ids.length; i += ALIASES) {
    const batch = ids.slice(i, i + ALIASES);
    const vars: Record<string, string> = {};
    batch.forEach((id, j) => {
      vars[`i${j}`] = id;
    });
    const query = `query Q(${batch.map((_, j) => `$i${j}: ID!`).join(', ')}) { ${batch.map((_, j) => `l${j}: link(id: $i${j}) { id ${SOURCES} }`).join(' ')} }`;
    const d = await gql<Record<string, { id: string; sources: SourceRef[] } | null>>(query, vars);
    for (const l of Object.values(d)) if (l) out.set(l.id, l.sources);
  }
  return out;
}

/** A link's percentage as written on the chain, or "share not stated". */
function hopShare(l: LinkEdge): string {
  return linkShare(l.type, l.properties) ?? 'share not stated';
}

/** The entities of a chain, owner first, from its links. */
function chainIds(c: Chain, ownerId: string): string[] {
  const ids = [ownerId];
  for (const l of c.links) {
    const last = ids[ids.length - 1];
    ids.push(l.source.id === last ? l.target.id : l.source.id);
  }
  return ids;
}

export class OwnershipView {
  private readonly root: HTMLElement;
  private readonly act: OwnershipActions;
  private seq = 0;

  constructor(root: HTMLElement, act: OwnershipActions) {
    this.root = root;
    this.act = act;
  }

  // ---- in an entity's details -------------------------------------------

  /** Appends what entity id holds and who holds it to its details; current() says whether they are still shown. */
  async show(id: string, current: () => boolean): Promise<void> {
    let got: { holdings: Ownership[]; owners: Ownership[] };
    const date = timeState().asOf; // what ownershipOf asks as of (api.at)
    try {
      got = await ownershipOf(id);
    } catch (err) {
      if (!current()) return;
      this.place(h('section', { class: 'details-section', id: 'ownership' },
        h('h3', {}, 'Ownership'), h('p', { class: 'hint' }, `Not available: ${err instanceof Error ? err.message : String(err)}`)));
      return;
    }
    if (!current() || (got.holdings.length === 0 && got.owners.length === 0)) return;
    const sec = h('section', { class: 'details-section', id: 'ownership', 'data-as-of': date ?? '' }, h('h3', {}, `Ownership${asOfText(date)}`));
    if (got.owners.length) {
      sec.append(h('h4', {}, `Held by · ${got.owners.length}`),
        h('div', { class: 'own-list', id: 'owners-list' }, ...got.owners.map((o) => this.ownershipItem(o, o.owner))));
    }
    if (got.holdings.length) {
      sec.append(h('h4', {}, `Holds · ${got.holdings.length}`),
        h('div', { class: 'own-list', id: 'holdings-list' }, ...got.holdings.map((o) => this.ownershipItem(o, o.asset))));
    }
    sec.append(h('p', { class: 'hint' }, 'Share: the integrated ownership, summed over every chain of OWNS links (the product of its percentages). Chains with an unstated percentage are listed and not counted.'));
    this.place(sec);
  }

  /** After the facts, before the other sections. */
  private place(sec: HTMLElement): void {
    this.root.querySelector('#ownership')?.remove();
    const anchor = this.root.querySelector('.details-section');
    if (anchor) anchor.before(sec);
    else this.root.append(sec);
  }

  /** One ownership seen from the entity: the other party, the share, the chains. */
  private ownershipItem(o: Ownership, other: EntityNode): HTMLElement {
    const direct = o.direct === null ? 'indirect only' : `direct ${pct(o.direct)}`;
    const chains = [...o.paths, ...o.unknownPaths];
    const all = chains.flatMap((c) => c.nodes ?? []);
    return h('article', { class: 'own-item', 'data-id': other.id },
      h('div', { class: 'own-head' },
        kindMark(other.kind),
        h('button', { type: 'button', class: 'linklike', onclick: () => this.act.openEntity(other.id) }, other.name),
        other.sanctioned ? h('span', { class: 'badge badge-sanction' }, 'sanctioned') : null,
        h('span', { class: 'own-share', 'data-share': String(o.share) }, pct(o.share)),
        h('span', { class: 'path-len' }, direct),
        o.complete ? null : h('span', { class: 'badge' }, 'lower bound')),
      h('ol', { class: 'chain-list' }, ...chains.map((c) => h('li', { class: 'chain' }, ...this.chainLine(c, o.owner.id, new Map(all.map((n) => [n.id, n])))))),
      h('button', { type: 'button', class: 'own-show', onclick: () => void this.act.show(dedupe([o.owner, o.asset, ...all]), chains.flatMap((c) => c.links)) }, 'Show chains on chart'));
  }

  /** "A —51%→ B —60%→ C". */
  private chainLine(c: Chain, ownerId: string, names: Map<string, EntityNode>): Node[] {
    const ids = chainIds(c, ownerId);
    const out: Node[] = [];
    ids.forEach((id, i) => {
      if (i > 0) out.push(h('span', { class: 'hop-share' }, ` —${hopShare(c.links[i - 1])}→ `));
      out.push(h('strong', {}, names.get(id)?.name ?? id));
    });
    return out;
  }

  // ---- the findings view ------------------------------------------------

  /** Opens the sanctions ownership findings in the panel. */
  open(): void {
    const min = h('input', { type: 'number', id: 'own-min', min: 0, max: 100, step: 'any', value: '50' });
    const combined = h('input', { type: 'checkbox', id: 'own-combined' });
    const list = h('div', { id: 'own-findings', class: 'own-findings' });
    const status = h('p', { class: 'hint', id: 'own-status', role: 'status' });
    const more = h('button', { type: 'button', id: 'own-more', hidden: true }, 'Load more');
    const addAll = h('button', { type: 'button', id: 'own-add-all', disabled: true }, 'Add these findings to the chart');
    const shown: Finding[] = [];
    let cursor: string | null = null;
    const quotes = new QuoteSet();
    const load = async (again: boolean) => {
      const seq = ++this.seq;
      const date = timeState().asOf; // what the queries ask as of (api.at)
      const minShare = Number(min.value);
      if (!Number.isFinite(minShare) || minShare < 0 || minShare > 100 || min.value.trim() === '') {
        status.textContent = 'The threshold is a percentage from 0 to 100.';
        return;
      }
      if (!again) {
        shown.length = 0;
        cursor = null;
        list.replaceChildren();
      }
      status.textContent = 'Looking for assets designated parties hold…';
      more.hidden = true;
      try {
        const page = await findings(minShare, combined.checked, cursor);
        // Each finding's chains, from the cursor before it.
        const chains = await Promise.all(page.edges.map((_, i) => chainsOf(minShare, combined.checked, i === 0 ? cursor : page.edges[i - 1].cursor)));
        page.edges.forEach((e, i) => {
          for (const o of e.node.owners) {
            const c = chains[i].get(o.owner.id);
            o.paths = c?.paths ?? [];
            o.unknownPaths = c?.unknownPaths ?? [];
          }
        });
        const nodes = page.edges.map((e) => e.node);
        const linkIds = [...new Set(nodes.flatMap((f) => f.owners.flatMap((o) => [...o.paths, ...o.unknownPaths].flatMap((c) => c.links.map((l) => l.id)))))];
        const nodeIds = [...new Set(nodes.flatMap((f) => f.owners.flatMap((o) => [...o.paths, ...o.unknownPaths].flatMap((c) => chainIds(c, o.owner.id)))))];
        const [names, sources] = await Promise.all([entities(nodeIds), linkSources(linkIds)]);
        if (seq !== this.seq) return;
        for (const f of nodes) {
          for (const o of f.owners) for (const c of [...o.paths, ...o.unknownPaths]) c.nodes = chainIds(c, o.owner.id).map((id) => names.get(id)).filter((n): n is EntityNode => !!n);
          shown.push(f);
          list.append(this.findingItem(f, shown.length, names, sources, quotes));
        }
        cursor = page.pageInfo.endCursor;
        more.hidden = !page.pageInfo.hasNextPage;
        addAll.disabled = shown.length === 0;
        const rule = combined.checked ? 'summed across designated owners' : 'per designated owner';
        list.dataset.asOf = date ?? '';
        status.textContent = page.totalCount === 0
          ? `No asset where designated parties hold more than ${pct(minShare)} (${rule}) on the recorded OWNS links${asOfText(date)}.`
          : `${page.totalCount} finding${page.totalCount === 1 ? '' : 's'} at more than ${pct(minShare)} (${rule})${asOfText(date)}, largest share first; ${shown.length} shown. A finding says whether the recorded OWNS links meet the ownership threshold: it is not a legal conclusion.`;
      } catch (err) {
        if (seq === this.seq) status.textContent = `Not available: ${err instanceof Error ? err.message : String(err)}`;
      }
    };
    more.addEventListener('click', () => void load(true));
    addAll.addEventListener('click', () => {
      const { nodes, links } = findingElements(shown);
      void this.act.show(nodes, links);
    });
    // The threshold is checked here, so the message says what is wrong.
    const form = h('form', { class: 'own-form', id: 'own-form', novalidate: true },
      h('label', { class: 'field' }, 'Held more than (%)', min),
      h('label', { class: 'own-check' }, combined, ' Sum across designated owners'),
      h('button', { type: 'submit', class: 'primary', id: 'own-run' }, 'Find'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void load(false);
    });
    this.root.replaceChildren(
      h('header', { class: 'details-head' },
        h('div', { class: 'details-kind' }, 'Ownership findings'),
        h('h2', { class: 'details-title', id: 'details-title', tabindex: -1 }, 'Held by designated parties')),
      h('p', { class: 'hint' }, 'Assets that designated parties hold, directly or through others, more than the threshold of (UK and EU practice: more than 50%), with every chain and the source of every hop.'),
      form, status, h('div', { class: 'details-actions' }, addAll), list, more);
    this.root.scrollTop = 0;
    // Another as-of date finds again while the view is open.
    const stop = onTimeState((s, prev) => {
      if (!form.isConnected) stop();
      else if (s.asOf !== prev.asOf) void load(false);
    });
    void load(false);
  }

  private findingItem(f: Finding, n: number, names: Map<string, EntityNode>, sources: Map<string, SourceRef[]>, quotes: QuoteSet): HTMLElement {
    const owners = f.owners.map((o) => {
      const chains = [...o.paths, ...o.unknownPaths].map((c) => {
        const ids = chainIds(c, o.owner.id);
        const hops = c.links.map((l, j) => h('li', { class: 'hop' },
          h('div', { class: 'hop-line' },
            h('strong', {}, names.get(ids[j])?.name ?? ids[j]), h('span', { class: 'hop-share' }, ` — owns ${hopShare(l)} of — `), h('strong', {}, names.get(ids[j + 1])?.name ?? ids[j + 1])),
          ...((sources.get(l.id) ?? []).length ? (sources.get(l.id) ?? []).map((s) => quotes.el(s)) : [h('p', { class: 'hint' }, 'No source recorded for this link.')])));
        return h('ol', { class: 'hop-list chain' }, ...hops);
      });
      return h('div', { class: 'own-owner', 'data-id': o.owner.id },
        h('div', { class: 'own-head' },
          kindMark(o.owner.kind),
          h('button', { type: 'button', class: 'linklike', onclick: () => this.act.openEntity(o.owner.id) }, o.owner.name),
          o.owner.sanctioned ? h('span', { class: 'badge badge-sanction' }, 'designated') : null,
          h('span', { class: 'own-share', 'data-share': String(o.share) }, pct(o.share)),
          o.direct === null ? h('span', { class: 'path-len' }, 'indirect only') : h('span', { class: 'path-len' }, `direct ${pct(o.direct)}`)),
        ...chains);
    });
    return h('article', { class: 'own-finding', 'data-id': f.asset.id, 'data-share': String(f.share) },
      h('div', { class: 'own-head' },
        kindMark(f.asset.kind),
        h('button', { type: 'button', class: 'linklike', onclick: () => this.act.openEntity(f.asset.id) }, f.asset.name),
        h('span', { class: 'own-share', 'data-share': String(f.share) }, pct(f.share)),
        f.meetsThreshold ? h('span', { class: 'badge badge-threshold' }, 'meets the ownership threshold') : h('span', { class: 'badge' }, 'below the threshold on stated shares'),
        f.unknownShares ? h('span', { class: 'badge' }, 'some shares not stated') : null),
      h('p', { class: 'own-statement' }, f.statement),
      ...owners,
      h('button', {
        type: 'button', class: 'own-show', 'aria-label': `Show finding ${n} on the chart`,
        onclick: () => {
          const { nodes, links } = findingElements([f]);
          void this.act.show(nodes, links);
        },
      }, 'Show on chart'));
  }
}

/** The entities and links of findings: each asset, its designated owners and every chain. */
export function findingElements(fs: Finding[]): { nodes: EntityNode[]; links: LinkEdge[] } {
  const nodes: EntityNode[] = [];
  const links: LinkEdge[] = [];
  for (const f of fs) {
    nodes.push(f.asset);
    for (const o of f.owners) {
      nodes.push(o.owner);
      for (const c of [...o.paths, ...o.unknownPaths]) {
        nodes.push(...(c.nodes ?? []));
        links.push(...c.links);
      }
    }
  }
  return { nodes: dedupe(nodes), links: dedupe(links) };
}

function dedupe<T extends { id: string }>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(x.id) && seen.add(x.id) !== undefined);
}

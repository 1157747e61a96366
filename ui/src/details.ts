// The details panel: everything known about the selected entity or link,
// with every source quoted verbatim, so an analyst sees why a link exists.
import type { Designation, EntityDetail, LinkDetail, Path } from './types';
import { kindInfo, linkLabel, linkTypeLabel } from './style';
import { h } from './ui';
import { QuoteSet, quoteEl } from './quotes';
import { dateText } from './dates';
import { kindMark, linkSummary, linkTypeInfo, typedFields } from './kinds';

export interface DetailsActions {
  showOnChart: (id: string) => void;
  isOnChart: (id: string) => boolean;
  selectOnChart: (id: string) => void;
  expand: (id: string) => void;
  highlightPath: (ids: string[]) => void;
  /** Opens the screening page with the entity's names, kind, birth date and identifiers. */
  screen: (e: EntityDetail) => void;
  /** Opens the duplicates page with the pairs the entity is in. */
  findDuplicates: (id: string, name: string) => void;
}

export class Details {
  private readonly root: HTMLElement;
  private readonly act: DetailsActions;

  constructor(root: HTMLElement, act: DetailsActions) {
    this.root = root;
    this.act = act;
  }

  empty(): void {
    this.root.replaceChildren(
      h('div', { class: 'details-empty' }, 'Select an entity or a link to see its properties, roles, designations and sources.'),
    );
  }

  loading(name: string): void {
    this.root.replaceChildren(h('div', { class: 'details-empty' }, `Loading ${name}…`));
  }

  message(text: string): void {
    this.root.replaceChildren(h('div', { class: 'details-empty' }, text));
  }

  /** Several things selected: title is the same wording as the status bar's. */
  multi(title: string, names: string[], hint = 'Press E to expand them all, Delete to remove them, or Paths to find how two are connected.'): void {
    const parts: Node[] = [
      h('h2', { class: 'details-title', id: 'details-title', tabindex: -1 }, title),
      h('ul', { class: 'plain-list' }, ...names.slice(0, 50).map((n) => h('li', {}, n))),
    ];
    if (names.length > 50) parts.push(h('p', { class: 'hint' }, `and ${names.length - 50} more`));
    parts.push(h('p', { class: 'hint' }, hint));
    this.root.replaceChildren(...parts);
  }

  entity(e: EntityDetail): void {
    const info = kindInfo(e.kind);
    // A quote cited by several facts of the entity is shown once.
    const quotes = new QuoteSet();
    const header = h('header', { class: 'details-head' },
      h('div', { class: 'details-kind' },
        kindMark(e.kind), info.label,
        e.sanctioned ? h('span', { class: 'badge badge-sanction' }, 'sanctioned') : null),
      h('h2', { class: 'details-title', id: 'details-title', tabindex: -1 }, e.name),
      h('div', { class: 'details-id' }, e.id));

    const facts = h('dl', { class: 'facts' });
    const fact = (k: string, v: string | Node | null | undefined, cls?: string) => {
      if (v === null || v === undefined || v === '') return;
      facts.append(h('dt', { class: cls }, k), h('dd', {}, v));
    };
    fact('Aliases', e.aliases?.length ? e.aliases.join('; ') : null);
    fact('Countries', e.countries?.length ? e.countries.join(', ') : null);
    fact('Links', String(e.degree ?? e.links.length));
    // The kind's typed fields under their labels, then the free properties.
    const { typed, free } = typedFields(info.fields, e.properties ?? []);
    for (const t of typed) fact(t.field.label, t.value, 'typed');
    for (const p of free) fact(p.key, p.value);

    const actions = h('div', { class: 'details-actions' },
      h('button', { type: 'button', onclick: () => this.act.expand(e.id) }, 'Expand'),
      this.act.isOnChart(e.id) ? null : h('button', { type: 'button', onclick: () => this.act.showOnChart(e.id) }, 'Add to chart'),
      h('button', { type: 'button', 'data-action': 'screen', title: 'Screen its names, birth date and identifiers against the graph', onclick: () => this.act.screen(e) }, 'Screen'),
      h('button', { type: 'button', 'data-action': 'duplicates', title: 'Entities that may be the same as this one', onclick: () => this.act.findDuplicates(e.id, e.name) }, 'Find duplicates'));

    const parts: (Node | null)[] = [header, actions];
    if (e.description) parts.push(h('p', { class: 'description' }, e.description));
    parts.push(facts);

    if (e.designations?.length) {
      parts.push(section('Designations', ...e.designations.map((d) => designation(d, quotes))));
    }

    if (e.links?.length) {
      parts.push(section(`Roles and links · ${e.links.length}`, ...e.links.map((l) => this.linkItem(e.id, l, quotes))));
    }

    if (e.sources?.length) {
      parts.push(section('Sources', ...e.sources.map((s) => quotes.el(s))));
    }
    this.root.replaceChildren(...parts.filter((p): p is Node => p !== null));
    this.root.scrollTop = 0;
  }

  /** One link of an entity, seen from that entity, with its quotes. */
  private linkItem(selfId: string, l: LinkDetail, quotes: QuoteSet): HTMLElement {
    const outgoing = l.source.id === selfId;
    const other = outgoing ? l.target : l.source;
    const verb = outgoing ? linkTypeLabel(l.type) : `${linkTypeLabel(l.type)} ←`;
    const otherBtn = h('button', {
      type: 'button',
      class: 'linklike',
      title: this.act.isOnChart(other.id) ? 'Select on chart' : 'Add to chart',
      onclick: () => (this.act.isOnChart(other.id) ? this.act.selectOnChart(other.id) : this.act.showOnChart(other.id)),
    }, other.name);
    return h('article', { class: 'link-item' },
      h('div', { class: 'link-line' },
        h('span', { class: 'link-type' }, verb), ' ', otherBtn,
        l.role ? h('span', { class: 'role' }, l.role) : null,
        dateText(l.startDate, l.endDate) ? h('span', { class: 'link-dates' }, dateText(l.startDate, l.endDate)) : null,
        summaryEl(l)),
      l.description ? h('p', { class: 'link-desc' }, l.description) : null,
      ...(l.sources ?? []).map((s) => quotes.el(s)));
  }

  link(l: LinkDetail): void {
    const parts: Node[] = [
      h('header', { class: 'details-head' },
        h('div', { class: 'details-kind' }, 'Link'),
        h('h2', { class: 'details-title', id: 'details-title', tabindex: -1 }, linkLabel(l.type, l.role)),
        h('div', { class: 'details-id' }, l.id)),
    ];
    const facts = h('dl', { class: 'facts' },
      h('dt', {}, 'From'), h('dd', {}, this.entityButton(l.source.id, l.source.name)),
      h('dt', {}, 'To'), h('dd', {}, this.entityButton(l.target.id, l.target.name)),
      h('dt', {}, 'Type'), h('dd', {}, linkTypeLabel(l.type)));
    if (l.role) facts.append(h('dt', {}, 'Role'), h('dd', {}, l.role));
    // The link type's typed fields under their labels, then free properties.
    const { typed, free } = typedFields(linkTypeInfo(l.type)?.fields ?? [], l.properties ?? []);
    for (const t of typed) facts.append(h('dt', { class: 'typed' }, t.field.label), h('dd', {}, t.value));
    for (const p of free) facts.append(h('dt', {}, p.key), h('dd', {}, p.value));
    if (l.startDate) facts.append(h('dt', {}, 'From date'), h('dd', {}, l.startDate));
    if (l.endDate) facts.append(h('dt', {}, 'To date'), h('dd', {}, l.endDate));
    parts.push(facts);
    if (l.description) parts.push(h('p', { class: 'description' }, l.description));
    parts.push(section('Why this link exists', ...(l.sources?.length ? l.sources.map(quoteEl) : [h('p', { class: 'hint' }, 'No source recorded.')])));
    this.root.replaceChildren(...parts);
    this.root.scrollTop = 0;
  }

  private entityButton(id: string, name: string): HTMLElement {
    return h('button', { type: 'button', class: 'linklike', onclick: () => this.act.selectOnChart(id) }, name);
  }

  /** The result of a path search: one row per path, click to highlight it. */
  paths(fromName: string, toName: string, paths: Path[]): void {
    const items = paths.map((p, i) => {
      const ids = [...p.nodes.map((n) => n.id), ...p.links.map((l) => l.id)];
      const steps: (Node | string)[] = [];
      p.nodes.forEach((n, j) => {
        if (j > 0) {
          const l = p.links[j - 1];
          steps.push(h('span', { class: 'path-link' }, ` — ${linkLabel(l.type, l.role)} — `));
        }
        steps.push(h('strong', {}, n.name));
      });
      return h('li', {},
        h('button', { type: 'button', class: 'path-item', onclick: () => this.act.highlightPath(ids), 'aria-label': `Highlight path ${i + 1}` },
          h('span', { class: 'path-len' }, `${p.length} hop${p.length === 1 ? '' : 's'}`), ...steps));
    });
    const all = paths.flatMap((p) => [...p.nodes.map((n) => n.id), ...p.links.map((l) => l.id)]);
    this.root.replaceChildren(
      h('header', { class: 'details-head' },
        h('div', { class: 'details-kind' }, 'Paths'),
        h('h2', { class: 'details-title', id: 'details-title', tabindex: -1 }, `${fromName} → ${toName}`)),
      h('p', { class: 'hint' }, `${paths.length} path${paths.length === 1 ? '' : 's'}, highlighted on the chart. Pick one to highlight it alone; Esc clears.`),
      h('div', { class: 'details-actions' }, h('button', { type: 'button', onclick: () => this.act.highlightPath(all) }, 'Highlight all')),
      h('ol', { class: 'path-list', id: 'path-list' }, ...items),
    );
  }
}

/** A link's typed fields as the chart writes them (51%, 12,500 EUR), or nothing. */
function summaryEl(l: LinkDetail): HTMLElement | null {
  const s = linkSummary(l.type, l.properties);
  return s ? h('span', { class: 'link-summary' }, s) : null;
}

function section(title: string, ...children: Node[]): HTMLElement {
  return h('section', { class: 'details-section' }, h('h3', {}, title), ...children);
}

function designation(d: Designation, quotes: QuoteSet): HTMLElement {
  const facts = h('dl', { class: 'facts' });
  const add = (k: string, v: string | null | undefined) => {
    if (v) facts.append(h('dt', {}, k), h('dd', {}, v));
  };
  add('Authority', d.authority);
  add('Listed on', d.listedOn);
  add('Delisted on', d.delistedOn);
  add('Measures', d.measures?.join(', '));
  add('Reason', d.reason);
  return h('article', { class: 'designation' },
    h('div', { class: 'designation-regime' }, d.regime),
    facts,
    ...(d.sources ?? []).map((s) => quotes.el(s)));
}

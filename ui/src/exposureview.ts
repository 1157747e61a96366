// Sanctions exposure in an entity's details: the nearest designated parties
// within a few hops, each with its path and the source quote of every hop.
import * as api from './api';
import type { Exposure } from './api';
import { linkLabel } from './style';
import { QuoteSet } from './quotes';
import { h } from './ui';

export interface ExposureActions {
  showPath: (p: Exposure['path']) => void | Promise<void>;
  openEntity: (id: string) => void;
}

const MAX_HOPS = 3;

export class ExposureView {
  private readonly root: HTMLElement;
  private readonly act: ExposureActions;

  constructor(root: HTMLElement, act: ExposureActions) {
    this.root = root;
    this.act = act;
  }

  /** Appends the exposure section of entity id to the details; current() says whether it is still shown. */
  async show(id: string, current: () => boolean): Promise<void> {
    const sec = h('section', { class: 'details-section', id: 'exposure' },
      h('h3', {}, 'Sanctions exposure'),
      h('p', { class: 'hint' }, 'Looking for designated parties nearby…'));
    // After the designations when there are any, else after the facts.
    const anchor = this.root.querySelector('.details-section');
    if (anchor) anchor.before(sec);
    else this.root.append(sec);
    let found: Exposure[];
    try {
      found = await api.sanctionsExposure(id, MAX_HOPS);
    } catch (err) {
      if (!current()) return;
      sec.replaceChildren(h('h3', {}, 'Sanctions exposure'), h('p', { class: 'hint' }, `Not available: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    if (!current()) return;
    const others = found.filter((x) => x.entity.id !== id);
    const self = found.filter((x) => x.entity.id === id);
    const quotes = new QuoteSet();
    const items = others.map((x, i) => {
      const steps: Node[] = [];
      x.path.links.forEach((l, j) => {
        const a = x.path.nodes[j];
        const b = x.path.nodes[j + 1];
        steps.push(h('li', { class: 'hop' },
          h('div', { class: 'hop-line' }, h('strong', {}, a.name), ` — ${linkLabel(l.type, l.role)} — `, h('strong', {}, b.name)),
          ...(l.sources.length ? l.sources.map((s) => quotes.el(s)) : [h('p', { class: 'hint' }, 'No source recorded for this link.')])));
      });
      return h('article', { class: 'exposure-item', 'data-id': x.entity.id },
        h('div', { class: 'exposure-head' },
          h('button', { type: 'button', class: 'linklike', onclick: () => this.act.openEntity(x.entity.id) }, x.entity.name),
          h('span', { class: 'badge badge-sanction' }, x.designation.regime),
          h('span', { class: 'path-len' }, `${x.path.length} hop${x.path.length === 1 ? '' : 's'}`)),
        h('ol', { class: 'hop-list' }, ...steps),
        h('button', { type: 'button', class: 'exposure-show', 'aria-label': `Show path ${i + 1} on the chart`, onclick: () => void this.act.showPath(x.path) }, 'Show on chart'));
    });
    const head = others.length === 0
      ? `No designated party within ${MAX_HOPS} hops${self.length ? ' other than itself' : ''}.`
      : `${others.length} designation${others.length === 1 ? '' : 's'} within ${MAX_HOPS} hops, nearest first.`;
    sec.replaceChildren(h('h3', {}, `Sanctions exposure · ${others.length}`),
      self.length ? h('p', { class: 'hint' }, `Designated itself (${self.map((x) => x.designation.regime).join(', ')}).`) : '',
      h('p', { class: 'hint' }, head), ...items);
  }
}

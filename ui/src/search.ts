// Type-ahead entity search: a combobox whose listbox groups results by kind.
import { ApiError, search } from './api';
import type { EntityNode } from './types';
import { kindInfo } from './style';
import { kindMark } from './kinds';
import { h } from './ui';

export interface TypeAheadOptions {
  input: HTMLInputElement;
  list: HTMLElement;
  onPick: (entity: EntityNode) => void;
  /** Marks results that are already on the chart. */
  isOnChart?: (id: string) => boolean;
  /** How many results to ask for. */
  first?: number;
}

const DEBOUNCE_MS = 160;

export class TypeAhead {
  private readonly o: TypeAheadOptions;
  private results: EntityNode[] = [];
  private active = -1;
  private timer: number | undefined;
  private ctrl: AbortController | null = null;
  private seq = 0;
  private loaded: EntityNode[] = []; // every page fetched for the current query
  private cursor: string | null = null; // where the next page starts, if there is one
  private query = '';
  private pickTop = false; // Enter came before the results: pick the first

  constructor(o: TypeAheadOptions) {
    this.o = o;
    const { input } = o;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', o.list.id);
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('input', () => this.schedule());
    input.addEventListener('focus', () => {
      if (this.results.length > 0 && input.value.trim()) this.open();
    });
    input.addEventListener('blur', () => window.setTimeout(() => this.close(), 120));
    input.addEventListener('keydown', (ev) => this.onKey(ev));
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    const q = this.o.input.value.trim();
    if (!q) {
      this.results = [];
      this.cursor = null;
      this.close();
      return;
    }
    this.timer = window.setTimeout(() => void this.run(q), DEBOUNCE_MS);
  }

  private async run(q: string, more = false): Promise<void> {
    this.ctrl?.abort();
    this.ctrl = new AbortController();
    const seq = ++this.seq;
    this.o.list.setAttribute('aria-busy', 'true');
    try {
      const res = await search(q, this.o.first ?? 20, this.ctrl.signal, more ? (this.cursor ?? undefined) : undefined);
      if (seq !== this.seq) return;
      const keep = more ? this.loaded : [];
      this.loaded = [...keep, ...res.nodes];
      this.cursor = res.pageInfo.hasNextPage ? res.pageInfo.endCursor : null;
      this.query = q;
      this.render(this.loaded, res.totalCount, q, more ? res.nodes[0]?.id : undefined);
      if (this.pickTop && !more) {
        this.pickTop = false;
        if (this.results.length > 0) this.pick(0);
      }
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      if (seq !== this.seq) return;
      this.renderMessage(err instanceof ApiError ? err.message : String(err), true);
    } finally {
      if (seq === this.seq) this.o.list.removeAttribute('aria-busy');
    }
  }

  private render(nodes: EntityNode[], total: number, q: string, activeId?: string): void {
    const list = this.o.list;
    // The API's ranking, unchanged: the first option is the best match, and
    // Enter picks it. Each row says its kind and, when an alias matched
    // rather than the name, which one.
    this.results = [];
    list.replaceChildren();
    if (nodes.length === 0) {
      this.renderMessage(`No entity matches “${q}”.`);
      return;
    }
    for (const e of nodes) {
      const i = this.results.length;
      this.results.push(e);
      const onChart = this.o.isOnChart?.(e.id) ?? false;
      const info = kindInfo(e.kind);
      const alias = matchedAlias(q, e.name, e.aliases ?? []);
      list.append(h('div', {
        id: `${list.id}-opt-${i}`,
        role: 'option',
        class: 'result',
        'aria-selected': 'false',
        'data-id': e.id,
        'data-kind': e.kind,
        onmousedown: (ev: Event) => {
          ev.preventDefault(); // keep focus in the input
          this.pick(i);
        },
      },
      kindMark(e.kind),
      h('span', { class: 'result-name' }, e.name),
      h('span', { class: 'result-kind' }, info.label),
      alias ? h('span', { class: 'result-alias', title: 'The alias that matched' }, `alias: ${alias}`) : null,
      e.sanctioned ? h('span', { class: 'badge badge-sanction', title: 'Sanctioned' }, 'sanctioned') : null,
      onChart ? h('span', { class: 'badge', title: 'Already on the chart' }, 'on chart') : null,
      e.countries && e.countries.length ? h('span', { class: 'result-meta' }, e.countries.join(', ')) : null));
    }
    if (this.cursor) {
      // Picking this option fetches the next page (search's after cursor).
      list.append(h('div', {
        id: `${list.id}-opt-more`,
        role: 'option',
        class: 'result result-next',
        'aria-selected': 'false',
        onmousedown: (ev: Event) => {
          ev.preventDefault();
          void this.run(this.query, true);
        },
      }, `More results — ${nodes.length} of ${total} shown`));
    }
    // After "more", the first new result is the active one.
    this.setActive(Math.max(0, activeId ? this.results.findIndex((r) => r.id === activeId) : 0));
    this.open();
  }

  private renderMessage(msg: string, error = false): void {
    this.results = [];
    this.cursor = null;
    this.o.list.replaceChildren(h('div', { class: error ? 'result-more error' : 'result-more', role: 'presentation' }, msg));
    this.open();
  }

  private open(): void {
    this.o.list.hidden = false;
    this.o.input.setAttribute('aria-expanded', 'true');
  }

  close(): void {
    this.o.list.hidden = true;
    this.o.input.setAttribute('aria-expanded', 'false');
    this.o.input.removeAttribute('aria-activedescendant');
  }

  private setActive(i: number): void {
    const opts = this.o.list.querySelectorAll<HTMLElement>('[role=option]');
    opts.forEach((o) => o.setAttribute('aria-selected', 'false'));
    this.active = i;
    const el = opts[i];
    if (el) {
      el.setAttribute('aria-selected', 'true');
      this.o.input.setAttribute('aria-activedescendant', el.id);
      el.scrollIntoView({ block: 'nearest' });
    }
  }

  private onKey(ev: KeyboardEvent): void {
    const n = this.results.length + (this.cursor ? 1 : 0);
    switch (ev.key) {
      case 'ArrowDown':
        if (n) this.setActive((this.active + 1) % n);
        if (this.o.list.hidden && n) this.open();
        ev.preventDefault();
        break;
      case 'ArrowUp':
        if (n) this.setActive((this.active - 1 + n) % n);
        ev.preventDefault();
        break;
      case 'Enter':
        if (!this.o.list.hidden && this.active >= 0 && this.active < n && this.query === this.o.input.value.trim()) {
          ev.preventDefault();
          this.pick(this.active);
        } else if (this.o.input.value.trim()) {
          // Typed faster than the results came: search now, add the top one.
          ev.preventDefault();
          window.clearTimeout(this.timer);
          this.pickTop = true;
          void this.run(this.o.input.value.trim());
        }
        break;
      case 'Escape':
        if (!this.o.list.hidden) {
          ev.preventDefault();
          ev.stopPropagation();
          this.close();
        }
        break;
    }
  }

  private pick(i: number): void {
    if (i === this.results.length && this.cursor) {
      void this.run(this.query, true);
      return;
    }
    const e = this.results[i];
    if (!e) return;
    this.close();
    this.o.onPick(e);
  }
}


/** Folds case and diacritics, as the server's search does. */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The alias that matched query, when an alias matches it better than the
 * name does (the server matches names and aliases alike).
 */
export function matchedAlias(query: string, name: string, aliases: string[]): string | null {
  if (aliases.length === 0) return null;
  const q = fold(query).split(/\s+/).filter(Boolean);
  const score = (s: string) => {
    const words = fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    let hit = 0;
    for (const t of q) if (words.some((w) => w.startsWith(t))) hit++;
    return hit;
  };
  const nameScore = score(name);
  let best: string | null = null;
  let bestScore = nameScore;
  for (const a of aliases) {
    const sc = score(a);
    if (sc > bestScore) {
      best = a;
      bestScore = sc;
    }
  }
  return best;
}

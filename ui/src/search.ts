// Type-ahead entity search: a combobox whose listbox groups results by kind.
import { ApiError, search } from './api';
import type { EntityNode } from './types';
import { KINDS, kindInfo } from './style';
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
    // Group by kind (known kinds first, in a fixed order), keeping rank order within a group.
    const order = [...Object.keys(KINDS), ...new Set(nodes.map((n) => n.kind).filter((k) => !(k in KINDS)))];
    this.results = [];
    list.replaceChildren();
    if (nodes.length === 0) {
      this.renderMessage(`No entity matches “${q}”.`);
      return;
    }
    for (const kind of order) {
      const group = nodes.filter((n) => n.kind === kind);
      if (group.length === 0) continue;
      const info = kindInfo(kind);
      const gid = `${list.id}-g-${kind}`;
      const g = h('div', { role: 'group', 'aria-labelledby': gid, class: 'result-group' },
        h('div', { id: gid, class: 'result-heading', role: 'presentation' },
          h('span', { class: `kind-dot kind-${kind.toLowerCase()}`, 'aria-hidden': 'true' }), `${info.plural} · ${group.length}`));
      for (const e of group) {
        const i = this.results.length;
        this.results.push(e);
        const onChart = this.o.isOnChart?.(e.id) ?? false;
        const opt = h('div', {
          id: `${list.id}-opt-${i}`,
          role: 'option',
          class: 'result',
          'aria-selected': 'false',
          'data-id': e.id,
          onmousedown: (ev: Event) => {
            ev.preventDefault(); // keep focus in the input
            this.pick(i);
          },
        },
        h('span', { class: 'result-name' }, e.name),
        e.sanctioned ? h('span', { class: 'badge badge-sanction', title: 'Sanctioned' }, 'sanctioned') : null,
        onChart ? h('span', { class: 'badge', title: 'Already on the chart' }, 'on chart') : null,
        e.countries && e.countries.length ? h('span', { class: 'result-meta' }, e.countries.join(', ')) : null);
        g.append(opt);
      }
      list.append(g);
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
        if (!this.o.list.hidden && this.active >= 0 && this.active < n) {
          ev.preventDefault();
          this.pick(this.active);
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


// Pages over the chart (screening, duplicates): each has its own address,
// "?view=NAME", so it can be bookmarked and reloaded. The view lives in the
// query string because the hash is the chart's and the path the case's
// (history.ts keeps both); the chart stays loaded underneath, so "add to
// chart" on a page puts the entity on the very chart it goes back to.
import { h } from './ui';

export interface PageDef {
  name: string;
  title: string;
  /** Builds the page's content once, when it is first opened. */
  build: (body: HTMLElement) => void;
  /** Called each time the page is shown. */
  shown?: () => void;
  /** Called each time the page is left. */
  hidden?: () => void;
}

interface Mounted {
  def: PageDef;
  el: HTMLElement;
  built: boolean;
}

const PARAM = 'view';

export class Pages {
  private readonly pages = new Map<string, Mounted>();
  private current: string | null = null;

  constructor() {
    window.addEventListener('popstate', () => this.sync());
  }

  add(def: PageDef): void {
    const close = h('button', { type: 'button', class: 'page-close', 'data-close': def.name, onclick: () => this.close() }, '← Back to the chart');
    const el = h('section', { class: 'page-view', id: `page-${def.name}`, 'aria-labelledby': `page-${def.name}-h`, hidden: true },
      h('header', { class: 'page-head' }, h('h1', { id: `page-${def.name}-h` }, def.title),
        h('nav', { class: 'page-tabs', 'aria-label': 'Pages' }), close),
      h('div', { class: 'page-body' }));
    document.body.append(el);
    this.pages.set(def.name, { def, el, built: false });
  }

  /** The page open now, or null when the chart is shown. */
  open(): string | null {
    return this.current;
  }

  isOpen(): boolean {
    return this.current !== null;
  }

  /** The address of a page, keeping the chart's path and hash. */
  href(name: string | null): string {
    const q = new URLSearchParams(window.location.search);
    if (name) q.set(PARAM, name);
    else q.delete(PARAM);
    const s = q.toString();
    return `${window.location.pathname}${s ? `?${s}` : ''}${window.location.hash}`;
  }

  show(name: string): void {
    if (!this.pages.has(name)) return;
    window.history.replaceState(window.history.state, '', this.href(name));
    this.sync();
  }

  close(): void {
    window.history.replaceState(window.history.state, '', this.href(null));
    this.sync();
  }

  /** Shows the page the address names (none: the chart). */
  sync(): void {
    const want = new URLSearchParams(window.location.search).get(PARAM);
    const name = want && this.pages.has(want) ? want : null;
    for (const [n, p] of this.pages) {
      const on = n === name;
      if (on && !p.built) {
        p.built = true;
        p.def.build(p.el.querySelector<HTMLElement>('.page-body')!);
      }
      if (p.el.hidden === !on) continue;
      p.el.hidden = !on;
      if (on) p.def.shown?.();
      else p.def.hidden?.();
    }
    this.current = name;
    document.body.classList.toggle('page-open', name !== null);
    for (const a of document.querySelectorAll<HTMLElement>('[data-page]')) {
      if (a.dataset.page === name) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    if (name) document.getElementById(`page-${name}-h`)?.setAttribute('tabindex', '-1');
  }

  /**
   * Once every page is added: each page's header links to all of them, and
   * links with data-page open their page here (a new tab still gets the
   * address).
   */
  wire(): void {
    for (const { el } of this.pages.values()) {
      el.querySelector('.page-tabs')?.replaceChildren(...[...this.pages.values()].map(({ def }) =>
        h('a', { class: 'page-tab', 'data-page': def.name, href: `/?${PARAM}=${def.name}` }, def.title)));
    }
    for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-page]')) {
      const name = a.dataset.page!;
      a.addEventListener('click', (ev) => {
        if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
        ev.preventDefault();
        this.show(name);
      });
      a.addEventListener('focus', () => a.setAttribute('href', this.href(name)));
      a.addEventListener('mouseenter', () => a.setAttribute('href', this.href(name)));
    }
  }
}

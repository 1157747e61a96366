// The context menu of an entity on the chart (right-click, the context
// menu key or Shift+F10): expand by link type, hide, pin, remove, bundle
// its leaves, paths from here, open in the timeline. It only shows the
// choices; what they do is passed in by main.ts.
import { linkTypeLabel } from './style';
import { h } from './ui';

export interface EntityMenuActions {
  /** Link types of the entity with how many links of each (from the API). */
  linkTypes: (id: string) => Promise<Map<string, number>>;
  expand: (id: string, types?: string[]) => void;
  hide: (id: string) => void;
  togglePin: (id: string) => void;
  isPinned: (id: string) => boolean;
  remove: (id: string) => void;
  pathsFrom: (id: string) => void;
  openTimeline: (id: string) => void;
  /** How many leaves hang only off the entity (bundle them when >= 2). */
  leafCount: (id: string) => number;
  bundle: (id: string) => void;
  selectNeighbours: (id: string) => void;
}

export class EntityMenu {
  private readonly root: HTMLElement;
  private readonly act: EntityMenuActions;
  private seq = 0;
  private returnFocus: HTMLElement | null = null;

  constructor(parent: HTMLElement, act: EntityMenuActions) {
    this.act = act;
    this.root = h('div', { id: 'entity-menu', class: 'ctx-menu', role: 'menu', 'aria-label': 'Entity actions', hidden: true });
    parent.append(this.root);
    this.root.addEventListener('keydown', (ev) => this.onKey(ev));
    document.addEventListener('mousedown', (ev) => {
      if (!this.root.hidden && !this.root.contains(ev.target as Node)) this.close();
    });
  }

  isOpen(): boolean {
    return !this.root.hidden;
  }

  /** Opens the menu of entity id at (x, y) in the page. */
  open(id: string, name: string, x: number, y: number): void {
    const seq = ++this.seq;
    this.returnFocus = document.activeElement as HTMLElement | null;
    const item = (label: string, run: () => void, attrs: Record<string, string> = {}) =>
      h('button', {
        type: 'button', role: 'menuitem', class: 'ctx-item', ...attrs,
        onclick: () => {
          this.close();
          run();
        },
      }, label);
    const types = h('div', { class: 'ctx-group', role: 'group', 'aria-label': 'Expand by link type' },
      h('div', { class: 'ctx-note' }, 'Loading link types…'));
    const leaves = this.act.leafCount(id);
    this.root.replaceChildren(
      h('div', { class: 'ctx-title', role: 'presentation' }, name),
      item('Expand all links', () => this.act.expand(id), { 'data-action': 'expand' }),
      types,
      h('div', { class: 'menu-sep', role: 'separator' }),
      item('Select neighbours', () => this.act.selectNeighbours(id), { 'data-action': 'neighbours' }),
      item('Paths from here…', () => this.act.pathsFrom(id), { 'data-action': 'paths' }),
      item('Open in timeline', () => this.act.openTimeline(id), { 'data-action': 'timeline' }),
      h('div', { class: 'menu-sep', role: 'separator' }),
      item(this.act.isPinned(id) ? 'Unpin' : 'Pin in place', () => this.act.togglePin(id), { 'data-action': 'pin' }),
      ...(leaves >= 2 ? [item(`Bundle ${leaves} leaves`, () => this.act.bundle(id), { 'data-action': 'bundle' })] : []),
      item('Hide', () => this.act.hide(id), { 'data-action': 'hide' }),
      item('Remove from chart', () => this.act.remove(id), { 'data-action': 'remove' }),
    );
    this.root.hidden = false;
    this.place(x, y);
    this.root.querySelector<HTMLElement>('[role=menuitem]')?.focus();
    void this.act.linkTypes(id).then((m) => {
      if (seq !== this.seq || this.root.hidden) return;
      const rows = [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      types.replaceChildren(...(rows.length === 0
        ? [h('div', { class: 'ctx-note' }, 'No links.')]
        : rows.map(([t, n]) => item(`Expand ${linkTypeLabel(t)} · ${n}`, () => this.act.expand(id, [t]), { 'data-action': 'expand-type', 'data-type': t }))));
      this.place(x, y); // the rows made it taller
    }).catch((err: unknown) => {
      if (seq === this.seq) types.replaceChildren(h('div', { class: 'ctx-note error' }, err instanceof Error ? err.message : String(err)));
    });
  }

  /** Puts the menu at (x, y), moved as far as needed to stay inside the window. */
  private place(x: number, y: number): void {
    const w = this.root.offsetWidth;
    const hgt = this.root.offsetHeight;
    this.root.style.left = `${Math.max(4, Math.min(x, window.innerWidth - w - 4))}px`;
    this.root.style.top = `${Math.max(4, Math.min(y, window.innerHeight - hgt - 4))}px`;
  }

  close(): void {
    if (this.root.hidden) return;
    this.root.hidden = true;
    this.seq++;
    this.returnFocus?.focus();
  }

  private onKey(ev: KeyboardEvent): void {
    const items = [...this.root.querySelectorAll<HTMLElement>('[role=menuitem]')];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (ev.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (ev.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else if (ev.key === 'Escape') this.close();
    else if (ev.key === 'Tab') this.close();
    else return;
    ev.preventDefault();
    ev.stopPropagation();
  }
}

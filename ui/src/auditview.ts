// The admin view of the audit log: who did what and when, newest first,
// filtered by actor and by time, paged with "Load more".
import * as api from './api';
import type { AuditEntry } from './api';
import { ApiError } from './api';
import { h } from './ui';

export class AuditView {
  private readonly dialog: HTMLDialogElement;
  private readonly actor: HTMLInputElement;
  private readonly since: HTMLInputElement;
  private readonly rows: HTMLElement;
  private readonly status: HTMLElement;
  private readonly more: HTMLButtonElement;
  private cursor: string | null = null;
  private seq = 0;

  constructor() {
    this.actor = h('input', { type: 'search', id: 'audit-actor', placeholder: 'e.g. editor:3f2a…', autocomplete: 'off' });
    this.since = h('input', { type: 'datetime-local', id: 'audit-since', step: 1 });
    this.rows = h('tbody', { id: 'audit-rows' });
    this.status = h('p', { class: 'hint', id: 'audit-status', role: 'status' });
    this.more = h('button', { type: 'button', id: 'audit-more', hidden: true, onclick: () => void this.load(true) }, 'Load more');
    const form = h('form', { class: 'audit-filters', id: 'audit-form' },
      h('label', { class: 'field' }, 'Actor', this.actor),
      h('label', { class: 'field' }, 'Since (local time)', this.since),
      h('button', { type: 'submit', class: 'primary', id: 'audit-apply' }, 'Filter'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.load(false);
    });
    this.dialog = h('dialog', { id: 'audit-dialog', class: 'audit-dialog', 'aria-labelledby': 'audit-h' },
      h('header', { class: 'doc-head' }, h('h2', { id: 'audit-h' }, 'Audit log'),
        h('button', { type: 'button', id: 'audit-close', onclick: () => this.dialog.close() }, 'Close')),
      form,
      this.status,
      h('div', { class: 'audit-scroll' },
        h('table', { class: 'audit-table', id: 'audit-table' },
          h('thead', {}, h('tr', {}, ...['Time', 'Actor', 'Role', 'Kind', 'Operation', 'Outcome', 'ms'].map((t) => h('th', {}, t)))),
          this.rows)),
      this.more);
    document.body.append(this.dialog);
  }

  open(): void {
    if (!this.dialog.open) this.dialog.showModal();
    void this.load(false);
  }

  private sinceValue(): string | null {
    const v = this.since.value;
    if (!v) return null;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }

  private async load(more: boolean): Promise<void> {
    const seq = ++this.seq;
    this.status.textContent = 'Loading…';
    try {
      const page = await api.auditLog({
        first: 50,
        after: more ? this.cursor : null,
        since: this.sinceValue(),
        actor: this.actor.value.trim() || null,
      });
      if (seq !== this.seq) return;
      if (!more) this.rows.replaceChildren();
      this.rows.append(...page.nodes.map(row));
      this.cursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      this.more.hidden = !this.cursor;
      const n = this.rows.children.length;
      this.status.textContent = n === 0 ? 'No entry matches.' : `${n} entr${n === 1 ? 'y' : 'ies'}${this.cursor ? ', more to load' : ''}.`;
    } catch (err) {
      if (seq !== this.seq) return;
      this.rows.replaceChildren();
      this.more.hidden = true;
      this.status.textContent = err instanceof ApiError && err.code === 'FORBIDDEN'
        ? 'Only an admin can read the audit log.'
        : `The audit log is not available: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}

function row(e: AuditEntry): HTMLElement {
  const when = new Date(e.time);
  return h('tr', { 'data-seq': String(e.seq), 'data-actor': e.actor, class: e.outcome === 'ok' ? '' : 'audit-error' },
    h('td', { title: e.time }, Number.isNaN(when.getTime()) ? e.time : when.toLocaleString()),
    h('td', {}, e.actor),
    h('td', {}, e.role),
    h('td', {}, e.kind),
    h('td', { title: e.target ?? '' }, e.operation ?? e.target ?? ''),
    h('td', {}, e.outcome),
    h('td', { class: 'num' }, e.durationMs.toFixed(1)));
}

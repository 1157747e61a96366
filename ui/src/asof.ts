// The "as of" date in the toolbar: the chart as it stood on a day. A date
// (YYYY, YYYY-MM or YYYY-MM-DD, as the API takes them) re-queries the
// chart's entities and their links at that date: links not in force then
// are dropped, links in force that were not drawn come back, and each
// entity's `sanctioned` is the designations in force then, so the red ring
// is gone before the listing date. Every later query passes the same date
// (api.at). Clearing the field returns to the undated chart. The date
// lives in timestate.ts, so the URL, the history and cases carry it.
import * as api from './api';
import type { Chart } from './chart';
import { onTimeState, setTimeState, timeState, type TimeOrigin } from './timestate';
import { busy, h, toast } from './ui';
import './asof.css';

export interface AsOfDeps {
  chart: Chart;
  /** The control goes right after this element of the toolbar. */
  after: HTMLElement;
  /** After the chart was re-queried: status, overlays, details. */
  refreshed(): void;
  report(err: unknown, what: string): void;
}

export class AsOfControl {
  readonly input: HTMLInputElement;
  private readonly clear: HTMLButtonElement;
  private seq = 0;
  /** Whether the chart was ever shown at a date (undo may bring such a chart back). */
  private dated = false;

  constructor(private readonly deps: AsOfDeps) {
    this.input = h('input', {
      type: 'text', id: 'asof-input', class: 'asof-input', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false',
      placeholder: 'YYYY-MM-DD', size: 10, maxlength: 10,
      title: 'Show the chart as of a date (YYYY, YYYY-MM or YYYY-MM-DD): the links and designations in force then. Empty: every link.',
      'aria-describedby': 'asof-message',
    });
    this.clear = h('button', {
      type: 'button', id: 'asof-clear', class: 'asof-clear', title: 'Clear the as-of date', 'aria-label': 'Clear the as-of date', hidden: true,
      onclick: () => this.set(''),
    }, '×');
    const label = h('label', { class: 'tool-select tool-asof', for: 'asof-input' }, 'As of', this.input, this.clear,
      h('span', { id: 'asof-message', class: 'sr-only', role: 'status' }));
    deps.after.after(label);
    this.input.addEventListener('change', () => this.set(this.input.value));
    this.input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') this.set(this.input.value);
      else if (ev.key === 'Escape') this.show(timeState().asOf);
      else return;
      ev.preventDefault();
      ev.stopPropagation();
    });
    onTimeState((s, prev, origin) => {
      if (s.asOf === prev.asOf) return;
      this.show(s.asOf);
      if (requeries(origin)) void this.requery();
    });
    this.show(timeState().asOf);
  }

  /** Applies what was typed: a date, or nothing for the undated chart. */
  private set(value: string): void {
    const v = value.trim();
    if (v === (timeState().asOf ?? '')) {
      this.show(timeState().asOf);
      return;
    }
    try {
      setTimeState({ asOf: v || null }, 'user');
    } catch (err) {
      // Nothing changes; the field keeps what was typed, marked, to correct.
      const msg = err instanceof Error ? err.message : String(err);
      this.input.setAttribute('aria-invalid', 'true');
      document.getElementById('asof-message')!.textContent = msg;
      toast(msg, 'warn', 6000);
    }
  }

  /**
   * After undo or redo: a chart saved at another date comes back with that
   * date's links, so it is read again at the current one.
   */
  reconcile(): void {
    if (this.dated) void this.requery();
  }

  private show(asOf: string | null): void {
    if (asOf) this.dated = true;
    this.input.value = asOf ?? '';
    this.input.removeAttribute('aria-invalid');
    this.clear.hidden = !asOf;
    document.body.classList.toggle('dated', !!asOf);
    document.getElementById('asof-message')!.textContent = asOf ? `Chart as of ${asOf}` : '';
  }

  /**
   * Re-reads the chart's entities and their links at the current date (a
   * later change wins over an answer still on its way).
   */
  async requery(): Promise<void> {
    const seq = ++this.seq;
    const { chart } = this.deps;
    const asOf = timeState().asOf;
    const ids = chart.nodeIds().filter((id) => !chart.node(id)?.data('missing'));
    try {
      if (ids.length > 0) {
        const got = await busy(asOf ? `Loading the chart as of ${asOf}…` : 'Loading the undated chart…', () => api.entitiesWithLinks(ids));
        if (seq !== this.seq) return;
        const asked = new Set(ids);
        const inForce = new Set(got.flatMap((g) => g.links.map((l) => l.id)));
        // Links among the entities asked about that the answer leaves out.
        const drop = chart.cy.edges()
          .filter((e) => !e.data('bundle') && asked.has(e.source().id()) && asked.has(e.target().id()) && !inForce.has(e.id()))
          .map((e) => e.id());
        chart.remove(drop);
        const still = got.filter((g) => chart.has(g.entity.id));
        chart.add(still.map((g) => g.entity), still.flatMap((g) => g.links));
      }
    } catch (err) {
      if (seq === this.seq) this.deps.report(err, asOf ? `Could not load the chart as of ${asOf}` : 'Could not load the chart');
    }
    if (seq === this.seq) this.deps.refreshed();
  }
}

/** Whether a change of the date re-queries the chart (else its chart comes with it). */
function requeries(origin: TimeOrigin): boolean {
  return origin === 'user' || origin === 'url';
}

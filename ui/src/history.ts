// The chart's history in the browser's: every change of what is on the
// chart (entities added or removed, pinned, hidden) is a history entry
// (pushState) holding the chart as it was, so Back and Forward move through
// it, in a case (/case/ID) or on a plain chart (/#ids=...). Moves and
// layouts update the current entry instead of adding one. A change of the
// as-of date is a step too: Back returns to the previous date and its chart
// (the date is read back from the URL, or from the entry in a case, whose
// address has no hash).
import type { ElementDefinition } from 'cytoscape';
import type { Chart } from './chart';
import { chartHash, readTimeParams } from './urlstate';
import { setTimeState, timeState, type TimeState } from './timestate';

export interface HistoryState {
  skein: 1;
  caseId: string | null;
  key: string;
  elements: ElementDefinition[];
  /** The chart's time when the entry was written (timestate.ts). */
  time?: TimeState;
}

export function isHistoryState(s: unknown): s is HistoryState {
  return typeof s === 'object' && s !== null && (s as HistoryState).skein === 1 && Array.isArray((s as HistoryState).elements);
}

/** The address of a chart: its case, or the ids (and pins) in the hash. */
export function chartUrl(caseId: string | null, ids: string[], pinned: string[]): string {
  if (caseId) return `/case/${encodeURIComponent(caseId)}${window.location.search}`;
  return `/${window.location.search}${chartHash(ids, pinned)}`;
}

/** The case id of a /case/ID address, or null. */
export function caseIdFromPath(path = window.location.pathname): string | null {
  const m = /^\/case\/([^/]+)\/?$/.exec(path);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

export class ChartHistory {
  private quiet = 0;
  /** Off until the page's own chart (its case or its hash) is loaded. */
  started = false;
  private refreshTimer: number | undefined;

  constructor(
    private readonly chart: Chart,
    private readonly caseId: () => string | null,
    onPop: (state: HistoryState) => void,
  ) {
    window.addEventListener('popstate', (ev) => {
      if (!isHistoryState(ev.state)) return;
      const s = ev.state as HistoryState;
      // The entry brings its chart as of its date: no re-query.
      setTimeState(s.caseId ? s.time ?? { asOf: null, window: null } : readTimeParams(), 'history');
      this.silently(() => onPop(s));
    });
    // Positions change without a new entry: keep the current one up to date.
    chart.cy.on('dragfree layoutstop', () => {
      window.clearTimeout(this.refreshTimer);
      this.refreshTimer = window.setTimeout(() => this.replace(), 300);
    });
  }

  /** The key of what is on the chart: a change of it is a history step. */
  private key(): string {
    const c = this.chart;
    return `${this.caseId() ?? ''}|${c.nodeIds().join(',')}|${c.pinnedIds().join(',')}|${c.hiddenIds().join(',')}|${timeState().asOf ?? ''}`;
  }

  private state(): HistoryState {
    return { skein: 1, caseId: this.caseId(), key: this.key(), elements: this.chart.elementsJson(), time: timeState() };
  }

  private url(): string {
    return chartUrl(this.caseId(), this.chart.nodeIds(), this.chart.pinnedIds());
  }

  /** Whether a change should not add an entry (while one is restored or loaded). */
  get suspended(): boolean {
    return this.quiet > 0;
  }

  /** Runs fn (sync or async) with recording turned into replacing the current entry. */
  silently<T>(fn: () => T): T {
    this.quiet++;
    let out: T;
    try {
      out = fn();
    } catch (err) {
      this.quiet--;
      throw err;
    }
    if (out instanceof Promise) {
      return out.finally(() => {
        this.quiet--;
        this.replace();
      }) as T;
    }
    this.quiet--;
    this.replace();
    return out;
  }

  /**
   * Called after every change: a new entry when what is on the chart
   * changed (the first one replaces the page's own entry), else the current
   * entry is refreshed.
   */
  record(): void {
    if (!this.started) return;
    const cur = window.history.state;
    if (this.suspended || !isHistoryState(cur) || cur.key === this.key()) {
      this.replace();
      return;
    }
    window.history.pushState(this.state(), '', this.url());
  }

  /** A new entry now (opening or closing a case). */
  push(): void {
    if (!this.started) return;
    window.history.pushState(this.state(), '', this.url());
  }

  replace(): void {
    if (!this.started) return;
    window.history.replaceState(this.state(), '', this.url());
  }
}

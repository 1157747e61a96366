// The chart's time: the "as of" date the chart is queried at and the
// timeline's window that filters what is drawn. One small store, so the
// URL, the timeline, the as-of control and saved cases (which keep both)
// read and write the same thing:
//
//   import { timeState, setTimeState, onTimeState } from './timestate';
//   const { asOf, window } = timeState();            // save
//   setTimeState({ asOf: '2021-06', window: null });  // restore
//
// Listeners run after every change that changes something, told where it
// came from: only a change by the user or the URL re-queries the chart
// (asof.ts); one restored from the history or a case brings its chart.
import { isDate, type DateRange } from './dates';

export interface TimeState {
  /** The chart shows the links and designations in force at this date. */
  asOf: string | null;
  /** The timeline's window: only links overlapping it are drawn. */
  window: DateRange | null;
}

/** Where a change came from. */
export type TimeOrigin = 'user' | 'url' | 'history' | 'case';

type Listener = (s: TimeState, prev: TimeState, origin: TimeOrigin) => void;

let state: TimeState = { asOf: null, window: null };
const listeners = new Set<Listener>();

export function timeState(): TimeState {
  return { asOf: state.asOf, window: state.window ? { ...state.window } : null };
}

/**
 * Changes the as-of date and/or the window (keys left out stay). Invalid
 * dates throw, naming the value; a window with both ends open is no window.
 */
export function setTimeState(next: Partial<TimeState>, origin: TimeOrigin = 'user'): void {
  const asOf = 'asOf' in next ? clean(next.asOf ?? null, 'as-of date') : state.asOf;
  let window = 'window' in next ? next.window ?? null : state.window;
  if (window) {
    window = { from: clean(window.from, 'window start'), to: clean(window.to, 'window end') };
    if (!window.from && !window.to) window = null;
  }
  const prev = state;
  if (prev.asOf === asOf && sameWindow(prev.window, window)) return;
  state = { asOf, window };
  for (const l of [...listeners]) l(timeState(), prev, origin);
}

/** Calls fn after every change; returns the function that stops it. */
export function onTimeState(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function sameWindow(a: DateRange | null, b: DateRange | null): boolean {
  return (a?.from ?? null) === (b?.from ?? null) && (a?.to ?? null) === (b?.to ?? null);
}

function clean(s: string | null, what: string): string | null {
  const v = s?.trim() || null;
  if (v !== null && !isDate(v)) throw new Error(`"${v}" is not a date for the ${what}: use YYYY, YYYY-MM or YYYY-MM-DD.`);
  return v;
}

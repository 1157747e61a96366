// The chart in the URL: "#ids=a,b,c" lists the entities on the chart, so a
// chart can be bookmarked, shared and reloaded. The hash never reaches the
// server, so a long chart costs nothing there.
//
// An id may hold any character but white space and controls (the server's
// graph.ValidateID), commas, "%", "+", "&", "#" and "=" included. Each id is
// percent-encoded on its own and the list is split on the raw commas before
// any decoding, so an encoded comma stays inside its id. The hash is not
// read as a query string: that would decode "%2C" before the split and turn
// "+" into a space.
import { isDate } from './dates';
import { timeState, type TimeState } from './timestate';

export function readChartIds(): string[] {
  const ids: string[] = [];
  for (const param of window.location.hash.replace(/^#/, '').split('&')) {
    if (!param.startsWith('ids=')) continue;
    for (const piece of param.slice('ids='.length).split(',')) {
      const id = decodeId(piece);
      if (id) ids.push(id);
    }
  }
  return [...new Set(ids)];
}

/** Entities pinned in place ("&pin=a,b"), so a reload keeps them pinned. */
export function readPinnedIds(): string[] {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  return [...new Set((params.get('pin') ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
}

/**
 * The hash of a chart: "#ids=a,b", "&pin=a" when some are pinned, and the
 * chart's time (timestate.ts): "&asof=2021-06" (the date the chart is
 * queried at), "&from=2019&to=2021-07" (the timeline's window, either end
 * may be left out). Dates are plain ISO text, so they need no escaping.
 */
export function chartHash(ids: string[], pinned: string[] = []): string {
  const parts: string[] = [];
  if (ids.length) parts.push(`ids=${ids.map(encodeId).join(',')}`);
  if (ids.length && pinned.length) parts.push(`pin=${pinned.map(encodeId).join(',')}`);
  const t = timeState();
  if (t.asOf) parts.push(`asof=${t.asOf}`);
  if (t.window?.from) parts.push(`from=${t.window.from}`);
  if (t.window?.to) parts.push(`to=${t.window.to}`);
  return parts.length ? `#${parts.join('&')}` : '';
}

export function writeChartIds(ids: string[], pinned: string[] = []): void {
  replaceHash(chartHash(ids, pinned));
}

/** The chart's time as the URL gives it (dates that do not parse are left out). */
export function readTimeParams(): TimeState {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const date = (k: string) => {
    const v = params.get(k)?.trim() ?? '';
    return isDate(v) ? v : null;
  };
  const from = date('from');
  const to = date('to');
  return { asOf: date('asof'), window: from || to ? { from, to } : null };
}

/** Rewrites the time of the hash, keeping the chart (ids, pins) as it is written. */
export function writeTimeParams(): void {
  const keep = window.location.hash.replace(/^#/, '').split('&').filter((p) => p.startsWith('ids=') || p.startsWith('pin='));
  const time = chartHash([]).replace(/^#/, '');
  const parts = [...keep, ...(time ? [time] : [])];
  replaceHash(parts.length ? `#${parts.join('&')}` : '');
}

/** Replaces the address's hash, keeping the history entry's state (history.ts). */
function replaceHash(hash: string): void {
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(window.history.state, '', url);
  }
}

/** Keeps ids readable (":" stays) while escaping what would break the list. */
function encodeId(id: string): string {
  return encodeURIComponent(id).replace(/%3A/gi, ':');
}

/**
 * One id of the list; a piece that is not valid percent-encoding (typed by
 * hand) is taken as it stands rather than dropped.
 */
function decodeId(piece: string): string {
  let id = piece;
  try {
    id = decodeURIComponent(piece);
  } catch {
    // URIError: a stray "%"; keep the piece.
  }
  return id.trim();
}

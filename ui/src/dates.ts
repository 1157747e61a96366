// Dates as the API gives them: ISO 8601 at the source's precision (YYYY,
// YYYY-MM or YYYY-MM-DD), a partial date covering its whole period. The
// same rules as the server's (graph/time.go), so the chart's time filter
// keeps exactly what an asOf/during query would: a link is in a window when
// its start is unknown or no later than the window's last day, and its end
// is unknown or no earlier than the window's first day.

/** A day as a count of days since 1970-01-01 (UTC). */
export type Day = number;

export type Period = 'YEAR' | 'MONTH' | 'DAY';

/** A window of time; either bound may be open (null). */
export interface DateRange {
  from: string | null;
  to: string | null;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const MS_DAY = 86_400_000;

function dayOf(y: number, m: number, d: number): Day {
  return Math.round(Date.UTC(y, m - 1, d) / MS_DAY);
}

/**
 * The first and last day a date covers, or null when it is not a valid
 * date (a month 13, a 30 February, a free text).
 */
export function span(s: string): [Day, Day] | null {
  const m = DATE.exec(s.trim());
  if (!m) return null;
  const y = Number(m[1]);
  if (m[2] === undefined) return [dayOf(y, 1, 1), dayOf(y + 1, 1, 1) - 1];
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  if (m[3] === undefined) return [dayOf(y, mo, 1), dayOf(y, mo + 1, 1) - 1];
  const d = Number(m[3]);
  const last = dayOf(y, mo + 1, 1) - dayOf(y, mo, 1);
  if (d < 1 || d > last) return null;
  const day = dayOf(y, mo, d);
  return [day, day];
}

/** Whether s is a date the API accepts. */
export function isDate(s: string): boolean {
  return span(s) !== null;
}

/** The ISO day (YYYY-MM-DD) of a day number. */
export function isoDay(day: Day): string {
  return new Date(day * MS_DAY).toISOString().slice(0, 10);
}

/** The period (YYYY, YYYY-MM or YYYY-MM-DD) a day falls in. */
export function periodOf(day: Day, by: Period): string {
  const iso = isoDay(day);
  return by === 'YEAR' ? iso.slice(0, 4) : by === 'MONTH' ? iso.slice(0, 7) : iso;
}

/** The period after p (same precision). */
export function nextPeriod(p: string, by: Period): string {
  const s = span(p);
  if (!s) throw new Error(`not a date: ${p}`);
  return periodOf(s[1] + 1, by);
}

/** The days of a window: [first, last], open ends as -/+Infinity. */
export function windowDays(w: DateRange): [number, number] {
  const from = w.from ? span(w.from)?.[0] ?? -Infinity : -Infinity;
  const to = w.to ? span(w.to)?.[1] ?? Infinity : Infinity;
  return [from, to];
}

/**
 * Whether a link with these dates overlaps the window (so is in force at
 * some time in it). An unknown start or end is open, as on the server; an
 * unparseable date is treated as unknown.
 */
export function overlaps(start: string | null | undefined, end: string | null | undefined, w: DateRange): boolean {
  const [from, to] = windowDays(w);
  const s = start ? span(start)?.[0] ?? -Infinity : -Infinity;
  const e = end ? span(end)?.[1] ?? Infinity : Infinity;
  return s <= to && e >= from;
}

/** How a link's dates read: "2019-03 – 2021", "since 2019-03", "until 2021", "" if undated. */
export function dateText(start: string | null | undefined, end: string | null | undefined): string {
  if (start && end) return start === end ? start : `${start} – ${end}`;
  if (start) return `since ${start}`;
  if (end) return `until ${end}`;
  return '';
}

/** The window as the analyst reads it: "2019-03 – 2021-07", "from 2019", "to 2021". */
export function windowText(w: DateRange): string {
  if (w.from && w.to) return w.from === w.to ? w.from : `${w.from} – ${w.to}`;
  if (w.from) return `from ${w.from}`;
  if (w.to) return `to ${w.to}`;
  return 'all time';
}

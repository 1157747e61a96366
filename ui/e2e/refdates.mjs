// The tests' own calendar arithmetic for dates as the API writes them
// (YYYY, YYYY-MM or YYYY-MM-DD, a partial date covering its whole period),
// written apart from the UI's code so that expected figures do not come
// from the code under test.

export const pad = (n) => String(n).padStart(2, '0');

/** First and last ISO day a date covers (calendar arithmetic, not the UI's code). */
export function days(d) {
  const [y, m, day] = d.split('-').map(Number);
  if (day) return [d, d];
  if (m) return [`${y}-${pad(m)}-01`, `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`];
  return [`${y}-01-01`, `${y}-12-31`];
}

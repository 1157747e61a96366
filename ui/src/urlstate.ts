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

/** The hash of a chart: "#ids=a,b" and "&pin=a" when some are pinned, or "". */
export function chartHash(ids: string[], pinned: string[] = []): string {
  let hash = ids.length ? `#ids=${ids.map(encodeId).join(',')}` : '';
  if (ids.length && pinned.length) hash += `&pin=${pinned.map(encodeId).join(',')}`;
  return hash;
}

export function writeChartIds(ids: string[], pinned: string[] = []): void {
  const hash = chartHash(ids, pinned);
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(null, '', url);
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

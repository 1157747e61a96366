// The chart in the URL: "#ids=a,b,c" lists the entities on the chart, so a
// chart can be bookmarked, shared and reloaded. The hash never reaches the
// server, so a long chart costs nothing there.

export function readChartIds(): string[] {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const raw = params.get('ids') ?? '';
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
}

/** Entities pinned in place ("&pin=a,b"), so a reload keeps them pinned. */
export function readPinnedIds(): string[] {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  return [...new Set((params.get('pin') ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
}

export function writeChartIds(ids: string[], pinned: string[] = []): void {
  let hash = ids.length ? `#ids=${ids.map(encodeId).join(',')}` : '';
  if (ids.length && pinned.length) hash += `&pin=${pinned.map(encodeId).join(',')}`;
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(null, '', url);
  }
}

/** Keeps ids readable (":" stays) while escaping what would break the list. */
function encodeId(id: string): string {
  return encodeURIComponent(id).replace(/%3A/gi, ':');
}

// Small DOM helpers shared by the panels.

/** Creates an element with attributes and children; text is escaped. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined | ((ev: Event) => void)> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

let toastTimer: number | undefined;

/** Shows a short message over the chart. Messages that matter stay longer. */
export function toast(message: string, kind: 'info' | 'warn' | 'error' = 'info', ms = 6000): void {
  const el = byId('toast');
  el.textContent = message;
  el.dataset.kind = kind;
  el.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => {
    el.hidden = true;
  }, ms);
}

export function statusMessage(message: string): void {
  byId('status-msg').textContent = message;
}

/** Runs fn while the status bar says what is happening. */
export async function busy<T>(what: string, fn: () => Promise<T>): Promise<T> {
  statusMessage(what);
  document.body.classList.add('busy');
  try {
    return await fn();
  } finally {
    document.body.classList.remove('busy');
    if (byId('status-msg').textContent === what) statusMessage('');
  }
}

export function download(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 5000);
}

// Source quotes: each quote links to its document, which opens in a viewer
// with the quote highlighted, so an analyst can read it in context. Within
// one entity's details a quote is shown once; a repeat points back to it.
import type { SourceRef } from './types';
import { h } from './ui';

/** Collects the quotes already shown in one panel. */
export class QuoteSet {
  private readonly seen = new Set<string>();

  /** A quote block, or a short back-reference when it was shown already. */
  el(s: SourceRef): HTMLElement {
    const key = `${s.document?.id ?? ''}\u0000${s.quote}`;
    if (this.seen.has(key)) {
      return h('p', { class: 'quote-again' }, '— the same source quote as above');
    }
    this.seen.add(key);
    return quoteEl(s);
  }
}

export function quoteEl(s: SourceRef): HTMLElement {
  const title = s.document?.title ?? s.document?.id ?? 'unknown source';
  const cite = s.document
    ? h('a', {
      href: documentHref(s.document.id, s.quote),
      class: 'doc-link',
      title: 'Open the document at this quote',
      onclick: (ev: Event) => {
        ev.preventDefault();
        if (s.document) void viewer().open(s.document.id, title, s.quote);
      },
    }, h('cite', {}, title))
    : h('cite', {}, title);
  return h('figure', { class: 'quote' },
    h('blockquote', {}, s.quote),
    h('figcaption', { title }, '— ', cite));
}

/** The document's text as served by the API. */
export function documentTextUrl(id: string): string {
  return `/api/documents/${encodeURIComponent(id)}/text`;
}

function documentHref(id: string, quote: string): string {
  return `${documentTextUrl(id)}#${encodeURIComponent(quote.slice(0, 80))}`;
}

let theViewer: DocumentViewer | null = null;

function viewer(): DocumentViewer {
  theViewer ??= new DocumentViewer();
  return theViewer;
}

/** A dialog that shows a source document with one quote marked. */
export class DocumentViewer {
  private readonly dialog: HTMLDialogElement;
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;

  constructor() {
    this.title = h('h2', { id: 'doc-title' });
    this.body = h('div', { class: 'doc-body', id: 'doc-body', tabindex: 0 });
    const close = h('button', { type: 'button', id: 'doc-close', onclick: () => this.dialog.close() }, 'Close');
    this.dialog = h('dialog', { id: 'doc-dialog', class: 'doc-dialog', 'aria-labelledby': 'doc-title' },
      h('header', { class: 'doc-head' }, this.title, close), this.body);
    document.body.append(this.dialog);
  }

  async open(id: string, title: string, quote: string): Promise<void> {
    this.title.textContent = title;
    this.body.replaceChildren(h('p', { class: 'hint' }, 'Loading the document…'));
    if (!this.dialog.open) this.dialog.showModal();
    let text: string;
    try {
      const res = await fetch(documentTextUrl(id), { headers: { Accept: 'text/plain' } });
      if (!res.ok) throw new Error(res.status === 404 ? 'The server does not hold the text of this document.' : `The server answered ${res.status}.`);
      text = await res.text();
    } catch (err) {
      this.body.replaceChildren(h('p', { class: 'hint error' }, err instanceof Error ? err.message : String(err)));
      return;
    }
    const at = findQuote(text, quote);
    if (!at) {
      this.body.replaceChildren(h('p', { class: 'hint error' }, 'The quote was not found in the document text.'), h('pre', { class: 'doc-text' }, text));
      return;
    }
    const mark = h('mark', { id: 'doc-quote' }, text.slice(at.start, at.end));
    this.body.replaceChildren(h('pre', { class: 'doc-text' }, text.slice(0, at.start), mark, text.slice(at.end)));
    mark.scrollIntoView({ block: 'center' });
  }
}

/**
 * Where quote occurs in text, matching runs of whitespace loosely (the
 * document wraps lines where the quote does not).
 */
export function findQuote(text: string, quote: string): { start: number; end: number } | null {
  const words = quote.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const esc = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const m = new RegExp(esc.join('\\s+')).exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : null;
}

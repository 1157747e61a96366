// The duplicates page: candidate duplicate pairs from xref, side by side
// with everything that tells them apart (names, aliases, kinds, typed
// fields, designations, sources with their quotes), decided with Same
// (merge), Different (never proposed again) or Unsure; and the list of
// every judgement (who decided what, when). Judging needs an editor; the
// server decides, the page only reflects it.
import { ApiError } from './api';
import * as screenapi from './screenapi';
import type { Judgement, PairEntity, Verdict, XrefPair } from './screenapi';
import { featureList } from './screening';
import { kindInfo, kindMark, typedFields } from './kinds';
import { quoteEl } from './quotes';
import { me, type Me } from './caseapi';
import { h } from './ui';

const PAGE_SIZES = [2, 5, 10, 25, 50];
const JUDGEMENTS_PAGE = 50;

const VERDICT_LABEL: Record<Verdict, string> = { SAME: 'Same', DIFFERENT: 'Different', UNSURE: 'Unsure' };

export class DuplicatesPage {
  private size!: HTMLSelectElement;
  private threshold!: HTMLInputElement;
  private status!: HTMLElement;
  private msg!: HTMLElement;
  private notice!: HTMLElement;
  private pairs!: HTMLElement;
  private prev!: HTMLButtonElement;
  private next!: HTMLButtonElement;
  private refusal!: HTMLElement;
  private main!: HTMLElement;
  private jRows!: HTMLElement;
  private jStatus!: HTMLElement;
  private jMore!: HTMLButtonElement;
  private jCursor: string | null = null;
  /** The cursor each page starts after (null: the first page). */
  private starts: (string | null)[] = [null];
  private nextCursor: string | null = null;
  private who: Me | null = null;
  private seq = 0;
  /** The entity whose pairs alone are shown (restrict), or null for every pair. */
  private only: { id: string; name: string } | null = null;
  private scope!: HTMLElement;

  build(body: HTMLElement): void {
    this.size = h('select', { id: 'dup-size' }, ...PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === 10 }, String(n))));
    this.threshold = h('input', { id: 'dup-threshold', type: 'number', min: '0.05', max: '1', step: '0.05', placeholder: 'default', inputmode: 'decimal' });
    const form = h('form', { id: 'dup-form', class: 'dup-controls' },
      h('label', { class: 'field' }, 'Pairs per page', this.size),
      h('label', { class: 'field' }, 'Threshold', this.threshold),
      h('button', { type: 'submit', id: 'dup-refresh' }, 'Refresh'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.starts = [null];
      void this.load();
    });
    this.size.addEventListener('change', () => {
      this.starts = [null];
      void this.load();
    });
    this.status = h('p', { id: 'dup-status', class: 'page-summary', role: 'status' });
    this.msg = h('div', { id: 'dup-msg', class: 'page-msg', role: 'alert', hidden: true });
    this.notice = h('div', { id: 'dup-notice', class: 'dup-notice', role: 'status', hidden: true });
    this.pairs = h('div', { id: 'dup-pairs' });
    this.prev = h('button', { type: 'button', id: 'dup-prev', disabled: true, onclick: () => this.page(-1) }, '← Previous');
    this.next = h('button', { type: 'button', id: 'dup-next', disabled: true, onclick: () => this.page(1) }, 'Next →');
    this.refusal = h('div', { id: 'dup-refused', class: 'page-refused', role: 'alert', hidden: true });
    this.scope = h('p', { id: 'dup-scope', class: 'dup-scope', hidden: true });
    this.jRows = h('tbody', { id: 'judgement-rows' });
    this.jStatus = h('p', { id: 'judgement-status', class: 'hint' });
    this.jMore = h('button', { type: 'button', id: 'judgement-more', hidden: true, onclick: () => void this.loadJudgements(true) }, 'Load more');
    this.main = h('div', { id: 'dup-main' },
      form, this.scope, this.msg, this.notice, this.status, this.pairs,
      h('div', { class: 'dup-paging' }, this.prev, this.next),
      h('section', { class: 'dup-judgements', 'aria-labelledby': 'judgements-h' },
        h('h2', { id: 'judgements-h' }, 'Judgements'),
        this.jStatus,
        h('table', { class: 'dup-table', id: 'judgement-table' },
          h('thead', {}, h('tr', {}, ...['When', 'Who', 'Verdict', 'Entity A', 'Entity B'].map((t) => h('th', { scope: 'col' }, t)))),
          this.jRows),
        this.jMore));
    body.append(this.refusal, this.main);
  }

  /**
   * Shows only the pairs an entity is in (xref of its id), from the first
   * page, the next time the page shows; null shows every pair again.
   */
  restrict(entity: { id: string; name: string } | null): void {
    this.only = entity;
    this.starts = [null];
  }

  async shown(): Promise<void> {
    try {
      this.who = await me();
    } catch {
      this.who = null;
    }
    await this.load();
    await this.loadJudgements(false);
  }

  private canJudge(): boolean {
    return !!this.who?.canWrite;
  }

  private page(step: number): void {
    if (step > 0 && this.nextCursor) this.starts.push(this.nextCursor);
    else if (step < 0 && this.starts.length > 1) this.starts.pop();
    else return;
    this.notice.hidden = true;
    void this.load();
  }

  private thresholdValue(): number | undefined {
    const n = Number(this.threshold.value.trim());
    return this.threshold.value.trim() && Number.isFinite(n) && n > 0 && n <= 1 ? n : undefined;
  }

  /** Loads the current page (again, after a judgement: the decided pair is gone). */
  private async load(): Promise<void> {
    const seq = ++this.seq;
    const after = this.starts[this.starts.length - 1];
    const size = Number(this.size.value);
    this.msg.hidden = true;
    this.status.textContent = 'Looking for duplicates…';
    try {
      const only = this.only;
      this.showScope();
      const page = await screenapi.xref(size, after, this.thresholdValue(), only ? [only.id] : undefined);
      if (seq !== this.seq) return;
      // A page emptied by judgements: step back to one that has pairs.
      if (page.nodes.length === 0 && this.starts.length > 1) {
        this.starts.pop();
        void this.load();
        return;
      }
      this.refusal.hidden = true;
      this.main.hidden = false;
      this.nextCursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      this.next.disabled = !this.nextCursor;
      this.prev.disabled = this.starts.length <= 1;
      const first = (this.starts.length - 1) * size + 1;
      this.status.textContent = page.totalCount === 0
        ? (only
          ? `No candidate duplicates of ${only.name}: no other entity of its kind scores above the threshold (pairs judged Different are not proposed again).`
          : 'No candidate duplicates: no two entities of one kind score above the threshold (pairs judged Different are not proposed again).')
        : `${count(page.totalCount, 'candidate pair')} · showing ${first}–${first + page.nodes.length - 1}`
          + (this.canJudge() ? '' : ` · only an editor can judge pairs (you are signed in as ${this.who?.role ?? 'an unknown role'})`);
      this.pairs.replaceChildren(...page.nodes.map((p) => this.pair(p)));
    } catch (err) {
      if (seq !== this.seq) return;
      if (err instanceof ApiError && (err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED')) {
        this.refuse();
        return;
      }
      this.status.textContent = '';
      this.showError(`Could not load the candidate duplicates: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Says whose pairs are shown, with the way back to all of them. */
  private showScope(): void {
    const only = this.only;
    this.scope.hidden = !only;
    this.scope.replaceChildren(...(only ? [
      'Only the pairs of ', h('strong', {}, only.name), ` (${only.id}). `,
      h('button', { type: 'button', id: 'dup-all', class: 'linklike', onclick: () => {
        this.restrict(null);
        void this.load();
      } }, 'Show every pair'),
    ] : []));
  }

  private refuse(): void {
    this.refusal.replaceChildren(
      h('strong', {}, 'Duplicates are not open to you. '),
      `Reviewing candidate duplicates needs the analyst role, judging them the editor role; you are signed in as ${this.who?.role ?? 'a role without them'}.`);
    this.refusal.hidden = false;
    this.main.hidden = true;
  }

  private showError(text: string): void {
    this.msg.textContent = text;
    this.msg.hidden = false;
  }

  private pair(p: XrefPair): HTMLElement {
    const judge = this.canJudge();
    const why = judge ? undefined : `Only an editor can judge pairs; you are signed in as ${this.who?.role ?? 'an unknown role'}.`;
    const btn = (v: Verdict, cls: string, title: string) => h('button', {
      type: 'button', class: `dup-judge ${cls}`, 'data-verdict': v, disabled: !judge, title: why ?? title,
      onclick: () => void this.decide(p, v, el),
    }, VERDICT_LABEL[v]);
    const el = h('section', { class: 'dup-pair', 'data-a': p.a.id, 'data-b': p.b.id, 'aria-label': `${p.a.name} and ${p.b.name}` },
      h('header', { class: 'dup-head' },
        h('span', { class: 'dup-score' }, `Score ${p.score.toFixed(2)}`),
        p.verdict ? h('span', { class: 'dup-verdict' }, `Judged ${VERDICT_LABEL[p.verdict].toLowerCase()} before`) : null,
        h('div', { class: 'dup-actions' },
          btn('SAME', 'primary', `The same: merge ${p.b.name} (${p.b.id}) into ${p.a.name} (${p.a.id}), keeping both sides' sources, aliases and designations`),
          btn('DIFFERENT', '', 'Not the same: never propose this pair again'),
          btn('UNSURE', '', 'Cannot tell: keep the pair, marked unsure'))),
      h('div', { class: 'dup-why' }, featureList(p.features)),
      h('div', { class: 'dup-sides' }, side(p.a, 'A'), side(p.b, 'B')));
    return el;
  }

  private async decide(p: XrefPair, v: Verdict, el: HTMLElement): Promise<void> {
    for (const b of el.querySelectorAll<HTMLButtonElement>('.dup-judge')) b.disabled = true;
    this.msg.hidden = true;
    try {
      const j = await screenapi.judge(p.a.id, p.b.id, v);
      this.notice.replaceChildren(...noticeOf(j, p));
      this.notice.hidden = false;
      await this.load();
      await this.loadJudgements(false);
    } catch (err) {
      for (const b of el.querySelectorAll<HTMLButtonElement>('.dup-judge')) b.disabled = !this.canJudge();
      if (err instanceof ApiError && err.code === 'FORBIDDEN') {
        this.showError(`The server refused: ${err.message}. Only an editor can judge pairs.`);
        return;
      }
      this.showError(`Could not record ${VERDICT_LABEL[v].toLowerCase()} for ${p.a.name} and ${p.b.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async loadJudgements(more: boolean): Promise<void> {
    try {
      const page = await screenapi.judgements(JUDGEMENTS_PAGE, more ? this.jCursor : null);
      if (!more) this.jRows.replaceChildren();
      this.jRows.append(...page.nodes.map(judgementRow));
      this.jCursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      this.jMore.hidden = !this.jCursor;
      this.jStatus.textContent = page.totalCount === 0 ? 'No pair judged yet.' : `${count(page.totalCount, 'judgement')}, ordered by pair.`;
    } catch (err) {
      this.jRows.replaceChildren();
      this.jMore.hidden = true;
      this.jStatus.textContent = err instanceof ApiError && err.code === 'FORBIDDEN'
        ? 'The judgements need the analyst role.'
        : `The judgements are not available: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}

/** What a judgement did, said plainly; after Same, the merged entity with its sources. */
function noticeOf(j: Judgement, p: XrefPair): Node[] {
  if (j.verdict === 'SAME') {
    const sources = j.a.sources ?? [];
    return [
      h('p', {}, h('strong', {}, 'Same: '), `${p.b.name} (${p.b.id}) was merged into ${j.a.name} (${j.a.id}), which now cites ${count(sources.length, 'source')}.`),
      h('div', { class: 'dup-merged', 'data-id': j.a.id }, ...sources.map(quoteEl)),
    ];
  }
  if (j.verdict === 'DIFFERENT') {
    return [h('p', {}, h('strong', {}, 'Different: '), `${p.a.name} and ${p.b.name} will not be proposed again.`)];
  }
  return [h('p', {}, h('strong', {}, 'Unsure: '), `${p.a.name} and ${p.b.name} stay in the list, marked unsure.`)];
}

function side(e: PairEntity, label: string): HTMLElement {
  const info = kindInfo(e.kind);
  const facts = h('dl', { class: 'facts' });
  const fact = (k: string, v: string | null | undefined, cls?: string) => {
    if (v) facts.append(h('dt', { class: cls }, k), h('dd', {}, v));
  };
  fact('Kind', info.label, 'dup-kind');
  fact('Aliases', e.aliases.length ? e.aliases.join('; ') : null, 'dup-aliases');
  fact('Countries', e.countries.length ? e.countries.join(', ') : null);
  const { typed, free } = typedFields(info.fields, e.properties ?? []);
  for (const t of typed) fact(t.field.label, t.value, 'typed');
  for (const p of free) fact(p.key, p.value);
  fact('Links', e.degree === null ? null : String(e.degree));
  return h('article', { class: 'dup-side', 'data-side': label, 'data-id': e.id },
    h('div', { class: 'dup-side-label' }, label),
    h('h3', { class: 'dup-name' }, kindMark(e.kind), ' ', e.name,
      e.sanctioned ? h('span', { class: 'badge badge-sanction' }, 'designated') : null),
    h('div', { class: 'details-id' }, e.id),
    e.description ? h('p', { class: 'description' }, e.description) : null,
    facts,
    e.designations.length
      ? h('ul', { class: 'dup-designations' }, ...e.designations.map((d) => h('li', {}, `${d.regime} (${d.authority}${d.listedOn ? `, ${d.listedOn}` : ''})`)))
      : null,
    h('div', { class: 'dup-sources' },
      h('h4', {}, `Sources · ${e.sources.length}`),
      ...(e.sources.length ? e.sources.map(quoteEl) : [h('p', { class: 'hint' }, 'No source recorded.')])));
}

function judgementRow(j: Judgement): HTMLElement {
  const when = new Date(j.at);
  const ent = (e: { id: string; name: string }) => h('td', {}, h('span', { class: 'j-name' }, e.name), h('div', { class: 'details-id' }, e.id));
  return h('tr', { 'data-a': j.a.id, 'data-b': j.b.id, 'data-verdict': j.verdict },
    h('td', { title: j.at }, Number.isNaN(when.getTime()) ? j.at : when.toLocaleString()),
    h('td', { class: 'j-actor' }, j.actor),
    h('td', { class: `j-verdict verdict-${j.verdict.toLowerCase()}` }, VERDICT_LABEL[j.verdict]),
    ent(j.a), ent(j.b));
}

function count(n: number, one: string): string {
  return `${n.toLocaleString('en-GB')} ${one}${n === 1 ? '' : 's'}`;
}

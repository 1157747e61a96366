// The screening page: paste names (or upload a CSV), match them against
// the graph, and read per name the candidates with their score, whether it
// is a match, the features that explain the score, and the designated
// parties each candidate is near. A hit goes on the chart with one click;
// the answer downloads as the CSV POST /api/match writes.
import './screening.css';
import { ApiError } from './api';
import * as screenapi from './screenapi';
import type { ExposureHit, MatchCandidate, MatchFeature, MatchResult } from './screenapi';
import { InputError, lineMessage, parseQueries, POSITIONAL, queriesCsv, type ScreenQuery } from './screenparse';
import { kindInfo, kindList, kindMark } from './kinds';
import type { EntityDetail } from './types';
import { me } from './caseapi';
import { download, h } from './ui';

export interface ScreeningDeps {
  addToChart: (id: string) => Promise<void>;
  isOnChart: (id: string) => boolean;
  /** Closes the page and selects the entity on the chart. */
  showOnChart: (id: string) => void;
}

/** How many designated parties a candidate lists before "more". */
const EXPOSURE_SHOWN = 3;

const FEATURE_LABEL: Record<string, string> = {
  name: 'Names',
  birthDate: 'Birth date',
  identifier: 'Identifier',
  country: 'Country',
};

export class ScreeningPage {
  private input!: HTMLTextAreaElement;
  private kind!: HTMLSelectElement;
  private threshold!: HTMLInputElement;
  private file!: HTMLInputElement;
  private run!: HTMLButtonElement;
  private csv!: HTMLButtonElement;
  private msg!: HTMLElement;
  private summary!: HTMLElement;
  private results!: HTMLElement;
  private form!: HTMLFormElement;
  private refusal!: HTMLElement;
  private last: { queries: ScreenQuery[]; threshold?: number } | null = null;
  private seq = 0;
  /** An entity's query to screen when the page shows (prefill). */
  private pending: ScreenQuery | null = null;

  constructor(private readonly deps: ScreeningDeps) {}

  build(body: HTMLElement): void {
    this.input = h('textarea', {
      id: 'screen-input', rows: 8, spellcheck: 'false', autocomplete: 'off',
      placeholder: 'Burim Krasniqi\nSeferovic Nusret, 1970, Serbia\n"Derakhshan, Ali"',
      'aria-describedby': 'screen-help',
    });
    this.kind = h('select', { id: 'screen-kind' },
      h('option', { value: '' }, 'Any kind'),
      ...kindList().map((k) => h('option', { value: k.kind }, k.label)));
    this.threshold = h('input', { id: 'screen-threshold', type: 'number', min: '0.05', max: '1', step: '0.05', placeholder: 'default', inputmode: 'decimal' });
    this.file = h('input', { id: 'screen-file', type: 'file', accept: '.csv,.tsv,.txt,text/csv,text/plain' });
    this.run = h('button', { type: 'submit', id: 'screen-run', class: 'primary' }, 'Screen');
    this.csv = h('button', { type: 'button', id: 'screen-csv', disabled: true, onclick: () => void this.downloadCsv() }, 'Download CSV');
    this.msg = h('div', { id: 'screen-msg', class: 'page-msg', role: 'alert', hidden: true });
    this.summary = h('p', { id: 'screen-summary', class: 'page-summary', role: 'status' });
    this.results = h('div', { id: 'screen-results', class: 'screen-results' });
    this.refusal = h('div', { id: 'screen-refused', class: 'page-refused', role: 'alert', hidden: true });
    this.file.addEventListener('change', () => void this.upload());
    this.form = h('form', { id: 'screen-form', class: 'screen-form' },
      h('label', { class: 'field', for: 'screen-input' }, 'Names to screen, one per line'),
      this.input,
      h('p', { id: 'screen-help', class: 'hint' },
        `Each line is a name, optionally followed by a comma (or a tab) and ${POSITIONAL.slice(1).join(', ')}. `,
        'Several values in one cell are separated by ";". A name with a comma goes in quotes. ',
        'A CSV with a header row (name, birthdate, countries, identifiers, key, kind) is read by its columns.'),
      h('div', { class: 'screen-controls' },
        h('label', { class: 'field' }, 'Kind', this.kind),
        h('label', { class: 'field' }, 'Threshold', this.threshold),
        h('label', { class: 'field' }, 'Upload a CSV', this.file),
        h('div', { class: 'screen-buttons' }, this.run, this.csv,
          h('button', { type: 'button', id: 'screen-clear', onclick: () => this.clear() }, 'Clear'))));
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.screen();
    });
    body.append(this.refusal, this.form, this.msg, this.summary, this.results);
  }

  /**
   * Screens one entity (entityQuery) when the page next shows: the form
   * gets its query as a CSV row under a header, so it can be read, changed
   * and screened again.
   */
  prefill(q: ScreenQuery): void {
    this.pending = q;
  }

  /** Each time the page is shown: who may screen, which hits are on the chart now, and a prefilled entity. */
  async shown(): Promise<void> {
    for (const b of this.results.querySelectorAll<HTMLButtonElement>('.screen-add')) this.markAdded(b);
    let refused = false;
    try {
      refused = !(await screenapi.canScreen());
    } catch {
      // the server is away: running says so
    }
    const q = this.pending;
    this.pending = null;
    if (refused) {
      await this.refuse();
      return;
    }
    if (!q) return;
    this.input.value = queriesCsv([q]).replace(/\r\n/g, '\n').trimEnd();
    this.kind.value = '';
    this.file.value = '';
    await this.screen();
  }

  private async refuse(): Promise<void> {
    let role = 'a role without analysis rights';
    try {
      role = (await me()).role;
    } catch {
      // keep the generic wording
    }
    this.refusal.replaceChildren(
      h('strong', {}, 'Screening is not open to you. '),
      `It needs the analyst role (or editor, admin); you are signed in as ${role}. Ask an administrator for an analyst token.`);
    this.refusal.hidden = false;
    this.form.hidden = true;
    this.results.replaceChildren();
    this.summary.textContent = '';
    this.msg.hidden = true;
  }

  private clear(): void {
    this.input.value = '';
    this.file.value = '';
    this.results.replaceChildren();
    this.summary.textContent = '';
    this.msg.hidden = true;
    this.csv.disabled = true;
    this.last = null;
    this.input.focus();
  }

  /** Shows what is wrong; an answer to an earlier list is taken away so it is not read as this one's. */
  private error(text: string, line: number | null = null): void {
    this.results.replaceChildren();
    this.summary.textContent = '';
    this.csv.disabled = true;
    this.last = null;
    this.msg.textContent = text;
    this.msg.hidden = false;
    if (line !== null) this.selectLine(line);
  }

  /** Puts the textarea's cursor on a line, so the bad row is in view. */
  private selectLine(line: number): void {
    const lines = this.input.value.split('\n');
    if (line < 1 || line > lines.length) return;
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    this.input.focus();
    this.input.setSelectionRange(start, start + lines[line - 1].length);
  }

  private async upload(): Promise<void> {
    const f = this.file.files?.[0];
    if (!f) return;
    try {
      this.input.value = await f.text();
    } catch (err) {
      this.error(`Could not read ${f.name}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    await this.screen(f.name);
  }

  private thresholdValue(): number | undefined | null {
    const v = this.threshold.value.trim();
    if (!v) return undefined;
    const n = Number(v);
    return Number.isFinite(n) && n > 0 && n <= 1 ? n : null;
  }

  private async screen(from?: string): Promise<void> {
    const seq = ++this.seq;
    this.msg.hidden = true;
    let queries: ScreenQuery[];
    try {
      queries = parseQueries(this.input.value, this.kind.value || undefined);
    } catch (err) {
      if (err instanceof InputError) {
        this.error(from ? `${from}: ${err.message}` : err.message, err.line);
        return;
      }
      throw err;
    }
    const threshold = this.thresholdValue();
    if (threshold === null) {
      this.error('The threshold is a number above 0 and at most 1 (e.g. 0.7); leave it empty for the default.');
      this.threshold.focus();
      return;
    }
    this.run.disabled = true;
    this.summary.textContent = `Screening ${count(queries.length, 'name')}…`;
    try {
      const res = await screenapi.match(queries, { threshold });
      if (seq !== this.seq) return;
      this.last = { queries, threshold };
      this.render(queries, res);
      this.csv.disabled = false;
    } catch (err) {
      if (seq !== this.seq) return;
      this.summary.textContent = '';
      if (err instanceof ApiError && err.code === 'FORBIDDEN') {
        await this.refuse();
        return;
      }
      if (err instanceof ApiError && err.code === 'TOO_COMPLEX' && !/query \d+/.test(err.message)) {
        this.error(`Too many rows: ${count(queries.length, 'name')} to screen. The server says: ${err.message}. Split the list.`);
        return;
      }
      const text = err instanceof Error ? err.message : String(err);
      const at = /query (\d+)/.exec(text);
      const said = lineMessage(text, queries);
      this.error(from ? `${from}: ${said}` : said, at ? queries[Number(at[1])]?.line ?? null : null);
    } finally {
      if (seq === this.seq) this.run.disabled = false;
    }
  }

  private async downloadCsv(): Promise<void> {
    if (!this.last) return;
    this.csv.disabled = true;
    try {
      const blob = await screenapi.matchCsv(this.last.queries, { threshold: this.last.threshold });
      download(`screening-${new Date().toISOString().slice(0, 10)}.csv`, blob);
    } catch (err) {
      this.msg.textContent = `Could not download the CSV: ${err instanceof Error ? err.message : String(err)}`;
      this.msg.hidden = false;
    } finally {
      this.csv.disabled = false;
    }
  }

  private render(queries: ScreenQuery[], res: MatchResult[]): void {
    const matched = res.filter((r) => r.candidates.some((c) => c.match));
    const designated = matched.filter((r) => r.candidates.some((c) => c.match && c.entity.sanctioned)).length;
    const exposed = matched.filter((r) => r.candidates.some((c) => c.match && c.exposure.length > 0)).length;
    this.summary.textContent = `${count(queries.length, 'name')} screened: ${matched.length} matched`
      + ` (${designated} designated, ${exposed} near a designated party), ${queries.length - matched.length} not matched.`;
    this.results.replaceChildren(...res.map((r, i) => this.result(queries[i], r)));
  }

  private result(q: ScreenQuery, r: MatchResult): HTMLElement {
    const best = r.candidates.find((c) => c.match) ?? null;
    const status = best ? 'match' : r.candidates.length ? 'nomatch' : 'none';
    const verdict = best
      ? h('span', { class: 'screen-verdict verdict-match' }, `Match: ${best.entity.name}`)
      : h('span', { class: 'screen-verdict verdict-none' },
        r.candidates.length ? `No match (best ${fmt(r.candidates[0].score)}: ${r.candidates[0].entity.name})` : 'No match: no candidate');
    const extra = [q.birthDate ? `born ${q.birthDate}` : '', ...(q.countries ?? []), ...(q.identifiers ?? []).map((x) => `id ${x}`), q.kind ? kindInfo(q.kind).label : '']
      .filter(Boolean).join(' · ');
    const head = h('header', { class: 'screen-q' },
      h('span', { class: 'screen-line' }, `Line ${q.line}`),
      h('span', { class: 'screen-name' }, q.names.join(' / ')),
      extra ? h('span', { class: 'screen-extra' }, extra) : null,
      verdict);
    const parts: Node[] = [head];
    if (r.candidates.length) {
      parts.push(h('table', { class: 'screen-cands' },
        h('thead', {}, h('tr', {}, ...['#', 'Candidate', 'Score', 'Match', 'Why', 'Designated parties nearby', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...r.candidates.map((c, i) => this.candidate(c, i)))));
    }
    return h('section', { class: `screen-result status-${status}`, 'data-line': String(q.line), 'data-key': r.key ?? q.key, 'data-status': status }, ...parts);
  }

  private candidate(c: MatchCandidate, i: number): HTMLElement {
    const e = c.entity;
    const add = h('button', { type: 'button', class: 'screen-add', 'data-id': e.id });
    add.addEventListener('click', () => void this.add(add));
    this.markAdded(add);
    const own = e.designations.length
      ? h('div', { class: 'screen-designated' }, h('span', { class: 'badge badge-sanction' }, 'designated'),
        ' ', e.designations.map((d) => `${d.regime} (${d.authority}${d.listedOn ? `, ${d.listedOn}` : ''})`).join('; '))
      : null;
    return h('tr', { class: `screen-cand${c.match ? ' is-match' : ''}`, 'data-id': e.id, 'data-match': String(c.match), 'data-rank': String(i + 1) },
      h('td', { class: 'num' }, String(i + 1)),
      h('td', { class: 'screen-entity' },
        h('div', { class: 'screen-entity-name' }, kindMark(e.kind), ' ', h('span', { class: 'cand-name' }, e.name)),
        h('div', { class: 'screen-entity-meta' }, `${kindInfo(e.kind).label} · ${e.id}`, e.countries.length ? ` · ${e.countries.join(', ')}` : ''),
        e.aliases.length ? h('div', { class: 'screen-entity-meta' }, `aka ${e.aliases.join('; ')}`) : null,
        own),
      h('td', { class: 'num screen-score' }, h('meter', { min: 0, max: 1, value: c.score, title: fmt(c.score) }), ' ', fmt(c.score)),
      h('td', { class: 'screen-flag' }, c.match ? h('span', { class: 'flag-match' }, '✓ match') : h('span', { class: 'flag-nomatch' }, 'no')),
      h('td', {}, featureList(c.features)),
      h('td', {}, exposureList(c.exposure)),
      h('td', {}, add));
  }

  private markAdded(b: HTMLButtonElement): void {
    const id = b.dataset.id!;
    const on = this.deps.isOnChart(id);
    b.textContent = on ? 'Show on the chart' : 'Add to chart';
    b.dataset.onChart = String(on);
  }

  private async add(b: HTMLButtonElement): Promise<void> {
    const id = b.dataset.id!;
    if (this.deps.isOnChart(id)) {
      this.deps.showOnChart(id);
      return;
    }
    b.disabled = true;
    try {
      await this.deps.addToChart(id);
      if (!this.deps.isOnChart(id)) {
        this.msg.textContent = `Could not put ${id} on the chart (see the message on the chart).`;
        this.msg.hidden = false;
      }
    } finally {
      b.disabled = false;
      for (const x of this.results.querySelectorAll<HTMLButtonElement>('.screen-add')) this.markAdded(x);
    }
  }
}

/**
 * The screening query of an entity, keyed by its id: its name and aliases,
 * its kind, its birth date, and its identifiers (its kind's identifier
 * fields, and those of the identity documents it holds), as the server
 * compares them for a candidate.
 */
export async function entityQuery(e: EntityDetail): Promise<ScreenQuery> {
  const props = new Map((e.properties ?? []).map((p) => [p.key, p.value]));
  const ids = identifiers(e.kind, props);
  const held = e.links.filter((l) => l.type === 'HOLDS' && l.source.id === e.id).map((l) => l.target.id);
  if (held.length) {
    for (const d of await screenapi.entityProperties(held)) ids.push(...identifiers(d.kind, new Map(d.properties.map((p) => [p.key, p.value]))));
  }
  const names = [...new Set([e.name, ...(e.aliases ?? [])].map((n) => n.trim()).filter(Boolean))];
  const q: ScreenQuery = { key: e.id, kind: e.kind, names, line: 2, text: e.name };
  const born = props.get('birthDate');
  if (born) q.birthDate = born;
  if (ids.length) q.identifiers = [...new Set(ids)];
  return q;
}

/** The values of a kind's identifier fields (a list field's values one by one). */
function identifiers(kind: string, props: Map<string, string>): string[] {
  return kindInfo(kind).fields.filter((f) => f.identifier).flatMap((f) => {
    const v = props.get(f.property) ?? '';
    return (f.list ? v.split(';') : [v]).map((x) => x.trim()).filter(Boolean);
  });
}

export function featureList(fs: MatchFeature[]): HTMLElement {
  return h('ul', { class: 'features' }, ...fs.map((f) =>
    h('li', { class: `feature${f.score < 0 ? ' against' : f.score > 0 ? ' for' : ''}`, 'data-feature': f.name },
      h('span', { class: 'feature-name' }, FEATURE_LABEL[f.name] ?? f.name),
      ' ', h('span', { class: 'feature-score' }, signed(f.score)),
      ' ', h('span', { class: 'feature-detail' }, f.detail))));
}

function exposureList(xs: ExposureHit[]): HTMLElement {
  if (xs.length === 0) return h('span', { class: 'hint exposure-none' }, 'none within reach');
  const sorted = [...xs].sort((a, b) => a.path.length - b.path.length || a.entity.name.localeCompare(b.entity.name));
  const item = (x: ExposureHit) => h('li', { 'data-id': x.entity.id },
    h('span', { class: 'exp-name' }, x.entity.name), ` — ${x.designation.regime} · ${count(x.path.length, 'hop')}`);
  const list = h('ul', { class: 'exposure' }, ...sorted.slice(0, EXPOSURE_SHOWN).map(item));
  if (sorted.length <= EXPOSURE_SHOWN) return list;
  return h('div', {}, list,
    h('details', { class: 'exposure-more' }, h('summary', {}, `${sorted.length - EXPOSURE_SHOWN} more`),
      h('ul', { class: 'exposure' }, ...sorted.slice(EXPOSURE_SHOWN).map(item))));
}

function fmt(n: number): string {
  return n.toFixed(2);
}

function signed(n: number): string {
  return n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : '±0';
}

function count(n: number, one: string): string {
  return `${n.toLocaleString('en-GB')} ${one}${n === 1 ? '' : 's'}`;
}

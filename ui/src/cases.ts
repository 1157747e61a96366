// Saved cases in the UI: the case bar (title, save state, read-only
// badge), the case list (open, new, rename, delete), opening /case/ID,
// autosave of the open case (debounced and version-checked: a CONFLICT
// stops saving and asks whether to merge or reload, so no note is lost
// silently), the restore of a case's chart (positions, pins, hidden,
// filters, overlays, layout, zoom) and its notes.
import type { EdgeSingular, NodeSingular } from 'cytoscape';
import * as api from './api';
import { ApiError } from './api';
import * as caseapi from './caseapi';
import type { Case, CaseInput, CaseSummary, Me } from './caseapi';
import type { Chart, LayoutName } from './chart';
import { caseIdFromPath, ChartHistory, type HistoryState } from './history';
import { type LocalNote, NotesPanel, type NoteTarget } from './notes';
import { NoteMarks } from './notemarks';
import { savedBundles, type SavedBundle } from './bundle';
import { byId, h, toast } from './ui';
import { onTimeState, setTimeState, timeState } from './timestate';
import type { DateRange } from './dates';
import './cases.css';

const SAVE_DELAY = 800;
const VIEW_VERSION = 1;

/** The UI's own state kept in Case.view (opaque to the server). */
interface ViewState {
  v: number;
  layout?: string;
  hiddenKinds?: string[];
  hiddenTypes?: string[];
  size?: string;
  communities?: boolean;
  brokers?: boolean;
  cap?: string;
  /** Bundled leaves of hubs ("9 members"), with where the bundle sat. */
  bundles?: SavedBundle[];
  zoom?: number;
  pan?: { x: number; y: number };
  /** The timeline's window (the as-of date is the case's own asOf). */
  window?: DateRange | null;
}

export interface CasesDeps {
  chart: Chart;
  /** Re-renders what depends on the chart (status bar, filters). */
  changed(): void;
  report(err: unknown, what: string): void;
  /** Selects an entity or link on the chart (notes' "On X"). */
  select(id: string): void;
}

interface Open {
  id: string;
  title: string;
  owner: string;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
  asOf: string | null;
  notes: LocalNote[];
  missing: string[];
}

let keySeq = 0;
const newKey = () => `new-${Date.now().toString(36)}-${++keySeq}`;

function localNotes(c: Case): LocalNote[] {
  return c.notes.map((n) => ({ key: n.id, id: n.id, text: n.text, author: n.author, createdAt: n.createdAt,
    updatedAt: n.updatedAt, updatedBy: n.updatedBy, entity: n.entityId, link: n.linkId }));
}

export class Cases {
  me: Me | null = null;
  private open: Open | null = null;
  private readonly history: ChartHistory;
  private readonly notes: NotesPanel;
  private readonly marks: NoteMarks;
  private saveTimer: number | undefined;
  private inFlight = false;
  private again = false;
  private lastSaved = '';
  private loading = 0;
  private conflict = false;
  private readonly bar: HTMLElement;
  private readonly status: HTMLElement;
  private readonly listDialog: HTMLDialogElement;
  private readonly conflictDialog: HTMLDialogElement;
  /** The case of the address the page was opened at, until it is open. */
  private pending: string | null = caseIdFromPath();

  constructor(private readonly deps: CasesDeps) {
    const { chart } = deps;
    this.history = new ChartHistory(chart, () => this.open?.id ?? this.pending, (s) => this.pop(s));
    this.bar = byId('case-bar');
    this.status = h('span', { id: 'case-status', class: 'case-status', role: 'status', 'aria-live': 'polite' });
    this.marks = new NoteMarks(chart.cy);
    this.notes = new NotesPanel(byId('notes-panel'), {
      add: (text, t) => this.addNote(text, t),
      edit: (key, text) => this.editNote(key, text),
      remove: (key) => this.removeNote(key),
      describe: (n) => this.describe(n),
      select: (n) => {
        const id = n.entity ?? n.link;
        if (id) deps.select(id);
      },
    });
    this.listDialog = h('dialog', { id: 'cases-dialog', class: 'audit-dialog cases-dialog', 'aria-labelledby': 'cases-h' });
    this.conflictDialog = h('dialog', { id: 'conflict-dialog', class: 'paths-dialog', 'aria-labelledby': 'conflict-h' });
    document.body.append(this.listDialog, this.conflictDialog);
    chart.cy.style().selector('node[?missing]').style({ 'border-style': 'dotted', 'border-color': '#4b5563', 'border-width': 3, 'background-color': '#d1d5db' }).update();
    // What makes the open case unsaved: the chart, moves, layouts, the controls.
    chart.cy.on('add remove dragfree layoutstop data', () => this.dirty());
    onTimeState(() => this.dirty());
    document.addEventListener('change', (ev) => {
      const t = ev.target as HTMLElement;
      if (t.closest('.sidebar, .toolbar') && !t.closest('#notes-panel')) this.dirty();
    });
    chart.cy.on('select unselect', () => this.notes.setTarget(this.selectedTarget()));
    window.addEventListener('beforeunload', (ev) => {
      if (this.open && this.writable() && (this.unsaved() || this.inFlight)) {
        void this.flush();
        ev.preventDefault();
      }
    });
    this.renderBar();
  }

  // ---- start-up, who we are ----------------------------------------------

  /**
   * Loads who we are, then the page's chart: the case of a /case/ID
   * address, else what loadPlain draws (the ids in the hash). Back and
   * Forward are recorded from then on.
   */
  async start(loadPlain: () => Promise<void>): Promise<void> {
    try {
      await this.loadStart(loadPlain);
    } finally {
      this.history.started = true;
      this.history.replace();
    }
  }

  private async loadStart(loadPlain: () => Promise<void>): Promise<void> {
    try {
      this.me = await caseapi.me();
    } catch (err) {
      this.deps.report(err, 'Could not tell who you are signed in as');
    }
    const signout = byId<HTMLButtonElement>('btn-signout');
    signout.hidden = !this.me || this.me.id === 'open';
    signout.title = this.me ? `Signed in as ${this.me.role} (${this.me.id})` : '';
    document.body.classList.toggle('read-only', !this.canWrite());
    this.renderBar();
    const id = this.pending;
    if (!id) {
      await loadPlain();
      return;
    }
    try {
      await this.openCase(id, { push: false });
    } finally {
      this.pending = null;
    }
  }

  canWrite(): boolean {
    return !!this.me?.canWrite;
  }

  private writable(): boolean {
    return this.canWrite() && !this.conflict;
  }

  /** The open case's title and as-of date, for exports. */
  current(): { id: string; title: string; asOf: string | null } | null {
    return this.open ? { id: this.open.id, title: this.open.title, asOf: this.open.asOf } : null;
  }

  /** Whether chart changes are recorded in the history yet. */
  get tracking(): boolean {
    return this.history.started;
  }

  /** Called after every chart change: the history entry. */
  recorded(): void {
    this.history.record();
  }

  /** Runs a change that replaces the whole chart as one history step. */
  quietly<T>(fn: () => T): T {
    return this.history.silently(fn);
  }

  // ---- the bar -----------------------------------------------------------

  private renderBar(): void {
    const o = this.open;
    const w = this.canWrite();
    const kids: (Node | string)[] = [];
    if (o) {
      kids.push(h('div', { class: 'case-title-row' }, h('h3', { id: 'case-title', class: 'case-title', title: o.title }, o.title)));
      if (!w) kids.push(h('p', { id: 'case-readonly', class: 'case-readonly' }, `Read-only: signed in as ${this.me?.role ?? 'a viewer'}. Nothing you change here is saved.`));
      kids.push(this.status);
      if (o.missing.length > 0) {
        kids.push(h('p', { id: 'case-missing', class: 'case-missing' },
          `${o.missing.length} ${o.missing.length === 1 ? 'entity' : 'entities'} of this case no longer ${o.missing.length === 1 ? 'exists' : 'exist'} (deleted or merged), drawn grey and dotted: ${o.missing.join(', ')}.`));
      }
    } else {
      kids.push(h('p', { class: 'hint', id: 'case-none' }, w ? 'No case open: the chart is not saved. Save it as a case to keep positions and notes.' : 'No case open.'));
    }
    kids.push(h('div', { class: 'btn-grid' },
      h('button', { type: 'button', id: 'btn-cases', onclick: () => void this.showList() }, 'Cases…'),
      w ? h('button', { type: 'button', id: 'btn-case-new', onclick: () => void this.create() }, o ? 'Save as new' : 'Save as case') : '',
      o && w ? h('button', { type: 'button', id: 'btn-case-rename', onclick: () => void this.rename(o.id, o.title) }, 'Rename') : '',
      o ? h('button', { type: 'button', id: 'btn-case-close', onclick: () => this.close() }, 'Close case') : ''));
    this.bar.replaceChildren(...kids);
    byId('notes-section').hidden = !o;
    this.renderNotes();
  }

  private setStatus(text: string, kind: 'ok' | 'busy' | 'warn' | 'error' = 'ok'): void {
    this.status.textContent = text;
    this.status.dataset.kind = kind;
  }

  private renderNotes(): void {
    this.marks.set(this.open ? this.open.notes.flatMap((n) => [n.entity, n.link].filter((x): x is string => !!x)) : []);
    if (!this.open) return;
    this.notes.render(this.open.notes, this.writable());
  }

  // ---- notes ---------------------------------------------------------------

  private selectedTarget(): NoteTarget | null {
    const cy = this.deps.chart.cy;
    const nodes = cy.nodes(':selected');
    const edges = cy.edges(':selected');
    if (nodes.length === 1 && edges.length === 0 && !nodes.first().data('bundle')) {
      return { kind: 'entity', id: nodes.first().id(), label: nodes.first().data('name') };
    }
    if (edges.length === 1 && nodes.length === 0 && !edges.first().data('bundle')) {
      const e = edges.first();
      return { kind: 'link', id: e.id(), label: `${e.source().data('name')} — ${e.data('label')} — ${e.target().data('name')}` };
    }
    return null;
  }

  private describe(n: LocalNote): { label: string; present: boolean } | null {
    const id = n.entity ?? n.link;
    if (!id) return null;
    const el = this.deps.chart.cy.getElementById(id);
    if (el.empty()) return { label: id, present: false };
    if (el.isNode()) return { label: el.data('name'), present: !el.data('missing') };
    const e = el as unknown as EdgeSingular;
    return { label: `${e.source().data('name')} — ${e.data('label')} — ${e.target().data('name')}`, present: true };
  }

  private addNote(text: string, t: NoteTarget | null): void {
    if (!this.open || !this.writable()) return;
    this.open.notes.push({ key: newKey(), text, author: this.me?.id ?? '', createdAt: new Date().toISOString(),
      entity: t?.kind === 'entity' ? t.id : null, link: t?.kind === 'link' ? t.id : null });
    this.renderNotes();
    this.dirty(true);
  }

  private editNote(key: string, text: string): void {
    const n = this.open?.notes.find((x) => x.key === key);
    if (!n) return;
    n.text = text;
    this.renderNotes();
    this.dirty(true);
  }

  private removeNote(key: string): void {
    if (!this.open) return;
    this.open.notes = this.open.notes.filter((x) => x.key !== key);
    this.renderNotes();
    this.dirty(true);
  }

  // ---- what a case holds -------------------------------------------------

  private view(): ViewState {
    const { chart } = this.deps;
    const f = chart.hiddenFilters();
    return {
      v: VIEW_VERSION,
      layout: chart.layoutName,
      hiddenKinds: f.kinds.sort(),
      hiddenTypes: f.types.sort(),
      size: byId<HTMLSelectElement>('size-select').value,
      communities: byId<HTMLInputElement>('community-toggle').checked,
      brokers: byId<HTMLInputElement>('broker-toggle').checked,
      cap: byId<HTMLSelectElement>('expand-cap').value,
      bundles: savedBundles(chart.cy),
      zoom: Math.round(chart.cy.zoom() * 1000) / 1000,
      pan: { x: Math.round(chart.cy.pan().x), y: Math.round(chart.cy.pan().y) },
      window: timeState().window,
    };
  }

  private input(): CaseInput {
    const o = this.open as Open;
    const items = this.deps.chart.entities().map((n) => {
      const p = (n as NodeSingular).position();
      return { entity: n.id(), x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10, pinned: !!n.data('pinned'), hidden: !!n.data('hidden') };
    });
    const notes = o.notes.map((n) => (n.id ? { id: n.id, text: n.text } : { text: n.text, entity: n.entity ?? undefined, link: n.link ?? undefined }));
    return { id: o.id, version: o.version, items, notes, view: JSON.stringify(this.view()), asOf: timeState().asOf ?? '' };
  }

  /** What is saved, without the version: equal means nothing to save. */
  private fingerprint(input = this.input()): string {
    const { version: _v, ...rest } = input;
    void _v;
    const v = JSON.parse(rest.view ?? '{}') as ViewState;
    delete v.zoom;
    delete v.pan;
    return JSON.stringify({ ...rest, view: v });
  }

  private unsaved(): boolean {
    return !!this.open && this.fingerprint() !== this.lastSaved;
  }

  // ---- autosave ----------------------------------------------------------------

  private dirty(now = false): void {
    if (!this.open || this.loading > 0 || !this.writable()) return;
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => void this.flush(), now ? 50 : SAVE_DELAY);
  }

  /** Saves the open case if it changed; one save at a time. */
  async flush(): Promise<void> {
    const o = this.open;
    if (!o || !this.writable() || this.loading > 0) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const input = this.input();
    if (this.fingerprint(input) === this.lastSaved) {
      if (this.status.dataset.kind !== 'ok') this.setStatus(`Saved · version ${o.version}`);
      return;
    }
    this.inFlight = true;
    this.setStatus('Saving…', 'busy');
    const sent = [...o.notes];
    try {
      const saved = await caseapi.saveCase(input);
      if (this.open !== o) return;
      o.version = saved.version;
      o.updatedAt = saved.updatedAt;
      o.updatedBy = saved.updatedBy;
      // The server's notes come back in the order sent, with ids, authors and
      // times; text typed since the save began stays (and is saved next).
      const back = localNotes(saved);
      if (back.length === sent.length) {
        o.notes = o.notes.map((n) => {
          const i = sent.indexOf(n);
          return i < 0 ? n : { ...back[i], key: n.key, text: n.text };
        });
      } else {
        o.notes = [...back, ...o.notes.filter((n) => !sent.includes(n))];
      }
      this.lastSaved = this.fingerprint({ ...input, notes: back.map((n) => ({ id: n.id, text: n.text })) });
      this.setStatus(`Saved · version ${o.version} · ${new Date(saved.updatedAt).toLocaleTimeString()}`);
      this.renderNotes();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        await this.onConflict();
      } else {
        this.setStatus(`Not saved: ${err instanceof Error ? err.message : String(err)}`, 'error');
        this.deps.report(err, 'The case was not saved');
      }
    } finally {
      this.inFlight = false;
    }
    if (this.again) {
      this.again = false;
      void this.flush();
    }
  }

  // ---- conflicts -------------------------------------------------------------------

  private async onConflict(): Promise<void> {
    const o = this.open as Open;
    this.conflict = true;
    window.clearTimeout(this.saveTimer);
    this.setStatus('Not saved: someone else saved this case. Choose below.', 'error');
    this.renderNotes();
    let theirs: Case;
    try {
      theirs = await caseapi.getCase(o.id);
    } catch (err) {
      this.deps.report(err, 'Could not read the case after a conflict');
      return;
    }
    const mine = o.notes.filter((n) => !n.id);
    const stored = new Map(theirs.notes.map((n) => [n.id, n]));
    const edited = o.notes.filter((n) => n.id && stored.has(n.id) && stored.get(n.id)?.text !== n.text);
    const d = this.conflictDialog;
    d.replaceChildren(h('form', { method: 'dialog' },
      h('h2', { id: 'conflict-h' }, 'This case changed elsewhere'),
      h('p', {}, `“${theirs.title}” was saved by ${theirs.updatedBy ?? theirs.owner} at ${new Date(theirs.updatedAt).toLocaleString()} (version ${theirs.version}) after you opened it (version ${o.version}). Your changes are not saved yet.`),
      h('p', { id: 'conflict-mine' }, `Yours: ${mine.length} new ${mine.length === 1 ? 'note' : 'notes'}, ${edited.length} edited, and the chart as you see it.`),
      h('p', { class: 'hint' }, 'Merge keeps every note of theirs, adds yours (your edits win on the notes you both kept) and saves your chart. Reload shows theirs and drops your unsaved changes.'),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', id: 'conflict-reload', onclick: () => {
          if (mine.length + edited.length > 0 && !window.confirm(`Drop your ${mine.length + edited.length} unsaved note changes?`)) return;
          d.close();
          this.conflict = false;
          void this.openCase(o.id, { push: false });
        } }, 'Reload theirs'),
        h('button', { type: 'button', class: 'primary', id: 'conflict-merge', onclick: () => {
          d.close();
          this.merge(theirs, mine);
        } }, 'Merge and save'))));
    if (!d.open) d.showModal();
  }

  private merge(theirs: Case, mine: LocalNote[]): void {
    const o = this.open;
    if (!o || o.id !== theirs.id) return;
    const myText = new Map(o.notes.filter((n) => n.id).map((n) => [n.id as string, n.text]));
    const merged = localNotes(theirs).map((n) => ({ ...n, text: myText.get(n.id as string) ?? n.text }));
    o.notes = [...merged, ...mine];
    o.version = theirs.version;
    o.title = theirs.title;
    this.conflict = false;
    this.lastSaved = '';
    this.renderBar();
    void this.flush();
  }

  // ---- opening, creating, closing ------------------------------------------------

  async openCase(id: string, opts: { push: boolean }): Promise<void> {
    if (this.open && this.writable() && this.unsaved()) await this.flush();
    let c: Case;
    try {
      c = await caseapi.getCase(id);
    } catch (err) {
      this.deps.report(err, `Could not open case ${id}`);
      return;
    }
    await this.show(c, opts.push);
  }

  /** Draws a case: its items where they were saved, its view and its notes. */
  private async show(c: Case, push: boolean): Promise<void> {
    const { chart } = this.deps;
    this.loading++;
    try {
      // The case's time first, so its chart is read as of its date.
      const view = parseView(c.view);
      try {
        setTimeState({ asOf: c.asOf || null, window: view.window ?? null }, 'case');
      } catch (err) {
        this.deps.report(err, `Case ${c.title} has a date that does not parse`);
      }
      const present = c.items.filter((i) => !i.missing);
      const found = await api.entitiesWithLinks(present.map((i) => i.entityId));
      const got = new Set(found.map((f) => f.entity.id));
      const missing = c.items.filter((i) => i.missing || !got.has(i.entityId));
      this.open = { id: c.id, title: c.title, owner: c.owner, version: c.version, updatedAt: c.updatedAt, updatedBy: c.updatedBy,
        asOf: c.asOf, notes: localNotes(c), missing: missing.map((i) => i.entity.name || i.entityId) };
      this.conflict = false;
      await this.history.silently(async () => {
        if (push) this.history.push();
        chart.clear();
        chart.add([...found.map((f) => f.entity), ...missing.map((i) => i.entity)], found.flatMap((f) => f.links));
        const ungrabbable = !this.canWrite();
        chart.cy.autoungrabify(ungrabbable);
        let placed = true;
        chart.cy.batch(() => {
          for (const it of c.items) {
            const n = chart.node(it.entityId);
            if (!n) continue;
            if (it.x !== null && it.y !== null) n.position({ x: it.x, y: it.y });
            else placed = false;
            if (missing.includes(it)) n.data('missing', true);
          }
        });
        for (const it of c.items) if (it.pinned) chart.setPinned(it.entityId, true);
        chart.setHidden(c.items.filter((i) => i.hidden).map((i) => i.entityId), true);
        await this.applyView(view, placed);
        chart.resetUndo();
      });
      this.deps.changed();
      this.lastSaved = this.fingerprint();
      this.renderBar();
      this.setStatus(this.canWrite() ? `Saved · version ${c.version}` : `Version ${c.version} · read-only`, this.canWrite() ? 'ok' : 'warn');
      document.title = `${c.title} — Skein`;
      if (missing.length > 0) toast(`${missing.length} of this case's entities no longer exist (deleted or merged): they are drawn grey and dotted.`, 'warn', 8000);
    } catch (err) {
      this.deps.report(err, `Could not open case ${c.title}`);
    } finally {
      this.loading--;
    }
  }

  private async applyView(view: ViewState, placed: boolean): Promise<void> {
    const { chart } = this.deps;
    const layout = byId<HTMLSelectElement>('layout-select');
    if (view.layout && [...layout.options].some((o) => o.value === view.layout)) {
      layout.value = view.layout;
      chart.layoutName = view.layout as LayoutName;
    }
    for (const k of [...chart.hiddenFilters().kinds]) chart.setKindHidden(k, false);
    for (const t of [...chart.hiddenFilters().types]) chart.setTypeHidden(t, false);
    for (const k of view.hiddenKinds ?? []) chart.setKindHidden(k, true);
    for (const t of view.hiddenTypes ?? []) chart.setTypeHidden(t, true);
    if (view.cap) byId<HTMLSelectElement>('expand-cap').value = view.cap;
    if (!placed) await chart.layout(chart.layoutName);
    chart.restoreBundles(view.bundles);
    if (view.zoom && view.pan) {
      chart.cy.viewport({ zoom: view.zoom, pan: view.pan });
      // A view saved before the last moves may leave some out: then fit.
      chart.ensureVisible(chart.entities().not('.filtered'));
    } else chart.fit();
    await setOverlay(byId<HTMLSelectElement>('size-select'), view.size ?? '');
    setToggle(byId<HTMLInputElement>('community-toggle'), !!view.communities);
    setToggle(byId<HTMLInputElement>('broker-toggle'), !!view.brokers);
  }

  /** Saves the chart as a new case (asks for a title) and opens it. */
  async create(): Promise<void> {
    if (!this.canWrite()) return;
    const title = window.prompt('Title of the new case', this.open ? `${this.open.title} (copy)` : 'New case')?.trim();
    if (!title) return;
    const prev = this.open;
    try {
      const items = this.deps.chart.entities().map((n) => {
        const p = (n as NodeSingular).position();
        return { entity: n.id(), x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10, pinned: !!n.data('pinned'), hidden: !!n.data('hidden') };
      }).filter((i) => !this.deps.chart.node(i.entity)?.data('missing'));
      const notes = (prev?.notes ?? []).filter((n) => !n.entity && !n.link ? true : this.deps.chart.cy.getElementById(n.entity ?? n.link ?? '').nonempty())
        .map((n) => ({ text: n.text, entity: n.entity ?? undefined, link: n.link ?? undefined }));
      const c = await caseapi.saveCase({ title, items, notes, view: JSON.stringify(this.view()), asOf: timeState().asOf ?? '' });
      if (prev && this.unsaved()) await this.flush();
      this.open = { id: c.id, title: c.title, owner: c.owner, version: c.version, updatedAt: c.updatedAt, updatedBy: c.updatedBy,
        asOf: c.asOf, notes: localNotes(c), missing: [] };
      this.conflict = false;
      this.history.push();
      this.lastSaved = this.fingerprint();
      this.renderBar();
      this.setStatus(`Saved · version ${c.version}`);
      document.title = `${c.title} — Skein`;
      toast(`Saved as case “${c.title}”. Changes are saved as you go.`, 'info', 4000);
    } catch (err) {
      this.deps.report(err, 'Could not save the case');
    }
  }

  /** Leaves the case; the chart stays, unsaved, at its plain address. */
  close(): void {
    if (!this.open) return;
    if (this.writable() && this.unsaved()) void this.flush();
    this.open = null;
    this.conflict = false;
    this.deps.chart.cy.autoungrabify(false);
    this.deps.chart.cy.nodes('[?missing]').remove();
    this.history.push();
    document.title = 'Skein — link chart';
    this.renderBar();
  }

  private async rename(id: string, title: string): Promise<void> {
    const t = window.prompt('New title', title)?.trim();
    if (!t || t === title) return;
    try {
      const version = this.open?.id === id ? this.open.version : (await caseapi.getCase(id)).version;
      if (this.open?.id === id && this.unsaved()) await this.flush();
      const c = await caseapi.saveCase({ id, version: this.open?.id === id ? this.open.version : version, title: t });
      if (this.open?.id === id) {
        this.open.title = c.title;
        this.open.version = c.version;
        this.renderBar();
        this.setStatus(`Saved · version ${c.version}`);
        document.title = `${c.title} — Skein`;
      }
      if (this.listDialog.open) void this.showList();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT' && this.open?.id === id) await this.onConflict();
      else this.deps.report(err, 'Could not rename the case');
    }
  }

  private async remove(c: CaseSummary): Promise<void> {
    if (!window.confirm(`Delete the case “${c.title}”? Its notes go with it.`)) return;
    try {
      await caseapi.deleteCase(c.id);
      if (this.open?.id === c.id) this.close();
      toast(`Deleted “${c.title}”.`, 'info', 3000);
      void this.showList();
    } catch (err) {
      this.deps.report(err, 'Could not delete the case');
    }
  }

  // ---- the list -----------------------------------------------------------------

  async showList(): Promise<void> {
    const d = this.listDialog;
    const body = h('tbody', { id: 'cases-rows' });
    const status = h('p', { class: 'hint', id: 'cases-status', role: 'status' }, 'Loading…');
    d.replaceChildren(
      h('header', { class: 'doc-head' }, h('h2', { id: 'cases-h' }, 'Cases'),
        h('button', { type: 'button', id: 'cases-close', onclick: () => d.close() }, 'Close')),
      status,
      h('div', { class: 'audit-scroll' }, h('table', { class: 'audit-table', id: 'cases-table' },
        h('thead', {}, h('tr', {}, ...['Title', 'Owner', 'Updated', 'Version', ''].map((t) => h('th', {}, t)))), body)));
    if (!d.open) d.showModal();
    try {
      const list = await caseapi.listCases();
      status.textContent = list.length === 0 ? 'No cases yet.' : `${list.length} ${list.length === 1 ? 'case' : 'cases'}`;
      body.replaceChildren(...list.map((c) => {
        const mayDelete = !!this.me && (this.me.canAdmin || this.me.id === c.owner);
        return h('tr', { 'data-case': c.id },
          h('td', {}, h('button', { type: 'button', class: 'linklike case-open', onclick: () => {
            d.close();
            void this.openCase(c.id, { push: true });
          } }, c.title)),
          h('td', {}, c.owner),
          h('td', {}, new Date(c.updatedAt).toLocaleString()),
          h('td', {}, String(c.version)),
          h('td', {},
            this.canWrite() ? h('button', { type: 'button', class: 'linklike case-rename', onclick: () => void this.rename(c.id, c.title) }, 'Rename') : '',
            mayDelete ? h('button', { type: 'button', class: 'linklike case-delete', onclick: () => void this.remove(c) }, 'Delete') : ''));
      }));
    } catch (err) {
      status.textContent = err instanceof Error ? err.message : String(err);
    }
  }

  // ---- Back and Forward ------------------------------------------------------------

  private pop(s: HistoryState): void | Promise<void> {
    const cur = this.open?.id ?? null;
    if (s.caseId && s.caseId !== cur) return this.openCase(s.caseId, { push: false });
    if (!s.caseId && cur) {
      this.open = null;
      this.conflict = false;
      this.deps.chart.cy.autoungrabify(false);
      document.title = 'Skein — link chart';
      this.renderBar();
    }
    this.deps.chart.checkpoint();
    this.deps.chart.load(s.elements);
    this.renderNotes();
  }
}

function parseView(s: string | null): ViewState {
  if (!s) return { v: VIEW_VERSION };
  try {
    const v = JSON.parse(s) as ViewState;
    return typeof v === 'object' && v !== null ? v : { v: VIEW_VERSION };
  } catch {
    return { v: VIEW_VERSION };
  }
}

function setToggle(el: HTMLInputElement, on: boolean): void {
  if (el.checked === on) return;
  el.checked = on;
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Sets a select once its option exists (the metrics arrive from the API). */
async function setOverlay(el: HTMLSelectElement, value: string): Promise<void> {
  for (let i = 0; i < 50 && value && ![...el.options].some((o) => o.value === value); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  if (el.value === value || ![...el.options].some((o) => o.value === value)) return;
  el.value = value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

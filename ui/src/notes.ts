// The notes of the open case: on the case itself, on an entity or on a
// link of its chart, each shown with its author and time. A note is written
// about the case, or about the selected entity or link; viewers only read.
import { h } from './ui';

/** A note as the UI holds it: stored ones have an id, new ones a key only. */
export interface LocalNote {
  key: string;
  id?: string;
  text: string;
  author: string;
  createdAt: string;
  updatedAt?: string | null;
  updatedBy?: string | null;
  entity?: string | null;
  link?: string | null;
}

export interface NoteTarget {
  kind: 'entity' | 'link';
  id: string;
  label: string;
}

export interface NotesDeps {
  add(text: string, target: NoteTarget | null): void;
  edit(key: string, text: string): void;
  remove(key: string): void;
  /** What a note is about, as a label, and whether it is still on the chart. */
  describe(n: LocalNote): { label: string; present: boolean } | null;
  select(n: LocalNote): void;
}

const when = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
};

export class NotesPanel {
  private readonly list: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly text: HTMLTextAreaElement;
  private readonly about: HTMLSelectElement;
  private target: NoteTarget | null = null;

  constructor(readonly root: HTMLElement, private readonly deps: NotesDeps) {
    this.list = h('ol', { class: 'notes-list', id: 'notes-list', 'aria-label': 'Notes' });
    this.text = h('textarea', { id: 'note-text', rows: 3, maxlength: 20000, placeholder: 'Write a note…', 'aria-label': 'New note' });
    this.about = h('select', { id: 'note-about', 'aria-label': 'The note is about' });
    this.form = h('form', { class: 'note-form', id: 'note-form' }, this.text,
      h('div', { class: 'note-form-row' }, h('label', { class: 'field' }, 'About', this.about),
        h('button', { type: 'submit', class: 'primary', id: 'note-add' }, 'Add note')));
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const text = this.text.value.trim();
      if (!text) return;
      this.deps.add(text, this.about.value === 'target' ? this.target : null);
      this.text.value = '';
    });
    root.replaceChildren(this.form, this.list);
    this.setTarget(null);
  }

  /** What "about" offers besides the case: the selected entity or link. */
  setTarget(t: NoteTarget | null): void {
    this.target = t;
    const keep = this.about.value;
    this.about.replaceChildren(h('option', { value: 'case' }, 'the case'),
      ...(t ? [h('option', { value: 'target' }, `${t.kind === 'entity' ? 'entity' : 'link'}: ${t.label}`)] : []));
    this.about.value = t && keep !== 'case' ? 'target' : 'case';
  }

  render(notes: LocalNote[], canWrite: boolean): void {
    this.form.hidden = !canWrite;
    if (notes.length === 0) {
      this.list.replaceChildren(h('li', { class: 'hint' }, canWrite ? 'No notes yet.' : 'No notes on this case.'));
      return;
    }
    this.list.replaceChildren(...notes.map((n) => this.row(n, canWrite)));
  }

  private row(n: LocalNote, canWrite: boolean): HTMLElement {
    const about = this.deps.describe(n);
    const meta = h('div', { class: 'note-meta' },
      h('span', { class: 'note-author' }, n.author), ' · ', h('time', { datetime: n.createdAt }, when(n.createdAt)),
      n.updatedAt ? ` · edited${n.updatedBy && n.updatedBy !== n.author ? ` by ${n.updatedBy}` : ''} ${when(n.updatedAt)}` : '',
      n.id ? '' : ' · not saved yet');
    const li = h('li', { class: 'note', 'data-note': n.id ?? n.key, 'data-about': n.entity ?? n.link ?? '' },
      about
        ? h('button', { type: 'button', class: `linklike note-about${about.present ? '' : ' gone'}`, onclick: () => this.deps.select(n),
          title: about.present ? 'Select it on the chart' : 'No longer on the chart or in the graph' }, `On ${about.label}`)
        : h('span', { class: 'note-about' }, 'On the case'),
      h('p', { class: 'note-text' }, n.text), meta);
    if (canWrite) {
      li.append(h('div', { class: 'note-actions' },
        h('button', { type: 'button', class: 'linklike note-edit', onclick: () => this.editRow(li, n) }, 'Edit'),
        h('button', { type: 'button', class: 'linklike note-delete', onclick: () => {
          if (window.confirm('Delete this note?')) this.deps.remove(n.key);
        } }, 'Delete')));
    }
    return li;
  }

  private editRow(li: HTMLElement, n: LocalNote): void {
    const area = h('textarea', { class: 'note-edit-text', rows: 3, maxlength: 20000, 'aria-label': 'Edit the note' });
    area.value = n.text;
    const save = h('button', { type: 'button', class: 'primary note-save', onclick: () => {
      const t = area.value.trim();
      if (t && t !== n.text) this.deps.edit(n.key, t);
      else li.replaceWith(this.row(n, true));
    } }, 'Save');
    const cancel = h('button', { type: 'button', onclick: () => li.replaceWith(this.row(n, true)) }, 'Cancel');
    li.querySelector('.note-text')?.replaceWith(area);
    li.querySelector('.note-actions')?.replaceChildren(save, cancel);
    area.focus();
  }
}

// Notes marked on the chart: an entity with a note of the open case wears a
// small amber badge at its top right, a link with a note an amber diamond
// at its middle, so what was written about shows where it is.
import type { Core, StylesheetJson } from 'cytoscape';
import { iconUrl, kindList } from './kinds';

export const NOTE_COLOR = '#f59e0b';
/** A static file (ui/public): the page's CSP allows images from 'self' only. */
const BADGE = '/note-badge.svg';
export const NOTED = 'has-note';

/** Style rules for noted entities and links; appended to the stylesheet. */
export function noteRules(): StylesheetJson {
  const badge = {
    'background-position-x': '100%',
    'background-position-y': '0%',
    'background-offset-x': 6,
    'background-offset-y': -6,
    'background-width': '50%',
    'background-height': '50%',
    'background-clip': 'none',
    'background-image-containment': 'over',
  };
  // A node draws one list of images: a kind's icon and then the badge.
  const withIcon = kindList().filter((k) => k.icon).map((k) => ({
    selector: `node.${NOTED}[kind = "${k.kind}"]`,
    style: {
      'background-image': [iconUrl(k.kind), BADGE],
      'background-position-x': ['50%', badge['background-position-x']],
      'background-position-y': ['50%', badge['background-position-y']],
      'background-offset-x': [0, badge['background-offset-x']],
      'background-offset-y': [0, badge['background-offset-y']],
      'background-width': ['60%', badge['background-width']],
      'background-height': ['60%', badge['background-height']],
      'background-clip': ['none', 'none'],
      'background-image-containment': ['inside', 'over'],
    },
  }));
  return [
    { selector: `node.${NOTED}`, style: { ...badge, 'background-image': BADGE } },
    ...withIcon,
    // Far out the kind icons are not drawn (lod.ts), the badge still is.
    { selector: `node.${NOTED}.lod-noicon`, style: { ...badge, 'background-image': BADGE } },
    {
      selector: `edge.${NOTED}`,
      style: { 'mid-target-arrow-shape': 'diamond', 'mid-target-arrow-color': NOTE_COLOR, 'mid-target-arrow-fill': 'filled', 'arrow-scale': 1.5 },
    },
  ] as unknown as StylesheetJson;
}

/** Keeps the noted class on the elements some note is about, also on those added later. */
export class NoteMarks {
  private ids = new Set<string>();

  constructor(private readonly cy: Core) {
    cy.on('add', (ev) => {
      if (this.ids.has(ev.target.id())) ev.target.addClass(NOTED);
    });
  }

  /** The entity and link ids that have a note (none when no case is open). */
  set(ids: Iterable<string>): void {
    this.ids = new Set(ids);
    this.cy.batch(() => {
      this.cy.elements(`.${NOTED}`).forEach((el) => {
        if (!this.ids.has(el.id())) el.removeClass(NOTED);
      });
      for (const id of this.ids) this.cy.getElementById(id).addClass(NOTED);
    });
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}

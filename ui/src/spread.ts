// Spreading a laid-out chart so that nothing overlaps. The force layout
// (fcose) places connected entities near each other but does not keep their
// boxes apart on a dense chart (150 entities with 650 links give dozens of
// overlapping pairs), and it knows nothing of the labels drawn under the
// nodes. After it runs, each entity is given a box, its body plus the room
// its label takes at full size, and overlapping boxes are pushed apart
// along the axis where they overlap least, until none overlap. The layout's
// shape is kept: only crowded places grow. Locked (pinned) entities and
// those the caller holds in place do not move.
import type { NodeCollection, NodeSingular, Position } from 'cytoscape';

/** The label's font and wrap width, as the stylesheet draws it (style.ts). */
export interface LabelFont {
  size: number;
  weight: number;
  maxWidth: number;
}

export const LABEL_FONT: LabelFont = { size: 12, weight: 500, maxWidth: 130 };
const FAMILY = 'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
/**
 * How far Cytoscape's label box reaches past the text (text-margin-y 4,
 * text-background-padding 2, anti-aliasing): measured on its
 * renderedBoundingBox, which the layout e2e test checks against.
 */
const PAD_X = 5;
const TOP = -1;
const PAD_Y = 8;
const MAX_LINES = 3;
/** The most the whole drawing grows before overlaps are pushed apart. */
const MAX_GROWTH = 6;

let ctx: CanvasRenderingContext2D | null = null;
const widths = new Map<string, number>();

function textWidth(text: string, font: LabelFont): number {
  const key = `${font.size}/${font.weight}/${text}`;
  const known = widths.get(key);
  if (known !== undefined) return known;
  ctx ??= document.createElement('canvas').getContext('2d');
  let w: number;
  if (ctx) {
    ctx.font = `${font.weight} ${font.size}px ${FAMILY}`;
    w = ctx.measureText(text).width;
  } else {
    w = text.length * font.size * 0.6;
  }
  widths.set(key, w);
  return w;
}

/** The lines of a label wrapped at font.maxWidth on spaces, as Cytoscape does. */
function wrap(text: string, font: LabelFont): number[] {
  const lines: number[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, font) > font.maxWidth) {
      lines.push(textWidth(line, font));
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(textWidth(line, font));
  return lines.slice(0, MAX_LINES);
}

/** A box relative to the node's position (x1, y1 are negative). */
export interface Extent {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * Where a node's label is drawn, relative to its position, when it is
 * drawn at this font: centred under the body.
 */
export function labelExtent(n: NodeSingular, font: LabelFont = LABEL_FONT): Extent | null {
  const text = String(n.data('name') ?? '');
  if (!text) return null;
  const lines = wrap(text, font);
  const half = Math.max(...lines, 0) / 2 + PAD_X;
  const top = n.outerHeight() / 2 + TOP;
  return { x1: -half, x2: half, y1: top, y2: top + lines.length * font.size + PAD_Y };
}

/** The node's body (border and outline included), relative to its position. */
export function bodyExtent(n: NodeSingular): Extent {
  const p = n.position();
  const bb = n.boundingBox({ includeLabels: false, includeOverlays: false, includeUnderlays: false } as never);
  if (!(bb.w > 0)) {
    const w = n.outerWidth() / 2;
    const h = n.outerHeight() / 2;
    return { x1: -w, x2: w, y1: -h, y2: h };
  }
  return { x1: bb.x1 - p.x, x2: bb.x2 - p.x, y1: bb.y1 - p.y, y2: bb.y2 - p.y };
}

export interface SpreadOptions {
  /** Room kept between two boxes, in chart units. */
  gap?: number;
  /** Ids that must not move (besides locked nodes). */
  fixed?: Set<string>;
  /** Rounds of pushing at most; a round that moves nothing ends early. */
  rounds?: number;
}

/**
 * New positions for `nodes` such that no two of their boxes (body and
 * full-size label) overlap. Nodes whose position does not change are left
 * out of the map. Positions are not applied, so the caller can animate.
 */
export function spreadApart(nodes: NodeCollection, opts: SpreadOptions = {}): Map<string, Position> {
  const gap = opts.gap ?? 6;
  const list = nodes.toArray() as NodeSingular[];
  const n = list.length;
  const pos = list.map((v) => ({ ...v.position() }));
  const box = list.map((v) => {
    const b = bodyExtent(v);
    const l = labelExtent(v);
    const e = l ? { x1: Math.min(b.x1, l.x1), x2: Math.max(b.x2, l.x2), y1: b.y1, y2: Math.max(b.y2, l.y2) } : b;
    return { x1: e.x1 - gap / 2, x2: e.x2 + gap / 2, y1: e.y1 - gap / 2, y2: e.y2 + gap / 2 };
  });
  const still = list.map((v) => v.locked() || !!opts.fixed?.has(v.id()));
  const cell = Math.max(60, ...box.map((b) => Math.max(b.x2 - b.x1, b.y2 - b.y1)));
  const rounds = opts.rounds ?? 1500;
  // First the whole drawing grows evenly, by the factor that separates most
  // of the overlapping pairs along the line between them, so the layout's
  // shape is kept; pushing alone would stack crowded places into columns.
  if (!still.some(Boolean)) scale(grow());
  for (let round = 0; round < rounds; round++) {
    let moved = 0;
    for (const [i, j] of candidates()) if (push(i, j)) moved++;
    if (moved === 0) break;
  }

  /** Pairs whose boxes share a cell of a uniform grid (each pair once). */
  function candidates(): Array<[number, number]> {
    const grid = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const b = box[i];
      for (let gx = Math.floor((pos[i].x + b.x1) / cell); gx <= Math.floor((pos[i].x + b.x2) / cell); gx++) {
        for (let gy = Math.floor((pos[i].y + b.y1) / cell); gy <= Math.floor((pos[i].y + b.y2) / cell); gy++) {
          const k = `${gx},${gy}`;
          const c = grid.get(k);
          if (c) c.push(i);
          else grid.set(k, [i]);
        }
      }
    }
    const out: Array<[number, number]> = [];
    const seen = new Set<number>();
    for (const c of grid.values()) {
      for (let a = 0; a < c.length; a++) {
        for (let b = a + 1; b < c.length; b++) {
          const i = c[a];
          const j = c[b];
          if (still[i] && still[j]) continue;
          const key = i * n + j;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push([i, j]);
        }
      }
    }
    return out;
  }

  /**
   * The factor by which the drawing would have to grow for an overlapping
   * pair to come apart along the line between them; the 3rd quartile over
   * all such pairs, at most MAX_GROWTH.
   */
  function grow(): number {
    const need: number[] = [];
    for (const [i, j] of candidates()) {
      const A = box[i];
      const B = box[j];
      const dx = pos[j].x - pos[i].x;
      const dy = pos[j].y - pos[i].y;
      const wx = dx >= 0 ? A.x2 - B.x1 : B.x2 - A.x1;
      const wy = dy >= 0 ? A.y2 - B.y1 : B.y2 - A.y1;
      if (Math.abs(dx) >= wx || Math.abs(dy) >= wy) continue; // apart already
      need.push(Math.min(Math.abs(dx) > 0 ? wx / Math.abs(dx) : Infinity, Math.abs(dy) > 0 ? wy / Math.abs(dy) : Infinity));
    }
    if (need.length === 0) return 1;
    need.sort((a, b) => a - b);
    return Math.min(MAX_GROWTH, need[Math.floor(need.length * 0.75)]);
  }

  function scale(f: number): void {
    if (f <= 1) return;
    const cx = pos.reduce((s, p) => s + p.x, 0) / n;
    const cy = pos.reduce((s, p) => s + p.y, 0) / n;
    for (const p of pos) {
      p.x = cx + (p.x - cx) * f;
      p.y = cy + (p.y - cy) * f;
    }
  }

  /** Pushes i and j apart if their boxes overlap; true if they did. */
  function push(i: number, j: number): boolean {
    const A = box[i];
    const B = box[j];
    const ox = Math.min(pos[i].x + A.x2, pos[j].x + B.x2) - Math.max(pos[i].x + A.x1, pos[j].x + B.x1);
    const oy = Math.min(pos[i].y + A.y2, pos[j].y + B.y2) - Math.max(pos[i].y + A.y1, pos[j].y + B.y1);
    if (ox <= 0 || oy <= 0) return false;
    // The share each moves: half each, or all of it for the one that may.
    const si = still[i] ? 0 : still[j] ? 1 : 0.5;
    const sj = 1 - si;
    if (ox < oy) {
      // Whoever is left goes left; ties by index, so it is deterministic.
      const dir = pos[i].x < pos[j].x || (pos[i].x === pos[j].x && i < j) ? 1 : -1;
      pos[i].x -= dir * si * (ox + 0.5);
      pos[j].x += dir * sj * (ox + 0.5);
    } else {
      const dir = pos[i].y < pos[j].y || (pos[i].y === pos[j].y && i < j) ? 1 : -1;
      pos[i].y -= dir * si * (oy + 0.5);
      pos[j].y += dir * sj * (oy + 0.5);
    }
    return true;
  }

  const out = new Map<string, Position>();
  list.forEach((v, i) => {
    const p = v.position();
    if (!still[i] && (p.x !== pos[i].x || p.y !== pos[i].y)) out.set(v.id(), pos[i]);
  });
  return out;
}

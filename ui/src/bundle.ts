// Bundles: the leaves of a hub (entities linked to nothing else on the
// chart) folded into one "N members" node, so an expanded hub stays
// readable. The members stay on the chart (and in the URL, exports and
// analysis), only not drawn; tapping the bundle brings them back.
import type { Core, NodeCollection, NodeSingular, Position } from 'cytoscape';
import { linkTypeLabel } from './style';

export const BUNDLE_PREFIX = 'bundle:';

export function isBundle(n: NodeSingular): boolean {
  return !!n.data('bundle');
}

/** Visible, unpinned entities whose only neighbour on the chart is hub. */
export function leavesOf(hub: NodeSingular): NodeCollection {
  return hub
    .neighborhood('node')
    .filter((m) => !isBundle(m as NodeSingular) && !m.data('bundledIn') && !m.data('pinned') && !m.data('hidden') &&
      m.neighborhood('node').every((x) => (x as NodeSingular).id() === hub.id()));
}

/** A bundle as a case keeps it (cases.ts view). */
export interface SavedBundle {
  hub: string;
  members: string[];
  x: number;
  y: number;
}

/** The bundles on the chart, to be saved. */
export function savedBundles(cy: Core): SavedBundle[] {
  return cy.nodes('[?bundle]').map((b) => ({
    hub: String(b.data('hub')),
    members: [...(b.data('members') as string[])].sort(),
    x: Math.round(b.position('x') * 10) / 10,
    y: Math.round(b.position('y') * 10) / 10,
  })).sort((a, b) => a.hub.localeCompare(b.hub));
}

/**
 * Bundles again what was saved: of the saved members, those still leaves of
 * the hub, where the bundle was. Returns how many bundles were made.
 */
export function restoreBundles(cy: Core, saved: SavedBundle[] | undefined): number {
  let made = 0;
  for (const s of saved ?? []) {
    const hub = cy.getElementById(s.hub);
    if (hub.empty() || !hub.isNode() || !Array.isArray(s.members)) continue;
    if (bundleLeaves(cy, hub as NodeSingular, new Set(s.members), Number.isFinite(s.x) && Number.isFinite(s.y) ? { x: s.x, y: s.y } : undefined) > 0) made++;
  }
  return made;
}

/**
 * Folds the leaves of hub (or those of them in `only`) into a bundle node,
 * placed at `at` or out from the hub; returns how many members it has.
 */
export function bundleLeaves(cy: Core, hub: NodeSingular, only?: Set<string>, at?: Position): number {
  const leaves = only ? leavesOf(hub).filter((n) => only.has(n.id())) : leavesOf(hub);
  if (leaves.length < 2) return 0;
  const id = `${BUNDLE_PREFIX}${hub.id()}`;
  const existing = cy.getElementById(id);
  const prior: string[] = existing.nonempty() ? (existing.data('members') as string[]) : [];
  const members = [...prior, ...leaves.map((n) => n.id())];
  // The link types that tie the members to the hub, for the bundle's label.
  const types = new Set<string>();
  leaves.connectedEdges().forEach((e) => {
    types.add(e.data('type'));
  });
  let x = 0;
  let y = 0;
  leaves.forEach((n) => {
    x += n.position('x');
    y += n.position('y');
  });
  // Out from the hub towards where its leaves were (their centroid is often
  // the hub itself, when they ring it: then to its right).
  const hp = hub.position();
  const dx = x / leaves.length - hp.x;
  const dy = y / leaves.length - hp.y;
  const d = Math.hypot(dx, dy);
  const pos = at ?? (existing.nonempty()
    ? existing.position()
    : d > 20 ? { x: hp.x + (dx / d) * 130, y: hp.y + (dy / d) * 130 } : { x: hp.x + 130, y: hp.y });
  cy.batch(() => {
    existing.remove();
    leaves.forEach((n) => {
      n.data('bundledIn', id);
    });
    cy.add([
      {
        group: 'nodes',
        data: {
          id,
          bundle: true,
          kind: 'BUNDLE',
          hub: hub.id(),
          members,
          name: `${members.length} members`,
          sanctioned: false,
        },
        position: pos,
      },
      {
        group: 'edges',
        data: {
          id: `${BUNDLE_PREFIX}edge:${hub.id()}`,
          source: hub.id(),
          target: id,
          bundle: true,
          type: 'BUNDLE',
          label: [...types].map(linkTypeLabel).join(', '),
        },
      },
    ]);
  });
  return members.length;
}

/** Opens a bundle; returns its members, placed in a ring where it was. */
export function unbundle(cy: Core, bundleId: string): NodeCollection {
  const b = cy.getElementById(bundleId);
  if (b.empty()) return cy.collection() as NodeCollection;
  const ids = new Set(b.data('members') as string[]);
  const members = cy.nodes().filter((n) => ids.has(n.id()));
  const c = b.position();
  const r = 60 + members.length * 6;
  cy.batch(() => {
    b.remove();
    members.forEach((n, i) => {
      n.removeData('bundledIn');
      const a = (2 * Math.PI * i) / Math.max(1, members.length);
      if (!n.locked()) n.position({ x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) });
    });
  });
  return members;
}

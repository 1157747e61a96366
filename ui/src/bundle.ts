// Bundles: the leaves of a hub (entities linked to nothing else on the
// chart) folded into one "N members" node, so an expanded hub stays
// readable. The members stay on the chart (and in the URL, exports and
// analysis), only not drawn; tapping the bundle brings them back.
import type { Core, NodeCollection, NodeSingular } from 'cytoscape';
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

/** Folds the leaves of hub into a bundle node; returns how many. */
export function bundleLeaves(cy: Core, hub: NodeSingular): number {
  const leaves = leavesOf(hub);
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
  const pos = existing.nonempty()
    ? existing.position()
    : d > 20 ? { x: hp.x + (dx / d) * 130, y: hp.y + (dy / d) * 130 } : { x: hp.x + 130, y: hp.y };
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

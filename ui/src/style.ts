// How the chart looks: kinds, link labels and the Cytoscape stylesheet.
import type { StylesheetJson } from 'cytoscape';

export interface KindInfo {
  label: string; // singular, for badges
  plural: string; // for headings and filters
  color: string;
  shape: string;
}

export const KINDS: Record<string, KindInfo> = {
  PERSON: { label: 'Person', plural: 'People', color: '#3d7cc9', shape: 'ellipse' },
  ORGANIZATION: { label: 'Organisation', plural: 'Organisations', color: '#d68a1c', shape: 'round-hexagon' },
  COMPANY: { label: 'Company', plural: 'Companies', color: '#1f9a8f', shape: 'round-rectangle' },
};

const OTHER: KindInfo = { label: 'Other', plural: 'Other', color: '#7d8793', shape: 'round-diamond' };

export function kindInfo(kind: string): KindInfo {
  return KINDS[kind] ?? { ...OTHER, label: titleCase(kind), plural: titleCase(kind) };
}

export const SANCTION_COLOR = '#d32f2f';

/** "MEMBER_OF" -> "member of". */
export function linkTypeLabel(type: string): string {
  return type.toLowerCase().replace(/_/g, ' ');
}

/** The label drawn on a link: its type, and its role when it has one. */
export function linkLabel(type: string, role: string | null | undefined): string {
  const t = linkTypeLabel(type);
  return role ? `${t} · ${role}` : t;
}

export function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s_])(\w)/g, (_, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase());
}

/** Colours for communities; distinct from the kind colours' hues where possible. */
export const COMMUNITY_COLORS = [
  '#8e6cc9', '#e0679a', '#5aa469', '#c9a227', '#4aa3c9', '#c96b4a', '#6b7fc9', '#9bbf3c', '#c94a6b', '#4ac9a0',
];

/**
 * The stylesheet. Labels disappear below a readable on-screen size
 * (min-zoomed-font-size), which also keeps large charts fast.
 */
export function stylesheet(): StylesheetJson {
  const kindRules = Object.entries(KINDS).map(([kind, info]) => ({
    selector: `node[kind = "${kind}"]`,
    style: { 'background-color': info.color, shape: info.shape },
  }));
  return [
    {
      selector: 'node',
      style: {
        'background-color': OTHER.color,
        shape: OTHER.shape as 'round-diamond',
        width: 32,
        height: 32,
        label: 'data(name)',
        'font-family': 'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
        'font-size': 12,
        'font-weight': 500,
        color: '#1c2733',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': '130px',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.82,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': 7,
        'border-width': 2,
        'border-color': '#ffffff',
        'overlay-padding': 6,
      },
    },
    ...kindRules,
    { selector: 'node[kind = "ORGANIZATION"]', style: { width: 40, height: 40 } },
    {
      // Sanctioned: a red ring (border) plus a faint red halo (outline), so it
      // reads at any zoom and in greyscale prints.
      selector: 'node[?sanctioned]',
      style: {
        'border-width': 4,
        'border-color': SANCTION_COLOR,
        'outline-width': 3,
        'outline-color': SANCTION_COLOR,
        'outline-opacity': 0.28,
        'outline-offset': 1,
      },
    },
    { selector: 'node.sized', style: { width: 'mapData(score, 0, 1, 22, 78)', height: 'mapData(score, 0, 1, 22, 78)' } },
    { selector: 'node.community', style: { 'background-color': 'data(ccolor)' } },
    {
      selector: 'node[?expanded]',
      style: { 'background-opacity': 1 },
    },
    {
      selector: 'node:selected',
      style: {
        'underlay-color': '#2563eb',
        'underlay-opacity': 0.28,
        'underlay-padding': 9,
        'underlay-shape': 'ellipse',
        'font-weight': 700,
        'z-index': 20,
      },
    },
    {
      selector: 'node.kbd-focus',
      style: { 'underlay-color': '#2563eb', 'underlay-opacity': 0.45, 'underlay-padding': 11 },
    },
    {
      selector: 'edge',
      style: {
        width: 1.6,
        'line-color': '#a3adb8',
        'target-arrow-color': '#a3adb8',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'curve-style': 'bezier',
        label: 'data(label)',
        'font-size': 10,
        color: '#4a5563',
        'text-rotation': 'autorotate',
        // Long roles wrap onto two lines instead of running under the nodes.
        'text-wrap': 'wrap',
        'text-max-width': '110px',
        'text-background-color': '#f7f9fb',
        'text-background-opacity': 0.9,
        'text-background-padding': '1px',
        'min-zoomed-font-size': 8,
        'overlay-padding': 4,
      },
    },
    { selector: 'edge[type = "MEMBER_OF"]', style: { 'line-color': '#8ea3bd', 'target-arrow-color': '#8ea3bd' } },
    { selector: 'edge[type = "FAMILY_OF"]', style: { 'line-style': 'dashed' } },
    { selector: 'edge[type = "ASSOCIATE_OF"], edge[type = "LINKED_TO"]', style: { 'line-style': 'dotted', 'target-arrow-shape': 'none' } },
    {
      selector: 'edge:selected',
      style: { 'line-color': '#2563eb', 'target-arrow-color': '#2563eb', width: 3, color: '#1e40af', 'z-index': 20 },
    },
    { selector: '.filtered', style: { display: 'none' } },
    { selector: '.faded', style: { opacity: 0.18, 'text-opacity': 0.1 } },
    {
      selector: 'node.path',
      style: { 'underlay-color': '#f57c00', 'underlay-opacity': 0.35, 'underlay-padding': 8, 'underlay-shape': 'ellipse', 'z-index': 15 },
    },
    {
      selector: 'edge.path',
      style: { 'line-color': '#f57c00', 'target-arrow-color': '#f57c00', width: 4, color: '#8a3c00', 'z-index': 15 },
    },
  ] as StylesheetJson;
}

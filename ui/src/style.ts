// How the chart looks: kinds, link labels and the Cytoscape stylesheet.
import type { StylesheetJson } from 'cytoscape';
import { OTHER, iconUrl, kindList } from './kinds';
import { noteRules } from './notemarks';

// Kinds (shape, colour, icon) come from the server's registry (kinds.ts).
export { kindInfo, titleCase } from './kinds';

export const SANCTION_COLOR = '#d32f2f';
export const BROKER_COLOR = '#7b1fa2';

/** "MEMBER_OF" -> "member of". */
export function linkTypeLabel(type: string): string {
  return type.toLowerCase().replace(/_/g, ' ');
}

/**
 * The label drawn on a link: its type, its role when it has one, and what
 * its typed fields say (kinds.ts linkSummary: "51%", "12,500 EUR").
 */
export function linkLabel(type: string, role: string | null | undefined, summary = ''): string {
  return [linkTypeLabel(type), role, summary].filter(Boolean).join(' · ');
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
  // One rule per kind of the registry: its shape, colour and icon.
  const kindRules = kindList().map((info) => ({
    selector: `node[kind = "${info.kind}"]`,
    style: {
      'background-color': info.color,
      shape: info.shape,
      ...(info.icon ? { 'background-image': iconUrl(info.kind), 'background-width': '60%', 'background-height': '60%', 'background-clip': 'none' } : {}),
    },
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
        'min-zoomed-font-size': 5,
        'border-width': 2,
        'border-color': '#ffffff',
        'overlay-padding': 6,
      },
    },
    ...kindRules,
    // Far out an icon is a few pixels of noise (lod.ts).
    { selector: 'node.lod-noicon', style: { 'background-image': 'none' } },
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
    {
      // A community is a halo around the node; the fill keeps the kind colour.
      selector: 'node.community',
      style: { 'underlay-color': 'data(ccolor)', 'underlay-opacity': 0.55, 'underlay-padding': 8, 'underlay-shape': 'ellipse' },
    },
    {
      // Brokers: a purple double ring (articulation points), purple links (bridges).
      selector: 'node.broker',
      style: { 'border-width': 6, 'border-style': 'double', 'border-color': BROKER_COLOR },
    },
    { selector: 'edge.bridge', style: { 'line-color': BROKER_COLOR, 'target-arrow-color': BROKER_COLOR, width: 4, 'line-style': 'solid' } },
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
    // Level of detail (lod.ts): link labels only when asked for, entity
    // labels only when they can be read.
    { selector: 'edge', style: { label: '' } },
    { selector: 'edge.lod-label', style: { label: 'data(label)' } },
    { selector: 'node.lod-nolabel', style: { label: '' } },
    { selector: 'edge.lod-faint', style: { 'line-opacity': 0.4 } },
    { selector: 'node.lod-big', style: { 'font-size': 18, 'font-weight': 600, 'text-max-width': '195px', 'z-index': 10 } },
    {
      // A hovered link is drawn over the nodes, so its label is never cut.
      selector: 'edge.lod-hover',
      style: { width: 2.6, 'line-color': '#5b6b7d', 'target-arrow-color': '#5b6b7d', 'z-index-compare': 'manual', 'z-index': 30 },
    },
    { selector: 'node.lod-hover', style: { 'z-index': 25 } },
    {
      // Pinned in place: a dark dashed ring (a sanctioned entity keeps its red).
      selector: 'node[?pinned]',
      style: { 'border-style': 'dashed', 'border-width': 3, 'border-color': '#1c2733' },
    },
    { selector: 'node[?pinned][?sanctioned]', style: { 'border-color': SANCTION_COLOR } },
    {
      // A bundle of a hub's leaves: a pale box that reads "9 members".
      selector: 'node[?bundle]',
      style: {
        shape: 'round-rectangle',
        'background-color': '#eef2f7',
        'border-width': 2,
        'border-style': 'dashed',
        'border-color': '#7d8793',
        width: 96,
        height: 26,
        padding: '8px',
        'text-valign': 'center',
        'text-margin-y': 0,
        'text-background-opacity': 0,
        'font-size': 12,
        'font-weight': 600,
      },
    },
    { selector: 'edge[?bundle]', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none' } },
    { selector: 'edge[type = "MEMBER_OF"]', style: { 'line-color': '#8ea3bd', 'target-arrow-color': '#8ea3bd' } },
    { selector: 'edge[type = "FAMILY_OF"]', style: { 'line-style': 'dashed' } },
    { selector: 'edge[type = "ASSOCIATE_OF"], edge[type = "LINKED_TO"]', style: { 'line-style': 'dotted', 'target-arrow-shape': 'none' } },
    {
      selector: 'edge:selected',
      style: { 'line-color': '#2563eb', 'target-arrow-color': '#2563eb', width: 3, color: '#1e40af', 'z-index-compare': 'manual', 'z-index': 30 },
    },
    { selector: '.filtered', style: { display: 'none' } },
    { selector: 'node.disrupt-removed', style: { 'background-color': '#b8bcc2', opacity: 0.35, 'border-style': 'dashed' } },
    { selector: 'edge.disrupt-severed', style: { 'line-color': '#c0392b', 'target-arrow-color': '#c0392b', 'line-style': 'dashed', opacity: 0.55 } },
    { selector: '.faded', style: { opacity: 0.18, 'text-opacity': 0.1 } },
    {
      selector: 'node.path',
      style: { 'underlay-color': '#f57c00', 'underlay-opacity': 0.35, 'underlay-padding': 8, 'underlay-shape': 'ellipse', 'z-index': 15 },
    },
    {
      selector: 'edge.path',
      style: { 'line-color': '#f57c00', 'target-arrow-color': '#f57c00', width: 4, color: '#8a3c00', 'z-index': 15 },
    },
    ...noteRules(),
  ] as StylesheetJson;
}

// Loads a synthetic graph into the real chart (same code and stylesheet as
// the app) and measures what an analyst feels: time to draw, time to lay
// out, and frame times while panning and zooming.
import { Chart } from '../src/chart';
import type { EntityNode, LinkEdge } from '../src/types';

const params = new URLSearchParams(location.search);
const N = Number(params.get('nodes') ?? 5000);
const M = Number(params.get('links') ?? 10000);
const LAYOUT = params.get('layout') ?? 'fcose';

/** Deterministic pseudo-random numbers, so runs are comparable. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

/** Clustered graph: gangs of 20–60 with a few links across gangs. */
function synthetic(): { nodes: EntityNode[]; links: LinkEdge[] } {
  const r = rng(42);
  const kinds = ['PERSON', 'PERSON', 'PERSON', 'ORGANIZATION', 'COMPANY'];
  const nodes: EntityNode[] = [];
  for (let i = 0; i < N; i++) {
    nodes.push({ id: `n${i}`, kind: kinds[Math.floor(r() * kinds.length)], name: `Entity ${i}`, sanctioned: r() < 0.08 });
  }
  const types = ['MEMBER_OF', 'ASSOCIATE_OF', 'OWNS', 'DIRECTOR_OF', 'SUPPLIES'];
  const links: LinkEdge[] = [];
  const seen = new Set<string>();
  const cluster = 40;
  while (links.length < M) {
    const a = Math.floor(r() * N);
    const local = r() < 0.9;
    const b = local ? Math.min(N - 1, Math.floor(a / cluster) * cluster + Math.floor(r() * cluster)) : Math.floor(r() * N);
    if (a === b || seen.has(`${a}-${b}`)) continue;
    seen.add(`${a}-${b}`);
    links.push({ id: `l${links.length}`, type: types[Math.floor(r() * types.length)], role: r() < 0.3 ? 'member' : null, source: { id: `n${a}` }, target: { id: `n${b}` } });
  }
  return { nodes, links };
}

const frame = () => new Promise<number>((res) => requestAnimationFrame(res));
let recording: number[] | null = null;

function summary(ts: number[]) {
  const s = [...ts].sort((a, b) => a - b);
  if (s.length === 0) return { frames: 0, medianMs: 0, p95Ms: 0, maxMs: 0, fps: 0 };
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { frames: s.length, medianMs: +q(0.5).toFixed(1), p95Ms: +q(0.95).toFixed(1), maxMs: +s[s.length - 1].toFixed(1), fps: +(1000 / q(0.5)).toFixed(1) };
}

async function run() {
  const { nodes, links } = synthetic();
  const chart = new Chart({ container: document.getElementById('chart') as HTMLElement });
  const cy = chart.cy;

  let t0 = performance.now();
  chart.add(nodes, links);
  await frame();
  await frame();
  const addMs = performance.now() - t0;

  t0 = performance.now();
  await chart.layout(LAYOUT as 'fcose');
  await frame();
  const layoutMs = performance.now() - t0;

  window.bench = {
    start: () => {
      recording = [];
      let last = performance.now();
      const tick = (t: number) => {
        if (!recording) return;
        recording.push(t - last);
        last = t;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    stop: () => {
      const r = recording ?? [];
      recording = null;
      return summary(r.slice(1));
    },
    nodeAt: (i: number) => {
      const p = cy.nodes()[i].renderedPosition();
      return { x: p.x, y: p.y };
    },
  };
  return {
    entities: cy.nodes().length,
    links: cy.edges().length,
    layout: LAYOUT,
    addAndFirstDrawMs: Math.round(addMs),
    layoutMs: Math.round(layoutMs),
  };
}

declare global {
  interface Window {
    bench?: { start(): void; stop(): ReturnType<typeof summary>; nodeAt(i: number): { x: number; y: number } };
    benchResult?: unknown;
    benchError?: string;
  }
}

run().then(
  (r) => {
    window.benchResult = r;
  },
  (e) => {
    window.benchError = String(e?.stack ?? e);
  },
);

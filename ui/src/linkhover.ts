// A link's dates on hover: a small tip by the pointer naming the link and
// when it held ("Member of · 2019-03 – 2021"), or saying it is undated, so
// an analyst reads the time of a tie without opening its details.
import type { Core, EdgeSingular } from 'cytoscape';
import { dateText } from './dates';
import { h } from './ui';

export class LinkHover {
  private readonly tip: HTMLElement;

  constructor(parent: HTMLElement, cy: Core) {
    this.tip = h('div', { id: 'link-tip', class: 'link-tip', role: 'tooltip', hidden: true });
    parent.append(this.tip);
    cy.on('mouseover', 'edge', (ev) => {
      const e = ev.target as EdgeSingular;
      if (e.data('bundle')) return;
      const p = ev.renderedPosition ?? e.renderedMidpoint();
      this.show(e, p.x, p.y);
    });
    cy.on('mousemove', 'edge', (ev) => {
      if (this.tip.hidden || !ev.renderedPosition) return;
      this.place(ev.renderedPosition.x, ev.renderedPosition.y);
    });
    cy.on('mouseout', 'edge', () => this.hide());
    cy.on('remove viewport', () => this.hide());
    // Leaving the canvas over a link sends Cytoscape no mouseout.
    cy.container()?.addEventListener('mouseleave', () => this.hide());
  }

  private show(e: EdgeSingular, x: number, y: number): void {
    const dates = dateText(e.data('startDate'), e.data('endDate'));
    this.tip.replaceChildren(
      h('span', { class: 'link-tip-label' }, String(e.data('label') ?? e.data('type'))),
      h('span', { class: dates ? 'link-tip-dates' : 'link-tip-dates undated' }, dates || 'no dates recorded'),
    );
    this.tip.dataset.link = e.id();
    this.tip.hidden = false;
    this.place(x, y);
  }

  private place(x: number, y: number): void {
    const parent = this.tip.parentElement;
    const w = this.tip.offsetWidth;
    const max = (parent?.clientWidth ?? 0) - w - 4;
    this.tip.style.left = `${Math.max(4, Math.min(x + 14, max))}px`;
    this.tip.style.top = `${Math.max(4, y - 34)}px`;
  }

  hide(): void {
    this.tip.hidden = true;
    delete this.tip.dataset.link;
  }
}

import { html, type SafeHtml } from './html.js';

export interface BarChart {
  /** Unique on the page: the chart's title and description are referred to by ids made from it. */
  id: string;
  title: string;
  /** What the chart shows, read out by screen readers with the title. */
  description: string;
  /** One bar each; each bar has its label (under the bars, every `labelEvery`) and a tooltip naming its value. */
  bars: Array<{ value: number; label: string; tooltip: string }>;
  labelEvery: number;
}

const BAR_WIDTH = 24;
const GAP = 4;
const PLOT_HEIGHT = 100;
/** Room above the tallest bar for its number, and below the bars for the labels. */
const TOP = 16;
const BOTTOM = 18;

/**
 * A small bar chart drawn on the server as SVG: no script (the pages' CSP forbids inline script and none is needed),
 * no colour that carries meaning (one series per chart, named by its title), and every bar's number written above it,
 * so the values are read, not estimated. Styled from the stylesheet (`.chart`), not inline (the CSP forbids that too).
 */
export function barChart(chart: BarChart): SafeHtml {
  const max = Math.max(1, ...chart.bars.map((bar) => bar.value));
  const width = chart.bars.length * (BAR_WIDTH + GAP);
  const height = TOP + PLOT_HEIGHT + BOTTOM;
  const bars = chart.bars.map((bar, i) => {
    const x = i * (BAR_WIDTH + GAP);
    const barHeight = Math.round((bar.value / max) * PLOT_HEIGHT);
    const y = TOP + PLOT_HEIGHT - barHeight;
    const middle = x + BAR_WIDTH / 2;
    return html`<g class="bar">
      <title>${bar.tooltip}</title>
      <rect x="${x}" y="${y}" width="${BAR_WIDTH}" height="${barHeight}"></rect>
      <text class="bar-value" x="${middle}" y="${y - 4}" text-anchor="middle">${bar.value}</text>
      ${i % chart.labelEvery === 0 ? html`<text class="bar-label" x="${middle}" y="${height - 4}" text-anchor="middle">${bar.label}</text>` : ''}
    </g>`;
  });
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${chart.id}-title ${chart.id}-desc">
    <title id="${chart.id}-title">${chart.title}</title>
    <desc id="${chart.id}-desc">${chart.description}</desc>
    <line class="baseline" x1="0" y1="${TOP + PLOT_HEIGHT}" x2="${width}" y2="${TOP + PLOT_HEIGHT}"></line>
    ${bars}
  </svg>`;
}

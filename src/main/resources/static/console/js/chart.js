// Charts with uPlot, served from its WebJar on this origin.

import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

const COLOURS = ['#0b5cad', '#b42318', '#1a7f37', '#9a6700', '#6639ba', '#0e7490'];

/** A line chart: x are epoch seconds, series [{label, values}] aligned with x. */
export function lineChart(container, title, x, series, { yLabel = '' } = {}) {
  container.replaceChildren();
  const width = Math.max(280, Math.min(container.clientWidth || 600, 900));
  const options = {
    title,
    width,
    height: 240,
    scales: { x: { time: true } },
    axes: [{}, { label: yLabel }],
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true } }))],
  };
  const plot = new uPlot(options, [x, ...series.map(s => s.values)], container);
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', `${title}: ${series.map(s => s.label).join(', ')} over ${x.length} points`);
  return plot;
}

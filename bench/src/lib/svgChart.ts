// Charts for BENCHMARKS.md, drawn by the bench itself from the figures of the run: plain SVG
// text, no network, no browser. Each function returns a whole SVG document.

const WIDTH = 960;
const PALETTE = ['#0b6bcb', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#5c940d', '#e67700', '#1864ab', '#495057'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const round = (n: number) => Math.round(n * 10) / 10;

function frame(height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(title)}">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600" ${FONT}>${escapeXml(title)}</text>
${body}
</svg>
`;
}

/** A value axis: log10 (powers of ten as ticks) or linear (five ticks from 0). */
function axis(min: number, max: number, log: boolean): { at: (v: number) => number; ticks: number[] } {
  if (log) {
    const lo = Math.floor(Math.log10(Math.max(min, 1)));
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(max, 1))));
    const ticks = Array.from({ length: hi - lo + 1 }, (_, i) => 10 ** (lo + i));
    return { at: (v) => (Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo), ticks };
  }
  const top = max <= 0 ? 1 : max * 1.1;
  const ticks = Array.from({ length: 6 }, (_, i) => (top / 5) * i);
  return { at: (v) => v / top, ticks };
}

const tickLabel = (v: number) => (v >= 1000 ? `${(v / 1000).toLocaleString('en')}k` : String(round(v)));

/** One line a series over shared x values (log x and log y when asked): the herd chart. */
export function lineChartSvg(chart: {
  title: string;
  xLabel: string;
  yLabel: string;
  xs: number[];
  series: Array<{ label: string; ys: Array<number | undefined> }>;
  logX?: boolean;
  logY?: boolean;
}): string {
  const plot = { left: 70, top: 44, width: 430, height: 300 };
  const values = chart.series.flatMap((s) => s.ys.filter((y): y is number => y !== undefined && Number.isFinite(y)));
  const y = axis(Math.min(...values, 1), Math.max(...values, 1), chart.logY === true);
  const x = axis(Math.min(...chart.xs), Math.max(...chart.xs), chart.logX === true);
  const px = (v: number) => round(plot.left + x.at(v) * plot.width);
  const py = (v: number) => round(plot.top + plot.height - y.at(v) * plot.height);
  const parts: string[] = [];
  for (const tick of y.ticks) {
    parts.push(
      `<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${py(tick)}" y2="${py(tick)}" stroke="#e9ecef"/>`,
      `<text x="${plot.left - 6}" y="${py(tick) + 4}" text-anchor="end" font-size="11" ${FONT}>${tickLabel(tick)}</text>`,
    );
  }
  for (const tick of chart.xs) {
    parts.push(
      `<text x="${px(tick)}" y="${plot.top + plot.height + 16}" text-anchor="middle" font-size="11" ${FONT}>${tickLabel(tick)}</text>`,
    );
  }
  parts.push(
    `<text x="${plot.left + plot.width / 2}" y="${plot.top + plot.height + 34}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(chart.xLabel)}</text>`,
    `<text x="16" y="${plot.top + plot.height / 2}" transform="rotate(-90 16 ${plot.top + plot.height / 2})" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(chart.yLabel)}</text>`,
  );
  // Series with the same values are one line (one color), their labels listed under it: keyless's
  // clients all make one request at every N, and a legend of overlapping lines would hide that.
  const groups = new Map<string, { ys: Array<number | undefined>; labels: string[] }>();
  for (const series of chart.series) {
    const key = JSON.stringify(series.ys);
    const group = groups.get(key) ?? { ys: series.ys, labels: [] };
    group.labels.push(series.label);
    groups.set(key, group);
  }
  let legendY = plot.top + 6;
  [...groups.values()].forEach((group, i) => {
    const color = PALETTE[i % PALETTE.length];
    const points = chart.xs.flatMap((xv, j) => {
      const yv = group.ys[j];
      return yv === undefined || !Number.isFinite(yv) ? [] : [`${px(xv)},${py(yv)}`];
    });
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const point of points) {
      const [cx, cy] = point.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
    parts.push(`<line x1="515" x2="535" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="2"/>`);
    for (const label of group.labels) {
      parts.push(`<text x="540" y="${legendY + 4}" font-size="11" ${FONT}>${escapeXml(label)}</text>`);
      legendY += 15;
    }
    legendY += 6;
  });
  return frame(Math.max(plot.top + plot.height + 48, legendY + 10), chart.title, parts.join('\n'));
}

/** Horizontal bars, one row a label, several named values a row (a log axis when asked): the fleet chart. */
export function barChartSvg(chart: {
  title: string;
  valueLabel: string;
  rows: Array<{ label: string; values: Array<{ name: string; value: number }> }>;
  logX?: boolean;
}): string {
  const names = [...new Set(chart.rows.flatMap((row) => row.values.map((v) => v.name)))];
  const bar = 14;
  const rowHeight = names.length * (bar + 2) + 14;
  const plot = { left: 330, top: 56, width: 370 };
  const all = chart.rows.flatMap((row) => row.values.map((v) => v.value));
  const x = axis(Math.min(...all, 1), Math.max(...all, 1), chart.logX === true);
  const parts: string[] = [];
  const height = plot.top + chart.rows.length * rowHeight + 36;
  for (const tick of x.ticks) {
    const tx = round(plot.left + x.at(tick) * plot.width);
    parts.push(
      `<line x1="${tx}" x2="${tx}" y1="${plot.top - 6}" y2="${height - 30}" stroke="#e9ecef"/>`,
      `<text x="${tx}" y="${height - 16}" text-anchor="middle" font-size="11" ${FONT}>${tickLabel(tick)}</text>`,
    );
  }
  parts.push(
    `<text x="${plot.left + plot.width / 2}" y="${height - 2}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(chart.valueLabel)}</text>`,
  );
  names.forEach((name, i) => {
    parts.push(
      `<rect x="${plot.left + i * 170}" y="34" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`,
      `<text x="${plot.left + i * 170 + 16}" y="44" font-size="11" ${FONT}>${escapeXml(name)}</text>`,
    );
  });
  chart.rows.forEach((row, r) => {
    const top = plot.top + r * rowHeight;
    parts.push(
      `<text x="${plot.left - 8}" y="${top + rowHeight / 2}" text-anchor="end" font-size="11" ${FONT}>${escapeXml(row.label)}</text>`,
    );
    for (const value of row.values) {
      const i = names.indexOf(value.name);
      const w = Math.max(2, round(x.at(value.value) * plot.width));
      const by = top + 4 + i * (bar + 2);
      parts.push(
        `<rect x="${plot.left}" y="${by}" width="${w}" height="${bar}" fill="${PALETTE[i % PALETTE.length]}"/>`,
        `<text x="${plot.left + w + 4}" y="${by + bar - 3}" font-size="11" ${FONT}>${value.value.toLocaleString('en')}</text>`,
      );
    }
  });
  return frame(height, chart.title, parts.join('\n'));
}

/** A value with an interval around it a row (a mean and its 95% interval), against a reference line (1.0× for paired ratios). */
export function spreadChartSvg(chart: {
  title: string;
  valueLabel: string;
  reference: number;
  /** Each row's value (the dot) and the interval around it (the line). */
  rows: Array<{ label: string; value: number; low: number; high: number }>;
}): string {
  const plot = { left: 330, top: 44, width: 370 };
  const rowHeight = 26;
  const lo = Math.min(chart.reference, ...chart.rows.map((r) => r.low));
  const hi = Math.max(chart.reference, ...chart.rows.map((r) => r.high));
  const pad = (hi - lo) * 0.1 || 0.05;
  const at = (v: number) => round(plot.left + ((v - (lo - pad)) / (hi - lo + 2 * pad)) * plot.width);
  const height = plot.top + chart.rows.length * rowHeight + 40;
  const parts = [
    `<line x1="${at(chart.reference)}" x2="${at(chart.reference)}" y1="${plot.top - 8}" y2="${height - 30}" stroke="#adb5bd" stroke-dasharray="4 3"/>`,
    `<text x="${at(chart.reference)}" y="${height - 16}" text-anchor="middle" font-size="11" ${FONT}>${chart.reference}×</text>`,
    `<text x="${plot.left + plot.width / 2}" y="${height - 2}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(chart.valueLabel)}</text>`,
  ];
  chart.rows.forEach((row, i) => {
    const cy = plot.top + i * rowHeight + rowHeight / 2;
    parts.push(
      `<text x="${plot.left - 8}" y="${cy + 4}" text-anchor="end" font-size="11" ${FONT}>${escapeXml(row.label)}</text>`,
      `<line x1="${at(row.low)}" x2="${at(row.high)}" y1="${cy}" y2="${cy}" stroke="${PALETTE[0]}" stroke-width="2"/>`,
      `<circle cx="${at(row.value)}" cy="${cy}" r="4" fill="${PALETTE[0]}"/>`,
      `<text x="${at(row.high) + 6}" y="${cy + 4}" font-size="11" ${FONT}>${row.value.toFixed(3)}× (${row.low.toFixed(3)}–${row.high.toFixed(3)})</text>`,
    );
  });
  return frame(height, chart.title, parts.join('\n'));
}

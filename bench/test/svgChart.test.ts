import { describe, expect, it } from 'vitest';
import { barChartSvg, lineChartSvg, spreadChartSvg } from '../src/lib/svgChart.js';

const circlesY = (svg: string) => [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));

describe('the bench charts', () => {
  it('draws one line a series, higher for more token requests, on a log scale', () => {
    const svg = lineChartSvg({
      title: 'herd',
      xLabel: 'N',
      yLabel: 'token requests',
      xs: [100, 1_000, 10_000],
      logX: true,
      logY: true,
      series: [
        { label: 'keyless', ys: [1, 1, 1] },
        { label: 'naive <peer>', ys: [100, 1_000, undefined] },
        { label: 'keyless, another client', ys: [1, 1, 1] },
      ],
    });
    // The two keyless series are one line with both labels.
    expect(svg).toContain('keyless, another client');
    expect(svg.startsWith('<svg ')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('naive &lt;peer&gt;');
    const [k1, k2, k3, n1, n2] = circlesY(svg);
    expect(new Set([k1, k2, k3]).size).toBe(1); // a flat line at 1
    // SVG y grows downwards: 1,000 requests sit above 100, which sit above 1.
    expect(n2).toBeLessThan(n1 ?? 0);
    expect(n1).toBeLessThan(k1 ?? 0);
    expect(circlesY(svg)).toHaveLength(5); // the missing point is not drawn
  });

  it('draws bars as long as their values, and a value with its interval', () => {
    const bars = barChartSvg({
      title: 'fleet',
      valueLabel: 'token requests',
      rows: [
        { label: 'alone', values: [{ name: 'token requests', value: 32 }] },
        { label: 'shared', values: [{ name: 'token requests', value: 1 }] },
      ],
    });
    const widths = [...bars.matchAll(/<rect x="330" y="[\d.]+" width="([\d.]+)" height="14"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBeGreaterThan(10 * (widths[1] ?? 0));
    const spread = spreadChartSvg({
      title: 'paired',
      valueLabel: 'ratio',
      reference: 1,
      rows: [{ label: '@keyless/fetch, apiKey', value: 0.95, low: 0.93, high: 0.99 }],
    });
    expect(spread).toContain('0.950× (0.930–0.990)');
  });
});

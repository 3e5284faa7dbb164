import { PNG } from 'pngjs';

import { alertGraphs, renderGraph, shortNumber } from './graphs';

describe('alert graphs', () => {
  it('draws 24 h and 7 d PNGs with the threshold', () => {
    const now = 1_800_000_000;
    const values = Array.from({ length: 1440 }, (_, i) => (i % 100 === 0 ? null : 50 + (i % 60)));
    const { day, week } = alertGraphs({
      day: [{ start: now - 86_400, step: 60, values }],
      week: [],
      now,
      threshold: 100,
    });
    const [d, w] = [PNG.sync.read(day), PNG.sync.read(week)];
    expect([d.width, d.height, w.width, w.height]).toEqual([800, 200, 800, 120]);
    const colours = new Set<string>();
    for (let i = 0; i < d.data.length; i += 4) colours.add(`${d.data[i]},${d.data[i + 1]},${d.data[i + 2]}`);
    expect(colours).toContain('214,39,40'); // threshold
    expect(colours).toContain('0,102,153'); // the series
  });

  it('copes with no data and a flat line', () => {
    const flat = renderGraph({
      series: [{ start: 0, step: 10, values: [5, 5, 5] }],
      from: 0,
      until: 30,
      width: 200,
      height: 80,
      timeLabels: 'hours',
    });
    expect(PNG.sync.read(flat).width).toBe(200);
    expect(
      PNG.sync.read(renderGraph({ series: [], from: 0, until: 30, width: 100, height: 60, timeLabels: 'days' })).height
    ).toBe(60);
  });

  it('labels values in a few characters', () => {
    expect([1500, 250, 0.25, -3_000_000, 12.345, 2e12].map(shortNumber)).toEqual([
      '1.5k',
      '250',
      '0.25',
      '-3M',
      '12.3',
      '2T',
    ]);
  });
});

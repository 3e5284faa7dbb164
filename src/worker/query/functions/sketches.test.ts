import { encodeSketch, RELATIVE_ACCURACY, sketchOf } from '../../store/sketch';
import type { Series } from '../types';
import { alias } from './alias';
import { nPercentile } from './nPercentile';
import { percentileOfSeries } from './percentileOfSeries';
import { scale } from './scale';
import { summarize } from './summarize';
import { call, series } from './testkit';

/**
 * Timing series: each point holds the mean of its samples and a sketch of them. Percentiles over
 * several points must come from the samples, not from the means.
 */
function timing(name: string, samplesPerPoint: number[][]): Series {
  const values = samplesPerPoint.map((xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null));
  const sketches = samplesPerPoint.map((xs) => (xs.length ? encodeSketch(sketchOf(xs)) : undefined));
  return series(name, values, { sketches });
}

/** The sample a sketch answers for q, within its accuracy: rank q·(N−1), rounded down. */
function exactPercentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))]!;
}

function expectNear(actual: number | null | undefined, exact: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - exact)).toBeLessThanOrEqual(exact * RELATIVE_ACCURACY + 1e-9);
}

// Per point: 90 fast requests (10 ms) and 10 slow ones (1000 ms), so every point's mean is 109 ms.
const point = (): number[] => [...Array<number>(90).fill(10), ...Array<number>(10).fill(1000)];
// One point with only slow requests.
const slow = (): number[] => Array<number>(50).fill(2000);

describe('percentiles from sketches', () => {
  it('summarize pNN merges the sketches of each bucket: the p99 of the samples, not of the means', async () => {
    const s = timing('api.latency', [point(), point(), point(), point(), point()]);
    const [p] = await call(summarize, [[s], '5min', 'p99', true]);
    expect(p).toMatchObject({
      name: 'summarize(api.latency, "5min", "p99", true)',
      tags: { summarizeFunction: 'p99' },
    });
    expectNear(p!.values[0], 1000);
    // From the means alone the answer would be 109.
    const [fromMeans] = await call(summarize, [[{ ...s, sketches: undefined }], '5min', 'p99', true]);
    expect(fromMeans!.values[0]).toBeCloseTo(109, 10);
  });

  it('summarize pNN leaves empty buckets null and drops sketches from its result', async () => {
    const s = timing('api.latency', [point(), [], [], [], slow()]);
    const [p] = await call(summarize, [[s], '3min', 'p50', true]);
    expectNear(p!.values[0], 10);
    expectNear(p!.values[1], 2000);
    expect(p!.sketches).toBeUndefined();
    const gap = timing('api.latency', [[], [], [], point()]);
    expect((await call(summarize, [[gap], '3min', 'p50', true]))[0]!.values[0]).toBeNull();
  });

  it('percentileOfSeries merges the sketches of all series at each point', async () => {
    const all = [point(), slow()];
    const list = [timing('api.a', [point(), point()]), timing('api.b', [slow(), point()])];
    const [p] = await call(percentileOfSeries, [list, 95]);
    expect(p!.name).toBe('percentileOfSeries(api.a,95)');
    // From the means (109 and 2000, then 109 and 109) the answers would be 2000 and 109.
    expectNear(p!.values[0], exactPercentile(all.flat(), 0.95));
    expectNear(p!.values[1], 1000);
  });

  it('percentileOfSeries uses the values when any series has no sketches', async () => {
    const list = [timing('api.a', [point()]), series('plain', [5])];
    expect((await call(percentileOfSeries, [list, 50]))[0]!.values).toEqual([109]);
  });

  it('nPercentile merges the sketches of the whole range', async () => {
    const s = timing('api.latency', [point(), point(), slow()]);
    const [p] = await call(nPercentile, [[s], 60]);
    const samples = [...point(), ...point(), ...slow()];
    expectNear(p!.values[0], exactPercentile(samples, 0.6));
    expect(p!.values).toHaveLength(3);
  });

  it('keep sketches through renaming but not through value transforms', async () => {
    const s = timing('api.latency', [point(), slow()]);
    const [renamed] = await call(alias, [[s], 'latency']);
    expectNear((await call(nPercentile, [[renamed!], 99]))[0]!.values[0], 2000);
    const [scaled] = await call(scale, [[s], 2]);
    expect((await call(nPercentile, [[scaled!], 99]))[0]!.values[0]).toBeCloseTo(4000, 10);
  });
});

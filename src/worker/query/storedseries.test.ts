import type { SeriesData } from '../store/types';
import { aggregateLists } from './functions/aggregate';
import { normalize } from './seriesutil';
import { denseColumns, storedSeries } from './storedseries';
import type { EvalContext, Series } from './types';

/** A stored series of averages: bucket i holds `sums[i] / counts[i]`, empty where the count is 0. */
function fetched(name: string, counts: number[], sums: number[]): Series {
  const data: SeriesData = {
    ref: { id: 1, name, labels: {}, kind: 'untyped', firstSeen: 0, lastSeen: 0 },
    start: 0,
    step: 10_000,
    resolution: 0,
    method: 'avg',
    count: Float64Array.from(counts),
    sum: Float64Array.from(sums),
  };
  return storedSeries(
    {
      name,
      tags: { name },
      pathExpression: name,
      start: 0,
      end: counts.length * 10,
      step: 10,
      consolidationFunc: 'average',
    },
    data
  );
}

const ctx = {} as EvalContext;

describe('series fetched from the store', () => {
  it('show the stored averages, null where a bucket is empty', () => {
    expect(fetched('a', [2, 0, 1], [3, 0, 7]).values).toEqual([1.5, null, 7]);
  });

  it('aggregate to what their values aggregate to, without building the values', () => {
    const make = (): Series[] => [fetched('a', [2, 0, 1, 0], [3, 0, 7, 0]), fetched('b', [1, 1, 0, 0], [4, 5, 0, 0])];
    const expected = {
      sum: [5.5, 5, 7, null],
      avg: [2.75, 5, 7, null],
      min: [1.5, 5, 7, null],
      count: [2, 1, 1, null],
    };
    for (const [func, values] of Object.entries(expected)) {
      expect(aggregateLists(ctx, [make()], func)[0]!.values).toEqual(values);
      const materialized = make();
      materialized.forEach((s) => void s.values);
      expect(aggregateLists(ctx, [materialized], func)[0]!.values).toEqual(values);
    }
    // The fast path left the inputs' values unbuilt.
    const inputs = make();
    aggregateLists(ctx, [inputs], 'sum');
    expect(denseColumns(inputs)).toHaveLength(2);
  });

  it('aggregate the changed values once a function changed them in place', () => {
    const [a, b] = [fetched('a', [1, 1], [1, 2]), fetched('b', [1, 1], [10, 20])];
    a!.values[0] = 100;
    expect(denseColumns([a!, b!])).toBeUndefined();
    expect(aggregateLists(ctx, [[a!, b!]], 'sum')[0]!.values).toEqual([110, 22]);
    b!.values = [null, null];
    expect(aggregateLists(ctx, [[a!, b!]], 'sum')[0]!.values).toEqual([100, 2]);
  });

  it('hand plain values to copies, which are not folded from the store', () => {
    const a = fetched('a', [1, 1], [1, 2]);
    const copy = { ...a, name: 'copy' };
    expect(Object.getOwnPropertyDescriptor(copy, 'values')?.value).toEqual([1, 2]);
    expect(denseColumns([copy])).toBeUndefined();
    expect(normalize([[copy]])!.length).toBe(2);
  });
});

import type { Series } from '../types';
import { correlate } from './correlate';
import { movingAverage } from './movingAverage';
import { movingMedian } from './movingMedian';
import { movingSum } from './movingSum';
import { movingWindow } from './movingWindow';
import { nPercentile } from './nPercentile';
import { call, fakeContext, pathExpr, series, type Stored } from './testkit';

const ramp: Record<string, Stored> = {
  'a.b': { t0: 0, step: 60, values: Array.from({ length: 100 }, (_, i) => (i % 10 === 3 ? null : i)) },
};

describe('movingAverage, movingMedian, movingSum', () => {
  const ctx = fakeContext(ramp, { startTime: 3000, endTime: 3600 });
  const current = async (): Promise<Series[]> => (await ctx.evaluate(ctx, pathExpr('a.b'))) as Series[];

  it('read from one window earlier so the first point has a full window of the points before it', async () => {
    const [s] = await call(movingAverage, [await current(), 5], { ctx, raw: [pathExpr('a.b')] });
    expect(s).toMatchObject({
      name: 'movingAverage(a.b,5)',
      start: 3060,
      step: 60,
      tags: { name: 'a.b', movingAverage: '5' },
    });
    // The point at 3060 (value 51) averages 46..50, not itself.
    expect(s!.values.slice(0, 3)).toEqual([48, 49, 50]);
    expect(s!.values).toHaveLength(10);
  });

  it('take an interval as the window and quote it in the name', async () => {
    const [s] = await call(movingSum, [await current(), '5min'], { ctx, raw: [pathExpr('a.b')] });
    expect(s).toMatchObject({ name: 'movingSum(a.b,"5min")', tags: { movingSum: '5min' } });
    expect(s!.values[0]).toBe(46 + 47 + 48 + 49 + 50);
    // The window before 3300 (value 55) holds 50..54 with 53 missing.
    expect(s!.values[4]).toBe(50 + 51 + 52 + 54);
  });

  it('skip nulls in the window, and honour xFilesFactor', async () => {
    const [m] = await call(movingMedian, [await current(), 4], { ctx, raw: [pathExpr('a.b')] });
    expect(m!.name).toBe('movingMedian(a.b,4)');
    expect(m!.values[4]).toBe(52);
    const [strict] = await call(movingAverage, [await current(), 4, 1], { ctx, raw: [pathExpr('a.b')] });
    expect(strict!.values[3]).toBeNull();
  });

  it('movingWindow applies any aggregation function', async () => {
    const [s] = await call(movingWindow, [await current(), 3, 'max'], { ctx, raw: [pathExpr('a.b')] });
    expect(s!.name).toBe('movingMax(a.b,3)');
    expect(s!.values[0]).toBe(50);
  });

  it('give nothing for no series', async () => {
    expect(await call(movingAverage, [[], 5], { ctx: fakeContext(), raw: [pathExpr('none')] })).toEqual([]);
  });
});

describe('nPercentile', () => {
  it('draws the percentile as a line, named with a space and tagged with the float', async () => {
    const [s] = await call(nPercentile, [[series('a.b.c', [1, null, 3, 4, 5])], 75]);
    expect(s).toMatchObject({
      name: 'nPercentile(a.b.c, 75)',
      values: [5, 5, 5, 5, 5],
      tags: { name: 'a.b.c', nPercentile: '75.0' },
    });
  });

  it('skips series without values', async () => {
    expect(await call(nPercentile, [[series('n', [null, null])], 50])).toEqual([]);
  });
});

describe('correlate', () => {
  const stored: Record<string, Stored> = {
    'up.a': { t0: 0, step: 60, values: Array.from({ length: 60 }, (_, i) => i) },
    'up.b': { t0: 0, step: 60, values: Array.from({ length: 60 }, (_, i) => 2 * i + 1) },
    'down.a': { t0: 0, step: 60, values: Array.from({ length: 60 }, (_, i) => 100 - i) },
    'flat.a': { t0: 0, step: 60, values: Array.from({ length: 60 }, () => 7) },
    'gappy.a': { t0: 0, step: 60, values: Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? null : i)) },
  };
  const ctx = fakeContext(stored, { startTime: 1200, endTime: 1800 });
  const run = async (path: string, window: number): Promise<Array<number | null>> => {
    const list = await ctx.evaluate(ctx, pathExpr(path));
    const ref = await ctx.evaluate(ctx, pathExpr('up.a'));
    const [s] = await call(correlate, [list, ref, window], { ctx, raw: [pathExpr(path), pathExpr('up.a')] });
    return s!.values;
  };

  it('is 1 or -1 for series moving together or against each other, over full windows from the start', async () => {
    const list = await ctx.evaluate(ctx, pathExpr('up.b'));
    const ref = await ctx.evaluate(ctx, pathExpr('up.a'));
    const [s] = await call(correlate, [list, ref, 5], { ctx, raw: [pathExpr('up.b'), pathExpr('up.a')] });
    expect(s).toMatchObject({ name: 'correlate(up.b,up.a,5)', start: 1260, step: 60 });
    expect(s!.values).toHaveLength(10);
    expect(s!.values.every((v) => v !== null && Math.abs(v - 1) < 1e-12)).toBe(true);
    expect((await run('down.a', 5)).every((v) => v !== null && Math.abs(v + 1) < 1e-12)).toBe(true);
  });

  it('is null where a series is constant or a window has fewer than 2 paired points', async () => {
    expect((await run('flat.a', 5)).every((v) => v === null)).toBe(true);
    expect(await run('gappy.a', 2)).toEqual(Array(10).fill(null));
    expect((await run('gappy.a', 4)).every((v) => v !== null && Math.abs(v - 1) < 1e-12)).toBe(true);
  });

  it('needs one reference series and a window of at least 2', async () => {
    const list = await ctx.evaluate(ctx, pathExpr('up.b'));
    await expect(call(correlate, [list, [], 5], { ctx })).rejects.toThrow('exactly 1 series');
    await expect(call(correlate, [list, list, 1], { ctx })).rejects.toThrow('at least 2');
  });
});

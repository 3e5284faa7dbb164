import type { Series } from '../types';
import { absolute } from './absolute';
import { consolidateBy } from './consolidateBy';
import { derivative } from './derivative';
import { hitcount } from './hitcount';
import { integral } from './integral';
import { keepLastValue } from './keepLastValue';
import { nonNegativeDerivative } from './nonNegativeDerivative';
import { offset } from './offset';
import { perSecond } from './perSecond';
import { scale } from './scale';
import { summarize } from './summarize';
import { call, fakeContext, pathExpr, series, shape, type Stored } from './testkit';
import { timeShift } from './timeShift';
import { transformNull } from './transformNull';

// Expected values below were produced by graphite-web 1.1.8's functions on the same input.
const A = (): Series => series('a.b.c', [1, null, 3, 4, 5]);
const COUNTER = (): Series => series('c', [100, 160, 50, 220, 10, 70]);

describe('scale, offset, absolute', () => {
  it('name with %g of the factor and tag with its Python float text', async () => {
    const [s] = await call(scale, [[A()], 10]);
    expect(s).toMatchObject({
      name: 'scale(a.b.c,10)',
      pathExpression: 'scale(a.b.c,10)',
      values: [10, null, 30, 40, 50],
      tags: { name: 'a.b.c', scale: '10.0' },
    });
    expect((await call(scale, [[A()], 1000000]))[0]!.name).toBe('scale(a.b.c,1e+06)');
    expect((await call(scale, [[A()], 0.00001]))[0]!.tags.scale).toBe('1e-05');
    const [o] = await call(offset, [[A()], -2.5]);
    expect(o).toMatchObject({ name: 'offset(a.b.c,-2.5)', values: [-1.5, null, 0.5, 1.5, 2.5] });
    expect(o!.tags.offset).toBe('-2.5');
    const [abs] = await call(absolute, [[series('n', [-1, null, 2])]]);
    expect(abs).toMatchObject({ name: 'absolute(n)', values: [1, null, 2], tags: { absolute: '1' } });
  });

  it('leave their input untouched and drop sketches that no longer describe the values', async () => {
    const input = series('t', [1, 2], { sketches: [new Uint8Array([1]), undefined] });
    const [s] = await call(scale, [[input], 2]);
    expect(input.values).toEqual([1, 2]);
    expect(s!.sketches).toBeUndefined();
  });
});

describe('derivative, nonNegativeDerivative, perSecond, integral', () => {
  it('derivative is null at the start and next to nulls', async () => {
    expect(shape(await call(derivative, [[A()]]))).toEqual([
      { name: 'derivative(a.b.c)', values: [null, null, null, 1, 1] },
    ]);
  });

  it('nonNegativeDerivative nulls decreases unless told how the counter wraps', async () => {
    expect((await call(nonNegativeDerivative, [[COUNTER()]]))[0]!.values).toEqual([null, 60, null, 170, null, 60]);
    expect((await call(nonNegativeDerivative, [[COUNTER()], 255]))[0]!.values).toEqual([null, 60, 146, 170, 46, 60]);
    expect((await call(nonNegativeDerivative, [[COUNTER()], null, 5]))[0]!.values).toEqual([null, 60, 45, 170, 5, 60]);
  });

  it('nonNegativeDerivative drops values beyond maxValue and keeps nulls null', async () => {
    const s = series('c', [10, null, 300, 20, 30]);
    expect((await call(nonNegativeDerivative, [[s], 255]))[0]!.values).toEqual([null, null, null, null, 10]);
  });

  it('perSecond divides by the step and rounds to 6 decimals as Python does', async () => {
    const [s] = await call(perSecond, [[COUNTER()], 255]);
    expect(s).toMatchObject({ name: 'perSecond(c)', tags: { name: 'c', perSecond: '1' } });
    expect(s!.values).toEqual([null, 1, 2.433333, 2.833333, 0.766667, 1]);
    const withGap = series('c', [100, 160, null, 220, 10, 70]);
    expect((await call(perSecond, [[withGap]]))[0]!.values).toEqual([null, 1, null, null, null, 1]);
  });

  it('integral keeps nulls and carries the total across them', async () => {
    expect((await call(integral, [[A()]]))[0]).toMatchObject({
      name: 'integral(a.b.c)',
      values: [1, null, 4, 8, 13],
      tags: { integral: '1' },
    });
  });
});

describe('summarize', () => {
  const S = (): Series => series('a.b.c', [1, 2, null, 4, 5, 6, 7], { start: 630 });

  it('buckets on multiples of the interval, sum by default, with a trailing bucket', async () => {
    const [s] = await call(summarize, [[S()], '2min']);
    expect(s).toMatchObject({
      name: 'summarize(a.b.c, "2min", "sum")',
      start: 600,
      end: 1080,
      step: 120,
      values: [3, 4, 11, 7],
      tags: { name: 'a.b.c', summarize: '2min', summarizeFunction: 'sum' },
    });
  });

  it('buckets from the series start with alignToFrom', async () => {
    const [s] = await call(summarize, [[S()], '2min', 'avg', true]);
    expect(s).toMatchObject({
      name: 'summarize(a.b.c, "2min", "avg", true)',
      start: 630,
      end: 1110,
      values: [1.5, 4, 5.5, 7],
    });
  });

  it('gives null for a bucket without values, even when counting', async () => {
    const s = series('n', [null, null, 1, null]);
    expect((await call(summarize, [[s], '2min', 'count']))[0]!.values).toEqual([null, 1, null]);
  });

  it('refuses unknown functions and non-positive intervals', async () => {
    await expect(call(summarize, [[S()], '1h', 'mode'])).rejects.toThrow('Unsupported aggregation function: mode');
    await expect(call(summarize, [[S()], '-1h'])).rejects.toThrow('positive');
  });

  it('pNN without sketches takes the percentile of the point values in each bucket', async () => {
    const s = series('t', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await call(summarize, [[s], '5min', 'p50', true]))[0]!.values).toEqual([3, 8]);
  });
});

describe('hitcount', () => {
  it('spreads hits per second over buckets that end at the end of the series', async () => {
    const [s] = await call(hitcount, [[series('a.b.c', [1, 2, null, 4, 5, 6, 7], { start: 630 })], '150s']);
    expect(s).toMatchObject({
      name: 'hitcount(a.b.c, "150s")',
      start: 600,
      end: 1050,
      step: 150,
      values: [180, 390, 930],
      tags: { hitcount: '150s' },
    });
  });

  it('with alignToInterval re-reads the range from the start of the hour and extends its end', async () => {
    const stored: Record<string, Stored> = { 'x.y': { t0: 0, step: 600, values: Array(24).fill(1) } };
    const ctx = fakeContext(stored, { startTime: 4000, endTime: 10800 });
    const [s] = await call(hitcount, [[], '1h', true], { ctx, raw: [pathExpr('x.y')] });
    // Read from 3600, the first point is at 4200 (as whisper answers); the end moves to 4200 + 3 h.
    expect(s).toMatchObject({ name: 'hitcount(x.y, "1h", true)', start: 4200, end: 15000, step: 3600 });
    expect(s!.values).toEqual([3600, 3600, null]);
  });
});

describe('timeShift', () => {
  const stored: Record<string, Stored> = {
    'a.b': { t0: 0, step: 60, values: Array.from({ length: 100 }, (_, i) => i) },
  };

  it('re-reads the target over the range moved back and draws it over the current range', async () => {
    const ctx = fakeContext(stored, { startTime: 3000, endTime: 3600 });
    const current = await ctx.evaluate(ctx, pathExpr('a.b'));
    const [s] = await call(timeShift, [current, '10min'], { ctx, raw: [pathExpr('a.b')] });
    expect(s).toMatchObject({
      name: 'timeShift(a.b, "-10min")',
      pathExpression: 'a.b',
      start: 3060,
      end: 3660,
      tags: { name: 'a.b', timeShift: '-10min' },
    });
    expect(s!.values.slice(0, 3)).toEqual([41, 42, 43]);
    const [forward] = await call(timeShift, [current, '+5min'], { ctx, raw: [pathExpr('a.b')] });
    expect(forward!.name).toBe('timeShift(a.b, "+5min")');
    expect(forward!.values[0]).toBe(56);
  });

  it('gives nothing when the unshifted target has no series', async () => {
    const ctx = fakeContext(stored, { startTime: 3000, endTime: 3600 });
    expect(await call(timeShift, [[], '1h'], { ctx, raw: [pathExpr('none')] })).toEqual([]);
  });
});

describe('keepLastValue and transformNull', () => {
  it('keepLastValue fills gaps up to the limit, and a trailing gap', async () => {
    const s = series('k', [null, 1, null, null, 2, null, null, null, 3, null]);
    expect((await call(keepLastValue, [[s], 2]))[0]).toMatchObject({
      name: 'keepLastValue(k)',
      values: [null, 1, 1, 1, 2, null, null, null, 3, 3],
    });
    expect((await call(keepLastValue, [[s]]))[0]!.values).toEqual([null, 1, 1, 1, 2, 2, 2, 2, 3, 3]);
  });

  it('transformNull replaces nulls, tagging the default as graphite-web does', async () => {
    const [d] = await call(transformNull, [[A()]]);
    expect(d).toMatchObject({ name: 'transformNull(a.b.c,0)', values: [1, 0, 3, 4, 5], tags: { transformNull: '0' } });
    const [given] = await call(transformNull, [[A()], -1], {
      raw: [pathExpr('a.b.c'), { kind: 'number', value: -1, start: 0, end: 2 }],
    });
    expect(given).toMatchObject({ name: 'transformNull(a.b.c,-1)', tags: { transformNull: '-1.0' } });
  });

  it('transformNull with referenceSeries fills only where a reference has a value', async () => {
    const [s] = await call(
      transformNull,
      [[series('t', [null, 1, null, null])], -1, [series('r', [1, null, null, 2])]],
      {
        raw: [pathExpr('t'), { kind: 'number', value: -1, start: 0, end: 2 }],
      }
    );
    expect(s).toMatchObject({
      name: 'transformNull(t,-1,referenceSeries)',
      values: [-1, 1, null, -1],
      tags: { name: 't', transformNull: '-1.0', referenceSeries: '1' },
    });
  });
});

describe('consolidateBy', () => {
  it('sets the consolidation function, keeps the values and names it', async () => {
    const [s] = await call(consolidateBy, [[A()], 'max']);
    expect(s).toMatchObject({
      name: 'consolidateBy(a.b.c,"max")',
      pathExpression: 'consolidateBy(a.b.c,"max")',
      consolidationFunc: 'max',
      values: [1, null, 3, 4, 5],
      tags: { consolidateBy: 'max' },
    });
    await expect(call(consolidateBy, [[A()], 'median'])).rejects.toThrow('Invalid consolidation function');
  });
});

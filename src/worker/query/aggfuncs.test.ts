import {
  AGG_FUNC_NAMES,
  getAggFunc,
  percentile,
  percentileOfName,
  safeAvgZero,
  safeCount,
  safeDiff,
  safeFirst,
  safeMedian,
  safeMin,
  safeMultiply,
  safeStdDev,
} from './aggfuncs';

describe('aggregation functions', () => {
  it('are listed as graphite-web lists them', () => {
    expect(AGG_FUNC_NAMES).toEqual([
      'average',
      'avg',
      'avg_zero',
      'count',
      'current',
      'diff',
      'last',
      'max',
      'median',
      'min',
      'multiply',
      'range',
      'rangeOf',
      'stddev',
      'sum',
      'total',
    ]);
  });

  it('answer null for rows without values, except count (0) and avg_zero (0)', () => {
    const empty = [null, null];
    for (const name of AGG_FUNC_NAMES) {
      const expected = name === 'count' || name === 'avg_zero' ? 0 : null;
      expect([name, getAggFunc(name)(empty)]).toEqual([name, expected]);
    }
    expect(safeAvgZero([])).toBeNull();
  });

  it('treat nulls as graphite-web does', () => {
    const row = [3, null, 1, 4];
    expect(getAggFunc('sum')(row)).toBe(8);
    expect(getAggFunc('average')(row)).toBe(8 / 3);
    expect(safeAvgZero(row)).toBe(2);
    expect(safeMedian(row)).toBe(3);
    expect(safeMedian([4, 1, 3, 2])).toBe(2.5);
    expect(safeDiff([null, 10, 3, null, 2])).toBe(5);
    expect(safeCount(row)).toBe(3);
    expect(getAggFunc('range')(row)).toBe(3);
    expect(safeMultiply(row)).toBeNull();
    expect(safeMultiply([2, 3, 4])).toBe(24);
    expect(getAggFunc('current')(row)).toBe(4);
    expect(safeFirst([null, 7, 8])).toBe(7);
    expect(safeStdDev([2, 4, 4, 4, null, 5, 5, 7, 9])).toBe(2);
    expect(Object.is(safeMin([0, -0]), 0)).toBe(true);
  });

  it('refuse unknown names with the name written', () => {
    expect(() => getAggFunc('first')).toThrow('Unsupported aggregation function: first');
    expect(() => getAggFunc('toString')).toThrow('Unsupported aggregation function');
    expect(() => getAggFunc('mode', 'modeSeries')).toThrow('Unsupported aggregation function: modeSeries');
  });
});

describe('percentile', () => {
  const values = [15, 20, 35, 40, 50];

  it('takes the rank (n/100)(N+1) rounded up, or interpolates between its neighbours', () => {
    expect(percentile(values, 40)).toBe(35);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 75)).toBe(50);
    expect(percentile(values, 40, true)).toBeCloseTo(26, 12);
    expect(percentile([1, 2, 3, 4], 50, true)).toBe(2.5);
  });

  it('clamps ranks past either end, ignores nulls, and is null without values', () => {
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 100, true)).toBe(50);
    expect(percentile(values, 1)).toBe(15);
    expect(percentile([null, 3, null], 99)).toBe(3);
    expect(percentile([null], 50)).toBeNull();
  });

  it('pNN names percentiles in (0, 100]', () => {
    expect(percentileOfName('p99')).toBe(99);
    expect(percentileOfName('p99.9')).toBe(99.9);
    expect(percentileOfName('p0')).toBeUndefined();
    expect(percentileOfName('p101')).toBeUndefined();
    expect(percentileOfName('sum')).toBeUndefined();
  });
});

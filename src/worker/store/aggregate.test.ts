import fc from 'fast-check';
import { aggregateOf, mergeInto } from './aggregate';
import { encodeAggregate, emptyAggregateRows } from './chunkenc/chunk';

function sumOf(values: number[]): number {
  const ts = values.map((_, i) => i * 10_000);
  return aggregateOf(ts, values, 0, values.length, false).sum;
}

describe('rollup sums', () => {
  it('are the decimal a person would write for sums of decimals', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumOf([0.1, 0.2])).toBe(0.3);
    expect(sumOf([12.3, 45.6, 7.8, 0.1, 99.9, 33.3])).toBe(199);
    expect(sumOf([-0.7, 0.1, 0.6])).toBe(0);
    const a = aggregateOf([0], [0.1], 0, 1, false);
    mergeInto(a, aggregateOf([1], [0.2], 0, 1, false));
    expect(a.sum).toBe(0.3);
  });

  it('never move a sum by more than floating point summation may err', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 60 }), (vs) => {
        let plain = 0;
        let abs = 0;
        for (const v of vs) {
          plain += v;
          abs += Math.abs(v);
        }
        expect(Math.abs(sumOf(vs) - plain)).toBeLessThanOrEqual(vs.length * 2 ** -53 * abs);
      }),
      { numRuns: 2000 }
    );
  });

  it('leave sums of arbitrary floats alone', () => {
    // Sums of values with many significant digits are almost never within the bound of a 6-digit decimal.
    const vs = [Math.PI, Math.E, Math.SQRT2, 1 / 3];
    expect(sumOf(vs)).toBe(vs.reduce((s, v) => s + v, 0));
  });

  it('keep a minute rollup of one-decimal gauges about as small as its inputs', () => {
    // Six samples a minute of a CPU percentage with one decimal, for a day.
    const rows = emptyAggregateRows(1440);
    let seed = 7;
    const next = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let m = 0; m < 1440; m++) {
      const vs = Array.from({ length: 6 }, () => Math.round(1000 * next()) / 10);
      const a = aggregateOf(
        vs.map((_, i) => m * 60_000 + i * 10_000),
        vs,
        0,
        6,
        false
      );
      const i = rows.n++;
      rows.t[i] = m * 60_000;
      rows.count[i] = a.count;
      rows.sum[i] = a.sum;
      rows.min[i] = a.min;
      rows.max[i] = a.max;
      rows.last[i] = a.last;
      rows.lastT[i] = a.lastT;
    }
    // count, time and last-time cost next to nothing; sum, min, max and last ~10-14 bits each: under 8 bytes a row.
    // With sums coded as XOR floats a row costs over 12.
    expect(encodeAggregate(rows).length / rows.n).toBeLessThan(8);
  });
});

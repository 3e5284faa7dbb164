import fc from 'fast-check';
import { decodeAggregate, decodeScalar, encodeAggregate, encodeScalar } from './chunk';
import { decimalScale } from './values';

function scalar(t: number[], v: number[]) {
  return { n: t.length, t: Float64Array.from(t), v: Float64Array.from(v) };
}

describe('scalar chunks', () => {
  it('round-trip any float and any increasing millisecond timestamps exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000_000 }), fc.double()), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 2 ** 43 }),
        (pairs, t0) => {
          const t: number[] = [];
          let cur = t0;
          for (const [dt] of pairs) {
            cur += dt;
            t.push(cur);
          }
          const v = pairs.map(([, x]) => x);
          const back = decodeScalar(encodeScalar(scalar(t, v)));
          expect(Array.from(back.t)).toEqual(t);
          for (let i = 0; i < v.length; i++) expect(Object.is(back.v[i], v[i])).toBe(true);
        }
      ),
      { numRuns: 500 }
    );
  });

  it('round-trip regular timestamps with gaps and jitter, decoded in runs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 80 }), fc.integer({ min: -3, max: 30_000 })), {
          minLength: 1,
          maxLength: 20,
        }),
        (runs) => {
          // Runs of a steady 10 s step (delta-of-delta zero: 1 bit each), each started by an irregular gap.
          const t: number[] = [];
          let cur = 1_792_755_060_000;
          for (const [len, gap] of runs) {
            cur += 10_000 + gap;
            for (let i = 0; i < len; i++) t.push((cur += 10_000));
          }
          const back = decodeScalar(
            encodeScalar(
              scalar(
                t,
                t.map((_, i) => i % 7)
              )
            )
          );
          expect(Array.from(back.t)).toEqual(t);
          expect(Array.from(back.v)).toEqual(t.map((_, i) => i % 7));
        }
      ),
      { numRuns: 300 }
    );
  });

  it('round-trip decimal-looking values exactly, including large counters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e12, max: 1e12 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 6 }),
        (ints, k) => {
          const v = ints.map((i) => i / 10 ** k);
          const t = v.map((_, i) => 1_700_000_000_000 + i * 10_000);
          const back = decodeScalar(encodeScalar(scalar(t, v)));
          expect(Array.from(back.v)).toEqual(v);
        }
      ),
      { numRuns: 500 }
    );
  });

  it('store a regular 10 s gauge with one decimal in under 1.5 bytes per sample', () => {
    const n = 720;
    const t: number[] = [];
    const v: number[] = [];
    let x = 40;
    for (let i = 0; i < n; i++) {
      t.push(1_763_000_000_000 + i * 10_000);
      x = Math.max(0, Math.min(100, x + Math.round(Math.sin(i * 7.1) * 20) / 10));
      v.push(Math.round(x * 10) / 10);
    }
    const bytes = encodeScalar(scalar(t, v)).length;
    expect(bytes / n).toBeLessThan(1.5);
    expect(Array.from(decodeScalar(encodeScalar(scalar(t, v))).v)).toEqual(v);
  });

  it('store a noisy counter in about its entropy: increments of 0-1000 in under 12 bits per sample', () => {
    const n = 720;
    let c = 1e9;
    let seed = 3;
    const t = Array.from({ length: n }, (_, i) => 1_763_000_000_000 + i * 10_000);
    const v = t.map(() => (c += (seed = (seed * 16807) % 2147483647) % 1001));
    const bytes = encodeScalar(scalar(t, v)).length;
    expect((bytes * 8) / n).toBeLessThan(12);
    expect(Array.from(decodeScalar(encodeScalar(scalar(t, v))).v)).toEqual(v);
  });

  it('store a constant series in about a bit per timestamp and value', () => {
    const n = 720;
    const t = Array.from({ length: n }, (_, i) => 1_763_000_000_000 + i * 10_000);
    const v = Array.from({ length: n }, () => 3.14159);
    expect(encodeScalar(scalar(t, v)).length).toBeLessThan(n / 4 + 32);
  });
});

describe('decimal detection', () => {
  it('finds the scale of decimal values and refuses non-finite ones', () => {
    expect(decimalScale([1, 2, 3], 3)).toBe(0);
    expect(decimalScale([0.1, 2.25], 2)).toBe(2);
    expect(decimalScale([Math.PI], 1)).toBe(-1);
    expect(decimalScale([NaN], 1)).toBe(-1);
    expect(decimalScale([Infinity], 1)).toBe(-1);
  });
});

describe('aggregate chunks', () => {
  it('round-trip every column and sketch', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            count: fc.integer({ min: 1, max: 1000 }),
            sum: fc.double({ noNaN: true }),
            min: fc.double({ noNaN: true }),
            max: fc.double({ noNaN: true }),
            last: fc.double(),
            lastOff: fc.integer({ min: 0, max: 59_999 }),
            sketch: fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { nil: undefined }),
          }),
          // Under 64 rows a chunk has no column index, as every chunk before it had; from 64 on it has one.
          { minLength: 1, maxLength: 160 }
        ),
        fc.record({ sum: fc.boolean(), min: fc.boolean(), max: fc.boolean(), last: fc.boolean() }),
        (rows, columns) => {
          const n = rows.length;
          const t = Float64Array.from(rows, (_, i) => 1_763_000_000_000 + i * 60_000);
          const enc = encodeAggregate({
            n,
            t,
            count: Float64Array.from(rows, (r) => r.count),
            sum: Float64Array.from(rows, (r) => r.sum),
            min: Float64Array.from(rows, (r) => r.min),
            max: Float64Array.from(rows, (r) => r.max),
            last: Float64Array.from(rows, (r) => r.last),
            lastT: Float64Array.from(rows, (r, i) => t[i]! + r.lastOff),
            sketches: rows.map((r) => r.sketch),
          });
          const back = decodeAggregate(enc);
          expect(back.n).toBe(n);
          rows.forEach((r, i) => {
            expect(back.count[i]).toBe(r.count);
            expect(Object.is(back.sum[i], r.sum)).toBe(true);
            expect(Object.is(back.min[i], r.min)).toBe(true);
            expect(Object.is(back.max[i], r.max)).toBe(true);
            expect(Object.is(back.last[i], r.last)).toBe(true);
            expect(back.lastT[i]).toBe(t[i]! + r.lastOff);
            expect(back.sketches?.[i]).toEqual(r.sketch);
          });
          // Some columns only, into a scratch that a previous decode left dirty.
          const scratch = { rows: decodeAggregate(enc) };
          scratch.rows.t.fill(-1);
          const some = decodeAggregate(enc, { columns, scratch });
          expect(Array.from(some.t.subarray(0, n))).toEqual(Array.from(t));
          rows.forEach((r, i) => {
            expect(some.count[i]).toBe(r.count);
            if (columns.sum) expect(Object.is(some.sum[i], r.sum)).toBe(true);
            if (columns.min) expect(Object.is(some.min[i], r.min)).toBe(true);
            if (columns.max) expect(Object.is(some.max[i], r.max)).toBe(true);
            if (columns.last) expect([some.last[i], some.lastT[i]]).toEqual([r.last, t[i]! + r.lastOff]);
            expect(some.sketches?.[i]).toEqual(r.sketch);
          });
          if (!columns.min) expect(some.min).toHaveLength(0);
        }
      ),
      { numRuns: 300 }
    );
  });
});

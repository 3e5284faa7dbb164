import { RELATIVE_ACCURACY, decodeSketch, encodeSketch, mergeEncoded, quantile, sketchOf } from './sketch';

function exact(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(q * (s.length - 1))]!;
}

describe('quantile sketches', () => {
  let seed = 5;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;

  it('answer p50, p90 and p99 within the stated relative error, after a round trip', () => {
    const values = Array.from({ length: 5000 }, () => Math.round(1 + 2000 * rnd() ** 3));
    const enc = encodeSketch(sketchOf(values));
    for (const q of [0.5, 0.9, 0.99]) {
      const est = quantile(enc, q);
      expect(Math.abs(est - exact(values, q)) / exact(values, q)).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    }
  });

  it('are the same whatever the order of the values, repeated ones included', () => {
    // Whole milliseconds from a few hundred distinct values, as a busy endpoint's timer sends them.
    const values = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 311) + (i % 3 === 0 ? 0.5 : 0) - 20);
    const sorted = [...values].sort((a, b) => a - b);
    expect(encodeSketch(sketchOf(sorted))).toEqual(encodeSketch(sketchOf(values)));
    const median = quantile(encodeSketch(sketchOf(sorted)), 0.5);
    expect(Math.abs(median - sorted[2499]!)).toBeLessThanOrEqual(RELATIVE_ACCURACY * Math.abs(sorted[2499]!));
  });

  it('merge to the sketch of the union, with negatives and zeros', () => {
    const a = Array.from({ length: 1000 }, () => rnd() * 100 - 20);
    const b = [0, 0, 0, ...Array.from({ length: 1000 }, () => rnd() * 500)];
    const merged = mergeEncoded([encodeSketch(sketchOf(a)), undefined, encodeSketch(sketchOf(b))])!;
    expect(decodeSketch(merged).count).toBe(a.length + b.length);
    const all = [...a, ...b];
    for (const q of [0.1, 0.5, 0.9]) {
      const e = exact(all, q);
      expect(Math.abs(quantile(merged, q) - e)).toBeLessThanOrEqual(Math.abs(e) * RELATIVE_ACCURACY + 1e-9);
    }
  });

  it('stay small: a flush of latencies from 1 ms to 10 s encodes in under 1.5 KB', () => {
    const values = Array.from({ length: 10_000 }, () => Math.round(10 ** (4 * rnd())));
    expect(encodeSketch(sketchOf(values)).length).toBeLessThan(1500);
  });

  it('stay bounded whatever the spread of the values', () => {
    const enc = encodeSketch(sketchOf([1e-300, 1e-100, 1, 1e12, 1e300]));
    expect(enc.length).toBeLessThan(100);
    const wide = encodeSketch(sketchOf(Array.from({ length: 100_000 }, (_, i) => 1.0001 ** i * 1e-9)));
    expect(wide.length).toBeLessThan(2 * 2048 * 4);
  });
});

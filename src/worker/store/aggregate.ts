/** Mergeable aggregates: the rollup row every level keeps, and how partial rows combine. */
import type { Aggregate } from './types';
import { mergeEncoded, sketchOf } from './sketch';
import { encodeSketch } from './sketch';
import { snapDecimal } from './chunkenc/values';

/**
 * The unit roundoff of float64. A sum of n decimals errs from their exact sum by at most n·U·Σ|v|: each input is off
 * its decimal by U·|v| and each of the n − 1 additions by U of the running magnitude. That bound is where a sum may be
 * snapped to a short decimal; it is loose where large values cancel, and snapping there can still only move the sum
 * within it.
 */
const U = 2 ** -53;

export function aggregateOfValue(t: number, v: number): Aggregate {
  return { count: 1, sum: v, min: v, max: v, last: v, lastT: t };
}

/** Merges b into a (mutating a). `last` follows the later sample; ties keep b, the newer write. */
export function mergeInto(a: Aggregate, b: Aggregate): void {
  a.count += b.count;
  a.sum = snapDecimal(a.sum + b.sum, 2 * U * (Math.abs(a.sum) + Math.abs(b.sum)));
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
  if (b.lastT >= a.lastT) {
    a.last = b.last;
    a.lastT = b.lastT;
  }
  if (a.sketch || b.sketch) a.sketch = mergeEncoded([a.sketch, b.sketch]);
}

/** Aggregate of raw values, with a sketch when the series is a timing series. */
export function aggregateOf(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  from: number,
  to: number,
  withSketch: boolean
): Aggregate {
  let sum = 0;
  let abs = 0;
  let min = Infinity;
  let max = -Infinity;
  let last = NaN;
  let lastT = -Infinity;
  for (let i = from; i < to; i++) {
    const v = vs[i]!;
    sum += v;
    abs += Math.abs(v);
    if (v < min) min = v;
    if (v > max) max = v;
    if (ts[i]! >= lastT) {
      lastT = ts[i]!;
      last = v;
    }
  }
  const n = to - from;
  const a: Aggregate = { count: n, sum: snapDecimal(sum, n * U * abs), min, max, last, lastT };
  if (withSketch) {
    const vals: number[] = [];
    for (let i = from; i < to; i++) vals.push(vs[i]!);
    a.sketch = encodeSketch(sketchOf(vals));
  }
  return a;
}

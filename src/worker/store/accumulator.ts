/**
 * Folds samples and rollup rows of one series into the buckets of a read: count, sum, min,
 * max, last (by time) and, for timing series, merged sketches.
 */
import type { Aggregate, SeriesData } from './types';
import { mergeEncoded } from './sketch';
import type { AggregateColumns, AggregateRows } from './chunkenc/chunk';

export type RawPart = { t: Float64Array; v: Float64Array; n: number };

export class SeriesAccumulator {
  private readonly lastT: Float64Array;
  /** Raw samples from every source, oldest source first, merged at the end. */
  readonly rawParts: RawPart[] = [];
  private readonly pendingSketches: Array<Uint8Array[] | undefined> | undefined;

  // The columns asked for, hoisted: the fold loops run once per sample of every series read.
  private readonly count: Float64Array;
  private readonly sum: Float64Array | undefined;
  private readonly min: Float64Array | undefined;
  private readonly max: Float64Array | undefined;
  private readonly last: Float64Array | undefined;

  constructor(
    readonly data: SeriesData,
    /** Samples before `lo` (retention, range) or from `hi` on are outside the read. */
    private readonly lo: number,
    private readonly hi: number
  ) {
    this.count = data.count;
    this.sum = data.sum;
    this.min = data.min;
    this.max = data.max;
    this.last = data.last;
    this.lastT = data.last ? new Float64Array(data.count.length).fill(-Infinity) : new Float64Array(0);
    if (data.sketches) this.pendingSketches = new Array(data.count.length);
  }

  /** Folds sorted raw samples. */
  foldRaw(p: RawPart): void {
    const { start, step } = this.data;
    const { count, sum, min, max, last, lastT } = this;
    for (let i = 0; i < p.n; i++) {
      const t = p.t[i]!;
      if (t < this.lo || t >= this.hi) continue;
      const v = p.v[i]!;
      const b = Math.floor((t - start) / step);
      count[b]!++;
      if (sum) sum[b]! += v;
      if (min && !(min[b]! <= v)) min[b] = v;
      if (max && !(max[b]! >= v)) max[b] = v;
      if (last && t >= lastT[b]!) {
        lastT[b] = t;
        last[b] = v;
      }
    }
  }

  foldAgg(t: number, a: Aggregate): void {
    if (t < this.lo || t >= this.hi) return;
    const b = Math.floor((t - this.data.start) / this.data.step);
    this.count[b]! += a.count;
    if (this.sum) this.sum[b]! += a.sum;
    if (this.min && !(this.min[b]! <= a.min)) this.min[b] = a.min;
    if (this.max && !(this.max[b]! >= a.max)) this.max[b] = a.max;
    if (this.last && a.lastT >= this.lastT[b]!) {
      this.lastT[b] = a.lastT;
      this.last[b] = a.last;
    }
    if (this.pendingSketches && a.sketch) (this.pendingSketches[b] ??= []).push(a.sketch);
  }

  /** The optional rollup columns this read folds (foldRows reads no other). */
  get columns(): AggregateColumns {
    return {
      sum: this.sum !== undefined,
      min: this.min !== undefined,
      max: this.max !== undefined,
      last: this.last !== undefined,
    };
  }

  /** Folds decoded rollup rows column by column, without an object per row. */
  foldRows(rows: AggregateRows): void {
    const { start, step } = this.data;
    const { count, sum, min, max, last, lastT } = this;
    for (let j = 0; j < rows.n; j++) {
      const t = rows.t[j]!;
      if (t < this.lo || t >= this.hi) continue;
      const b = Math.floor((t - start) / step);
      count[b]! += rows.count[j]!;
      if (sum) sum[b]! += rows.sum[j]!;
      if (min && !(min[b]! <= rows.min[j]!)) min[b] = rows.min[j]!;
      if (max && !(max[b]! >= rows.max[j]!)) max[b] = rows.max[j]!;
      if (last && rows.lastT[j]! >= lastT[b]!) {
        lastT[b] = rows.lastT[j]!;
        last[b] = rows.last[j]!;
      }
      const sk = rows.sketches?.[j];
      if (this.pendingSketches && sk) (this.pendingSketches[b] ??= []).push(sk);
    }
  }

  /** Folds the raw parts (newest write of a timestamp wins) and merges every bucket's sketches. */
  finish(): SeriesData {
    // Folding is order-free when no timestamp is in two parts; parts come in file order, which is not time order.
    const parts = this.rawParts.filter((p) => p.n > 0);
    if (disjoint(parts) || disjoint([...parts].sort((a, b) => a.t[0]! - b.t[0]!))) {
      for (const p of parts) this.foldRaw(p);
    } else this.foldRaw(mergeRaw(this.rawParts));
    if (this.pendingSketches && this.data.sketches) {
      // Merged once per bucket, not pairwise per row: decoding a sketch costs far more than adding to one.
      this.pendingSketches.forEach((parts, b) => {
        if (parts) this.data.sketches![b] = mergeEncoded(parts);
      });
    }
    return this.data;
  }
}

/** True when each sorted part starts after the previous one ends: their concatenation is sorted. */
function disjoint(parts: RawPart[]): boolean {
  let end = -Infinity;
  for (const p of parts) {
    if (p.n === 0) continue;
    if (p.t[0]! <= end) return false;
    end = p.t[p.n - 1]!;
  }
  return true;
}

/**
 * Merges sorted raw parts into one sorted run; of equal times the later part wins. Parts that
 * follow each other in time (the usual case: one per checkpoint) are concatenated without sorting.
 */
export function mergeRaw(parts: RawPart[]): RawPart {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.n;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    t.set(p.t.subarray(0, p.n), o);
    v.set(p.v.subarray(0, p.n), o);
    o += p.n;
  }
  if (disjoint(parts)) return { t, v, n };
  // Ties broken by position, so the last of each run of equal times is the newest write.
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
  const mt = new Float64Array(n);
  const mv = new Float64Array(n);
  let m = 0;
  for (const i of idx) {
    if (m > 0 && mt[m - 1] === t[i]) {
      mv[m - 1] = v[i]!;
      continue;
    }
    mt[m] = t[i]!;
    mv[m] = v[i]!;
    m++;
  }
  return { t: mt.subarray(0, m), v: mv.subarray(0, m), n: m };
}

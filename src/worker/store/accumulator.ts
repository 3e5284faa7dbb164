/**
 * Folds samples and rollup rows of one series into the buckets of a read: count, sum, min,
 * max, last (by time) and, for timing series, merged sketches.
 */
import type { Aggregate, SeriesData } from './types';
import { mergeEncoded } from './sketch';
import type { AggregateRows } from './chunkenc/chunk';

export type RawPart = { t: Float64Array; v: Float64Array; n: number };

export class SeriesAccumulator {
  private readonly lastT: Float64Array;
  /** Raw samples from every source, oldest source first, merged at the end. */
  readonly rawParts: RawPart[] = [];
  private readonly pendingSketches: Array<Uint8Array[] | undefined> | undefined;

  constructor(
    readonly data: SeriesData,
    /** Samples before `lo` (retention, range) or from `hi` on are outside the read. */
    private readonly lo: number,
    private readonly hi: number
  ) {
    this.lastT = new Float64Array(data.count.length).fill(-Infinity);
    if (data.sketches) this.pendingSketches = new Array(data.count.length);
  }

  foldValue(t: number, v: number): void {
    if (t < this.lo || t >= this.hi) return;
    const d = this.data;
    const b = Math.floor((t - d.start) / d.step);
    d.count[b]!++;
    d.sum[b]! += v;
    if (!(d.min[b]! <= v)) d.min[b] = v;
    if (!(d.max[b]! >= v)) d.max[b] = v;
    if (t >= this.lastT[b]!) {
      this.lastT[b] = t;
      d.last[b] = v;
    }
  }

  foldAgg(t: number, a: Aggregate): void {
    if (t < this.lo || t >= this.hi) return;
    const d = this.data;
    const b = Math.floor((t - d.start) / d.step);
    d.count[b]! += a.count;
    d.sum[b]! += a.sum;
    if (!(d.min[b]! <= a.min)) d.min[b] = a.min;
    if (!(d.max[b]! >= a.max)) d.max[b] = a.max;
    if (a.lastT >= this.lastT[b]!) {
      this.lastT[b] = a.lastT;
      d.last[b] = a.last;
    }
    if (this.pendingSketches && a.sketch) (this.pendingSketches[b] ??= []).push(a.sketch);
  }

  /** Folds decoded rollup rows column by column, without an object per row. */
  foldRows(rows: AggregateRows): void {
    const d = this.data;
    for (let j = 0; j < rows.n; j++) {
      const t = rows.t[j]!;
      if (t < this.lo || t >= this.hi) continue;
      const b = Math.floor((t - d.start) / d.step);
      d.count[b]! += rows.count[j]!;
      d.sum[b]! += rows.sum[j]!;
      const mn = rows.min[j]!;
      const mx = rows.max[j]!;
      if (!(d.min[b]! <= mn)) d.min[b] = mn;
      if (!(d.max[b]! >= mx)) d.max[b] = mx;
      if (rows.lastT[j]! >= this.lastT[b]!) {
        this.lastT[b] = rows.lastT[j]!;
        d.last[b] = rows.last[j]!;
      }
      const sk = rows.sketches?.[j];
      if (this.pendingSketches && sk) (this.pendingSketches[b] ??= []).push(sk);
    }
  }

  /** Merges the raw parts (newest write of a timestamp wins) and every bucket's sketches. */
  finish(): SeriesData {
    const raw = mergeRaw(this.rawParts);
    for (let i = 0; i < raw.n; i++) this.foldValue(raw.t[i]!, raw.v[i]!);
    if (this.pendingSketches && this.data.sketches) {
      // Merged once per bucket, not pairwise per row: decoding a sketch costs far more than adding to one.
      this.pendingSketches.forEach((parts, b) => {
        if (parts) this.data.sketches![b] = mergeEncoded(parts);
      });
    }
    return this.data;
  }
}

/**
 * Merges sorted raw parts into one sorted run; of equal times the later part wins. Parts that
 * follow each other in time (the usual case: one per checkpoint) are concatenated without sorting.
 */
export function mergeRaw(parts: RawPart[]): RawPart {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  let disjoint = true;
  for (let i = 0; i < parts.length; i++) {
    const cur = parts[i]!;
    n += cur.n;
    const prev = parts[i - 1];
    if (prev && prev.n > 0 && cur.n > 0 && cur.t[0]! <= prev.t[prev.n - 1]!) disjoint = false;
  }
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    t.set(p.t.subarray(0, p.n), o);
    v.set(p.v.subarray(0, p.n), o);
    o += p.n;
  }
  if (disjoint) return { t, v, n };
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

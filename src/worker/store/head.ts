/**
 * The head: samples received since the last checkpoint, held in memory per series, in
 * arrival order. A checkpoint swaps in an empty head and persists the old one; until that
 * is durable the old head stays readable.
 */
import type { Aggregate } from './types';
import type { ScalarRows } from './chunkenc/chunk';

export class HeadSeries {
  n = 0;
  /**
   * Time and value of each sample, interleaved: one typed array per series, not two. A head holds a sample or a
   * few for each of up to a million series, and each typed array costs ~250 bytes of object and buffer overhead.
   */
  private tv = new Float64Array(16);
  /** False once a sample arrived older than the previous one. */
  ordered = true;
  /** Pre-aggregated rows (statsd timer flushes) for timing series. */
  dist: Array<{ t: number; agg: Aggregate }> | undefined;

  push(t: number, v: number): void {
    const i = 2 * this.n;
    if (i === this.tv.length) {
      const grown = new Float64Array(i * 2);
      grown.set(this.tv);
      this.tv = grown;
    }
    if (this.n > 0 && t < this.tv[i - 2]!) this.ordered = false;
    this.tv[i] = t;
    this.tv[i + 1] = v;
    this.n++;
  }

  /** Earliest and latest sample times (n > 0). */
  timeRange(): { min: number; max: number } {
    if (this.ordered) return { min: this.tv[0]!, max: this.tv[2 * this.n - 2]! };
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < this.n; i++) {
      const t = this.tv[2 * i]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    return { min, max };
  }

  /** Earliest time of a sample or distribution (Infinity when there is none). */
  minTime(): number {
    let min = this.n > 0 ? this.timeRange().min : Infinity;
    for (const d of this.dist ?? []) if (d.t < min) min = d.t;
    return min;
  }

  pushDist(t: number, agg: Aggregate): void {
    (this.dist ??= []).push({ t, agg });
  }

  /**
   * Samples sorted by time; of several samples with the same time the last written wins,
   * as a Graphite user re-sending a corrected point expects.
   */
  sorted(): ScalarRows {
    const n = this.n;
    const tv = this.tv;
    let idx: number[] | undefined;
    if (!this.ordered) {
      idx = Array.from({ length: n }, (_, i) => i);
      // Array.prototype.sort is stable, so equal times keep arrival order.
      idx.sort((a, b) => tv[2 * a]! - tv[2 * b]!);
    }
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = idx ? idx[k]! : k;
      const ti = tv[2 * i]!;
      if (m > 0 && t[m - 1] === ti) {
        v[m - 1] = tv[2 * i + 1]!;
        continue;
      }
      t[m] = ti;
      v[m] = tv[2 * i + 1]!;
      m++;
    }
    return { n: m, t: t.subarray(0, m), v: v.subarray(0, m) };
  }
}

export class Head {
  /** Indexed by series id: ids are small dense integers, and an array beats a Map on the ingest path. */
  private readonly byId: Array<HeadSeries | undefined> = [];
  private readonly ids: number[] = [];
  samples = 0;

  get size(): number {
    return this.ids.length;
  }

  get(id: number): HeadSeries | undefined {
    return this.byId[id];
  }

  *entries(): IterableIterator<[number, HeadSeries]> {
    for (const id of this.ids) yield [id, this.byId[id]!];
  }

  append(id: number, t: number, v: number): void {
    (this.byId[id] ?? this.add(id)).push(t, v);
    this.samples++;
  }

  appendDist(id: number, t: number, agg: Aggregate): void {
    (this.byId[id] ?? this.add(id)).pushDist(t, agg);
    this.samples++;
  }

  private add(id: number): HeadSeries {
    const s = new HeadSeries();
    this.byId[id] = s;
    this.ids.push(id);
    return s;
  }
}

/**
 * The head: samples received since the last checkpoint, held in memory per series, in
 * arrival order. A checkpoint swaps in an empty head and persists the old one; until that
 * is durable the old head stays readable.
 */
import type { Aggregate } from './types';
import type { ScalarRows } from './chunkenc/chunk';

export class HeadSeries {
  n = 0;
  t = new Float64Array(8);
  v = new Float64Array(8);
  /** False once a sample arrived older than the previous one. */
  ordered = true;
  /** Pre-aggregated rows (statsd timer flushes) for timing series. */
  dist: Array<{ t: number; agg: Aggregate }> | undefined;

  push(t: number, v: number): void {
    if (this.n === this.t.length) {
      const nt = new Float64Array(this.n * 2);
      nt.set(this.t);
      this.t = nt;
      const nv = new Float64Array(this.n * 2);
      nv.set(this.v);
      this.v = nv;
    }
    if (this.n > 0 && t < this.t[this.n - 1]!) this.ordered = false;
    this.t[this.n] = t;
    this.v[this.n] = v;
    this.n++;
  }

  /** Earliest and latest sample times (n > 0). */
  timeRange(): { min: number; max: number } {
    if (this.ordered) return { min: this.t[0]!, max: this.t[this.n - 1]! };
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < this.n; i++) {
      const t = this.t[i]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    return { min, max };
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
    let idx: number[] | undefined;
    if (!this.ordered) {
      idx = Array.from({ length: n }, (_, i) => i);
      // Array.prototype.sort is stable, so equal times keep arrival order.
      idx.sort((a, b) => this.t[a]! - this.t[b]!);
    }
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = idx ? idx[k]! : k;
      const ti = this.t[i]!;
      if (m > 0 && t[m - 1] === ti) {
        v[m - 1] = this.v[i]!;
        continue;
      }
      t[m] = ti;
      v[m] = this.v[i]!;
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

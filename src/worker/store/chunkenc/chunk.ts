/**
 * Chunks: the compressed unit the store persists for one series.
 *
 * A scalar chunk holds raw samples (time, value). An aggregate chunk holds rollup rows
 * (bucket time, count, sum, min, max, last, time of last, optional quantile sketch).
 * Layout: varint row count, then one bit stream (times delta-of-delta, then each value
 * column with its best codec), then for aggregate chunks the sketches as length-prefixed bytes.
 */
import type { Aggregate } from '../types';
import { BitReader, BitWriter } from './bits';
import { readTimes, writeTimes } from './ints';
import { readValues, writeValues } from './values';
import { readVarint, writeVarint } from './varint';

export interface ScalarRows {
  n: number;
  t: Float64Array;
  v: Float64Array;
}

export interface AggregateRows {
  n: number;
  t: Float64Array;
  count: Float64Array;
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
  last: Float64Array;
  lastT: Float64Array;
  sketches?: (Uint8Array | undefined)[];
}

export function encodeScalar(rows: ScalarRows): Uint8Array {
  const head: number[] = [];
  writeVarint(head, rows.n);
  const w = new BitWriter(Math.max(64, rows.n * 2));
  writeTimes(w, rows.t, rows.n);
  writeValues(w, rows.v, rows.n);
  return concat(Uint8Array.from(head), w.finish());
}

/**
 * Decodes a scalar chunk. With `into`, reuses its arrays when they are large enough (the rows
 * returned then alias them and are valid until the next decode into the same scratch).
 */
export function decodeScalar(buf: Uint8Array, into?: { t: Float64Array; v: Float64Array }): ScalarRows {
  const [n, off] = readVarint(buf, 0);
  if (into && into.t.length < n) {
    into.t = new Float64Array(Math.max(n, into.t.length * 2));
    into.v = new Float64Array(into.t.length);
  }
  const t = into ? into.t : new Float64Array(n);
  const v = into ? into.v : new Float64Array(n);
  const r = new BitReader(buf, off);
  readTimes(r, t, n);
  readValues(r, v, n);
  return { n, t, v };
}

export function encodeAggregate(rows: AggregateRows): Uint8Array {
  const head: number[] = [];
  writeVarint(head, rows.n);
  const hasSketch = rows.sketches?.some((s) => s !== undefined) ?? false;
  head.push(hasSketch ? 1 : 0);
  const w = new BitWriter(Math.max(64, rows.n * 6));
  writeTimes(w, rows.t, rows.n);
  writeValues(w, rows.count, rows.n);
  writeValues(w, rows.sum, rows.n);
  writeValues(w, rows.min, rows.n);
  writeValues(w, rows.max, rows.n);
  writeValues(w, rows.last, rows.n);
  const offsets = new Float64Array(rows.n);
  for (let i = 0; i < rows.n; i++) offsets[i] = rows.lastT[i]! - rows.t[i]!;
  writeValues(w, offsets, rows.n);
  const parts: Uint8Array[] = [Uint8Array.from(head), w.finish()];
  if (hasSketch) {
    const lens: number[] = [];
    for (let i = 0; i < rows.n; i++) writeVarint(lens, rows.sketches![i]?.length ?? 0);
    parts.push(Uint8Array.from(lens));
    for (let i = 0; i < rows.n; i++) {
      const s = rows.sketches![i];
      if (s) parts.push(s);
    }
  }
  return concat(...parts);
}

export function decodeAggregate(buf: Uint8Array): AggregateRows {
  const [n, off] = readVarint(buf, 0);
  const hasSketch = buf[off] === 1;
  const r = new BitReader(buf, off + 1);
  const rows: AggregateRows = {
    n,
    t: new Float64Array(n),
    count: new Float64Array(n),
    sum: new Float64Array(n),
    min: new Float64Array(n),
    max: new Float64Array(n),
    last: new Float64Array(n),
    lastT: new Float64Array(n),
  };
  readTimes(r, rows.t, n);
  readValues(r, rows.count, n);
  readValues(r, rows.sum, n);
  readValues(r, rows.min, n);
  readValues(r, rows.max, n);
  readValues(r, rows.last, n);
  readValues(r, rows.lastT, n);
  for (let i = 0; i < n; i++) rows.lastT[i] = rows.lastT[i]! + rows.t[i]!;
  if (hasSketch) {
    let p = r.byteEnd;
    const lens: number[] = [];
    for (let i = 0; i < n; i++) {
      const [len, next] = readVarint(buf, p);
      lens.push(len);
      p = next;
    }
    rows.sketches = lens.map((len) => {
      if (len === 0) return undefined;
      const s = buf.slice(p, p + len);
      p += len;
      return s;
    });
  }
  return rows;
}

export function emptyAggregateRows(capacity: number): AggregateRows {
  return {
    n: 0,
    t: new Float64Array(capacity),
    count: new Float64Array(capacity),
    sum: new Float64Array(capacity),
    min: new Float64Array(capacity),
    max: new Float64Array(capacity),
    last: new Float64Array(capacity),
    lastT: new Float64Array(capacity),
  };
}

export function aggregateAt(rows: AggregateRows, i: number): Aggregate {
  const a: Aggregate = {
    count: rows.count[i]!,
    sum: rows.sum[i]!,
    min: rows.min[i]!,
    max: rows.max[i]!,
    last: rows.last[i]!,
    lastT: rows.lastT[i]!,
  };
  const s = rows.sketches?.[i];
  if (s) a.sketch = s;
  return a;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

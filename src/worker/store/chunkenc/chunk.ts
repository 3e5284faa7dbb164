/**
 * Chunks: the compressed unit the store persists for one series.
 *
 * A scalar chunk holds raw samples (time, value). An aggregate chunk holds rollup rows
 * (bucket time, count, sum, min, max, last, time of last, optional quantile sketch).
 * Layout: varint row count, then one bit stream (times delta-of-delta, then each value
 * column with its best codec), then for aggregate chunks the sketches as length-prefixed bytes.
 * An aggregate chunk of COLUMN_INDEX_ROWS rows or more also gives each column's length in bits
 * before the stream, so a read wanting the sum skips min, max and last without decoding them.
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

/** Header flags of an aggregate chunk. */
const HAS_SKETCHES = 1;
const HAS_COLUMN_INDEX = 2;
/** Below this many rows a chunk decodes whole: the column index would cost more than it saves. */
const COLUMN_INDEX_ROWS = 64;

/** The value columns of an aggregate chunk, in stream order after the times. */
const COLUMNS = ['count', 'sum', 'min', 'max', 'last', 'lastT'] as const;
type Column = (typeof COLUMNS)[number];

/** The optional columns a reader wants; count and times always come. */
export interface AggregateColumns {
  sum: boolean;
  min: boolean;
  max: boolean;
  last: boolean;
}

export function encodeAggregate(rows: AggregateRows): Uint8Array {
  const head: number[] = [];
  writeVarint(head, rows.n);
  const hasSketch = rows.sketches?.some((s) => s !== undefined) ?? false;
  const indexed = rows.n >= COLUMN_INDEX_ROWS;
  head.push((hasSketch ? HAS_SKETCHES : 0) | (indexed ? HAS_COLUMN_INDEX : 0));
  const w = new BitWriter(Math.max(64, rows.n * 6));
  const lengths: number[] = [];
  let mark = 0;
  const measure = (): void => {
    lengths.push(w.bitLength - mark);
    mark = w.bitLength;
  };
  writeTimes(w, rows.t, rows.n);
  measure();
  const offsets = new Float64Array(rows.n);
  for (let i = 0; i < rows.n; i++) offsets[i] = rows.lastT[i]! - rows.t[i]!;
  for (const c of COLUMNS) {
    writeValues(w, c === 'lastT' ? offsets : rows[c], rows.n);
    measure();
  }
  if (indexed) for (const len of lengths.slice(1)) writeVarint(head, len);
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

const NONE = new Float64Array(0);

/**
 * Decodes an aggregate chunk. With `columns`, the optional columns not wanted are left empty (skipped unread when the
 * chunk has a column index). With `scratch`, its arrays are reused when large enough: the rows returned then alias
 * them and are valid until the next decode into the same scratch.
 */
export function decodeAggregate(
  buf: Uint8Array,
  opts: { columns?: AggregateColumns; scratch?: { rows?: AggregateRows } } = {}
): AggregateRows {
  const [n, off] = readVarint(buf, 0);
  const flags = buf[off]!;
  let p = off + 1;
  let lengths: number[] | undefined;
  if (flags & HAS_COLUMN_INDEX) {
    lengths = [];
    for (let i = 0; i < COLUMNS.length; i++) {
      const [len, next] = readVarint(buf, p);
      lengths.push(len);
      p = next;
    }
  }
  const want = (c: Column): boolean => {
    const cols = opts.columns;
    if (!cols || c === 'count') return true;
    return c === 'lastT' ? cols.last : cols[c];
  };
  let rows = opts.scratch?.rows;
  if (!rows || rows.t.length < n) {
    rows = emptyAggregateRows(Math.max(n, 2 * (rows?.t.length ?? 0)));
    if (opts.scratch) opts.scratch.rows = rows;
  }
  const out: AggregateRows = { n, t: rows.t, count: NONE, sum: NONE, min: NONE, max: NONE, last: NONE, lastT: NONE };
  const r = new BitReader(buf, p);
  readTimes(r, out.t, n);
  let bit = r.bitPosition;
  let skipped: Float64Array | undefined;
  COLUMNS.forEach((c, i) => {
    const wanted = want(c);
    if (wanted) out[c] = rows[c];
    if (lengths) {
      if (wanted) {
        r.seek(bit);
        readValues(r, out[c], n);
      }
      bit += lengths[i]!;
    } else readValues(r, wanted ? out[c] : (skipped ??= new Float64Array(n)), n);
  });
  if (lengths) r.seek(bit);
  if (want('lastT')) for (let i = 0; i < n; i++) out.lastT[i] = out.lastT[i]! + out.t[i]!;
  if (flags & HAS_SKETCHES) {
    let q = r.byteEnd;
    const lens: number[] = [];
    for (let i = 0; i < n; i++) {
      const [len, next] = readVarint(buf, q);
      lens.push(len);
      q = next;
    }
    out.sketches = lens.map((len) => {
      if (len === 0) return undefined;
      const s = buf.slice(q, q + len);
      q += len;
      return s;
    });
  }
  return out;
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

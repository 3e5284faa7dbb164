/**
 * Mergeable quantile sketches for timing series. DDSketch (Datadog's, relative-error
 * guarantee): every quantile it answers is within RELATIVE_ACCURACY of the exact value,
 * and merging two sketches gives the sketch of the union, so rollups keep percentiles right.
 */
import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';
import { readVarint, writeVarint } from './chunkenc/varint';
import { unzigzag, zigzag } from './chunkenc/bits';

/** Stated error of every quantile answer: |estimate - exact| <= 1% of exact. */
export const RELATIVE_ACCURACY = 0.01;

/**
 * At most this many bins per sign. 2048 bins at 1% span 18 orders of magnitude; beyond that the
 * lowest bins are collapsed, so only the smallest values (never the tail) lose accuracy, and a
 * sender cannot make one sketch arbitrarily large.
 */
const BIN_LIMIT = 2048;

export type Sketch = LogCollapsingLowestDenseDDSketch;

export function newSketch(): Sketch {
  return new LogCollapsingLowestDenseDDSketch({ relativeAccuracy: RELATIVE_ACCURACY, binLimit: BIN_LIMIT });
}

/**
 * The sketch of some values. Runs of equal values are added at once, with their count as the weight: sorted timer
 * values in whole milliseconds repeat a lot (tens of thousands of requests an interval, a few hundred distinct
 * values), and each accept costs a logarithm.
 */
export function sketchOf(values: ArrayLike<number>): Sketch {
  const s = newSketch();
  const n = values.length;
  let i = 0;
  while (i < n) {
    const v = values[i]!;
    let j = i + 1;
    while (j < n && values[j] === v) j++;
    s.accept(v, j - i);
    i = j;
  }
  return s;
}

type Store = Sketch['store'];

/**
 * Serialized form: version byte, zero count, then the positive and negative stores as their
 * non-empty bins (key delta and count as varints). Counts are whole numbers because values are
 * added one at a time; DDSketch's protobuf form spends 8 bytes on each bin of the dense range.
 */
const VERSION = 1;

function writeStore(out: number[], store: Store): void {
  const keys: number[] = [];
  const counts: number[] = [];
  if (store.count > 0) {
    for (let k = store.minKey; k <= store.maxKey; k++) {
      const c = store.bins[k - store.offset] ?? 0;
      if (c > 0) {
        keys.push(k);
        counts.push(c);
      }
    }
  }
  writeVarint(out, keys.length);
  let prev = 0;
  for (let i = 0; i < keys.length; i++) {
    writeVarint(out, zigzag(keys[i]! - prev));
    writeVarint(out, Math.round(counts[i]!));
    prev = keys[i]!;
  }
}

function readStore(buf: Uint8Array, off: number, store: Store): number {
  let n: number;
  [n, off] = readVarint(buf, off);
  let key = 0;
  for (; n > 0; n--) {
    let dk: number;
    let c: number;
    [dk, off] = readVarint(buf, off);
    [c, off] = readVarint(buf, off);
    key += unzigzag(dk);
    store.add(key, c);
  }
  return off;
}

export function encodeSketch(s: Sketch): Uint8Array {
  const out: number[] = [VERSION];
  writeVarint(out, Math.round(s.zeroCount));
  writeStore(out, s.store);
  writeStore(out, s.negativeStore);
  return Uint8Array.from(out);
}

export function decodeSketch(bytes: Uint8Array): Sketch {
  if (bytes[0] !== VERSION) throw new RangeError(`unknown sketch encoding ${String(bytes[0])}`);
  const s = newSketch();
  const [zero, afterZero] = readVarint(bytes, 1);
  readStore(bytes, readStore(bytes, afterZero, s.store), s.negativeStore);
  s.zeroCount = zero;
  s.count = s.store.count + s.negativeStore.count + zero;
  return s;
}

/** Merge serialized sketches; undefined entries are skipped. Returns undefined if none. */
export function mergeEncoded(parts: Iterable<Uint8Array | undefined>): Uint8Array | undefined {
  let acc: Sketch | undefined;
  let only: Uint8Array | undefined;
  let n = 0;
  for (const p of parts) {
    if (!p) continue;
    n++;
    if (n === 1) {
      only = p;
      continue;
    }
    if (!acc) acc = decodeSketch(only!);
    acc.merge(decodeSketch(p));
  }
  if (n <= 1) return only;
  return encodeSketch(acc!);
}

/** Quantile q in [0, 1] of a serialized sketch. */
export function quantile(bytes: Uint8Array, q: number): number {
  return decodeSketch(bytes).getValueAtQuantile(q);
}

/**
 * Mergeable quantile sketches for timing series. DDSketch (Datadog's, relative-error
 * guarantee): every quantile it answers is within RELATIVE_ACCURACY of the exact value,
 * and merging two sketches gives the sketch of the union, so rollups keep percentiles right.
 */
import { DDSketch } from '@datadog/sketches-js';

/** Stated error of every quantile answer: |estimate - exact| <= 1% of exact. */
export const RELATIVE_ACCURACY = 0.01;

export type Sketch = DDSketch;

export function newSketch(): Sketch {
  return new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
}

export function sketchOf(values: ArrayLike<number>): Sketch {
  const s = newSketch();
  for (let i = 0; i < values.length; i++) {
    s.accept(values[i]!);
  }
  return s;
}

export function encodeSketch(s: Sketch): Uint8Array {
  return s.toProto();
}

export function decodeSketch(bytes: Uint8Array): Sketch {
  return DDSketch.fromProto(bytes);
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

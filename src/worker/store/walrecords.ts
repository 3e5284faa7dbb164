/**
 * The WAL's record payloads: series definitions, scalar sample batches and distributions.
 * A series record always precedes the first samples that reference its id.
 */
import type { Aggregate, SeriesKind } from './types';
import { readVarint, writeVarint } from './chunkenc/varint';
import { unzigzag, zigzag } from './chunkenc/bits';
import { frame } from './wal';

export const enum RecordType {
  Series = 1,
  Samples = 2,
  Distribution = 3,
}

const KINDS: SeriesKind[] = ['untyped', 'gauge', 'counter', 'timer', 'set'];

export function kindCode(k: SeriesKind): number {
  return KINDS.indexOf(k);
}

export function encodeSeries(id: number, kind: SeriesKind, key: string): Buffer {
  const head: number[] = [];
  writeVarint(head, id);
  head.push(kindCode(kind));
  return Buffer.concat([Buffer.from(head), Buffer.from(key, 'utf8')]);
}

export function decodeSeries(p: Buffer): { id: number; kind: SeriesKind; key: string } {
  const [id, off] = readVarint(p, 0);
  return { id, kind: KINDS[p[off]!] ?? 'untyped', key: p.toString('utf8', off + 1) };
}

/**
 * Encoder for a batch of (series id, time ms, value) with times relative to the first. One
 * builder is reused for every batch so the hot path does not grow a fresh buffer each time.
 */
export class SamplesRecordBuilder {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private off = 0;
  private n = 0;
  private base = 0;

  get count(): number {
    return this.n;
  }

  add(id: number, t: number, v: number): void {
    if (this.n === 0) this.base = t;
    if (this.off + 30 > this.buf.length) {
      const next = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(next, 0, 0, this.off);
      this.buf = next;
    }
    this.varint(id);
    this.varint(zigzag(t - this.base));
    this.buf.writeDoubleLE(v, this.off);
    this.off += 8;
    this.n++;
  }

  /** The framed WAL record of the batch; the builder is reset for reuse. */
  takeFrame(): Buffer {
    const head: number[] = [];
    writeVarint(head, this.n);
    const payload = Buffer.allocUnsafe(head.length + 8 + this.off);
    for (let i = 0; i < head.length; i++) payload[i] = head[i]!;
    payload.writeDoubleLE(this.base, head.length);
    this.buf.copy(payload, head.length + 8, 0, this.off);
    this.off = 0;
    this.n = 0;
    return frame(RecordType.Samples, payload);
  }

  private varint(v: number): void {
    while (v >= 0x80) {
      this.buf[this.off++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.off++] = v;
  }
}

export function decodeSamples(p: Buffer, each: (id: number, t: number, v: number) => void): void {
  let [n, off] = readVarint(p, 0);
  const base = p.readDoubleLE(off);
  off += 8;
  for (; n > 0; n--) {
    const [id, o1] = readVarint(p, off);
    const [dt, o2] = readVarint(p, o1);
    const v = p.readDoubleLE(o2);
    off = o2 + 8;
    each(id, base + unzigzag(dt), v);
  }
}

export function encodeDistribution(id: number, t: number, a: Aggregate): Buffer {
  const head: number[] = [];
  writeVarint(head, id);
  const nums = Buffer.allocUnsafe(7 * 8);
  [t, a.count, a.sum, a.min, a.max, a.last, a.lastT].forEach((x, i) => nums.writeDoubleLE(x, i * 8));
  const len: number[] = [];
  writeVarint(len, a.sketch?.length ?? 0);
  return Buffer.concat([Buffer.from(head), nums, Buffer.from(len), a.sketch ?? Buffer.alloc(0)]);
}

export function decodeDistribution(p: Buffer): { id: number; t: number; agg: Aggregate } {
  const [id, off] = readVarint(p, 0);
  const d = (i: number): number => p.readDoubleLE(off + i * 8);
  const [len, o2] = readVarint(p, off + 56);
  const agg: Aggregate = { count: d(1), sum: d(2), min: d(3), max: d(4), last: d(5), lastT: d(6) };
  if (len > 0) agg.sketch = new Uint8Array(p.subarray(o2, o2 + len));
  return { id, t: d(0), agg };
}

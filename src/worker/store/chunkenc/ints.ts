/**
 * Variable-width integer coding inside a bit stream: small signed integers (deltas, deltas of
 * deltas) cost few bits. The bucket widths suit timestamps in milliseconds and scaled decimal
 * values alike: 0 costs one bit, a jitter of a few ms costs nine.
 */
import { BitReader, BitWriter, unzigzag, zigzag } from './bits';

/** Largest magnitude the codecs accept (zigzag then fits in 53 bits). */
export const MAX_INT = 2 ** 51;

export function writeVarSigned(w: BitWriter, v: number): void {
  if (v === 0) {
    w.writeBits(0, 1);
    return;
  }
  const z = zigzag(v);
  if (z < 1 << 7) {
    w.writeBits(0b10, 2);
    w.writeBits(z, 7);
  } else if (z < 1 << 14) {
    w.writeBits(0b110, 3);
    w.writeBits(z, 14);
  } else if (z < 1 << 21) {
    w.writeBits(0b1110, 4);
    w.writeBits(z, 21);
  } else if (z < 2 ** 32) {
    w.writeBits(0b11110, 5);
    w.writeBits(z >>> 0, 32);
  } else {
    w.writeBits(0b11111, 5);
    w.writeUint(z, 53);
  }
}

export function readVarSigned(r: BitReader): number {
  if (r.readBit() === 0) return 0;
  if (r.readBit() === 0) return unzigzag(r.readBits(7));
  if (r.readBit() === 0) return unzigzag(r.readBits(14));
  if (r.readBit() === 0) return unzigzag(r.readBits(21));
  if (r.readBit() === 0) return unzigzag(r.readBits(32));
  return unzigzag(r.readUint(53));
}

/** Timestamps: first value in full, then delta-of-delta. */
export function writeTimes(w: BitWriter, ts: ArrayLike<number>, n: number): void {
  if (n === 0) return;
  w.writeUint(ts[0]!, 53);
  let prev = ts[0]!;
  let prevDelta = 0;
  for (let i = 1; i < n; i++) {
    const delta = ts[i]! - prev;
    writeVarSigned(w, delta - prevDelta);
    prevDelta = delta;
    prev = ts[i]!;
  }
}

export function readTimes(r: BitReader, out: Float64Array, n: number): void {
  if (n === 0) return;
  let prev = r.readUint(53);
  out[0] = prev;
  let prevDelta = 0;
  let i = 1;
  while (i < n) {
    // A regular series is a run of zero bits (delta-of-delta 0): up to 32 samples per read, not one.
    const zeros = Math.min(Math.clz32(r.peek32()), n - i);
    if (zeros > 0) {
      r.skip(zeros);
      for (const end = i + zeros; i < end; i++) {
        prev += prevDelta;
        out[i] = prev;
      }
      continue;
    }
    prevDelta += readVarSigned(r);
    prev += prevDelta;
    out[i++] = prev;
  }
}

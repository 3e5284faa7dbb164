/**
 * Value codecs for a column of float64s. Each column is written with whichever codec is
 * smallest for it (each candidate is encoded, costing up to three passes at checkpoint and
 * compaction time, never on ingest), tagged by a 2-bit codec id and a 3-bit decimal scale:
 *
 * - XOR (Gorilla): each value XORed with the previous one, keeping only the meaningful bits.
 *   Works for any float, including NaN and infinities.
 * - Decimal delta / delta-of-delta: most metric values are decimals with few digits (a CPU
 *   percentage 12.3, a byte count, a counter). Scaled by 10^k they are exact integers, whose
 *   deltas cost a handful of bits where XOR of their binary fractions costs dozens.
 *   Used only when every value round-trips exactly, so decoding is lossless.
 * - Decimal packed: the same residuals (delta or delta-of-delta) in a fixed width chosen per
 *   column, with a one-bit escape for outliers. Noisy series (a counter growing by 0-1000 a
 *   step) cost their entropy plus one bit, where the fixed buckets round up to the next bucket.
 */
import { BitReader, BitWriter } from './bits';
import { MAX_INT, readVarSigned, writeVarSigned } from './ints';
import { unzigzag, zigzag } from './bits';

export const enum ValueCodec {
  Xor = 0,
  DecimalDelta = 1,
  DecimalDeltaOfDelta = 2,
  DecimalPacked = 3,
}

const MAX_SCALE = 6;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian hosts keep the high word second; every platform Node supports here is little-endian.
const HI = 1;
const LO = 0;

function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

function writeXor(w: BitWriter, vs: ArrayLike<number>, n: number): void {
  f64[0] = vs[0]!;
  let prevHi = u32[HI]!;
  let prevLo = u32[LO]!;
  w.write64(prevHi, prevLo, 64);
  let prevLead = -1;
  let prevTrail = 0;
  for (let i = 1; i < n; i++) {
    f64[0] = vs[i]!;
    const hi = u32[HI]!;
    const lo = u32[LO]!;
    const xhi = (hi ^ prevHi) >>> 0;
    const xlo = (lo ^ prevLo) >>> 0;
    prevHi = hi;
    prevLo = lo;
    if (xhi === 0 && xlo === 0) {
      w.writeBits(0, 1);
      continue;
    }
    let lead = clz64(xhi, xlo);
    const trail = ctz64(xhi, xlo);
    if (lead > 31) lead = 31;
    if (prevLead >= 0 && lead >= prevLead && trail >= prevTrail) {
      w.writeBits(0b10, 2);
      writeShifted(w, xhi, xlo, prevTrail, 64 - prevLead - prevTrail);
    } else {
      const sig = 64 - lead - trail;
      w.writeBits(0b11, 2);
      w.writeBits(lead, 5);
      w.writeBits(sig === 64 ? 0 : sig, 6);
      writeShifted(w, xhi, xlo, trail, sig);
      prevLead = lead;
      prevTrail = trail;
    }
  }
}

/** Writes `n` bits of (hi:lo >> shift). */
function writeShifted(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  let h: number;
  let l: number;
  if (shift === 0) {
    h = hi;
    l = lo;
  } else if (shift < 32) {
    l = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    h = hi >>> shift;
  } else {
    l = hi >>> (shift - 32);
    h = 0;
  }
  w.write64(h, l, n);
}

function readXor(r: BitReader, out: Float64Array, n: number): void {
  let hi = r.readBits(32);
  let lo = r.readBits(32);
  u32[HI] = hi;
  u32[LO] = lo;
  out[0] = f64[0]!;
  let lead = 0;
  let trail = 0;
  for (let i = 1; i < n; i++) {
    if (r.readBit() === 1) {
      if (r.readBit() === 1) {
        lead = r.readBits(5);
        let sig = r.readBits(6);
        if (sig === 0) sig = 64;
        trail = 64 - lead - sig;
      }
      const sig = 64 - lead - trail;
      let xh = 0;
      let xl: number;
      if (sig > 32) {
        xh = r.readBits(sig - 32);
        xl = r.readBits(32);
      } else {
        xl = r.readBits(sig);
      }
      // shift xh:xl left by `trail`
      let sh: number;
      let sl: number;
      if (trail === 0) {
        sh = xh;
        sl = xl;
      } else if (trail < 32) {
        sh = ((xh << trail) | (xl >>> (32 - trail))) >>> 0;
        sl = (xl << trail) >>> 0;
      } else {
        sh = (xl << (trail - 32)) >>> 0;
        sl = 0;
      }
      hi = (hi ^ sh) >>> 0;
      lo = (lo ^ sl) >>> 0;
    }
    u32[HI] = hi;
    u32[LO] = lo;
    out[i] = f64[0]!;
  }
}

/** Smallest k such that every value times 10^k is an exact integer below MAX_INT, or -1. */
export function decimalScale(vs: ArrayLike<number>, n: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = vs[i]!;
    if (!Number.isFinite(v) || Object.is(v, -0)) return -1;
    while (k <= MAX_SCALE) {
      const p = POW10[k]!;
      const s = Math.round(v * p);
      if (Math.abs(s) < MAX_INT && s / p === v) break;
      k++;
    }
    if (k > MAX_SCALE) return -1;
  }
  return k;
}

/**
 * The decimal of at most MAX_SCALE digits nearest `v` when it lies within `tolerance` of `v`, else `v`. Rollup sums
 * use it: a sum of decimals is rarely a decimal in binary floating point (0.1 + 0.2), and a column of such sums falls
 * back to XOR at ~60 bits a value where its inputs cost a few. Snapping within the summation's own error bound moves
 * a sum by no more than floating point addition already may, and makes the column exact decimals again.
 */
export function snapDecimal(v: number, tolerance: number): number {
  if (!Number.isFinite(v) || !(tolerance > 0)) return v;
  for (let k = 0; k <= MAX_SCALE; k++) {
    const p = POW10[k]!;
    const s = Math.round(v * p);
    if (Math.abs(s) >= MAX_INT) return v;
    const d = s / p;
    if (Math.abs(d - v) <= tolerance) return d === 0 ? 0 : d;
  }
  return v;
}

function writeDecimal(w: BitWriter, vs: ArrayLike<number>, n: number, scale: number, dod: boolean): void {
  const p = POW10[scale]!;
  let prev = Math.round(vs[0]! * p);
  writeVarSigned(w, prev);
  let prevDelta = 0;
  for (let i = 1; i < n; i++) {
    const cur = Math.round(vs[i]! * p);
    const delta = cur - prev;
    writeVarSigned(w, dod ? delta - prevDelta : delta);
    prevDelta = delta;
    prev = cur;
  }
}

function readDecimal(r: BitReader, out: Float64Array, n: number, scale: number, dod: boolean): void {
  const p = POW10[scale]!;
  let prev = readVarSigned(r);
  out[0] = prev / p;
  let prevDelta = 0;
  for (let i = 1; i < n; i++) {
    const d = readVarSigned(r);
    const delta = dod ? prevDelta + d : d;
    prev += delta;
    prevDelta = delta;
    out[i] = prev / p;
  }
}

/** Appends the column to `w` with its smallest codec. */
function varSignedBits(v: number): number {
  if (v === 0) return 1;
  const z = zigzag(v);
  if (z < 1 << 7) return 9;
  if (z < 1 << 14) return 17;
  if (z < 1 << 21) return 25;
  if (z < 2 ** 32) return 37;
  return 58;
}

function bitLength(z: number): number {
  return z < 2 ** 32 ? 32 - Math.clz32(z) : 32 + (32 - Math.clz32(Math.floor(z / 2 ** 32)));
}

/** Residuals (deltas or deltas of deltas) of the scaled integers, after the first value. */
function residuals(vs: ArrayLike<number>, n: number, scale: number, dod: boolean): number[] {
  const p = POW10[scale]!;
  const out: number[] = [];
  let prev = Math.round(vs[0]! * p);
  let prevDelta = 0;
  for (let i = 1; i < n; i++) {
    const cur = Math.round(vs[i]! * p);
    const delta = cur - prev;
    out.push(dod ? delta - prevDelta : delta);
    prevDelta = delta;
    prev = cur;
  }
  return out;
}

/** The width that makes `residuals` cheapest with a one-bit escape to the variable coding. */
function bestWidth(res: number[]): number {
  const countAt = new Array<number>(54).fill(0);
  const escapeAt = new Array<number>(54).fill(0);
  for (const r of res) {
    const len = bitLength(zigzag(r));
    countAt[len]!++;
    escapeAt[len]! += varSignedBits(r);
  }
  let best = 0;
  let bestCost = Infinity;
  for (let w = 0; w <= 53; w++) {
    let cost = 0;
    for (let len = 0; len <= 53; len++) {
      cost += len <= w ? countAt[len]! * (1 + w) : countAt[len]! + escapeAt[len]!;
    }
    if (cost < bestCost) {
      bestCost = cost;
      best = w;
    }
  }
  return best;
}

/**
 * Packed residuals in one of two layouts, whichever is smaller: frame of reference (every
 * residual minus the smallest, in the width of the largest difference: no per-value flag, and
 * no sign bit wasted on a counter's always-positive deltas), or zigzag in a fixed width with a
 * one-bit escape for outliers.
 */
function writePacked(w: BitWriter, vs: ArrayLike<number>, n: number, scale: number, dod: boolean): void {
  const res = residuals(vs, n, scale, dod);
  let min = Infinity;
  let max = -Infinity;
  for (const r of res) {
    if (r < min) min = r;
    if (r > max) max = r;
  }
  const forWidth = res.length === 0 ? 0 : bitLength(max - min);
  const escWidth = bestWidth(res);
  let escCost = 0;
  for (const r of res) escCost += bitLength(zigzag(r)) <= escWidth ? 1 + escWidth : 1 + varSignedBits(r);
  const frameOfReference = forWidth <= 53 && res.length * forWidth + varSignedBits(min) <= escCost;
  w.writeBits(dod ? 1 : 0, 1);
  w.writeBits(frameOfReference ? 1 : 0, 1);
  writeVarSigned(w, Math.round(vs[0]! * POW10[scale]!));
  if (frameOfReference) {
    w.writeBits(forWidth, 6);
    if (res.length > 0) writeVarSigned(w, min);
    for (const r of res) w.writeUint(r - min, forWidth);
    return;
  }
  w.writeBits(escWidth, 6);
  const limit = 2 ** escWidth;
  for (const r of res) {
    const z = zigzag(r);
    if (z < limit) {
      w.writeBits(0, 1);
      w.writeUint(z, escWidth);
    } else {
      w.writeBits(1, 1);
      writeVarSigned(w, r);
    }
  }
}

function readPacked(r: BitReader, out: Float64Array, n: number, scale: number): void {
  const dod = r.readBit() === 1;
  const frameOfReference = r.readBit() === 1;
  const p = POW10[scale]!;
  let prev = readVarSigned(r);
  out[0] = prev / p;
  const width = r.readBits(6);
  const base = frameOfReference && n > 1 ? readVarSigned(r) : 0;
  let prevDelta = 0;
  for (let i = 1; i < n; i++) {
    let res: number;
    if (frameOfReference) res = base + r.readUint(width);
    else res = r.readBit() === 0 ? unzigzag(r.readUint(width)) : readVarSigned(r);
    const delta = dod ? prevDelta + res : res;
    prev += delta;
    prevDelta = delta;
    out[i] = prev / p;
  }
}

export function writeValues(w: BitWriter, vs: ArrayLike<number>, n: number): void {
  if (n === 0) return;
  const scale = decimalScale(vs, n);
  if (scale < 0) {
    w.writeBits(ValueCodec.Xor, 2);
    w.writeBits(0, 3);
    writeXor(w, vs, n);
    return;
  }
  let best: BitWriter | undefined;
  let bestCodec = ValueCodec.Xor;
  const candidates: Array<[ValueCodec, (s: BitWriter) => void]> = [
    [ValueCodec.Xor, (s) => writeXor(s, vs, n)],
    [ValueCodec.DecimalDelta, (s) => writeDecimal(s, vs, n, scale, false)],
    [ValueCodec.DecimalDeltaOfDelta, (s) => writeDecimal(s, vs, n, scale, true)],
    [ValueCodec.DecimalPacked, (s) => writePacked(s, vs, n, scale, false)],
    [ValueCodec.DecimalPacked, (s) => writePacked(s, vs, n, scale, true)],
  ];
  for (const [codec, encode] of candidates) {
    const s = new BitWriter(64);
    encode(s);
    if (!best || s.bitLength < best.bitLength) {
      best = s;
      bestCodec = codec;
    }
  }
  w.writeBits(bestCodec, 2);
  w.writeBits(bestCodec === ValueCodec.Xor ? 0 : scale, 3);
  w.append(best!);
}

export function readValues(r: BitReader, out: Float64Array, n: number): void {
  if (n === 0) return;
  const codec = r.readBits(2) as ValueCodec;
  const scale = r.readBits(3);
  switch (codec) {
    case ValueCodec.Xor:
      readXor(r, out, n);
      return;
    case ValueCodec.DecimalDelta:
      readDecimal(r, out, n, scale, false);
      return;
    case ValueCodec.DecimalDeltaOfDelta:
      readDecimal(r, out, n, scale, true);
      return;
    case ValueCodec.DecimalPacked:
      readPacked(r, out, n, scale);
      return;
    default:
      throw new RangeError(`unknown value codec ${codec as number}`);
  }
}

/**
 * Bit-level writer and reader for the chunk codecs. Values wider than 32 bits are written as
 * a high and a low part because JavaScript's bitwise operators work on 32-bit integers.
 */

const TWO_32 = 0x1_0000_0000;

export class BitWriter {
  private buf: Uint8Array;
  private pos = 0;
  private cur = 0;
  private used = 0;

  constructor(initialBytes = 64) {
    this.buf = new Uint8Array(initialBytes);
  }

  /** Number of bits written so far. */
  get bitLength(): number {
    return this.pos * 8 + this.used;
  }

  writeBit(b: number): void {
    this.writeBits(b, 1);
  }

  /** Writes the low `n` bits of `v` (0 <= n <= 32), most significant first. */
  writeBits(v: number, n: number): void {
    while (n > 0) {
      const free = 8 - this.used;
      const take = n < free ? n : free;
      n -= take;
      const chunk = (v >>> n) & ((1 << take) - 1);
      this.cur |= chunk << (free - take);
      this.used += take;
      if (this.used === 8) {
        this.pushByte(this.cur);
        this.cur = 0;
        this.used = 0;
      }
    }
  }

  /** Writes a non-negative integer below 2^n (n <= 53) given as a plain number. */
  writeUint(v: number, n: number): void {
    if (n <= 32) {
      this.writeBits(v >>> 0, n);
      return;
    }
    const hi = Math.floor(v / TWO_32);
    this.writeBits(hi, n - 32);
    this.writeBits(v - hi * TWO_32, 32);
  }

  /** Writes the low `n` bits (n <= 64) of the 64-bit value hi:lo. */
  write64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  /** Appends every bit written to `other`. */
  append(other: BitWriter): void {
    for (let i = 0; i < other.pos; i++) this.writeBits(other.buf[i]!, 8);
    if (other.used > 0) this.writeBits(other.cur >>> (8 - other.used), other.used);
  }

  /** The written bytes, the last one zero-padded. */
  finish(): Uint8Array {
    if (this.used > 0) {
      this.pushByte(this.cur);
      this.cur = 0;
      this.used = 0;
    }
    return this.buf.subarray(0, this.pos);
  }

  private pushByte(b: number): void {
    if (this.pos === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.pos++] = b;
  }
}

export class BitReader {
  /** Absolute position of the next bit. */
  private pos: number;
  private readonly limit: number;

  constructor(
    private readonly buf: Uint8Array,
    startByte = 0
  ) {
    this.pos = startByte * 8;
    this.limit = buf.length * 8;
  }

  /** Moves to an absolute bit position. */
  seek(bit: number): void {
    this.pos = bit;
  }

  /** Absolute position of the next bit. */
  get bitPosition(): number {
    return this.pos;
  }

  /** Byte offset just after the last bit read, rounded up. */
  get byteEnd(): number {
    return Math.ceil(this.pos / 8);
  }

  readBit(): number {
    const p = this.pos;
    if (p >= this.limit) throw new RangeError('chunk truncated');
    this.pos = p + 1;
    return (this.buf[p >>> 3]! >>> (7 - (p & 7))) & 1;
  }

  /**
   * Reads `n` bits (n <= 32) as an unsigned integer: the 40 bits around the position are
   * assembled in two words and the wanted ones shifted out, rather than looping per byte.
   */
  readBits(n: number): number {
    if (n === 0) return 0;
    const p = this.pos;
    if (p + n > this.limit) throw new RangeError('chunk truncated');
    this.pos = p + n;
    const b = this.buf;
    const i = p >>> 3;
    const shift = p & 7;
    const hi = (((b[i] ?? 0) << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>> 0;
    const top = (hi << shift) >>> 0;
    if (n <= 32 - shift) return top >>> (32 - n);
    const fromLo = n - (32 - shift);
    return ((top >>> (32 - n)) | ((b[i + 4] ?? 0) >>> (8 - fromLo))) >>> 0;
  }

  /** The next 32 bits without consuming them; bits past the end read as zeros. */
  peek32(): number {
    const p = this.pos;
    const b = this.buf;
    const i = p >>> 3;
    const shift = p & 7;
    const hi = (((b[i] ?? 0) << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>> 0;
    return shift === 0 ? hi : ((hi << shift) | ((b[i + 4] ?? 0) >>> (8 - shift))) >>> 0;
  }

  skip(n: number): void {
    if (this.pos + n > this.limit) throw new RangeError('chunk truncated');
    this.pos += n;
  }

  readUint(n: number): number {
    if (n <= 32) return this.readBits(n);
    const hi = this.readBits(n - 32);
    return hi * TWO_32 + this.readBits(32);
  }
}

/** Zigzag for integers up to 2^52 in magnitude, in float arithmetic (bitwise ops stop at 32 bits). */
export function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

export function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

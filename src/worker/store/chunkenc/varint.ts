/** LEB128 unsigned varints for byte-aligned headers (lengths, counts, series ids). */

export function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** Returns [value, offset after it]. */
export function readVarint(buf: Uint8Array, off: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (;;) {
    if (off >= buf.length) throw new RangeError('varint truncated');
    const b = buf[off++]!;
    v += (b & 0x7f) * mul;
    if (b < 0x80) return [v, off];
    mul *= 0x80;
    if (mul > 2 ** 56) throw new RangeError('varint too long');
  }
}

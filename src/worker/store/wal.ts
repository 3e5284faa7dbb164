/**
 * Write-ahead log: every batch the store accepts is appended here and fsynced before the
 * writer is told it is safe. Segments are numbered files in `<dataDir>/wal/`; a checkpoint
 * rotates to a new segment, persists the head, then removes the segments it covers.
 *
 * Group commit: appends made while an fsync is in flight share the next one, so the cost of
 * fdatasync is paid once per batch of writers, not per writer. Both the write and the fsync
 * run on libuv's thread pool and never block the event loop.
 *
 * Record framing: u32 payload length, u32 CRC-32 of type and payload, u8 type, payload.
 * A torn or corrupt record ends replay of its segment: what follows it was never acknowledged.
 */
import { crc32 } from 'node:zlib';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const HEADER_BYTES = 9;
const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

interface Batch {
  fd: number;
  bufs: Buffer[];
  bytes: number;
  waiters: Array<{ resolve: () => void; reject: (e: Error) => void }>;
  /** Close fd after this batch: the segment was rotated away. */
  closeAfter: boolean;
}

export interface WalOptions {
  segmentBytes?: number;
  /** Called with the duration of every write+fdatasync, seconds. */
  onCommit?: (seconds: number, bytes: number) => void;
}

export function segmentName(n: number): string {
  return String(n).padStart(10, '0') + '.wal';
}

export function listSegments(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{10}\.wal$/.test(f))
    .map((f) => parseInt(f, 10))
    .sort((a, b) => a - b);
}

export function frame(type: number, payload: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  buf.writeUInt32LE(payload.length, 0);
  buf[8] = type;
  buf.set(payload, HEADER_BYTES);
  buf.writeUInt32LE(crc32(buf.subarray(8)), 4);
  return buf;
}

/**
 * Reads the records of one segment in order. Returns the number of valid bytes; a caller
 * seeing fewer than the file's size knows the tail was torn.
 */
export function readSegment(file: string, onRecord: (type: number, payload: Buffer) => void): number {
  const data = fs.readFileSync(file);
  let off = 0;
  while (off + HEADER_BYTES <= data.length) {
    const len = data.readUInt32LE(off);
    const end = off + HEADER_BYTES + len;
    if (end > data.length) break;
    const sum = data.readUInt32LE(off + 4);
    if (crc32(data.subarray(off + 8, end)) !== sum) break;
    onRecord(data[off + 8]!, data.subarray(off + HEADER_BYTES, end));
    off = end;
  }
  return off;
}

export class Wal {
  private current: Batch;
  private readonly queue: Batch[] = [];
  private writing = false;
  private segment: number;
  private segmentSize = 0;
  private readonly segmentBytes: number;
  private totalBytes = 0;
  private failed: Error | undefined;

  private constructor(
    readonly dir: string,
    firstSegment: number,
    existingBytes: number,
    private readonly opts: WalOptions
  ) {
    this.segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.segment = firstSegment;
    this.totalBytes = existingBytes;
    this.current = this.newBatch(this.openSegment(firstSegment));
  }

  /** Opens the log for writing in a fresh segment after every existing one. */
  static open(dir: string, opts: WalOptions = {}): Wal {
    fs.mkdirSync(dir, { recursive: true });
    const segs = listSegments(dir);
    let bytes = 0;
    for (const s of segs) bytes += fs.statSync(path.join(dir, segmentName(s))).size;
    return new Wal(dir, (segs.at(-1) ?? 0) + 1, bytes, opts);
  }

  /** Segment receiving appends now. */
  get activeSegment(): number {
    return this.segment;
  }

  /** Bytes in all live segments, including appends not yet written. */
  get size(): number {
    return this.totalBytes;
  }

  /** Bytes appended but not yet durable: the backlog producers are throttled on. */
  get pendingBytes(): number {
    let n = this.current.bytes;
    for (const b of this.queue) n += b.bytes;
    return n;
  }

  /** Appends a framed record; durable once a later (or the returned) commit resolves. */
  append(record: Buffer): void {
    this.current.bufs.push(record);
    this.current.bytes += record.length;
    this.segmentSize += record.length;
    this.totalBytes += record.length;
  }

  /** Resolves when everything appended so far is on disk. */
  commit(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    const batch = this.current;
    const p = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (this.segmentSize >= this.segmentBytes) {
      this.rotate();
    } else if (batch.bytes > 0 || this.writing) {
      this.queue.push(batch);
      this.current = this.newBatch(batch.fd);
    } else {
      batch.waiters.pop()!.resolve();
      return p;
    }
    this.pump();
    return p;
  }

  /**
   * Starts a new segment and returns the number of the one just closed: every record
   * appended before this call lives in a segment numbered at most that.
   */
  rotate(): number {
    const closed = this.segment;
    const batch = this.current;
    batch.closeAfter = true;
    this.queue.push(batch);
    this.segment++;
    this.segmentSize = 0;
    this.current = this.newBatch(this.openSegment(this.segment));
    this.pump();
    return closed;
  }

  /** Deletes segments numbered at most `upTo` (their content is checkpointed). */
  removeUpTo(upTo: number): void {
    for (const s of listSegments(this.dir)) {
      if (s > upTo || s >= this.segment) continue;
      const file = path.join(this.dir, segmentName(s));
      this.totalBytes -= fs.statSync(file).size;
      fs.unlinkSync(file);
    }
    if (this.totalBytes < 0) this.totalBytes = 0;
  }

  async close(): Promise<void> {
    await this.commit();
    this.current.closeAfter = true;
    this.queue.push(this.current);
    this.pump();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (!this.writing && this.queue.length === 0) resolve();
        else setTimeout(check, 1);
      };
      check();
    });
  }

  private newBatch(fd: number): Batch {
    return { fd, bufs: [], bytes: 0, waiters: [], closeAfter: false };
  }

  private openSegment(n: number): number {
    const fd = fs.openSync(path.join(this.dir, segmentName(n)), 'a');
    // The new file's directory entry must survive a crash too.
    const dfd = fs.openSync(this.dir, 'r');
    fs.fsyncSync(dfd);
    fs.closeSync(dfd);
    return fd;
  }

  private pump(): void {
    if (this.writing) return;
    const batch = this.queue.shift();
    if (!batch) return;
    this.writing = true;
    const started = process.hrtime.bigint();
    const done = (err: Error | null): void => {
      if (err) {
        this.failed = err;
        for (const w of batch.waiters) w.reject(err);
      } else {
        const secs = Number(process.hrtime.bigint() - started) / 1e9;
        if (batch.bytes > 0) this.opts.onCommit?.(secs, batch.bytes);
        for (const w of batch.waiters) w.resolve();
      }
      const finish = (): void => {
        this.writing = false;
        this.pump();
      };
      if (batch.closeAfter) fs.close(batch.fd, () => finish());
      else finish();
    };
    if (batch.bytes === 0) {
      done(null);
      return;
    }
    const data = batch.bufs.length === 1 ? batch.bufs[0]! : Buffer.concat(batch.bufs, batch.bytes);
    writeAll(batch.fd, data, 0, (err) => {
      if (err) return done(err);
      fs.fdatasync(batch.fd, (e) => done(e));
    });
  }
}

function writeAll(fd: number, data: Buffer, off: number, cb: (err: Error | null) => void): void {
  fs.write(fd, data, off, data.length - off, null, (err, n) => {
    if (err) return cb(err);
    if (off + n < data.length) writeAll(fd, data, off + n, cb);
    else cb(null);
  });
}

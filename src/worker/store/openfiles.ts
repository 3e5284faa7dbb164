/**
 * Block files kept open for reading. A read over a month touches some eighty files; opening and closing each one
 * through libuv's thread pool cost as much as reading it. At most `max` descriptors stay open, the least recently
 * used closed first, and a descriptor in use is never closed under its reader.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';

const open = promisify(fs.open);
const close = promisify(fs.close);
const read = promisify(fs.read);

interface Entry {
  fd: Promise<number>;
  users: number;
  /** Evicted or forgotten while in use: closed when its last reader is done. */
  closing: boolean;
}

export class OpenFiles {
  /** In order of last use, oldest first (a Map keeps insertion order; a use re-inserts). */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly max = 128) {}

  /** Runs `fn` with a descriptor of `file` open for reading. */
  async use<T>(file: string, fn: (fd: number) => Promise<T>): Promise<T> {
    let e = this.entries.get(file);
    if (e) this.entries.delete(file);
    else e = { fd: open(file, 'r'), users: 0, closing: false };
    this.entries.set(file, e);
    e.users++;
    this.evict();
    try {
      return await fn(await e.fd);
    } catch (err) {
      // A failed open is not kept: the next use tries again.
      if (this.entries.get(file) === e) {
        await e.fd.catch(() => {
          this.entries.delete(file);
        });
      }
      throw err;
    } finally {
      e.users--;
      if (e.closing && e.users === 0) this.release(e);
    }
  }

  /** The file is being removed: its descriptor is closed once no read uses it, so its space is freed. */
  forget(file: string): void {
    const e = this.entries.get(file);
    if (!e) return;
    this.entries.delete(file);
    this.retire(e);
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.fd.then((fd) => close(fd)).catch(() => undefined)));
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const [file, e] of this.entries) {
      if (this.entries.size <= this.max) return;
      this.entries.delete(file);
      this.retire(e);
    }
  }

  private retire(e: Entry): void {
    if (e.users === 0) this.release(e);
    else e.closing = true;
  }

  private release(e: Entry): void {
    void e.fd.then((fd) => close(fd)).catch(() => undefined);
  }
}

/** Reads exactly `length` bytes at `position` (a regular file may answer a read with fewer). */
export async function readAt(fd: number, buf: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await read(fd, buf, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
}

/**
 * Block files: immutable files of compressed chunks for one level and one time partition.
 *
 *   "MCB1" | chunk bytes ... | index | u32 index length | "MCB1"
 *
 * The index lists, per chunk, its series id, whether it holds raw samples or rollup rows,
 * its byte range and its time range, so a reader loads only the footer to know what is where.
 * Files are written to a temporary name, fsynced and renamed: a file either exists whole or not.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readVarint, writeVarint } from './chunkenc/varint';
import { type OpenFiles, readAt } from './openfiles';

const MAGIC = Buffer.from('MCB1');
/** Chunks closer than this are read together: reading the gap costs less than another read. */
const COALESCE_GAP = 64 * 1024;

export const enum ChunkKind {
  Scalar = 0,
  Aggregate = 1,
}

export interface IndexEntry {
  seriesId: number;
  kind: ChunkKind;
  offset: number;
  length: number;
  minT: number;
  maxT: number;
}

export class BlockWriter {
  private readonly parts: Uint8Array[] = [MAGIC];
  private offset = MAGIC.length;
  readonly entries: IndexEntry[] = [];

  add(seriesId: number, kind: ChunkKind, minT: number, maxT: number, bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.entries.push({ seriesId, kind, offset: this.offset, length: bytes.length, minT, maxT });
    this.offset += bytes.length;
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** Writes the file durably; returns its size in bytes. */
  async write(file: string): Promise<number> {
    const idx: number[] = [];
    writeVarint(idx, this.entries.length);
    for (const e of this.entries) {
      writeVarint(idx, e.seriesId);
      idx.push(e.kind);
      writeVarint(idx, e.offset);
      writeVarint(idx, e.length);
      writeVarint(idx, e.minT);
      writeVarint(idx, e.maxT - e.minT);
    }
    const tail = Buffer.allocUnsafe(8);
    tail.writeUInt32LE(idx.length, 0);
    MAGIC.copy(tail, 4);
    const data = Buffer.concat([...this.parts, Buffer.from(idx), tail]);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const tmp = file + '.tmp';
    const fh = await fs.promises.open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, file);
    await fsyncDir(path.dirname(file));
    return data.length;
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The footer of a block file: chunk locations per series. */
export class BlockIndex {
  private constructor(
    readonly file: string,
    readonly bySeries: Map<number, IndexEntry[]>,
    readonly bytes: number,
    private readonly openFiles: OpenFiles
  ) {}

  static async load(file: string, openFiles: OpenFiles): Promise<BlockIndex> {
    const size = (await fs.promises.stat(file)).size;
    return openFiles.use(file, async (fd) => {
      const tail = Buffer.alloc(8);
      await readAt(fd, tail, 8, size - 8);
      if (!tail.subarray(4).equals(MAGIC)) throw new Error(`${file}: not a block file`);
      const len = tail.readUInt32LE(0);
      const idx = Buffer.alloc(len);
      await readAt(fd, idx, len, size - 8 - len);
      const bySeries = new Map<number, IndexEntry[]>();
      let [n, off] = readVarint(idx, 0);
      for (; n > 0; n--) {
        let seriesId: number, offset: number, length: number, minT: number, span: number;
        [seriesId, off] = readVarint(idx, off);
        const kind = idx[off++] as ChunkKind;
        [offset, off] = readVarint(idx, off);
        [length, off] = readVarint(idx, off);
        [minT, off] = readVarint(idx, off);
        [span, off] = readVarint(idx, off);
        const e: IndexEntry = { seriesId, kind, offset, length, minT, maxT: minT + span };
        const list = bySeries.get(seriesId);
        if (list) list.push(e);
        else bySeries.set(seriesId, [e]);
      }
      return new BlockIndex(file, bySeries, size, openFiles);
    });
  }

  /**
   * Reads the given chunks (answers in the order asked), merging chunks that lie close together
   * into one read: a query over many series wants most of a file, and one large read costs far
   * less than thousands of small ones.
   */
  readChunks(entries: IndexEntry[]): Promise<Buffer[]> {
    const order = entries.map((e, i) => i).sort((a, b) => entries[a]!.offset - entries[b]!.offset);
    const out = new Array<Buffer>(entries.length);
    return this.openFiles.use(this.file, async (fd) => {
      let i = 0;
      while (i < order.length) {
        const first = entries[order[i]!]!;
        let end = first.offset + first.length;
        let j = i + 1;
        while (j < order.length) {
          const e = entries[order[j]!]!;
          if (e.offset - end > COALESCE_GAP) break;
          end = Math.max(end, e.offset + e.length);
          j++;
        }
        const buf = Buffer.allocUnsafe(end - first.offset);
        await readAt(fd, buf, buf.length, first.offset);
        for (let k = i; k < j; k++) {
          const e = entries[order[k]!]!;
          out[order[k]!] = buf.subarray(e.offset - first.offset, e.offset - first.offset + e.length);
        }
        i = j;
      }
      return out;
    });
  }
}

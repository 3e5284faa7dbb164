/**
 * The manifest names every live block file and the last WAL segment whose content those
 * files hold. It is replaced atomically, so a crash leaves either the old or the new set:
 * block files not listed are leftovers of an unfinished checkpoint or compaction and are
 * deleted at startup, and WAL segments after `walSegment` are replayed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsyncDir } from './blockfile';

export interface BlockFileMeta {
  /** Path relative to the blocks directory. */
  name: string;
  level: number;
  partition: number;
  bytes: number;
}

export interface ManifestData {
  version: 1;
  /** Sequence of the last checkpoint or compaction; names new files uniquely. */
  seq: number;
  walSegment: number;
  files: BlockFileMeta[];
  /**
   * Raw partitions starting before this time are rolled up into the coarser levels; later ones are not yet, and reads
   * at a coarser level aggregate their raw samples. Absent in manifests written before rollups were deferred, whose
   * rollups were all written with the raw samples.
   */
  rolledBefore?: number;
}

export function emptyManifest(): ManifestData {
  return { version: 1, seq: 0, walSegment: 0, files: [], rolledBefore: 0 };
}

export function readManifest(dir: string): ManifestData {
  const file = path.join(dir, 'MANIFEST');
  if (!fs.existsSync(file)) return emptyManifest();
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as ManifestData;
  if (m.version !== 1) throw new Error(`${file}: unsupported manifest version ${String(m.version)}`);
  return m;
}

export async function writeManifest(dir: string, m: ManifestData): Promise<void> {
  const file = path.join(dir, 'MANIFEST');
  const tmp = file + '.tmp';
  const fh = await fs.promises.open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(m));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, file);
  await fsyncDir(dir);
}

/** Removes block files (and temporaries) the manifest does not list. */
export function removeUnlisted(dir: string, m: ManifestData): number {
  const listed = new Set(m.files.map((f) => f.name));
  let removed = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const levelDir of fs.readdirSync(dir)) {
    const full = path.join(dir, levelDir);
    if (!fs.statSync(full).isDirectory()) {
      if (levelDir === 'MANIFEST.tmp') fs.unlinkSync(full);
      continue;
    }
    for (const f of fs.readdirSync(full)) {
      const rel = path.join(levelDir, f);
      if (!listed.has(rel)) {
        fs.unlinkSync(path.join(full, f));
        removed++;
      }
    }
  }
  return removed;
}

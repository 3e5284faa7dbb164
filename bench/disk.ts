/**
 * Bytes per sample on disk: `series` series × `points` points at 10 s (full size: 10,000 × 8,640 = one day,
 * 86.4M samples) sent to the worker over Graphite TCP with timestamps in the past day.
 *
 * Worker: stopped with SIGTERM (it checkpoints the head into block files on close), then measured; then its
 * background compaction is run to the end with the worker's own store code in this process (the running worker
 * does the same, one partition every 30 s), and measured again; then once more with the store's clock set
 * `rollupAfter` + 2 h later, when every partition of the day has been rolled up into the 1m and 1h levels. Figures are bytes allocated on disk (du) of
 * `blocks/` (raw samples plus the 1m and 1h rollup levels of the default schema) and `wal/`, divided by the
 * samples sent; the SQLite catalog (series names and labels) is reported beside them.
 *
 * Whisper: one file per series as carbon-cache creates them (fallocate, not sparse), for a retention of exactly
 * the data's span at 10 s (the smallest whisper that holds the day: 12 bytes a point plus a header), measured
 * with du. A whisper file's size is fixed at creation, whatever is written into it: the generator's values are
 * written into the first `whisperWritten` files (to show that), the others are created empty. With the worker's
 * default retention (10s:7d,1m:90d,1h:5y) a file is far larger; that size is probed from one real file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { openCatalog } from '../src/worker/catalog/db';
import { loadConfig } from '../src/worker/config/load';
import { compileStorageRules } from '../src/worker/config/schema';
import { TimeSeriesStore } from '../src/worker/store/db';
import { blast } from './blast';
import { graphiteSeriesNames, graphiteSenders } from './generator';
import { WORKER_DEFAULT_RETENTIONS } from './graphite';
import {
  Contention,
  DEBIAN_PYTHON,
  ROOT,
  apparentSize,
  cpuSeconds,
  diskUsage,
  log,
  removeDir,
  rssBytes,
  startWorker,
  tempDir,
  waitQuiet,
} from './procs';

export interface DiskOptions {
  series: number;
  points: number;
  senders: number;
  whisperWritten: number;
  profileDir?: string;
}

export interface StoreSize {
  /** Allocated bytes per level directory of blocks/ (0 = raw). */
  levels: Record<string, number>;
  blocks: number;
  wal: number;
  catalog: number;
  blockFiles: number;
}

export interface DiskResult {
  series: number;
  points: number;
  samples: number;
  load: {
    seconds: number;
    pointsPerS: number;
    cpu: number;
    rssBytes: number;
    window: { fromS: number; toS: number };
    othersCores: number;
  };
  stopSeconds: number;
  checkpointed: StoreSize;
  compacted: StoreSize & { rounds: number; seconds: number };
  /** The same day once rolled up: the store's clock `rollupAfterHours` + 2 h later. */
  rolledUp: StoreSize & { rounds: number; seconds: number; rollupAfterHours: number };
  whisper: {
    retentions: string;
    allocated: number;
    apparent: number;
    files: number;
    written: number;
    seconds: number;
  };
  whisperDefault: { retentions: string; perFileAllocated: number; perFileApparent: number };
  profileDir?: string;
}

function storeSize(dataDir: string): StoreSize {
  const blocksDir = join(dataDir, 'blocks');
  const levels: Record<string, number> = {};
  let blockFiles = 0;
  for (const entry of readdirSync(blocksDir)) {
    const p = join(blocksDir, entry);
    if (statSync(p).isDirectory()) {
      levels[entry] = diskUsage(p);
      blockFiles += readdirSync(p).filter((f) => f.endsWith('.blk')).length;
    }
  }
  const catalog = readdirSync(dataDir)
    .filter((f) => f.startsWith('catalog.db'))
    .reduce((n, f) => n + diskUsage(join(dataDir, f)), 0);
  return { levels, blocks: diskUsage(blocksDir), wal: diskUsage(join(dataDir, 'wal')), catalog, blockFiles };
}

/** Block files the manifest lists (files it no longer lists are unlinked after a grace period). */
function liveBlockFiles(dataDir: string): number {
  return (JSON.parse(readFileSync(join(dataDir, 'blocks', 'MANIFEST'), 'utf8')) as { files: unknown[] }).files.length;
}

/**
 * Runs the store's background compaction to the end, with the worker stopped: the running worker does the same
 * work, one partition per maintenance round (every 30 s). Replaced files are unlinked at once (no grace period:
 * nothing reads them), and the store is opened once more at the end, which removes any file the manifest does
 * not list, so that du sees only live files.
 */
async function compactOffline(dataDir: string, laterMs = 0): Promise<{ rounds: number; seconds: number }> {
  const started = Date.now();
  const config = loadConfig({ env: {}, flags: { dataDir } });
  const rules = compileStorageRules(config.storage);
  let db = openCatalog(dataDir);
  const now = (): number => Date.now() + laterMs;
  const store = await TimeSeriesStore.open({ dataDir, db, rules, removedFileGraceMs: 0, now });
  let rounds = 0;
  for (let before = liveBlockFiles(dataDir); ; rounds++) {
    await store.maintain();
    const after = liveBlockFiles(dataDir);
    if (after === before) {
      break;
    }
    before = after;
  }
  await store.close();
  db.close();
  db = openCatalog(dataDir);
  await (await TimeSeriesStore.open({ dataDir, db, rules })).close();
  db.close();
  return { rounds, seconds: (Date.now() - started) / 1000 };
}

export async function runDisk(opts: DiskOptions): Promise<DiskResult> {
  const samples = opts.series * opts.points;
  const startS = Math.floor(Date.now() / 1000 / 10) * 10 - opts.points * 10;
  const dir = tempDir('disk');
  const dataDir = join(dir, 'data');

  // ---- the worker ----
  const w = await startWorker({ dataDir, profileDir: opts.profileDir });
  const senders = graphiteSenders({ series: opts.series, startS, points: opts.points }, opts.senders);
  // The first sender's first series are the fleet's first series: keep their values for whisper.
  const recorder = graphiteSenders(
    { series: opts.series, startS, points: opts.points, record: opts.whisperWritten },
    opts.senders
  )[0]!;
  senders[0] = recorder;
  await waitQuiet('disk');
  log(
    `disk: sending ${opts.series} series × ${opts.points} points (${(samples / 1e6).toFixed(1)}M samples) to the worker`
  );
  const cpu0 = cpuSeconds(w.pid);
  const contention = new Contention();
  const fromS = (Date.now() - w.spawnedAt) / 1000;
  const r = await blast(
    w.graphitePort,
    senders.map((g) => () => g.next())
  );
  const toS = (Date.now() - w.spawnedAt) / 1000;
  const cpu = (cpuSeconds(w.pid) - cpu0) / r.seconds;
  const othersCores = contention.othersCores();
  const rss = rssBytes(w.pid);
  log(`disk: ${samples} samples durable in ${r.seconds.toFixed(1)} s = ${Math.round(samples / r.seconds)}/s`);
  const stopStarted = Date.now();
  await w.stop();
  const stopSeconds = (Date.now() - stopStarted) / 1000;
  const checkpointed = storeSize(dataDir);
  log(`disk: after the shutdown checkpoint (${stopSeconds.toFixed(1)} s): ${JSON.stringify(checkpointed)}`);
  const c = await compactOffline(dataDir);
  const compacted = { ...storeSize(dataDir), ...c };
  log(`disk: after compaction (${c.rounds} rounds, ${c.seconds.toFixed(1)} s): ${JSON.stringify(compacted)}`);
  const after = compileStorageRules(loadConfig({ env: {}, flags: { dataDir } }).storage).rollupAfterMs;
  const rc = await compactOffline(dataDir, after + 2 * 3_600_000);
  const rolledUp = { ...storeSize(dataDir), ...rc, rollupAfterHours: after / 3_600_000 };
  log(`disk: rolled up (${rc.rounds} rounds, ${rc.seconds.toFixed(1)} s): ${JSON.stringify(rolledUp)}`);
  removeDir(dir);

  // ---- whisper ----
  const wdir = tempDir('whisper');
  const namesFile = join(wdir, 'names.txt');
  const valuesFile = join(wdir, 'values.f64');
  writeFileSync(namesFile, graphiteSeriesNames(opts.series).join('\n') + '\n');
  writeFileSync(valuesFile, Buffer.from(recorder.recorded.buffer));
  const retentions = `10s:${opts.points}`;
  const script = join(ROOT, 'bench/whisper_fill.py');
  const root = join(wdir, 'whisper');
  log(`disk: creating ${opts.series} whisper files (${retentions}), writing the data of ${opts.whisperWritten}`);
  const fill = JSON.parse(
    execFileSync(
      DEBIAN_PYTHON,
      [script, 'fill', root, retentions, namesFile, valuesFile, String(opts.points), String(startS), '10'],
      { encoding: 'utf8' }
    )
  ) as { files: number; written: number; seconds: number };
  const whisper = {
    retentions,
    allocated: diskUsage(root),
    apparent: apparentSize(root),
    ...fill,
  };
  const probe = JSON.parse(
    execFileSync(DEBIAN_PYTHON, [script, 'probe', wdir, WORKER_DEFAULT_RETENTIONS], { encoding: 'utf8' })
  ) as { apparent: number; allocated: number };
  removeDir(wdir);
  log(`disk: whisper ${JSON.stringify(whisper)}`);
  return {
    series: opts.series,
    points: opts.points,
    samples,
    load: {
      seconds: r.seconds,
      pointsPerS: samples / r.seconds,
      cpu,
      rssBytes: rss,
      window: { fromS, toS },
      othersCores,
    },
    stopSeconds,
    checkpointed,
    compacted,
    rolledUp,
    whisper,
    whisperDefault: {
      retentions: WORKER_DEFAULT_RETENTIONS,
      perFileAllocated: probe.allocated,
      perFileApparent: probe.apparent,
    },
    profileDir: opts.profileDir,
  };
}

/**
 * Resident memory per active series: RSS growth of the server after `series` new series received `points`
 * points each over Graphite TCP, divided by the number of series.
 *
 * Both servers first get a small warm-up load (other series), so that code loading and first allocations are
 * in the baseline; the baseline is the RSS after it, the figure the RSS a few seconds after the load.
 *
 * - worker: measured once every connection was closed (all points durable), with the series in its catalog
 *   and their samples in its head (memory) until the next checkpoint. Then a heap snapshot (SIGUSR2 with
 *   --heapsnapshot-signal) forces a full garbage collection: the V8 heap used after it, less the baseline's,
 *   is the live heap per series, and the snapshot says which objects hold it.
 * - carbon-cache: measured once all points were received (held in its cache) and again once all were written
 *   to whisper (cache drained, the steady state of a carbon that keeps up). Its whisper files use a small
 *   retention (10s:1h) only to keep the disk use of 100k files down; carbon keeps no per-file state in memory.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { blast } from './blast';
import { graphiteSenders } from './generator';
import { type HeapGroup, summarizeHeapSnapshot } from './heapsnapshot';
import { type Worker, log, metricValue, removeDir, rssBytes, sleep, startCarbon, startWorker, tempDir } from './procs';

export interface MemoryOptions {
  series: number;
  points: number;
  senders: number;
}

export interface MemoryResult {
  series: number;
  points: number;
  worker: {
    baselineRss: number;
    rss: number;
    perSeries: number;
    heapUsedPerSeries: number;
    /** V8 heap used after the full collection of a heap snapshot, growth per series. */
    liveHeapPerSeries: number;
    catalogSeries: number;
    /** The snapshot's largest kinds of objects. */
    heap: { total: number; groups: HeapGroup[] };
  };
  carbon: {
    baselineRss: number;
    rssReceived: number;
    rssCommitted: number;
    perSeriesReceived: number;
    perSeriesCommitted: number;
    committed: number;
    committedSeconds: number;
  };
}

const SETTLE_MS = 3000;
const WARMUP_SERIES = 2000;
/** Hosts of the warm-up load are far from the measured ones, so the series are distinct. */
const WARMUP_FIRST_HOST = 1_000_000;

function loads(opts: MemoryOptions): { warmup: Buffer[][]; main: Buffer[][] } {
  const startS = Math.floor(Date.now() / 1000) - opts.points * 10;
  const warmup = graphiteSenders(
    { series: WARMUP_SERIES, startS, points: opts.points, firstHost: WARMUP_FIRST_HOST },
    opts.senders
  ).map((g) => g.all());
  const main = graphiteSenders({ series: opts.series, startS, points: opts.points }, opts.senders).map((g) => g.all());
  return { warmup, main };
}

async function heapUsed(w: Worker): Promise<number> {
  return metricValue(await w.metrics(), 'mc_nodejs_heap_size_used_bytes');
}

/** Asks the worker for a heap snapshot and resolves with its file once written. */
async function heapSnapshot(w: Worker, dir: string): Promise<string> {
  process.kill(w.pid, 'SIGUSR2');
  // The snapshot is written synchronously: the worker answers again once it is done.
  await sleep(500);
  await w.metrics();
  const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
  if (!file) {
    throw new Error('the worker wrote no heap snapshot');
  }
  for (let size = -1; statSync(join(dir, file)).size !== size; await sleep(200)) {
    size = statSync(join(dir, file)).size;
  }
  return join(dir, file);
}

export async function runMemory(opts: MemoryOptions): Promise<MemoryResult> {
  log(`memory: generating ${opts.series} series × ${opts.points} points`);
  const { warmup, main } = loads(opts);

  const dir = tempDir('memory-worker');
  const w = await startWorker({
    dataDir: join(dir, 'data'),
    nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`],
  });
  await blast(w.graphitePort, warmup);
  await sleep(SETTLE_MS);
  const baselineRss = rssBytes(w.pid);
  const baselineHeap = await heapUsed(w);
  await blast(w.graphitePort, main);
  await sleep(SETTLE_MS);
  const rss = rssBytes(w.pid);
  const heap = await heapUsed(w);
  const catalogSeries = metricValue(await w.metrics(), 'mc_store_series');
  const snapshot = await heapSnapshot(w, dir);
  const liveHeap = await heapUsed(w);
  await w.stop();
  const worker = {
    baselineRss,
    rss,
    perSeries: (rss - baselineRss) / opts.series,
    heapUsedPerSeries: (heap - baselineHeap) / opts.series,
    liveHeapPerSeries: (liveHeap - baselineHeap) / opts.series,
    catalogSeries,
    heap: summarizeHeapSnapshot(snapshot),
  };
  removeDir(dir);
  log(`memory: worker ${JSON.stringify({ ...worker, heap: undefined })}`);

  const cdir = tempDir('memory-carbon');
  const c = await startCarbon(cdir, { retentions: '10s:1h' });
  const warmupPoints = WARMUP_SERIES * opts.points;
  await blast(c.linePort, warmup);
  for (const deadline = Date.now() + 60_000; c.committedPoints() < warmupPoints && Date.now() < deadline;) {
    await sleep(200);
  }
  await sleep(SETTLE_MS);
  const cBaseline = rssBytes(c.pid);
  const t0 = Date.now();
  await blast(c.linePort, main);
  await sleep(SETTLE_MS);
  const rssReceived = rssBytes(c.pid);
  const total = warmupPoints + opts.series * opts.points;
  for (const deadline = Date.now() + 300_000; c.committedPoints() < total && Date.now() < deadline;) {
    await sleep(200);
  }
  const committedSeconds = (Date.now() - t0) / 1000;
  await sleep(SETTLE_MS);
  const rssCommitted = rssBytes(c.pid);
  const committed = c.committedPoints() - warmupPoints;
  await c.stop();
  removeDir(cdir);
  const carbon = {
    baselineRss: cBaseline,
    rssReceived,
    rssCommitted,
    perSeriesReceived: (rssReceived - cBaseline) / opts.series,
    perSeriesCommitted: (rssCommitted - cBaseline) / opts.series,
    committed,
    committedSeconds,
  };
  log(`memory: carbon ${JSON.stringify(carbon)}`);
  return { series: opts.series, points: opts.points, worker, carbon };
}

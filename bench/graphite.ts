/**
 * Graphite plaintext over TCP: points per second, the worker beside carbon-cache, on the same pre-generated
 * lines (a fleet of hosts, split between several sender connections by host, timestamps in the recent past).
 *
 * - worker: first byte sent → every connection closed by the worker. The worker closes a connection only after
 *   all it received on it is durable (WAL fsynced), so this is "points/s acknowledged durable".
 * - carbon, received: first byte → every connection closed by carbon, which it does once it has read and
 *   parsed all the lines into its in-memory cache (nothing on disk yet).
 * - carbon, committed: first byte → the `[updates] wrote N datapoints` log lines (LOG_UPDATES) add up to every
 *   point sent: all points written into whisper files (page cache; whisper never fsyncs).
 */
import { join } from 'node:path';

import { blast } from './blast';
import { graphiteSenders } from './generator';
import {
  Contention,
  type Worker,
  cpuSeconds,
  log,
  metricValue,
  removeDir,
  rssBytes,
  sleep,
  startCarbon,
  startWorker,
  tempDir,
  waitQuiet,
} from './procs';

export const WORKER_DEFAULT_RETENTIONS = '10s:7d,1m:90d,1h:5y';

export interface GraphiteOptions {
  series: number;
  points: number;
  senders: number;
  workerRuns: number;
  /** Also run carbon-cache (default true). */
  carbon?: boolean;
  /** Profile the first worker run into this directory. */
  profileDir?: string;
}

export interface WorkerRun {
  seconds: number;
  pointsPerS: number;
  /** Worker CPU over the run (1 = one core, all threads). */
  cpu: number;
  rssBytes: number;
  accepted: number;
  /** Seconds since the worker was spawned, of the run's start and end (to cut its CPU profile). */
  window: { fromS: number; toS: number };
  profileDir?: string;
  /** CPU other processes on the machine used meanwhile, in cores. */
  othersCores: number;
}

export interface GraphiteResult {
  points: number;
  bytes: number;
  series: number;
  senders: number;
  worker: WorkerRun[];
  carbon?: {
    receivedSeconds: number;
    receivedPerS: number;
    committedSeconds: number;
    committedPerS: number;
    committed: number;
    cpuReceived: number;
    cpuCommitted: number;
    retentions: string;
    othersCores: number;
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function runGraphite(opts: GraphiteOptions): Promise<GraphiteResult> {
  const startS = Math.floor(Date.now() / 1000) - opts.points * 10;
  const points = opts.series * opts.points;
  log(`graphite: generating ${opts.series} series × ${opts.points} points over ${opts.senders} connections`);
  const data = graphiteSenders({ series: opts.series, startS, points: opts.points }, opts.senders).map((g) => g.all());
  const bytes = data.reduce((n, chunks) => n + chunks.reduce((m, c) => m + c.length, 0), 0);

  const worker: WorkerRun[] = [];
  for (let run = 0; run < opts.workerRuns; run++) {
    const dir = tempDir('graphite-worker');
    const profileDir = run === 0 ? opts.profileDir : undefined;
    const w = await startWorker({ dataDir: join(dir, 'data'), profileDir });
    await waitQuiet('graphite worker');
    const r = await measureWorker(w, data, points);
    worker.push({ ...r, profileDir });
    log(
      `graphite: worker run ${run + 1}: ${points} points in ${r.seconds.toFixed(2)} s = ${Math.round(r.pointsPerS)}/s` +
        ` (durable), CPU ${(100 * r.cpu).toFixed(0)}%, RSS ${(r.rssBytes / 2 ** 20).toFixed(0)} MiB,` +
        ` others ${r.othersCores.toFixed(2)} cores`
    );
    await w.stop();
    removeDir(dir);
  }

  if (opts.carbon === false) {
    return { points, bytes, series: opts.series, senders: opts.senders, worker };
  }
  const dir = tempDir('graphite-carbon');
  const carbon = await startCarbon(dir, { retentions: WORKER_DEFAULT_RETENTIONS });
  await waitQuiet('graphite carbon');
  const cpu0 = cpuSeconds(carbon.pid);
  const contention = new Contention();
  const t0 = Date.now();
  const r = await blast(carbon.linePort, data);
  const cpuReceived = (cpuSeconds(carbon.pid) - cpu0) / r.seconds;
  log(
    `graphite: carbon received ${points} points in ${r.seconds.toFixed(2)} s = ${Math.round(points / r.seconds)}/s,` +
      ` CPU ${(100 * cpuReceived).toFixed(0)}%`
  );
  const deadline = t0 + Math.max(120_000, r.seconds * 10_000);
  while (carbon.committedPoints() < points && Date.now() < deadline) {
    await sleep(100);
  }
  const committed = carbon.committedPoints();
  const committedSeconds = (Date.now() - t0) / 1000;
  const cpuCommitted = (cpuSeconds(carbon.pid) - cpu0) / committedSeconds;
  const othersCores = contention.othersCores();
  log(
    `graphite: carbon committed ${committed} of ${points} points to whisper after ${committedSeconds.toFixed(1)} s` +
      ` = ${Math.round(committed / committedSeconds)}/s, others ${othersCores.toFixed(2)} cores`
  );
  await carbon.stop();
  removeDir(dir);
  return {
    points,
    bytes,
    series: opts.series,
    senders: opts.senders,
    worker,
    carbon: {
      receivedSeconds: r.seconds,
      receivedPerS: points / r.seconds,
      committedSeconds,
      committedPerS: committed / committedSeconds,
      committed,
      cpuReceived,
      cpuCommitted,
      retentions: WORKER_DEFAULT_RETENTIONS,
      othersCores,
    },
  };
}

async function measureWorker(w: Worker, data: Buffer[][], points: number): Promise<Omit<WorkerRun, 'profileDir'>> {
  const cpu0 = cpuSeconds(w.pid);
  const contention = new Contention();
  const fromS = (Date.now() - w.spawnedAt) / 1000;
  const r = await blast(w.graphitePort, data);
  const othersCores = contention.othersCores();
  const toS = (Date.now() - w.spawnedAt) / 1000;
  const cpu = (cpuSeconds(w.pid) - cpu0) / r.seconds;
  const rss = rssBytes(w.pid);
  const accepted = metricValue(await w.metrics(), 'mc_ingest_samples_accepted_total', { protocol: 'graphite_tcp' });
  if (accepted !== points) {
    throw new Error(`the worker accepted ${accepted} of ${points} points`);
  }
  return {
    seconds: r.seconds,
    pointsPerS: points / r.seconds,
    cpu,
    rssBytes: rss,
    accepted,
    window: { fromS, toS },
    othersCores,
  };
}

/**
 * `npm run bench`: the worker beside its peers, on the same generator data, in one run, on this machine.
 *
 *   BENCH_SCALE=0.1   size of the bytes-per-sample test: series = 10,000 × scale, each one day at 10 s (1 = the full
 *                     86.4M samples, ~15 min on 2 cores by itself; the default 0.1 = 1,000 series, 8.64M samples)
 *   BENCH_ONLY=a,b    run only some of: statsd, graphite, http, disk, memory
 *   BENCH_PROFILE=1   also profile the worker (node --cpu-prof) in extra runs, and summarize where its time goes
 *   BENCH_WAIT_QUIET=30  before each timed measurement, wait up to this many seconds for other processes on the
 *                     machine to go (nearly) idle; the CPU they use during each measurement is reported either way
 *   BENCH_TMP=DIR     where the data directories go (default: the OS temp dir); BENCH_KEEP=1 keeps them
 *
 * Prints a markdown table and writes it, with the details of every measurement, to bench/output/results.md
 * (and the raw figures to bench/output/results.json).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';

import { type DiskResult, runDisk } from './disk';
import { statsdPackets } from './generator';
import { type GraphiteResult, median, runGraphite } from './graphite';
import { type HttpResult, runHttp } from './http';
import { type MemoryResult, runMemory } from './memory';
import { ROOT, buildWorker, ensureCarbon, log, removeDir, startEtsyStatsd, startWorker, tempDir } from './procs';
import { type ProfileWindow, formatProfile, longestBusyStretches, profilesIn, summarizeProfile } from './profile';
import {
  FLUSH_INTERVAL_MS,
  FlushSink,
  type SearchResult,
  StatsdSender,
  type StepResult,
  etsyTarget,
  searchMaxRate,
  workerTarget,
} from './statsd';

const TESTS = ['statsd', 'graphite', 'http', 'disk', 'memory'] as const;
type Test = (typeof TESTS)[number];

const scale = Number(process.env.BENCH_SCALE ?? '0.1');
const only = new Set((process.env.BENCH_ONLY ?? TESTS.join(',')).split(',').map((s) => s.trim()));
const profiling = process.env.BENCH_PROFILE === '1';
const outDir = join(ROOT, 'bench/output');

interface Row {
  metric: string;
  worker: string;
  peer: string;
  ratio: string;
  goal: string;
  met: string;
}

interface Results {
  startedAt: string;
  seconds: number;
  scale: number;
  machine: Record<string, string>;
  statsd?: { etsy: SearchResult; worker: SearchResult; keys: number };
  graphite?: GraphiteResult;
  http?: HttpResult;
  disk?: DiskResult;
  memory?: MemoryResult;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmt2 = (n: number): string => n.toFixed(2);
const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(a / b >= 10 ? 1 : 2)}×` : '—');
const yesNo = (ok: boolean): string => (ok ? 'yes' : '**no**');

function machine(): Record<string, string> {
  const sh = (cmd: string, args: string[]): string => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  const dirty = sh('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no', 'src']) !== '';
  return {
    'worker commit': `${sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])}${dirty ? ' (with uncommitted changes in src/)' : ''}`,
    cpu: `${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    kernel: os.release(),
    node: process.version,
    carbon: sh('dpkg-query', ['-W', '-f=${Version}', 'graphite-carbon']),
    whisper: sh('dpkg-query', ['-W', '-f=${Version}', 'python3-whisper']),
    'etsy statsd': (
      JSON.parse(readFileSync(join(ROOT, 'node_modules/statsd/package.json'), 'utf8')) as { version: string }
    ).version,
    'net.core.rmem_max': readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim(),
    'net.core.rmem_default': readFileSync('/proc/sys/net/core/rmem_default', 'utf8').trim(),
    'load average at start': os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

// ---- statsd ----

async function statsdTest(profiles: string[]): Promise<NonNullable<Results['statsd']>> {
  const sender = await StatsdSender.start();
  try {
    log('statsd: etsy statsd 0.9');
    const sink = new FlushSink();
    const dir = tempDir('statsd-etsy');
    const etsy = await startEtsyStatsd(dir, await sink.start(), FLUSH_INTERVAL_MS);
    const etsyResult = await searchMaxRate(etsyTarget(etsy.pid, etsy.udpPort, sink), sender, 25_000, 6);
    await etsy.stop();
    await sink.stop();
    removeDir(dir);

    log('statsd: worker');
    const wdir = tempDir('statsd-worker');
    const sinceS = Math.floor(Date.now() / 1000) - 60;
    const worker = await startWorker({ dataDir: join(wdir, 'data') });
    const workerResult = await searchMaxRate(workerTarget(worker, sinceS), sender, 200_000, 7);
    await worker.stop();
    removeDir(wdir);

    if (profiling) {
      // One step just above the highest lossless rate, profiled, to see what limits it.
      const rate = Math.round(((workerResult.minLossy ?? (workerResult.maxLossless ?? 200_000) * 1.2) / 1000) * 1000);
      log(`statsd: profiling the worker at ${rate} lines/s`);
      const pdir = tempDir('statsd-profile');
      const profileDir = join(pdir, 'profile');
      const w = await startWorker({ dataDir: join(pdir, 'data'), profileDir });
      const step = (await searchMaxRate(workerTarget(w, Math.floor(Date.now() / 1000) - 60), sender, rate, 1))
        .steps[0]!;
      const fromS = (step.startedAt - w.spawnedAt) / 1000;
      const toS = (step.endedAt - w.spawnedAt) / 1000;
      await w.stop();
      profiles.push(
        profileReport(
          `statsd UDP at ${fmt(rate)} lines/s (lost ${fmt(step.lost)} of ${fmt(step.sent)} lines; from the first ` +
            'datagram to the flush after the last)',
          profileDir,
          { fromS, toS },
          true
        )
      );
      removeDir(pdir);
    }
    const keys = statsdPackets(400_000).keys;
    return { etsy: etsyResult, worker: workerResult, keys };
  } finally {
    sender.stop();
  }
}

function statsdFigure(r: SearchResult): string {
  if (r.maxLossless === undefined) {
    return `< ${fmt(r.minLossy!)} (lost lines at every rate tried)`;
  }
  const bound = r.senderBound
    ? ' (sender-bound: no loss at the highest rate the sender reached)'
    : r.minLossy !== undefined
      ? ` (loss at ${fmt(r.minLossy)})`
      : ' (no loss at any rate tried)';
  return `${fmt(r.maxLossless)}${bound}`;
}

function stepTable(steps: StepResult[]): string {
  return [
    '| rate asked | sent | processed | lost | kernel drops (datagrams) | achieved rate | server CPU | others (cores) | notes |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...steps.map(
      (s) =>
        `| ${fmt(s.rate)} | ${fmt(s.sent)} | ${fmt(s.processed)} | ${fmt(s.lost)} | ${fmt(s.kernelDrops)} | ` +
        `${fmt(s.achievedRate)} | ${(100 * s.cpu).toFixed(0)}% | ${s.othersCores.toFixed(2)} | ` +
        `${Object.keys(s.notes).length ? JSON.stringify(s.notes) : ''} |`
    ),
  ].join('\n');
}

// ---- profiles ----

function profileReport(title: string, dir: string, window: ProfileWindow | undefined, stretches = false): string {
  const files = profilesIn(dir);
  if (files.length === 0) {
    return `#### ${title}\n\n(no profile written)\n`;
  }
  // The main thread's profile is the largest file.
  const main = files.sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!;
  let text = formatProfile(title, summarizeProfile(main, ROOT, 15, window));
  if (stretches) {
    text += '\nLongest stretches without an idle sample (the event loop may still have run I/O between slices):\n\n';
    for (const s of longestBusyStretches(main, ROOT, 5, window)) {
      text += `- at ${s.atS.toFixed(2)} s, ${s.ms.toFixed(0)} ms: ${s.inclusive.map((f) => `\`${f.where}\` ${f.ms.toFixed(0)} ms`).join(', ') || '(native / GC only)'}\n`;
    }
  }
  return text + '\n';
}

// ---- the table ----

function rows(r: Results): Row[] {
  const out: Row[] = [];
  if (r.statsd) {
    const w = r.statsd.worker.maxLossless ?? 0;
    const e = r.statsd.etsy.maxLossless ?? 0;
    out.push({
      metric: 'statsd UDP lines/s processed without loss',
      worker: statsdFigure(r.statsd.worker),
      peer: `etsy statsd ${statsdFigure(r.statsd.etsy)}`,
      ratio: ratio(w, e),
      goal: '≥ 3×',
      met: yesNo(e > 0 && w / e >= 3),
    });
  }
  if (r.graphite?.carbon) {
    const g = r.graphite;
    const c = r.graphite.carbon;
    const w = median(g.worker.map((x) => x.pointsPerS));
    out.push({
      metric: 'Graphite plaintext points/s (worker: acknowledged durable; carbon: received into its cache)',
      worker: fmt(w),
      peer: `carbon-cache ${fmt(c.receivedPerS)}`,
      ratio: ratio(w, c.receivedPerS),
      goal: '≥ 10×',
      met: yesNo(w / c.receivedPerS >= 10),
    });
    out.push({
      metric: 'Graphite plaintext points/s (carbon: written to whisper)',
      worker: fmt(w),
      peer: `carbon-cache ${fmt(c.committedPerS)}`,
      ratio: ratio(w, c.committedPerS),
      goal: '≥ 10×',
      met: yesNo(w / c.committedPerS >= 10),
    });
  }
  if (r.http) {
    out.push({
      metric: 'HTTP JSON samples/s (200 after fsync)',
      worker: fmt(r.http.samplesPerS),
      peer: '— (no peer run)',
      ratio: '—',
      goal: '—',
      met: '—',
    });
  }
  if (r.disk) {
    const d = r.disk;
    const whisper = d.whisper.allocated / d.samples;
    const size = `${fmt(d.series)} series × ${fmt(d.points)} points`;
    const ckpt = (d.checkpointed.blocks + d.checkpointed.wal) / d.samples;
    const comp = (d.compacted.blocks + d.compacted.wal) / d.samples;
    const raw = (d.compacted.levels['0'] ?? 0) / d.samples;
    const rolled = (d.rolledUp.blocks + d.rolledUp.wal) / d.samples;
    out.push({
      metric: `Bytes/sample on disk, ${size}: blocks + WAL after the shutdown checkpoint`,
      worker: fmt2(ckpt),
      peer: `whisper ${d.whisper.retentions} ${fmt2(whisper)}`,
      ratio: ratio(ckpt, whisper),
      goal: '≤ 2',
      met: yesNo(ckpt <= 2),
    });
    out.push({
      metric: `Bytes/sample on disk, ${size}: blocks + WAL after compaction`,
      worker: fmt2(comp),
      peer: `whisper ${d.whisper.retentions} ${fmt2(whisper)}`,
      ratio: ratio(comp, whisper),
      goal: '≤ 2',
      met: yesNo(comp <= 2),
    });
    out.push({
      metric: `Bytes/sample on disk, ${size}: blocks + WAL once rolled up (${d.rolledUp.rollupAfterHours} h + 2 h later)`,
      worker: fmt2(rolled),
      peer: `whisper ${d.whisper.retentions} ${fmt2(whisper)}`,
      ratio: ratio(rolled, whisper),
      goal: '≤ 2',
      met: yesNo(rolled <= 2),
    });
    out.push({
      metric: `Bytes/sample on disk, ${size}: raw level only (no rollups), after compaction`,
      worker: fmt2(raw),
      peer: `whisper ${d.whisper.retentions} ${fmt2(whisper)}`,
      ratio: ratio(raw, whisper),
      goal: '(≤ 2, for reference)',
      met: raw <= 2 ? '(yes)' : '(no)',
    });
  }
  if (r.memory) {
    const m = r.memory;
    out.push({
      metric: `Resident memory per active series, bytes (${fmt(m.series)} series × ${m.points} points)`,
      worker: fmt(m.worker.perSeries),
      peer: `carbon-cache ${fmt(m.carbon.perSeriesCommitted)} (cache drained); ${fmt(m.carbon.perSeriesReceived)} (all points in cache)`,
      ratio: ratio(m.worker.perSeries, m.carbon.perSeriesCommitted),
      goal: '—',
      met: '—',
    });
  }
  return out;
}

/** The most CPU other processes used during a timed measurement, and where. */
function contention(r: Results): { cores: number; where: string } {
  const seen: Array<[number, string]> = [];
  for (const [name, res] of [
    ['etsy statsd', r.statsd?.etsy],
    ['worker statsd', r.statsd?.worker],
  ] as const) {
    for (const s of res?.steps ?? []) {
      seen.push([s.othersCores, `${name} @ ${fmt(s.rate)} lines/s`]);
    }
  }
  r.graphite?.worker.forEach((w, i) => seen.push([w.othersCores, `graphite worker run ${i + 1}`]));
  if (r.graphite?.carbon) {
    seen.push([r.graphite.carbon.othersCores, 'graphite carbon']);
  }
  if (r.http) {
    seen.push([r.http.othersCores, 'http']);
  }
  if (r.disk) {
    seen.push([r.disk.load.othersCores, 'bytes test load']);
  }
  seen.sort((a, b) => b[0] - a[0]);
  return { cores: seen[0]?.[0] ?? 0, where: seen[0]?.[1] ?? '' };
}

function contentionNote(r: Results): string {
  const c = contention(r);
  return c.cores > 0.2
    ? `\n**Warning:** other processes on this machine used up to ${c.cores.toFixed(2)} of its ${os.cpus().length} cores ` +
        `during a measurement (${c.where}); see "others" in the details: figures measured then are low.\n`
    : `\nOther processes used at most ${c.cores.toFixed(2)} cores during any measurement.\n`;
}

function table(rs: Row[]): string {
  return [
    '| metric | worker | peer | ratio | goal | met? |',
    '| --- | ---: | --- | ---: | --- | --- |',
    ...rs.map((r) => `| ${r.metric} | ${r.worker} | ${r.peer} | ${r.ratio} | ${r.goal} | ${r.met} |`),
  ].join('\n');
}

// ---- details ----

function details(r: Results): string {
  const parts: string[] = [];
  if (r.statsd) {
    const s = r.statsd;
    parts.push(
      '### statsd',
      '',
      `Traffic: the generator's application lines (request timers \`|ms\`, status counters and sign-ups \`|c\`, ` +
        `${s.keys} distinct keys), packed in datagrams of at most 1432 bytes (~39 lines each), over UDP. Flush ` +
        `interval ${FLUSH_INTERVAL_MS / 1000} s for both. Each step sends for ${FLUSH_INTERVAL_MS / 1000 + 1} s ` +
        'starting just after a flush; processed = sum of the flushed `.count` of the keys (every line counts one); ' +
        "kernel drops = the receiving socket's drop counter in /proc/net/udp. Lossless = processed equals sent.",
      '',
      `etsy statsd (its default receive buffer, net.core.rmem_default): highest lossless ${statsdFigure(s.etsy)}`,
      '',
      stepTable(s.etsy.steps),
      '',
      `worker (asks for an 8 MiB receive buffer; the kernel caps it at net.core.rmem_max): highest lossless ${statsdFigure(s.worker)}`,
      '',
      stepTable(s.worker.steps),
      ''
    );
  }
  if (r.graphite?.carbon) {
    const g = r.graphite;
    const c = r.graphite.carbon;
    parts.push(
      '### Graphite plaintext',
      '',
      `Data: ${fmt(g.series)} series × ${fmt(g.points / g.series)} points at 10 s = ${fmt(g.points)} lines ` +
        `(${mib(g.bytes)}), timestamps in the recent past, split by host over ${g.senders} TCP connections, ` +
        "pre-generated. Retention: the worker's default schema for both (carbon: storage-schemas " +
        `\`${c.retentions}\`, whisper files fallocated at create as Debian configures it).`,
      '',
      '| run | seconds | points/s | CPU (all threads) | RSS after | others (cores) |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...g.worker.map(
        (w, i) =>
          `| worker ${i + 1} | ${w.seconds.toFixed(2)} | ${fmt(w.pointsPerS)} | ${(100 * w.cpu).toFixed(0)}% | ` +
          `${mib(w.rssBytes)} | ${w.othersCores.toFixed(2)} |`
      ),
      `| carbon: all received (connections closed) | ${c.receivedSeconds.toFixed(2)} | ${fmt(c.receivedPerS)} | ${(100 * c.cpuReceived).toFixed(0)}% | | |`,
      `| carbon: all written to whisper (${fmt(c.committed)} points) | ${c.committedSeconds.toFixed(2)} | ${fmt(c.committedPerS)} | ${(100 * c.cpuCommitted).toFixed(0)}% | | ${c.othersCores.toFixed(2)} |`,
      '',
      'The table uses the median of the worker runs. Worker: first byte → the worker closed every connection, which ' +
        'it does only once all received on it is fsynced to the WAL. Carbon: first byte → carbon closed every ' +
        'connection (all lines parsed into its in-memory cache), and first byte → its `[updates] wrote N datapoints` ' +
        'log lines (LOG_UPDATES) add up to every point (written into whisper files; whisper does not fsync).',
      ''
    );
  }
  if (r.http) {
    const h = r.http;
    parts.push(
      '### HTTP JSON',
      '',
      `${fmt(h.samples)} samples in ${fmt(h.requests)} POST /api/v1/write requests of ${fmt(h.samplesPerRequest)} samples ` +
        `(${mib(h.bodyBytes / h.requests)} each; 1,000 series × 10 points), ${h.clients} requests in flight, ` +
        `bodies built before the clock starts: ${h.seconds.toFixed(2)} s, ${fmt(h.samplesPerS)} samples/s, ` +
        `worker CPU ${(100 * h.cpu).toFixed(0)}%, others ${h.othersCores.toFixed(2)} cores. Every request answered 200 ` +
        '(the worker fsyncs before answering).',
      ''
    );
  }
  if (r.disk) {
    const d = r.disk;
    const lv = (s: DiskResult['checkpointed']): string =>
      Object.entries(s.levels)
        .map(
          ([k, v]) =>
            `${k === '0' ? 'raw' : `${Number(k) / 1000}s rollups`} ${mib(v)} (${fmt2(v / d.samples)} B/sample)`
        )
        .join(', ');
    parts.push(
      '### Bytes per sample',
      '',
      `${fmt(d.series)} series × ${fmt(d.points)} points at 10 s = ${fmt(d.samples)} samples, the last ${((d.points * 10) / 3600).toFixed(1)} h, ` +
        `sent over Graphite TCP (${d.load.seconds.toFixed(0)} s, ${fmt(d.load.pointsPerS)} points/s durable, worker CPU ` +
        `${(100 * d.load.cpu).toFixed(0)}%, others ${d.load.othersCores.toFixed(2)} cores, worker RSS at the end ${mib(d.load.rssBytes)}). SIGTERM took ${d.stopSeconds.toFixed(1)} s (final checkpoint).`,
      '',
      `- after the shutdown checkpoint: blocks ${mib(d.checkpointed.blocks)} in ${d.checkpointed.blockFiles} files (${lv(d.checkpointed)}), WAL ${mib(d.checkpointed.wal)}; catalog (SQLite: series names) ${mib(d.checkpointed.catalog)}`,
      `- after compaction (${d.compacted.rounds} rounds of the store's maintenance, ${d.compacted.seconds.toFixed(1)} s, worker stopped): blocks ${mib(d.compacted.blocks)} in ${d.compacted.blockFiles} files (${lv(d.compacted)}), WAL ${mib(d.compacted.wal)}`,
      `- rolled up, the store's clock ${d.rolledUp.rollupAfterHours} h + 2 h later (${d.rolledUp.rounds} rounds, ${d.rolledUp.seconds.toFixed(1)} s): blocks ${mib(d.rolledUp.blocks)} in ${d.rolledUp.blockFiles} files (${lv(d.rolledUp)})`,
      `- whisper, retention ${d.whisper.retentions} (the day and nothing more): ${fmt(d.whisper.files)} files, ${mib(d.whisper.allocated)} allocated ` +
        `(${mib(d.whisper.apparent)} apparent) = ${fmt2(d.whisper.allocated / d.samples)} B/sample; the generator's values were written into ` +
        `${fmt(d.whisper.written)} of them with update_many (the size of a whisper file is fixed when it is created).`,
      `- whisper with the worker's default retention ${d.whisperDefault.retentions}: ${mib(d.whisperDefault.perFileAllocated)} per file ` +
        `(probed from one real file) = ${fmt2((d.whisperDefault.perFileAllocated * d.series) / d.samples)} B/sample for this day of data.`,
      '',
      'Sizes are bytes allocated on disk (du). A raw partition is rolled up into the 1m and 1h levels (rows of ' +
        'count, sum, min, max and last) once it is `rollupAfter` old: the day as stored for its first hours has raw ' +
        "samples only, the rolled-up figure has every level; whisper's 10s-only file has none.",
      ''
    );
  }
  if (r.memory) {
    const m = r.memory;
    parts.push(
      '### Memory per active series',
      '',
      `${fmt(m.series)} new series × ${m.points} points over Graphite TCP after a warm-up of 2,000 other series.`,
      '',
      `- worker: RSS ${mib(m.worker.baselineRss)} → ${mib(m.worker.rss)} (all points acknowledged durable, 3 s later): ` +
        `${fmt(m.worker.perSeries)} B/series; V8 heap used grew ${fmt(m.worker.heapUsedPerSeries)} B/series, of which ` +
        `${fmt(m.worker.liveHeapPerSeries)} B/series were still live after a full collection (heap snapshot); ` +
        `the rest is garbage not yet collected. Catalog: ${fmt(m.worker.catalogSeries)} series.`,
      `- carbon-cache: RSS ${mib(m.carbon.baselineRss)} → ${mib(m.carbon.rssReceived)} with every point received (in its cache) = ` +
        `${fmt(m.carbon.perSeriesReceived)} B/series → ${mib(m.carbon.rssCommitted)} once ${fmt(m.carbon.committed)} points were ` +
        `written to whisper (${m.carbon.committedSeconds.toFixed(0)} s after the first byte) = ${fmt(m.carbon.perSeriesCommitted)} B/series.`,
      '',
      `The worker's live heap after the load (heap snapshot, ${mib(m.worker.heap.total)}), largest kinds of object:`,
      '',
      '| object | count | MiB | bytes per measured series |',
      '| --- | ---: | ---: | ---: |',
      ...m.worker.heap.groups.map(
        (g) => `| \`${g.name}\` | ${fmt(g.count)} | ${(g.bytes / 2 ** 20).toFixed(1)} | ${fmt(g.bytes / m.series)} |`
      ),
      ''
    );
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const results: Results = { startedAt: new Date().toISOString(), seconds: 0, scale, machine: machine() };
  const profiles: string[] = [];
  const want = (t: Test): boolean => only.has(t);
  if (want('graphite') || want('memory') || want('disk')) {
    ensureCarbon();
  }
  const buildErrors = buildWorker();
  if (buildErrors) {
    results.machine['worker build'] = `tsc reported errors (JavaScript emitted anyway): ${buildErrors.split('\n')[0]}`;
  }
  mkdirSync(outDir, { recursive: true });

  if (want('statsd')) {
    results.statsd = await statsdTest(profiles);
  }
  if (want('graphite')) {
    const series = 10_000;
    const points = 300;
    results.graphite = await runGraphite({ series, points, senders: 4, workerRuns: 3 });
    if (profiling) {
      const dir = tempDir('graphite-profile');
      const p = await runGraphite({
        series,
        points,
        senders: 4,
        workerRuns: 1,
        carbon: false,
        profileDir: join(dir, 'profile'),
      });
      profiles.push(profileReport('Graphite TCP ingest', join(dir, 'profile'), p.worker[0]!.window));
      removeDir(dir);
    }
  }
  if (want('http')) {
    const opts = {
      series: 10_000,
      points: 300,
      seriesPerRequest: 1000,
      pointsPerSeries: 10,
      clients: 4,
    };
    results.http = await runHttp(opts);
    if (profiling) {
      const dir = tempDir('http-profile');
      const p = await runHttp({ ...opts, profileDir: join(dir, 'profile') });
      profiles.push(profileReport('HTTP JSON ingest', join(dir, 'profile'), p.window));
      removeDir(dir);
    }
  }
  if (want('disk')) {
    const dir = profiling ? tempDir('disk-profile') : undefined;
    results.disk = await runDisk({
      series: Math.max(20, Math.round(10_000 * scale)),
      points: 8640,
      senders: 4,
      whisperWritten: 200,
      profileDir: dir && join(dir, 'profile'),
    });
    if (dir) {
      profiles.push(
        profileReport(
          'Bulk load of the bytes test (Graphite TCP, with checkpoints)',
          join(dir, 'profile'),
          results.disk.load.window,
          true
        )
      );
      removeDir(dir);
    }
  }
  if (want('memory')) {
    results.memory = await runMemory({ series: 100_000, points: 6, senders: 4 });
  }
  results.seconds = (Date.now() - started) / 1000;

  const tableText = table(rows(results)) + '\n' + contentionNote(results);
  const report = [
    '# Mission Control benchmarks',
    '',
    `Run ${results.startedAt}, ${(results.seconds / 60).toFixed(1)} min, BENCH_SCALE=${scale}` +
      `${process.env.BENCH_ONLY ? `, BENCH_ONLY=${process.env.BENCH_ONLY}` : ''}. Everything on 127.0.0.1.`,
    '',
    tableText,
    '',
    '## Machine',
    '',
    ...Object.entries(results.machine).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '## Details',
    '',
    details(results),
    ...(profiles.length ? ['## Worker profiles (self time, main thread)', '', ...profiles] : []),
  ].join('\n');
  writeFileSync(join(outDir, 'results.md'), report);
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
  process.stdout.write(`\n${tableText}\n\nDetails: bench/output/results.md\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

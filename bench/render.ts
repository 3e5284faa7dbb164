/**
 * /render latency, the worker beside graphite-web 1.1.8, on the same data and the same machine
 * (`npm run bench:render`).
 *
 * Data (10 s points, deterministic values with two decimals), loaded into both with the differential suite's harness
 * (tests/compat/graphite-web.ts): whisper files written directly with python3-whisper for graphite-web (archives
 * 10s:7d,1m:90d,1h:5y, average, xFilesFactor 0; carbon is not involved), Graphite plaintext over TCP for the
 * worker (the same retentions):
 * - `day.h0000.value` .. `day.h0999.value`: 1,000 series over the last day (8,640 points each);
 * - `month.single.value`: one series over the last 30 days (259,200 points; both answer from 1-minute averages);
 * - `wide.g00.s000.value` .. `wide.g99.s099.value`: 10,000 series over the last hour (360 points each).
 *
 * Once the worker has caught up after the load (roll-ups and compactions done, as in a store fed live; at most 15
 * minutes) and is idle, the queries
 * (format=json, absolute from/until on whole minutes): `sumSeries(day.*.value)` over the day,
 * `month.single.value` over 30 days, `groupByNode(wide.*.*.value,1,'sum')` over the hour. Each is asked once per side
 * to warm up, then BENCH_RUNS times (default 5) alternating sides, one request at a time; the median counts. The time
 * is from the request's start to the answer's last byte. Writes bench/output/render.md.
 *
 * BENCH_RUNS=n: timed runs per side. BENCH_SKIP_BUILD=1: use build/ as it is. BENCH_PROFILE=1: profile the worker
 * (bench/cpu-profile.cjs) and add its busiest functions during each query's runs to the report.
 *
 * graphite-web runs under gunicorn with one sync worker (requests are sequential anyway), defaults otherwise except
 * the find/fetch timeouts (raised so that slow answers are timed, not failed) and CARBONLINK_HOSTS = [] (no
 * carbon-cache: every fetched series logs a failed CarbonLink query, as the design notes' setup does).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import {
  GraphiteWeb,
  type HttpAnswer,
  type RenderSeries,
  type SeriesData,
  WORKER_PREFIX,
  WorkerSide,
  parseRenderJson,
  queryString,
} from '../tests/compat/graphite-web';
import { diffRender } from '../tests/compat/compare';
import { mulberry32 } from '../tests/helpers/mulberry32';
import { formatProfile, profilesIn, summarizeProfile } from './profile';
import { cpuSeconds, metricValue } from './procs';

const ROOT = join(__dirname, '..');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
/** BENCH_PROFILE=1: the worker runs CPU-profiled; the report adds its busiest functions per query. */
const PROFILE_DIR = process.env.BENCH_PROFILE === '1' ? join(ROOT, 'bench', 'output', 'render-profile') : undefined;
const GOAL = 0.2;
const STEP = 10;
const DAY = 86400;

const log = (msg: string): void => {
  process.stderr.write(`[bench:render ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

function series(path: string, start: number, points: number, seed: number, level: number): SeriesData {
  const r = mulberry32(seed);
  const values = new Float64Array(points);
  for (let i = 0; i < points; i++) values[i] = Math.round((level + 20 * r()) * 100) / 100;
  return { path, start, step: STEP, values };
}

interface Dataset {
  name: string;
  series: SeriesData[];
}

function datasets(end: number): Dataset[] {
  const day: SeriesData[] = [];
  for (let h = 0; h < 1000; h++) {
    day.push(series(`day.h${String(h).padStart(4, '0')}.value`, end - DAY, DAY / STEP, 1000 + h, h % 50));
  }
  const month = [series('month.single.value', end - 30 * DAY, (30 * DAY) / STEP, 7, 100)];
  const wide: SeriesData[] = [];
  for (let g = 0; g < 100; g++) {
    for (let s = 0; s < 100; s++) {
      const path = `wide.g${String(g).padStart(2, '0')}.s${String(s).padStart(3, '0')}.value`;
      wide.push(series(path, end - 3600, 3600 / STEP, 100_000 + g * 100 + s, s));
    }
  }
  return [
    { name: '1,000 series x 1 day', series: day },
    { name: '1 series x 30 days', series: month },
    { name: '10,000 series x 1 hour', series: wide },
  ];
}

interface Query {
  label: string;
  target: string;
  from: number;
  until: number;
}

interface Timing {
  query: Query;
  worker: number[];
  /**
   * When the worker answered each run, on the monotonic clock in microseconds: the clock of V8's CPU profiles, the
   * same for every process on the machine.
   */
  workerWindows: Array<{ fromUs: number; toUs: number }>;
  graphite: number[];
  workerShape: string;
  graphiteShape: string;
  agree: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function shape(list: RenderSeries[]): string {
  const pts = list.reduce((n, s) => n + s.datapoints.length, 0);
  const step = list[0] && list[0].datapoints.length > 1 ? list[0].datapoints[1]![1] - list[0].datapoints[0]![1] : 0;
  return `${list.length} series, ${pts} points, step ${step} s`;
}

async function timeOne(ask: () => Promise<HttpAnswer>, side: string, q: Query): Promise<HttpAnswer> {
  const r = await ask();
  if (r.status !== 200) {
    throw new Error(`${side} answered ${r.status} to ${q.target}: ${r.text.slice(0, 1000)}`);
  }
  return r;
}

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    log('building the worker (npm run build:worker; BENCH_SKIP_BUILD=1 uses build/ as it is)');
    execFileSync('npm', ['run', '--silent', 'build:worker'], { cwd: ROOT, stdio: 'inherit' });
  }
  execFileSync('bash', [join(ROOT, 'tests', 'compat', 'setup.sh')], { stdio: 'inherit' });

  const end = Math.floor(Date.now() / 60_000) * 60 - 60;
  const sets = datasets(end);
  let gw: GraphiteWeb | undefined;
  let worker: WorkerSide | undefined;
  if (PROFILE_DIR) {
    rmSync(PROFILE_DIR, { recursive: true, force: true });
    mkdirSync(PROFILE_DIR, { recursive: true });
  }
  const interrupted = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping graphite-web and the worker`);
    void Promise.all([gw?.stop(), worker?.stop()]).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const started = await Promise.allSettled([
      GraphiteWeb.start({ workers: 1 }),
      WorkerSide.start({
        extraConfig: ['limits:', '  maxSeriesPerQuery: 100000', '  maxPointsPerQuery: 200000000'].join('\n'),
        // NODE_OPTIONS may not carry --cpu-prof: a preload does the same.
        ...(PROFILE_DIR
          ? {
              env: {
                NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile.cjs')}`,
                BENCH_CPU_PROF_DIR: PROFILE_DIR,
              },
            }
          : {}),
      }),
    ]);
    // Both settled, so that one failing to start never leaves the other running.
    if (started[0].status === 'fulfilled') gw = started[0].value;
    if (started[1].status === 'fulfilled') worker = started[1].value;
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    if (!gw || !worker) throw new Error('unreachable');
    log(`graphite-web pid ${gw.pid} on :${gw.port}, worker pid ${worker.pid} on :${worker.port}`);
    for (const set of sets) {
      const started = Date.now();
      const [g, sent] = await Promise.all([
        gw.load(set.series, { timeoutMs: 1_800_000, tags: 'tagged' }),
        worker.load(set.series),
      ]);
      if (g.points !== sent)
        throw new Error(`${set.name}: whisper holds ${g.points} points, the worker was sent ${sent}`);
      log(`${set.name}: ${sent} points on both sides in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }

    // Loading leaves the worker rolling up and compacting for a while; time queries, not that.
    const caughtUp = await storeCaughtUp(worker.port, 900_000);
    const settled = await settle(worker.pid, 60_000);
    log(
      `worker ${caughtUp ? 'caught up' : 'still behind after 15 min'}, ${settled ? 'idle' : 'still busy'}; ` +
        'timing the queries'
    );

    const queries: Query[] = [
      { label: 'sumSeries, 1,000 series x 1 day', target: 'sumSeries(day.*.value)', from: end - DAY, until: end },
      { label: 'one series x 30 days', target: 'month.single.value', from: end - 30 * DAY, until: end },
      {
        label: "groupByNode(..., 1, 'sum'), 10,000 series x 1 hour",
        target: "groupByNode(wide.*.*.value,1,'sum')",
        from: end - 3600,
        until: end,
      },
    ];
    const timings: Timing[] = [];
    for (const q of queries) {
      const path = `/render${queryString([
        ['target', q.target],
        ['format', 'json'],
        ['from', q.from],
        ['until', q.until],
      ])}`;
      const askWorker = (): Promise<HttpAnswer> => worker!.get(WORKER_PREFIX + path, 600_000);
      const askGraphite = (): Promise<HttpAnswer> => gw!.get(path, 600_000);
      // Warm-up: page cache, the worker's JIT, graphite-web's imports. Also the answers' shapes, once.
      const w0 = await timeOne(askWorker, 'the worker', q);
      const g0 = await timeOne(askGraphite, 'graphite-web', q);
      const wl = parseRenderJson(w0.text);
      const gl = parseRenderJson(g0.text);
      const diff = diffRender(gl, wl, 1);
      const t: Timing = {
        query: q,
        worker: [],
        workerWindows: [],
        graphite: [],
        workerShape: shape(wl),
        graphiteShape: shape(gl),
        agree: diff ? `no: ${diff.split('\n').slice(0, 3).join(' / ')}` : 'yes',
      };
      log(
        `${q.label}: warm-up worker ${w0.ms.toFixed(0)} ms, graphite-web ${g0.ms.toFixed(0)} ms; equal answers: ${t.agree}`
      );
      for (let i = 0; i < RUNS; i++) {
        const atUs = Number(process.hrtime.bigint() / 1000n);
        const r = await timeOne(askWorker, 'the worker', q);
        t.worker.push(r.ms);
        t.workerWindows.push({ fromUs: atUs, toUs: atUs + r.ms * 1000 });
        t.graphite.push((await timeOne(askGraphite, 'graphite-web', q)).ms);
      }
      log(`${q.label}: worker ${median(t.worker).toFixed(1)} ms, graphite-web ${median(t.graphite).toFixed(1)} ms`);
      timings.push(t);
    }
    await Promise.all([gw.stop(), worker.stop()]);
    report(timings, sets);
  } finally {
    await Promise.all([gw?.stop(), worker?.stop()]);
  }
}

/** Resolves true once `pid` used under 3% of a core over a whole second, false if not within `timeoutMs`. */
/**
 * Waits until the worker's store has done the work a backfill leaves (rolling the old raw partitions up, compacting):
 * no raw partition waiting for roll-up, a maintenance round that found nothing left, and as many block files as 35 s
 * before (more than one maintenance interval). A store fed live is in that state; whisper files, written whole by the
 * loader, are too.
 */
async function storeCaughtUp(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let files = -1;
  let steadySince = Date.now();
  while (Date.now() < deadline) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const backlog = metricValue(text, 'mc_store_rollup_backlog_partitions');
    const behind = metricValue(text, 'mc_store_maintenance_behind');
    const now = metricValue(text, 'mc_store_block_files');
    if (now !== files) {
      files = now;
      steadySince = Date.now();
    }
    if (backlog === 0 && behind === 0 && Date.now() - steadySince >= 35_000) return true;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return false;
}

async function settle(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let last = cpuSeconds(pid);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuSeconds(pid);
    if (now - last < 0.03) return true;
    last = now;
  }
  return false;
}

/** The worker's busiest functions while it answered each query's timed runs (BENCH_PROFILE=1). */
function profileSections(timings: Timing[]): string[] {
  if (!PROFILE_DIR) return [];
  const files = profilesIn(PROFILE_DIR);
  if (!files.length) return ['(no CPU profile was written)'];
  // The main thread's profile is the largest.
  const main = files.map((f) => ({ f, size: statSync(f).size })).sort((a, b) => b.size - a.size)[0]!.f;
  const startUs = (JSON.parse(readFileSync(main, 'utf8')) as { startTime: number }).startTime;
  return timings.map((t) => {
    // From the first timed run to the last: graphite-web's runs fall in between, which the worker spends idle.
    const window = {
      fromS: (Math.min(...t.workerWindows.map((w) => w.fromUs)) - startUs) / 1e6 - 0.01,
      toS: (Math.max(...t.workerWindows.map((w) => w.toUs)) - startUs) / 1e6 + 0.01,
    };
    return formatProfile(`worker profile: ${t.query.label}`, summarizeProfile(main, ROOT, 12, window));
  });
}

function report(timings: Timing[], sets: Dataset[]): void {
  const rows = timings.map((t) => {
    const w = median(t.worker);
    const g = median(t.graphite);
    const ratio = w / g;
    return `| ${t.query.label} | ${w.toFixed(1)} | ${g.toFixed(1)} | ${ratio.toFixed(3)} | ${ratio <= GOAL ? 'met' : 'missed'} |`;
  });
  const table = [
    `| query | worker ms | graphite-web ms | ratio | goal ≤ ${GOAL} |`,
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
  process.stdout.write(`\n${table}\n\n`);
  const details = timings.map(
    (t) =>
      `- \`${t.query.target}\` from ${t.query.from} until ${t.query.until}: worker ${t.workerShape}; graphite-web ` +
      `${t.graphiteShape}; equal answers: ${t.agree}. Runs (ms): worker ${t.worker.map((x) => x.toFixed(0)).join(', ')}; ` +
      `graphite-web ${t.graphite.map((x) => x.toFixed(0)).join(', ')}.`
  );
  const md = [
    '# /render latency: worker vs graphite-web 1.1.8',
    '',
    `${new Date().toISOString()}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average before the ` +
      `report ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}. Median of ${RUNS} runs per side after one warm-up, sequential, alternating sides; ` +
      'time from the request to the last byte of the JSON answer, over loopback.',
    '',
    table,
    '',
    `Data: ${sets.map((s) => `${s.name} (${s.series.reduce((n, x) => n + x.values.length, 0)} points)`).join('; ')}.`,
    '',
    ...details,
    '',
    'graphite-web: Debian 1.1.8 under gunicorn (one sync worker), whisper files written directly with ' +
      'python3-whisper (10s:7d,1m:90d,1h:5y, average, xFilesFactor 0), CARBONLINK_HOSTS = []. The worker: the ' +
      'built CLI with the same retentions, fed over Graphite plaintext TCP. Over 30 days both read 1-minute ' +
      "averages (graphite-web its 1m archive; the loader writes the points older than the 10 s archive's 7 days as " +
      'minute averages, as carbon would have kept them had they arrived live).',
    '',
    ...profileSections(timings),
  ].join('\n');
  const dir = join(ROOT, 'bench', 'output');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'render.md'), md);
  log(`wrote ${join(dir, 'render.md')}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});

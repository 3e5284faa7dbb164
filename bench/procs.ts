/**
 * The processes a benchmark runs: the worker, etsy statsd and carbon-cache, each on 127.0.0.1 with free ports,
 * in a private directory, stopped by PID. Also what is read about a process from /proc.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const HOST = '127.0.0.1';
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const CARBON_CACHE = '/usr/bin/carbon-cache';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

export function tempDir(prefix: string): string {
  const base = process.env.BENCH_TMP ?? tmpdir();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `mc-bench-${prefix}-`));
}

/** A port free for TCP and, when asked, for UDP too (the worker's statsd binds both). */
export async function freePort(udpToo = false): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, HOST, () => r()));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    if (!udpToo || (await udpFree(port))) {
      return port;
    }
  }
  throw new Error('no free port');
}

function udpFree(port: number): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  return new Promise((r) => {
    socket.once('error', () => {
      socket.close();
      r(false);
    });
    socket.bind(port, HOST, () => socket.close(() => r(true)));
  });
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((r) => {
    const socket = net.connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      r(true);
    });
    socket.once('error', () => r(false));
  });
}

/** Resident set size of a process, bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** CPU time (user + system) a process used so far, all threads, seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the command: state is index 0, utime 11, stime 12 (in clock ticks, 100 Hz on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** UDP datagrams the kernel dropped for the socket bound to `port` (the receive buffer was full). */
export function udpDrops(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let drops = 0;
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length > 12 && cols[1]!.endsWith(`:${hexPort}`)) {
      drops += Number(cols[cols.length - 1]);
    }
  }
  return drops;
}

/** Bytes allocated on disk under a path (du's figure, not apparent sizes: whisper preallocates). */
export function diskUsage(path: string): number {
  if (!existsSync(path)) {
    return 0;
  }
  return Number(execFileSync('du', ['-s', '-B1', path], { encoding: 'utf8' }).split('\t')[0]);
}

/** Sum of the apparent sizes of the files under a path. */
export function apparentSize(path: string): number {
  if (!existsSync(path)) {
    return 0;
  }
  return Number(execFileSync('du', ['-s', '-b', path], { encoding: 'utf8' }).split('\t')[0]);
}

/** Every process this benchmark started and that still runs: killed if the benchmark itself is interrupted. */
const children = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of children) {
      child.kill('SIGKILL');
    }
    process.exit(130);
  });
}

/** CPU ticks (1/100 s) used so far by the whole machine, and by this process and its descendants. */
function cpuTicks(): { busy: number; ours: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!;
  const parent = new Map<number, number>();
  const used = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      // utime stime, and cutime cstime: the time of children already reaped (a worker that exited).
      used.set(Number(entry), Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
    } catch {
      // The process exited meanwhile.
    }
  }
  let ours = 0;
  for (const [pid, ticks] of used) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === process.pid) {
        ours += ticks;
        break;
      }
    }
  }
  return { busy, ours };
}

/**
 * How much CPU other processes on the machine used while a measurement ran, in cores: on a shared machine a
 * figure measured while something else was busy is low, and says so.
 */
export class Contention {
  private readonly start = cpuTicks();
  private readonly startedAt = Date.now();

  /** Cores used by processes other than this benchmark's own, on average since construction. */
  othersCores(): number {
    const end = cpuTicks();
    const seconds = Math.max(0.001, (Date.now() - this.startedAt) / 1000);
    return Math.max(0, end.busy - this.start.busy - (end.ours - this.start.ours)) / 100 / seconds;
  }
}

interface Spawned {
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  alive(): boolean;
}

function spawnLogged(cmd: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): Spawned {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: env ?? process.env, cwd: ROOT });
  closeSync(fd);
  track(child);
  let alive = true;
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      alive = false;
      r(code);
    })
  );
  return { child, pid: child.pid!, exited, alive: () => alive };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
async function stopProcess(p: Spawned, graceMs: number): Promise<void> {
  if (!p.alive()) {
    return;
  }
  process.kill(p.pid, 'SIGTERM');
  const killer = setTimeout(() => {
    if (p.alive()) {
      process.kill(p.pid, 'SIGKILL');
    }
  }, graceMs);
  await p.exited;
  clearTimeout(killer);
}

async function waitUntil(what: string, p: Spawned, logFile: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await ok())) {
    if (!p.alive()) {
      throw new Error(`${what} exited during startup:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not come up within 60 s:\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
    }
    await sleep(50);
  }
}

// ---- the worker ----

export interface Worker {
  pid: number;
  dataDir: string;
  httpPort: number;
  statsdPort: number;
  graphitePort: number;
  key: string;
  logFile: string;
  /** Date.now() when the process was spawned: its CPU profile's clock starts about then. */
  spawnedAt: number;
  /** The /metrics text. */
  metrics(): Promise<string>;
  /** SIGTERM (the worker flushes statsd and checkpoints) and wait for the exit. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  dataDir: string;
  /** YAML configuration, if any. */
  config?: string;
  /** Write a CPU profile (node --cpu-prof) into this directory. */
  profileDir?: string;
  /** An existing key to reuse (a restarted worker on the same data directory). */
  key?: string;
  /** Extra options for node, e.g. --heapsnapshot-signal. */
  nodeArgs?: string[];
}

/** Builds the worker; returns the compiler's complaints, if any (tsc still emits the JavaScript). */
export function buildWorker(): string | undefined {
  log('building the worker (npm run build:worker)');
  try {
    execFileSync('npm', ['run', '--silent', 'build:worker'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
    return undefined;
  } catch (e) {
    const out = e as { stdout?: string; stderr?: string };
    const text = `${out.stdout ?? ''}${out.stderr ?? ''}`.trim();
    if (!existsSync(join(ROOT, 'build/worker/cli.js'))) {
      throw new Error(`the worker does not build:\n${text}`);
    }
    log(`the worker build reported errors; benchmarking what tsc emitted:\n${text}`);
    return text;
  }
}

export async function startWorker(opts: WorkerOptions): Promise<Worker> {
  mkdirSync(opts.dataDir, { recursive: true });
  const cli = join(ROOT, 'bin/mission-control.js');
  const key =
    opts.key ??
    execFileSync(process.execPath, [cli, 'keys', 'create', '--data-dir', opts.dataDir, '--scopes', 'ingest,read'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  const [httpPort, statsdPort, graphitePort] = [await freePort(), await freePort(true), await freePort(true)];
  const args = [
    ...(opts.nodeArgs ?? []),
    ...(opts.profileDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profileDir] : []),
    cli,
    'serve',
    '--data-dir',
    opts.dataDir,
    '--http',
    `${HOST}:${httpPort}`,
    '--statsd',
    `${HOST}:${statsdPort}`,
    '--graphite',
    `${HOST}:${graphitePort}`,
    '--log-level',
    'warn',
  ];
  if (opts.config) {
    const file = join(opts.dataDir, '..', `${opts.dataDir.split('/').pop()}-config.yaml`);
    writeFileSync(file, opts.config);
    args.push('--config', file);
  }
  const logFile = `${opts.dataDir}.log`;
  const spawnedAt = Date.now();
  const p = spawnLogged(process.execPath, args, logFile);
  const base = `http://${HOST}:${httpPort}`;
  await waitUntil('the worker', p, logFile, async () => {
    try {
      return (await fetch(`${base}/healthz`)).ok && (await accepts(graphitePort));
    } catch {
      return false;
    }
  });
  return {
    pid: p.pid,
    dataDir: opts.dataDir,
    httpPort,
    statsdPort,
    graphitePort,
    key,
    logFile,
    spawnedAt,
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    stop: () => stopProcess(p, 600_000),
  };
}

/** Sum of a metric's samples in Prometheus text, over the series whose labels include `labels`. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) {
      continue;
    }
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') {
      continue;
    }
    const wanted = Object.entries(labels).every(([k, v]) => rest.includes(`${k}="${v}"`));
    if (wanted) {
      sum += Number(rest.slice(rest.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

// ---- etsy statsd ----

export interface EtsyStatsd {
  pid: number;
  udpPort: number;
  stop(): Promise<void>;
}

/** etsy statsd 0.9 from node_modules, UDP on 127.0.0.1, its Graphite backend writing to `graphitePort`. */
export async function startEtsyStatsd(dir: string, graphitePort: number, flushIntervalMs: number): Promise<EtsyStatsd> {
  const udpPort = await freePort(true);
  const mgmtPort = await freePort();
  const file = join(dir, 'etsy-config.js');
  const config = {
    servers: [{ server: './servers/udp', address: HOST, port: udpPort }],
    mgmt_address: HOST,
    mgmt_port: mgmtPort,
    backends: ['./backends/graphite'],
    graphiteHost: HOST,
    graphitePort,
    graphite: { legacyNamespace: false },
    flushInterval: flushIntervalMs,
    percentThreshold: [90],
    deleteIdleStats: false,
    // Keeps the process title (found by PID, never renamed) and ignores edits of the config file.
    title: false,
    automaticConfigReload: false,
  };
  writeFileSync(file, `module.exports = ${JSON.stringify(config, null, 2)};\n`);
  const logFile = join(dir, 'etsy-statsd.log');
  const p = spawnLogged(process.execPath, [join(ROOT, 'node_modules/statsd/stats.js'), file], logFile);
  await waitUntil('etsy statsd', p, logFile, () => accepts(mgmtPort));
  return { pid: p.pid, udpPort, stop: () => stopProcess(p, 5000) };
}

// ---- carbon-cache ----

export interface Carbon {
  pid: number;
  linePort: number;
  whisperDir: string;
  logDir: string;
  /** Datapoints written to whisper so far, from its `[updates]` log lines (LOG_UPDATES). */
  committedPoints(): number;
  stop(): Promise<void>;
}

/** Installs Debian's graphite-carbon (and python3-whisper) when missing. */
export function ensureCarbon(): void {
  const whisperOk = (): boolean => {
    try {
      execFileSync(DEBIAN_PYTHON, ['-c', 'import whisper'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (existsSync(CARBON_CACHE) && whisperOk()) {
    return;
  }
  log('installing graphite-carbon and python3-whisper with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', 'graphite-carbon', 'python3-whisper'], { stdio: 'inherit', env });
}

export interface CarbonOptions {
  /** storage-schemas.conf retentions for every series, e.g. `10s:7d,1m:90d,1h:5y`. */
  retentions: string;
}

/**
 * carbon-cache 1.1 with a private carbon.conf: every directory under `dir`, loopback listeners on free ports,
 * no tags, no rate limits (Debian's 500 updates/s and 50 creates/min make bulk loads crawl), an unbounded
 * cache, and LOG_UPDATES on so that updates.log says how many points reached whisper, and when.
 */
export async function startCarbon(dir: string, opts: CarbonOptions): Promise<Carbon> {
  const [linePort, picklePort, queryPort] = [await freePort(), await freePort(), await freePort()];
  const conf = join(dir, 'conf');
  const storage = join(dir, 'storage');
  const whisperDir = join(storage, 'whisper');
  const logDir = join(storage, 'log');
  for (const d of [conf, whisperDir, logDir]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(
    join(conf, 'carbon.conf'),
    [
      '[cache]',
      `STORAGE_DIR = ${storage}/`,
      `LOCAL_DATA_DIR = ${whisperDir}/`,
      `WHITELISTS_DIR = ${storage}/lists/`,
      `CONF_DIR = ${conf}/`,
      `LOG_DIR = ${logDir}/`,
      `PID_DIR = ${storage}/`,
      'ENABLE_LOGROTATION = False',
      'USER =',
      'ENABLE_TAGS = False',
      'MAX_CACHE_SIZE = inf',
      'MAX_UPDATES_PER_SECOND = inf',
      'MAX_CREATES_PER_MINUTE = inf',
      'MIN_TIMESTAMP_RESOLUTION = 1',
      `LINE_RECEIVER_INTERFACE = ${HOST}`,
      `LINE_RECEIVER_PORT = ${linePort}`,
      'ENABLE_UDP_LISTENER = False',
      `PICKLE_RECEIVER_INTERFACE = ${HOST}`,
      `PICKLE_RECEIVER_PORT = ${picklePort}`,
      `CACHE_QUERY_INTERFACE = ${HOST}`,
      `CACHE_QUERY_PORT = ${queryPort}`,
      'USE_FLOW_CONTROL = True',
      'LOG_UPDATES = True',
      'LOG_CREATES = False',
      'LOG_CACHE_HITS = False',
      'CACHE_WRITE_STRATEGY = sorted',
      'WHISPER_AUTOFLUSH = False',
      'WHISPER_FALLOCATE_CREATE = True',
      // Its own metrics once a minute, as by default; they are a handful of points.
      'CARBON_METRIC_INTERVAL = 60',
      '',
    ].join('\n')
  );
  writeFileSync(
    join(conf, 'storage-schemas.conf'),
    `[carbon]\npattern = ^carbon\\.\nretentions = 60:90d\n\n[default]\npattern = .*\nretentions = ${opts.retentions}\n`
  );
  writeFileSync(
    join(conf, 'storage-aggregation.conf'),
    '[default]\npattern = .*\nxFilesFactor = 0\naggregationMethod = average\n'
  );
  const logFile = join(dir, 'carbon-stdout.log');
  const p = spawnLogged(
    DEBIAN_PYTHON,
    [
      CARBON_CACHE,
      `--config=${join(conf, 'carbon.conf')}`,
      `--pidfile=${join(storage, 'carbon.pid')}`,
      '--nodaemon',
      'start',
    ],
    logFile,
    { ...process.env, GRAPHITE_CONF_DIR: conf, GRAPHITE_STORAGE_DIR: storage }
  );
  await waitUntil('carbon-cache', p, logFile, () => accepts(linePort));
  // With --nodaemon carbon logs to stdout, `[updates] wrote N datapoints for NAME in S seconds` per update.
  let offset = 0;
  let committed = 0;
  let partial = '';
  return {
    pid: p.pid,
    linePort,
    whisperDir,
    logDir,
    committedPoints: () => {
      const fd = openSync(logFile, 'r');
      try {
        const chunk = Buffer.alloc(1 << 20);
        for (;;) {
          const n = readSync(fd, chunk, 0, chunk.length, offset);
          if (n === 0) {
            break;
          }
          offset += n;
          const lines = (partial + chunk.toString('utf8', 0, n)).split('\n');
          partial = lines.pop() ?? '';
          for (const line of lines) {
            // Carbon's own metrics (carbon.agents.*) are written too; they are not the benchmark's.
            const m = / wrote (\d+) datapoints for (\S+) /.exec(line);
            if (m && !m[2]!.startsWith('carbon.')) {
              committed += Number(m[1]);
            }
          }
        }
      } finally {
        closeSync(fd);
      }
      return committed;
    },
    stop: () => stopProcess(p, 10_000),
  };
}

export function removeDir(dir: string): void {
  if (process.env.BENCH_KEEP !== '1') {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Waits (at most BENCH_WAIT_QUIET seconds, default 30) until other processes use less than a fifth of a core over
 * two seconds, so that a measurement does not start in the middle of someone else's work on a shared machine.
 */
export async function waitQuiet(what: string): Promise<void> {
  const maxS = Number(process.env.BENCH_WAIT_QUIET ?? '30');
  const deadline = Date.now() + maxS * 1000;
  for (let first = true; ; first = false) {
    const c = new Contention();
    await sleep(2000);
    const others = c.othersCores();
    if (others < 0.2) {
      return;
    }
    if (first) {
      log(`${what}: other processes use ${others.toFixed(2)} cores; waiting up to ${maxS} s for them to calm down`);
    }
    if (Date.now() > deadline) {
      log(`${what}: still ${others.toFixed(2)} cores busy elsewhere; measuring anyway`);
      return;
    }
  }
}

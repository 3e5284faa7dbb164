/**
 * The differential harness: Debian's graphite-web 1.1.8 and the worker, side by side on 127.0.0.1, fed the same
 * points, asked the same questions.
 *
 * graphite-web runs by hand under gunicorn with Debian's interpreter (`/usr/bin/python3`; a pyenv python3 on PATH
 * lacks Debian's modules), from a private settings module in a temporary directory (its own whisper directory,
 * its own sqlite database migrated before the start, no carbonlink, tags in its local database, UTC). Its data are
 * whisper files written directly with python3-whisper (`whisper_load.py`), so carbon is not involved; tagged series
 * are also registered through its `/tags/tagMultiSeries` endpoint. The worker is the built CLI, fed through its
 * Graphite plaintext listener. Both processes are stopped by PID.
 *
 * Everything is installed beforehand by `tests/compat/setup.sh`; this module only checks it is there.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sendGraphiteBatch } from '../helpers/graphite-ack-client';
import {
  REPO_ROOT,
  WorkerProcess,
  assertWorkerBuilt,
  createApiKey,
  freePort,
  freeWorkerPorts,
} from '../helpers/worker-process';

export const DEBIAN_PYTHON = '/usr/bin/python3';
/** The same archives on both sides: whisper files are created with them, the worker is configured with them. */
export const RETENTIONS = '10s:7d,1m:90d,1h:5y';
const WHISPER_LOADER = join(__dirname, 'whisper_load.py');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A series to load on both sides: values[i] is at start + i * step; null (or NaN) is a missing point. */
export interface SeriesData {
  /** `a.b.c`, or tagged `name;tag=value;...`. */
  path: string;
  start: number;
  step: number;
  values: ArrayLike<number | null>;
}

/** A fresh temporary directory, under COMPAT_TMP when set. */
export function tempDir(prefix: string): string {
  const base = process.env.COMPAT_TMP ?? tmpdir();
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `mc-compat-${prefix}-`));
}

// ---- HTTP ----

export interface HttpAnswer {
  status: number;
  text: string;
  /** Milliseconds from the request's start to the last byte of the answer. */
  ms: number;
}

/** One request to 127.0.0.1, a new connection each time; the answer as text. */
export function httpText(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  opts: { headers?: http.OutgoingHttpHeaders; body?: string; timeoutMs?: number } = {}
): Promise<HttpAnswer> {
  const started = process.hrtime.bigint();
  const body = opts.body === undefined ? undefined : Buffer.from(opts.body);
  const headers: http.OutgoingHttpHeaders = { ...opts.headers };
  if (body) headers['content-length'] = body.length;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString(),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        })
      );
    });
    req.setTimeout(opts.timeoutMs ?? 60_000, () =>
      req.destroy(new Error(`${method} ${path.slice(0, 200)} timed out after ${opts.timeoutMs ?? 60_000} ms`))
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `?a=1&b=2` from a list of pairs (repeated keys allowed, e.g. several `target`s). */
export function queryString(params: Array<[string, string | number]>): string {
  const u = new URLSearchParams();
  for (const [k, v] of params) u.append(k, String(v));
  return '?' + u.toString();
}

// ---- a process of our own, stopped by PID ----

/**
 * Kills `pid` with SIGKILL if this process exits first (an interrupted run, a crashed suite): a peer must not outlive
 * the run that started it. Returns the function that cancels this.
 */
export function killOnExit(pid: number, alive: () => boolean): () => void {
  const onExit = (): void => {
    if (!alive()) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', onExit);
  return () => process.removeListener('exit', onExit);
}

class OwnProcess {
  private exitCode: number | null | undefined;
  readonly exited: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    readonly logFile: string
  ) {
    const cancel = killOnExit(child.pid!, () => this.alive);
    this.exited = new Promise((r) =>
      child.once('exit', (code) => {
        this.exitCode = code;
        cancel();
        r();
      })
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  log(chars = 6000): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').slice(-chars) : '';
  }

  /** SIGTERM to our PID, SIGKILL after `graceMs`; resolves once it has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.alive) return;
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
    const timer = setTimeout(() => {
      if (this.alive) {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, cwd: REPO_ROOT },
      (err, out, errOut) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${errOut}\n${out}`.slice(0, 8000)));
        else resolve(out);
      }
    );
  });
}

// ---- graphite-web ----

export interface GraphiteWebOptions {
  /** gunicorn worker processes (sync). Default 1. */
  workers?: number;
  /** Give up waiting for graphite-web to answer after this long. Default 60 s. */
  readyTimeoutMs?: number;
}

/** Checks what setup.sh installs, with a message that says what to run. */
export function assertGraphiteWebInstalled(): void {
  const missing = [
    DEBIAN_PYTHON,
    '/usr/lib/python3/dist-packages/graphite/render/functions.py',
    '/usr/lib/python3/dist-packages/whisper.py',
    '/usr/lib/python3/dist-packages/gunicorn',
  ].filter((p) => !existsSync(p));
  if (missing.length) {
    throw new Error(`graphite-web is not installed (missing ${missing.join(', ')}): run tests/compat/setup.sh as root`);
  }
}

export class GraphiteWeb {
  private constructor(
    readonly dir: string,
    readonly whisperDir: string,
    readonly port: number,
    private readonly proc: OwnProcess,
    private readonly env: NodeJS.ProcessEnv
  ) {}

  get pid(): number {
    return this.proc.pid;
  }

  /** Writes the settings, migrates the database, starts gunicorn and waits until graphite-web answers. */
  static async start(opts: GraphiteWebOptions = {}): Promise<GraphiteWeb> {
    assertGraphiteWebInstalled();
    const dir = tempDir('graphite-web');
    const storage = join(dir, 'storage');
    const whisperDir = join(storage, 'whisper');
    mkdirSync(whisperDir, { recursive: true });
    mkdirSync(join(dir, 'log'), { recursive: true });
    const py = (s: string): string => JSON.stringify(s);
    writeFileSync(
      join(dir, 'mc_compat_settings.py'),
      [
        '# Generated by tests/compat/graphite-web.ts: a private graphite-web for the differential suite.',
        `SECRET_KEY = 'mission-control-compat-suite'`,
        `TIME_ZONE = 'UTC'`,
        `STORAGE_DIR = ${py(storage)}`,
        `WHISPER_DIR = ${py(whisperDir)}`,
        `STANDARD_DIRS = [${py(whisperDir)}]`,
        `INDEX_FILE = ${py(join(storage, 'index'))}`,
        `LOG_DIR = ${py(join(dir, 'log'))}`,
        'CARBONLINK_HOSTS = []',
        "TAGDB = 'graphite.tags.localdatabase.LocalDatabaseTagDB'",
        'FUNCTION_PLUGINS = []',
        'DEFAULT_XFILES_FACTOR = 0',
        // The defaults (3 s find, 6 s fetch) fail the benchmark's larger queries instead of timing them.
        'FIND_TIMEOUT = 600.0',
        'FETCH_TIMEOUT = 600.0',
        'DATABASES = {',
        `  'default': {'NAME': ${py(join(dir, 'graphite.db'))}, 'ENGINE': 'django.db.backends.sqlite3',`,
        "              'USER': '', 'PASSWORD': '', 'HOST': '', 'PORT': ''},",
        '}',
        '',
      ].join('\n')
    );
    const env: NodeJS.ProcessEnv = {
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: dir,
      LANG: 'C.UTF-8',
      TZ: 'UTC',
      PYTHONPATH: dir,
      PYTHONDONTWRITEBYTECODE: '1',
      GRAPHITE_SETTINGS_MODULE: 'mc_compat_settings',
      DJANGO_SETTINGS_MODULE: 'graphite.settings',
    };
    await run(DEBIAN_PYTHON, ['-m', 'django', 'migrate', '--noinput', '-v', '0'], env, 120_000);

    const port = await freePort();
    const logFile = join(dir, 'gunicorn.log');
    const fd = openSync(logFile, 'a');
    const child = spawn(
      DEBIAN_PYTHON,
      [
        '-m',
        'gunicorn',
        '--bind',
        `127.0.0.1:${port}`,
        '--workers',
        String(opts.workers ?? 1),
        '--timeout',
        '600',
        '--graceful-timeout',
        '5',
        '--chdir',
        dir,
        '--log-level',
        'warning',
        'graphite.wsgi:application',
      ],
      { env, stdio: ['ignore', fd, fd], cwd: dir }
    );
    closeSync(fd);
    if (child.pid === undefined) throw new Error('could not spawn gunicorn');
    const proc = new OwnProcess(child, logFile);
    const gw = new GraphiteWeb(dir, whisperDir, port, proc, env);
    try {
      await gw.waitReady(opts.readyTimeoutMs ?? 60_000);
    } catch (e) {
      await proc.stop(2000);
      throw e;
    }
    return gw;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.proc.alive) throw new Error(`graphite-web (gunicorn) exited during startup:\n${this.proc.log()}`);
      try {
        const r = await httpText(this.port, 'GET', '/metrics/find?query=*', { timeoutMs: 5000 });
        if (r.status === 200) return;
        last = `${r.status} ${r.text.slice(0, 500)}`;
      } catch (e) {
        last = (e as Error).message;
      }
      await sleep(100);
    }
    throw new Error(`graphite-web did not answer within ${timeoutMs} ms (last: ${last}):\n${this.proc.log()}`);
  }

  /** The gunicorn log's tail, for failure messages. */
  log(): string {
    return this.proc.log();
  }

  /**
   * Writes whisper files for `series` (replacing any of the same path) and registers series in the tag database:
   * with `tags: 'all'` (the default) every series, tagged or not, as carbon 1.1 does with its default ENABLE_TAGS =
   * True (an untagged path is a series whose only tag is its `name`; the worker's tag index holds every series too);
   * with `'tagged'` only the tagged ones. Resolves with the loader's summary.
   */
  async load(
    series: SeriesData[],
    opts: { timeoutMs?: number; tags?: 'all' | 'tagged' } = {}
  ): Promise<{ files: number; points: number; seconds: number }> {
    const work = mkdtempSync(join(this.dir, 'load-'));
    try {
      const manifest = join(work, 'manifest.jsonl');
      const valuesFile = join(work, 'values.f64');
      writeSeriesFiles(series, manifest, valuesFile);
      const out = await run(
        DEBIAN_PYTHON,
        [WHISPER_LOADER, this.whisperDir, RETENTIONS, manifest, valuesFile],
        this.env,
        opts.timeoutMs ?? 600_000
      );
      const paths = series.map((s) => s.path);
      await this.tagSeries((opts.tags ?? 'all') === 'all' ? paths : paths.filter((p) => p.includes(';')));
      return JSON.parse(out.trim().split('\n').pop()!) as { files: number; points: number; seconds: number };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  /**
   * What graphite-web's /functions would answer (name, group, params, description per function): Debian's 1.1.8 fails
   * that endpoint on Python 3.11 (inspect.getargspec), so functions_json.py reads the same data directly.
   */
  async functions(): Promise<Record<string, { name: string; group: string; params: unknown; description: string }>> {
    const out = await run(DEBIAN_PYTHON, [join(__dirname, 'functions_json.py')], this.env, 60_000);
    return parsePythonJson(out) as Record<
      string,
      { name: string; group: string; params: unknown; description: string }
    >;
  }

  /** POST /tags/tagMultiSeries, a few hundred paths at a time. */
  async tagSeries(paths: string[]): Promise<void> {
    for (let i = 0; i < paths.length; i += 200) {
      const body = new URLSearchParams();
      for (const p of paths.slice(i, i + 200)) body.append('path', p);
      const r = await httpText(this.port, 'POST', '/tags/tagMultiSeries', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        timeoutMs: 120_000,
      });
      if (r.status !== 200) throw new Error(`tagMultiSeries answered ${r.status}: ${r.text.slice(0, 2000)}`);
    }
  }

  get(path: string, timeoutMs = 120_000): Promise<HttpAnswer> {
    return httpText(this.port, 'GET', path, { timeoutMs });
  }

  /** Stops gunicorn by its PID (its workers follow) and removes the directory unless `keep`. */
  async stop(keep = false): Promise<void> {
    await this.proc.stop();
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The loader's input: a JSON-lines manifest and the values as float64 little-endian, NaN for missing points. */
function writeSeriesFiles(series: SeriesData[], manifest: string, valuesFile: string): void {
  const total = series.reduce((n, s) => n + s.values.length, 0);
  const values = new Float64Array(total);
  const lines: string[] = [];
  let off = 0;
  for (const s of series) {
    lines.push(JSON.stringify({ path: s.path, start: s.start, step: s.step, count: s.values.length }));
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      values[off++] = v === null || v === undefined ? NaN : v;
    }
  }
  writeFileSync(manifest, lines.join('\n') + '\n');
  writeFileSync(valuesFile, Buffer.from(values.buffer, values.byteOffset, values.byteLength));
}

// ---- the worker ----

export interface WorkerSideOptions {
  /** Extra YAML appended to the configuration (limits, ...). */
  extraConfig?: string;
  readyTimeoutMs?: number;
  /** Extra environment for the worker process (NODE_OPTIONS=--cpu-prof ...). */
  env?: Record<string, string>;
}

export class WorkerSide {
  private constructor(
    readonly dir: string,
    readonly proc: WorkerProcess,
    readonly key: string
  ) {}

  /** Starts the built worker with the suite's retentions and an average rollup everywhere (whisper's default). */
  static async start(opts: WorkerSideOptions = {}): Promise<WorkerSide> {
    assertWorkerBuilt();
    const dir = tempDir('worker');
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const configFile = join(dir, 'config.yaml');
    writeFileSync(
      configFile,
      [
        'storage:',
        '  schemas:',
        `    - { name: all, pattern: ".*", retentions: "${RETENTIONS}" }`,
        '  aggregation:',
        '    - { name: all, pattern: ".*", method: avg }',
        // graphite-web has no mc.* series of its own: the worker's would show in every find and tag listing.
        'selfReport: { enabled: false }',
        opts.extraConfig ?? '',
        '',
      ].join('\n')
    );
    const key = createApiKey(dataDir, ['ingest', 'read']);
    const proc = await WorkerProcess.start({
      dataDir,
      ports: await freeWorkerPorts(),
      configFile,
      logLevel: 'warn',
      readyTimeoutMs: opts.readyTimeoutMs ?? 60_000,
      ...(opts.env ? { env: opts.env } : {}),
    });
    const cancel = killOnExit(proc.pid, () => proc.alive);
    void proc.exited.then(cancel);
    return new WorkerSide(dir, proc, key);
  }

  get pid(): number {
    return this.proc.pid;
  }

  get port(): number {
    return this.proc.ports.http;
  }

  /**
   * Sends every non-null point as Graphite plaintext over TCP, `connections` batches at a time, each batch on its own
   * connection; a batch counts only once the worker acknowledged it (closed cleanly after our half-close, i.e.
   * durable). Values are written as JavaScript's shortest round-trip decimal, so the worker parses the very double
   * the whisper loader wrote.
   */
  async load(series: SeriesData[], opts: { batchBytes?: number; connections?: number } = {}): Promise<number> {
    const batches = graphiteBatches(series, opts.batchBytes ?? 4 * 1024 * 1024);
    let sent = 0;
    const errors: string[] = [];
    // The lanes share one generator: batches are made as they are sent, never all at once (the benchmark's data
    // would be half a gigabyte of text).
    const lane = async (): Promise<void> => {
      for (let b = batches.next(); !b.done && errors.length === 0; b = batches.next()) {
        const batch = b.value;
        let attempt = 0;
        for (;;) {
          const r = await sendGraphiteBatch(this.proc.ports.graphite, batch.text, 120_000);
          if (r.acked) break;
          if (++attempt >= 3 || !this.proc.alive) {
            errors.push(`a batch of ${batch.points} points was not acknowledged: ${r.reason}`);
            return;
          }
          await sleep(500);
        }
        sent += batch.points;
      }
    };
    await Promise.all(Array.from({ length: opts.connections ?? 4 }, lane));
    if (errors.length) throw new Error(`${errors[0]}\n${this.proc.output().slice(-4000)}`);
    return sent;
  }

  get(path: string, timeoutMs = 120_000): Promise<HttpAnswer> {
    return httpText(this.port, 'GET', path, { timeoutMs, headers: { authorization: `Bearer ${this.key}` } });
  }

  output(): string {
    return this.proc.output();
  }

  async stop(keep = false): Promise<void> {
    await this.proc.stop();
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}

function* graphiteBatches(series: SeriesData[], batchBytes: number): Generator<{ text: string; points: number }> {
  let parts: string[] = [];
  let size = 0;
  let points = 0;
  for (const s of series) {
    const prefix = s.path + ' ';
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (v === null || v === undefined || Number.isNaN(v)) continue;
      // String(-0) is "0"; whisper keeps the sign, so the worker must be sent it too.
      const line = `${prefix}${Object.is(v, -0) ? '-0' : v} ${s.start + i * s.step}\n`;
      parts.push(line);
      size += line.length;
      points++;
      if (size >= batchBytes) {
        yield { text: parts.join(''), points };
        parts = [];
        size = 0;
        points = 0;
      }
    }
  }
  if (points) yield { text: parts.join(''), points };
}

// ---- render answers ----

export interface RenderSeries {
  target: string;
  tags?: Record<string, string>;
  datapoints: Array<[number | null, number]>;
}

/**
 * Parses a /render?format=json answer. graphite-web's JSON is Python's `json.dumps` with `NaN,` replaced by `null,`
 * and `Infinity,` by `1e9999,` only before a comma: a NaN or infinity as a series' last value stays a bare token,
 * which is not JSON. Those tokens are mapped the same way here (NaN is a null, as graphite-web means it).
 */
export function parseRenderJson(text: string): RenderSeries[] {
  const parsed = parsePythonJson(text);
  if (!Array.isArray(parsed)) throw new Error(`not a render answer: ${text.slice(0, 300)}`);
  return parsed as RenderSeries[];
}

/** JSON as Python writes it, with bare NaN (as null) and Infinity tokens (as 1e9999, which parses to Infinity). */
export function parsePythonJson(text: string): unknown {
  return JSON.parse(
    text
      .replace(/-Infinity\b/g, '-1e9999')
      .replace(/\bInfinity\b/g, '1e9999')
      .replace(/\bNaN\b/g, 'null')
  ) as unknown;
}

export const WORKER_PREFIX = '/graphite';

/** Whether the worker serves Graphite's render API yet (the query engine lands separately). */
export async function workerRenders(worker: WorkerSide): Promise<boolean> {
  try {
    const r = await worker.get(`${WORKER_PREFIX}/render?target=nothing.here&format=json&from=-1h`, 10_000);
    return r.status === 200;
  } catch {
    return false;
  }
}

/**
 * Runs the built worker (`bin/mission-control.js`, compiled by `npm run build:worker`) as a child process on
 * 127.0.0.1, for suites that must treat it as a black box: kill it, restart it on the same data directory,
 * talk to it only over its sockets.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
/** MC_TEST_WORKER_BIN runs another build, for example one instrumented to diagnose a failure. */
const BIN = process.env.MC_TEST_WORKER_BIN ?? join(REPO_ROOT, 'bin', 'mission-control.js');
const BUILT_CLI = process.env.MC_TEST_WORKER_BIN ?? join(REPO_ROOT, 'build', 'worker', 'cli.js');

/** How much of the worker's output is kept for failure messages: its last words matter most. */
const OUTPUT_KEEP_CHARS = 64 * 1024;

export interface WorkerPorts {
  http: number;
  /** statsd, UDP and TCP. */
  statsd: number;
  /** Graphite plaintext, TCP and UDP. */
  graphite: number;
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Three distinct free ports, one per listener. */
export async function freeWorkerPorts(): Promise<WorkerPorts> {
  const seen = new Set<number>();
  const pick = async (): Promise<number> => {
    for (let i = 0; i < 20; i++) {
      const p = await freePort();
      if (!seen.has(p)) {
        seen.add(p);
        return p;
      }
    }
    throw new Error('could not find distinct free ports');
  };
  return { http: await pick(), statsd: await pick(), graphite: await pick() };
}

/** Fails early and clearly when the suite runs without `npm run build:worker`. */
export function assertWorkerBuilt(): void {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`${BUILT_CLI} is missing: run \`npm run build:worker\` before this suite`);
  }
}

/**
 * The environment for a worker child: the parent's, without MC_* settings, which would otherwise override the
 * suite's configuration file (the worker's precedence is file < environment < flags).
 */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('MC_')) env[k] = v;
  }
  return { ...env, ...extra };
}

/** `mission-control keys create`: the new key, which the command prints alone on stdout. */
export function createApiKey(dataDir: string, scopes: string[]): string {
  const out = execFileSync(
    process.execPath,
    [BIN, 'keys', 'create', '--data-dir', dataDir, '--scopes', scopes.join(',')],
    {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    }
  );
  const key = out.toString().trim();
  if (!/^\S+$/.test(key)) {
    throw new Error(`keys create printed something other than one key: ${JSON.stringify(key)}`);
  }
  return key;
}

export interface StartWorkerOptions {
  dataDir: string;
  ports: WorkerPorts;
  /** YAML configuration file passed as --config. */
  configFile?: string;
  logLevel?: string;
  /** Give up waiting for GET /readyz to answer 200 after this long (default 30 s). */
  readyTimeoutMs?: number;
  env?: Record<string, string>;
}

export class WorkerProcess {
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<WorkerExit>;
  /** Date.now() when it was spawned, answered /readyz, was last sent a signal, and when its exit was seen. */
  readonly spawnedAt = Date.now();
  readyAt: number | undefined;
  signalledAt: number | undefined;
  exitedAt: number | undefined;
  private exitInfo: WorkerExit | undefined;
  private out = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly ports: WorkerPorts
  ) {
    const keep = (d: Buffer): void => {
      this.out += d.toString();
      if (this.out.length > 2 * OUTPUT_KEEP_CHARS) this.out = this.out.slice(-OUTPUT_KEEP_CHARS);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedAt = Date.now();
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  /** Spawns `mission-control serve` and resolves once GET /readyz answers 200. */
  static async start(opts: StartWorkerOptions): Promise<WorkerProcess> {
    const args = [
      BIN,
      'serve',
      '--data-dir',
      opts.dataDir,
      '--http',
      `127.0.0.1:${opts.ports.http}`,
      '--statsd',
      `127.0.0.1:${opts.ports.statsd}`,
      '--graphite',
      `127.0.0.1:${opts.ports.graphite}`,
      '--log-level',
      opts.logLevel ?? 'info',
    ];
    if (opts.configFile) args.push('--config', opts.configFile);
    const child = spawn(process.execPath, args, { env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) {
      throw new Error('could not spawn the worker');
    }
    const worker = new WorkerProcess(child, child.pid, opts.ports);
    try {
      await worker.waitReady(opts.readyTimeoutMs ?? 30_000);
    } catch (e) {
      await worker.kill('SIGKILL');
      throw e;
    }
    return worker;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** The last part of what the worker wrote to stdout and stderr, for failure messages. */
  output(): string {
    return this.out.slice(-OUTPUT_KEEP_CHARS);
  }

  /** Sends `signal` to the spawned PID (nothing else) at once, without waiting; false if it has already exited. */
  signal(signal: NodeJS.Signals): boolean {
    if (this.exitInfo) return false;
    try {
      process.kill(this.pid, signal);
    } catch (e) {
      // ESRCH: it died on its own between the check and the signal; `exited` still resolves.
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      return false;
    }
    this.signalledAt = Date.now();
    return true;
  }

  /** Sends `signal` to the spawned PID (nothing else) and resolves once the process has exited. */
  async kill(signal: NodeJS.Signals): Promise<WorkerExit> {
    this.signal(signal);
    return this.exited;
  }

  /** SIGTERM (the worker checkpoints and exits), then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<WorkerExit> {
    if (this.exitInfo) return this.exitInfo;
    const timer = setTimeout(() => void this.kill('SIGKILL'), graceMs);
    try {
      return await this.kill('SIGTERM');
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!this.alive) {
        throw new Error(`the worker exited during startup (${JSON.stringify(this.exitInfo)}):\n${this.output()}`);
      }
      try {
        const r = await httpJson(this.ports.http, 'GET', '/readyz', undefined, { timeoutMs: 2000 });
        if (r.status === 200) {
          this.readyAt = Date.now();
          return;
        }
        last = `${r.status} ${JSON.stringify(r.body)}`;
      } catch (e) {
        last = (e as Error).message;
      }
      await sleep(25);
    }
    throw new Error(`the worker was not ready within ${timeoutMs} ms (last: ${last}):\n${this.output()}`);
  }
}

export interface JsonResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/**
 * One HTTP request to 127.0.0.1 with a JSON body and answer. A new connection every time (no keep-alive agent), so
 * that a request never goes out on a socket of a worker that has since been killed.
 */
export function httpJson(
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: { key?: string; timeoutMs?: number } = {}
): Promise<JsonResponse> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers: http.OutgoingHttpHeaders = {};
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = payload.length;
  }
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown = text;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch {
          // Not JSON: the caller sees the text.
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

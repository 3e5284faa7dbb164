/**
 * statsd: the highest UDP send rate (lines/s) that a server processes without losing a line.
 *
 * "Processed" means counted in a flush: every line the generator sends adds exactly one to its key's flushed
 * `.count` (counters of 1, one timer value each), so the lines a server processed in a step are the sum of the
 * `.count` values it flushed for the step's lines. etsy statsd flushes to a Graphite sink run here (one TCP
 * connection per flush); the worker flushes into its store, read back through its HTTP read API.
 *
 * A step sends at a fixed rate for one flush interval plus a second, starting just after a flush, so a full
 * interval's flush (the work that blocks etsy's event loop) happens while datagrams keep arriving; then it waits
 * for the first flush that begins after the last datagram, and compares. The rate doubles from the start rate
 * until a step loses lines, then is bisected (geometric mean) until the bracket is within 25%.
 */
import { type ChildProcess, fork } from 'node:child_process';
import * as net from 'node:net';
import { join } from 'node:path';

import {
  Contention,
  HOST,
  type Worker,
  cpuSeconds,
  log,
  metricValue,
  sleep,
  track,
  udpDrops,
  waitQuiet,
} from './procs';
import type { SendReport, SendRequest } from './statsd-sender';

export const FLUSH_INTERVAL_MS = 10_000;

export interface StatsdTarget {
  name: string;
  pid: number;
  udpPort: number;
  /** Sum of the flushed `.count` of the generator's keys, since the target started. */
  flushedTotal(): Promise<number>;
  /** Resolves once a flush that began at or after `t` (ms) is complete and its figures are readable. */
  flushAfter(t: number): Promise<void>;
  /** Extra figures about a step, e.g. the worker's shed counter. */
  notes?(): Promise<Record<string, number>>;
}

export interface StepResult {
  rate: number;
  sent: number;
  processed: number;
  lost: number;
  achievedRate: number;
  senderBound: boolean;
  kernelDrops: number;
  /** Server CPU over the step (1 = one core). */
  cpu: number;
  /** CPU other processes on the machine used meanwhile, in cores. */
  othersCores: number;
  notes: Record<string, number>;
  /** Date.now() when sending began and when the step's last flush was readable. */
  startedAt: number;
  endedAt: number;
}

export interface SearchResult {
  target: string;
  /** Highest rate that lost nothing (undefined if even the lowest tried lost lines). */
  maxLossless?: number;
  /** Lowest rate that lost lines (undefined if none did). */
  minLossy?: number;
  /** The sender could not reach the asked rate: the server's limit is above what was tested. */
  senderBound: boolean;
  steps: StepResult[];
}

/** The sender process. */
export class StatsdSender {
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<StatsdSender> {
    const child = fork(join(__dirname, 'statsd-sender.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    track(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`statsd sender exited with ${code}`)));
    });
    return new StatsdSender(child);
  }

  send(req: SendRequest): Promise<SendReport> {
    return new Promise((resolve) => {
      this.child.once('message', (m) => resolve(m as SendReport));
      this.child.send(req);
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** Graphite receiver for etsy's backend: totals the `.count` lines of the generator's keys, per flush. */
export class FlushSink {
  private server?: net.Server;
  private total = 0;
  private readonly flushes: Array<{ at: number; done: boolean }> = [];
  private waiters: Array<() => void> = [];

  async start(): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((r) => server.listen(0, HOST, () => r()));
    this.server = server;
    return (server.address() as net.AddressInfo).port;
  }

  get flushedTotal(): number {
    return this.total;
  }

  /** Resolves once a flush connection accepted at or after `t` has ended. */
  async flushAfter(t: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.flushes.some((f) => f.done && f.at >= t)) {
      if (Date.now() > deadline) {
        throw new Error(`no flush after ${new Date(t).toISOString()} within ${timeoutMs} ms`);
      }
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private accept(socket: net.Socket): void {
    const flush = { at: Date.now(), done: false };
    this.flushes.push(flush);
    let carry = '';
    let sum = 0;
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      const lines = (carry + text).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        sum += countOf(line);
      }
    });
    socket.on('end', () => {
      sum += countOf(carry);
      this.total += sum;
      flush.done = true;
      socket.end();
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) {
        w();
      }
    });
    socket.on('error', () => socket.destroy());
  }
}

/** The value of a `stats.{counters,timers}.app.<...>.count <value> <ts>` line, else 0. */
function countOf(line: string): number {
  if (!(line.startsWith('stats.counters.app.') || line.startsWith('stats.timers.app.'))) {
    return 0;
  }
  const sp = line.indexOf(' ');
  if (sp < 0 || !line.slice(0, sp).endsWith('.count')) {
    return 0;
  }
  return Number(line.slice(sp + 1, line.indexOf(' ', sp + 1)));
}

export function etsyTarget(pid: number, udpPort: number, sink: FlushSink): StatsdTarget {
  return {
    name: 'etsy statsd 0.9',
    pid,
    udpPort,
    flushedTotal: () => Promise.resolve(sink.flushedTotal),
    flushAfter: (t) => sink.flushAfter(t, FLUSH_INTERVAL_MS * 3),
  };
}

export function workerTarget(worker: Worker, sinceS: number): StatsdTarget {
  const base = `http://${HOST}:${worker.httpPort}`;
  const flushCount = async (): Promise<number> => metricValue(await worker.metrics(), 'mc_statsd_flush_seconds_count');
  return {
    name: 'worker',
    pid: worker.pid,
    udpPort: worker.statsdPort,
    flushedTotal: async () => {
      const res = await fetch(`${base}/api/v1/read`, {
        method: 'POST',
        headers: { authorization: `Bearer ${worker.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          targets: [
            { refId: 'counters', glob: 'stats.counters.app.*.*.*.count' },
            { refId: 'timers', glob: 'stats.timers.app.*.*.*.count' },
          ],
          from: sinceS,
          until: Math.ceil(Date.now() / 1000) + 60,
          step: FLUSH_INTERVAL_MS / 1000,
        }),
      });
      if (!res.ok) {
        throw new Error(`read failed: ${res.status} ${await res.text()}`);
      }
      const body = (await res.json()) as { results: Array<{ series: Array<{ values: Array<number | null> }> }> };
      let total = 0;
      for (const r of body.results) {
        for (const s of r.series) {
          for (const v of s.values) {
            total += v ?? 0;
          }
        }
      }
      return total;
    },
    flushAfter: async (t) => {
      // The worker flushes on the interval's boundaries (wall clock).
      const boundary = Math.ceil(t / FLUSH_INTERVAL_MS) * FLUSH_INTERVAL_MS;
      const before = await flushCount();
      await sleep(Math.max(0, boundary - Date.now()));
      const deadline = Date.now() + FLUSH_INTERVAL_MS * 2;
      while ((await flushCount()) <= before && Date.now() < deadline) {
        await sleep(100);
      }
      // The flushed batch reaches the store right after the flush is computed.
      await sleep(300);
    },
    notes: async () => {
      const m = await worker.metrics();
      return {
        received: metricValue(m, 'mc_ingest_lines_received_total', { protocol: 'statsd_udp' }),
        shed: metricValue(m, 'mc_ingest_shed_total', { protocol: 'statsd_udp' }),
        rejected: metricValue(m, 'mc_ingest_lines_rejected_total', { protocol: 'statsd_udp' }),
      };
    },
  };
}

async function runStep(target: StatsdTarget, sender: StatsdSender, rate: number): Promise<StepResult> {
  const before = await target.flushedTotal();
  const notesBefore = (await target.notes?.()) ?? {};
  const dropsBefore = udpDrops(target.udpPort);
  const cpuBefore = cpuSeconds(target.pid);
  const durationMs = FLUSH_INTERVAL_MS + 1000;
  const startedAt = Date.now();
  const contention = new Contention();
  const report = await sender.send({ port: target.udpPort, rate, durationMs });
  const othersCores = contention.othersCores();
  const sendEnd = Date.now();
  const cpu = (cpuSeconds(target.pid) - cpuBefore) / report.seconds;
  await target.flushAfter(sendEnd + 300);
  const processed = (await target.flushedTotal()) - before;
  const notesAfter = (await target.notes?.()) ?? {};
  const notes: Record<string, number> = {};
  for (const k of Object.keys(notesAfter)) {
    notes[k] = notesAfter[k]! - (notesBefore[k] ?? 0);
  }
  const achievedRate = report.lines / report.seconds;
  return {
    rate,
    sent: report.lines,
    processed,
    lost: report.lines - processed,
    achievedRate,
    senderBound: report.seconds > (durationMs / 1000) * 1.05,
    kernelDrops: udpDrops(target.udpPort) - dropsBefore,
    cpu,
    othersCores,
    notes,
    startedAt,
    endedAt: Date.now(),
  };
}

const roundRate = (r: number): number => Math.round(r / 1000) * 1000;

/** Finds the highest lossless rate, starting at `startRate`, in at most `maxSteps` steps. */
export async function searchMaxRate(
  target: StatsdTarget,
  sender: StatsdSender,
  startRate: number,
  maxSteps: number
): Promise<SearchResult> {
  const result: SearchResult = { target: target.name, senderBound: false, steps: [] };
  await waitQuiet(`statsd ${target.name}`);
  // Begin just after a flush, so the step's first flush holds a full interval.
  await target.flushAfter(Date.now());
  let rate = startRate;
  for (let i = 0; i < maxSteps; i++) {
    const step = await runStep(target, sender, rate);
    result.steps.push(step);
    log(
      `  ${target.name} @ ${rate} lines/s: sent ${step.sent}, processed ${step.processed}, lost ${step.lost}` +
        ` (kernel drops ${step.kernelDrops} datagrams), achieved ${Math.round(step.achievedRate)}/s, ` +
        `server CPU ${(100 * step.cpu).toFixed(0)}%, others ${step.othersCores.toFixed(2)} cores${Object.keys(step.notes).length ? ' ' + JSON.stringify(step.notes) : ''}`
    );
    if (step.lost === 0) {
      result.maxLossless = Math.max(result.maxLossless ?? 0, rate);
      if (step.senderBound) {
        result.senderBound = true;
        break;
      }
    } else {
      result.minLossy = Math.min(result.minLossy ?? Infinity, rate);
    }
    const lo = result.maxLossless;
    const hi = result.minLossy;
    if (lo !== undefined && hi !== undefined) {
      if (hi / lo <= 1.25) {
        break;
      }
      rate = roundRate(Math.sqrt(lo * hi));
    } else {
      rate = hi === undefined ? rate * 2 : roundRate(rate / 2);
    }
  }
  return result;
}

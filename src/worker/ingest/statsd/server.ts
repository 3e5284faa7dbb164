/**
 * statsd listener: UDP datagrams and newline-delimited TCP on one port, aggregated by StatsdAggregator and
 * flushed to the sink every flush interval, on the interval's boundaries.
 *
 * Neither protocol acknowledges anything, so a failed append is logged and its lines are counted as shed
 * ('store_error'), never retried. While the sink is overloaded, UDP datagrams are shed ('overloaded',
 * counted per datagram) and TCP connections are paused until it recovers. A TCP line may span chunks;
 * one longer than maxLineLength is rejected as 'line_too_long' and skipped up to its newline. An
 * unterminated last line before the client's FIN is taken as a line (etsy drops it).
 *
 * The flush is computed in slices (StatsdAggregator.flushAsync) so the event loop keeps reading the socket:
 * etsy loses UDP lines from ~50k lines/s because its flush blocks for 30–130 ms.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { Logger } from 'pino';

import type { WorkerMetrics } from '../../selfmetrics';
import type { AppendBatch, SampleSink } from '../../store/types';
import {
  DEFAULT_MAX_LINE_LENGTH,
  StatsdAggregator,
  type StatsdAggregatorOptions,
  type StatsdProtocol,
} from './aggregator';

export interface StatsdServerOptions extends StatsdAggregatorOptions {
  host: string;
  /** Port for both UDP and TCP; 0 picks a free port that both can use. */
  port: number;
  /** Default true. */
  udp?: boolean;
  /** Default true. */
  tcp?: boolean;
  /** UDP SO_RCVBUF requested, in bytes; the kernel caps it at net.core.rmem_max. Default 8 MiB. */
  recvBufferSize?: number;
}

export const DEFAULT_RECV_BUFFER_SIZE = 8 * 1024 * 1024;

/** How often a server paused by an overloaded sink checks whether it may read again. */
const BACKPRESSURE_POLL_MS = 10;

/** Attempts at finding a port free for both protocols when port 0 is asked for. */
const FREE_PORT_ATTEMPTS = 20;

const NEWLINE = 0x0a;

type LineCounts = Record<StatsdProtocol, number>;

export class StatsdServer {
  readonly aggregator: StatsdAggregator;
  private readonly maxLineLength: number;
  private readonly intervalMs: number;
  private udpSocket?: dgram.Socket;
  private tcpServer?: net.Server;
  private readonly connections = new Set<net.Socket>();
  private readonly paused = new Set<net.Socket>();
  private pollTimer?: NodeJS.Timeout;
  private flushTimer?: NodeJS.Timeout;
  /** Lines accepted since the last flush began, so that a failed append can count what it lost. */
  private accepted: LineCounts = { statsd_udp: 0, statsd_tcp: 0 };
  private readonly flushes = new Set<Promise<void>>();
  /** Appends run one after another, so batches reach the sink in time order. */
  private appending: Promise<void> = Promise.resolve();
  private stopping = false;
  private stopped?: Promise<void>;

  constructor(
    private readonly options: StatsdServerOptions,
    private readonly metrics: WorkerMetrics,
    private readonly sink: SampleSink,
    private readonly logger: Logger
  ) {
    this.aggregator = new StatsdAggregator(options, metrics);
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.intervalMs = options.flushIntervalMs;
  }

  async start(): Promise<{ udpPort?: number; tcpPort?: number }> {
    const { host, port } = this.options;
    const udp = this.options.udp ?? true;
    const tcp = this.options.tcp ?? true;
    let udpPort: number | undefined;
    let tcpPort: number | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        if (tcp) {
          tcpPort = await this.listenTcp(host, port);
        }
        if (udp) {
          udpPort = await this.bindUdp(host, tcp ? tcpPort! : port);
        }
        break;
      } catch (err) {
        await this.closeTcpListener();
        const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (!(port === 0 && tcp && udp && taken && attempt < FREE_PORT_ATTEMPTS)) {
          throw err;
        }
      }
    }
    this.schedule(Date.now());
    this.logger.info({ host, udpPort, tcpPort, flushIntervalMs: this.intervalMs }, 'statsd listening');
    return { udpPort, tcpPort };
  }

  /** Flushes the interval so far and appends the batch; resolves once the sink has it (or failed). */
  flush(nowMs = Date.now()): Promise<void> {
    const done = this.flushAndAppend(nowMs);
    this.flushes.add(done);
    void done.finally(() => this.flushes.delete(done));
    return done;
  }

  /** Stops receiving, flushes what was received, and resolves once that batch is appended. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.pollTimer);
    this.flushTimer = undefined;
    this.pollTimer = undefined;
    const listenerClosed = this.closeTcpListener();
    for (const socket of this.connections) {
      socket.destroy();
    }
    if (this.udpSocket) {
      const socket = this.udpSocket;
      this.udpSocket = undefined;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
    await Promise.allSettled([...this.flushes]);
    await this.flush();
    await listenerClosed;
    this.logger.info('statsd stopped');
  }

  private async flushAndAppend(nowMs: number): Promise<void> {
    const lines = this.accepted;
    this.accepted = { statsd_udp: 0, statsd_tcp: 0 };
    // flushAsync takes its snapshot before its first await, together with `lines` above.
    const batch = await this.aggregator.flushAsync(nowMs);
    if (batch.samples!.length === 0 && batch.distributions!.length === 0) {
      return;
    }
    const appended = this.appending.then(() => this.append(batch, lines));
    this.appending = appended;
    await appended;
  }

  private async append(batch: AppendBatch, lines: LineCounts): Promise<void> {
    try {
      await this.sink.append(batch);
    } catch (err) {
      this.logger.error(
        { err, samples: batch.samples!.length, distributions: batch.distributions!.length },
        'statsd flush: append failed'
      );
      for (const protocol of ['statsd_udp', 'statsd_tcp'] as const) {
        if (lines[protocol] > 0) {
          this.metrics.shed.inc({ protocol, reason: 'store_error' }, lines[protocol]);
        }
      }
    }
  }

  /**
   * Arms the timer for the next boundary after `boundary`. A timer that fires a little early still flushes
   * as of its boundary; one that fires late (a blocked loop) skips to the next boundary in the future.
   */
  private schedule(boundary: number): void {
    const now = Date.now();
    const next = Math.max(
      boundary - (boundary % this.intervalMs) + this.intervalMs,
      now - (now % this.intervalMs) + this.intervalMs
    );
    this.flushTimer = setTimeout(() => {
      if (this.stopping) {
        return;
      }
      this.schedule(next);
      this.flush(Math.max(Date.now(), next)).catch((err: unknown) => this.logger.error({ err }, 'statsd flush failed'));
    }, next - now);
  }

  private listenTcp(host: string, port: number): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        server.on('error', (err) => this.logger.error({ err }, 'statsd tcp listener error'));
        this.tcpServer = server;
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  private closeTcpListener(): Promise<void> {
    const server = this.tcpServer;
    this.tcpServer = undefined;
    if (!server) {
      return Promise.resolve();
    }
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private bindUdp(host: string, port: number): Promise<number> {
    const recvBufferSize = this.options.recvBufferSize ?? DEFAULT_RECV_BUFFER_SIZE;
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', recvBufferSize });
    return new Promise((resolve, reject) => {
      socket.once('error', (err) => {
        socket.close();
        reject(err);
      });
      socket.bind(port, host, () => {
        socket.removeAllListeners('error');
        socket.on('error', (err) => this.logger.error({ err }, 'statsd udp socket error'));
        socket.on('message', (msg) => this.receiveDatagram(msg));
        this.udpSocket = socket;
        // Linux reports twice the size it grants (bookkeeping overhead), capped by net.core.rmem_max.
        this.logger.info(
          { requested: recvBufferSize, reported: socket.getRecvBufferSize() },
          'statsd udp receive buffer'
        );
        resolve(socket.address().port);
      });
    });
  }

  private receiveDatagram(msg: Buffer): void {
    if (this.sink.overloaded()) {
      this.metrics.shed.inc({ protocol: 'statsd_udp', reason: 'overloaded' });
      return;
    }
    this.accepted.statsd_udp += this.aggregator.addPacket(msg.toString('utf8'), 'statsd_udp');
  }

  private accept(socket: net.Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    const conn = new TcpLines(
      this.maxLineLength * 3,
      (text) => {
        this.accepted.statsd_tcp += this.aggregator.addPacket(text, 'statsd_tcp');
      },
      () => {
        this.metrics.linesReceived.inc({ protocol: 'statsd_tcp' });
        this.metrics.linesRejected.inc({ protocol: 'statsd_tcp', reason: 'line_too_long' });
      }
    );
    socket.on('data', (chunk: Buffer) => {
      conn.receive(chunk);
      this.throttle(socket);
    });
    socket.on('end', () => conn.end());
    socket.on('error', (err) => this.logger.debug({ err, peer: socket.remoteAddress }, 'statsd tcp connection error'));
    socket.on('close', () => {
      this.connections.delete(socket);
      this.paused.delete(socket);
    });
  }

  /** Pauses a connection while the sink is overloaded. */
  private throttle(socket: net.Socket): void {
    if (this.stopping || !this.sink.overloaded()) {
      return;
    }
    socket.pause();
    this.paused.add(socket);
    this.pollTimer ??= setTimeout(() => this.pollBackpressure(), BACKPRESSURE_POLL_MS);
  }

  private pollBackpressure(): void {
    if (this.sink.overloaded()) {
      this.pollTimer = setTimeout(() => this.pollBackpressure(), BACKPRESSURE_POLL_MS);
      return;
    }
    this.pollTimer = undefined;
    for (const socket of this.paused) {
      socket.resume();
    }
    this.paused.clear();
  }
}

/** Reassembles one TCP stream's lines across chunks and hands on runs of complete lines as text. */
class TcpLines {
  /** Bytes of an incomplete line, kept until its newline arrives. */
  private carry?: Buffer;
  /** Inside a line already rejected as too long: bytes are dropped until the next newline. */
  private discarding = false;

  constructor(
    /** A line longer than this many bytes cannot be within maxLineLength characters (UTF-8: at most 3 per unit). */
    private readonly maxCarryBytes: number,
    private readonly lines: (text: string) => void,
    private readonly tooLong: () => void
  ) {}

  receive(chunk: Buffer): void {
    let start = 0;
    if (this.carry || this.discarding) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        this.hold(chunk);
        return;
      }
      if (this.carry) {
        this.lines(Buffer.concat([this.carry, chunk.subarray(0, newline)]).toString('utf8'));
      }
      this.carry = undefined;
      this.discarding = false;
      start = newline + 1;
    }
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline >= start) {
      this.lines(chunk.toString('utf8', start, lastNewline));
      start = lastNewline + 1;
    }
    if (start < chunk.length) {
      this.hold(chunk.subarray(start));
    }
  }

  end(): void {
    if (this.carry) {
      this.lines(this.carry.toString('utf8'));
      this.carry = undefined;
    }
  }

  /** Keeps the start of an incomplete line, or gives up on it once it cannot fit. */
  private hold(bytes: Buffer): void {
    if (this.discarding) {
      return;
    }
    const carried = this.carry ? Buffer.concat([this.carry, bytes]) : Buffer.from(bytes);
    if (carried.length > this.maxCarryBytes) {
      this.carry = undefined;
      this.discarding = true;
      this.tooLong();
      return;
    }
    this.carry = carried;
  }
}

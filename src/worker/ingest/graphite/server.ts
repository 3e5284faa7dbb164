/**
 * Graphite plaintext listener, TCP and UDP (carbon's line and udp receivers).
 *
 * TCP is the acknowledged protocol: a client that half-closes its side (FIN) and then sees the server end
 * cleanly knows every line it sent is durable. The server ends its side only after every append of that
 * connection resolved; if one failed, the connection is reset (RST) at once, so the client sees an error
 * instead of a clean close and can resend. Lines are newline-terminated; an unterminated last line before
 * the client's FIN is taken as a line (carbon would drop it silently).
 *
 * UDP is fire-and-forget: while the sink is overloaded whole datagrams are shed, counted, never queued.
 * Datagrams that arrive in one event-loop turn are appended as one batch.
 */
import { isUtf8 } from 'node:buffer';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { Logger } from 'pino';

import type { WorkerMetrics } from '../../selfmetrics';
import type { Sample, SampleSink } from '../../store/types';
import {
  GRAPHITE_REJECT_REASONS,
  type GraphiteRejectReason,
  type ParseStats,
  newParseStats,
  parseLines,
} from './parser';

export interface GraphiteServerOptions {
  host: string;
  /** Port for both TCP and UDP; 0 picks a free port for each. */
  port: number;
  tcp: boolean;
  udp: boolean;
  /** Longest accepted line in characters; longer lines are rejected as `line_too_long`. Default 16384. */
  maxLineLength?: number;
  /** UDP SO_RCVBUF in bytes (the kernel caps it at net.core.rmem_max). Default: the system's. */
  recvBufferSize?: number;
}

/** Twisted's LineOnlyReceiver.MAX_LENGTH, the longest line carbon reads. */
export const DEFAULT_MAX_LINE_LENGTH = 16384;

/** How often a server paused by an overloaded sink checks whether it may read again. */
const BACKPRESSURE_POLL_MS = 10;

/** A failing store fails every append; one log line per interval says so without flooding the log. */
const FAILURE_LOG_INTERVAL_MS = 5000;

const NEWLINE = 0x0a;

type Protocol = 'graphite_tcp' | 'graphite_udp';

interface ProtocolCounters {
  received: { inc(n?: number): void };
  accepted: { inc(n?: number): void };
  rejected: Map<GraphiteRejectReason, { inc(n?: number): void }>;
}

export class GraphiteServer {
  private readonly maxLineLength: number;
  private tcpServer?: net.Server;
  private udpSocket?: dgram.Socket;
  private readonly connections = new Set<TcpConnection>();
  private readonly paused = new Set<net.Socket>();
  private pollTimer?: NodeJS.Timeout;
  private readonly inflight = new Set<Promise<void>>();
  private readonly counters: Record<Protocol, ProtocolCounters>;
  private udpBatch: Sample[] = [];
  private udpStats = newParseStats();
  private udpFlushScheduled = false;
  private stopping = false;
  private lastFailureLog = -Infinity;
  private unloggedFailures = 0;

  constructor(
    private readonly options: GraphiteServerOptions,
    private readonly metrics: WorkerMetrics,
    private readonly sink: SampleSink,
    private readonly logger: Logger
  ) {
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.counters = { graphite_tcp: this.countersFor('graphite_tcp'), graphite_udp: this.countersFor('graphite_udp') };
  }

  async start(): Promise<{ tcpPort?: number; udpPort?: number }> {
    const { host, port } = this.options;
    let tcpPort: number | undefined;
    let udpPort: number | undefined;
    if (this.options.tcp) {
      const server = net.createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      server.on('error', (err) => this.logger.error({ err }, 'graphite tcp listener error'));
      this.tcpServer = server;
      tcpPort = (server.address() as net.AddressInfo).port;
    }
    if (this.options.udp) {
      try {
        udpPort = await this.bindUdp(host, port);
      } catch (err) {
        await this.closeTcpListener();
        throw err;
      }
    }
    this.logger.info({ host, tcpPort, udpPort }, 'graphite plaintext listening');
    return { tcpPort, udpPort };
  }

  /**
   * Stops accepting, waits for every append already made, then closes. Connections whose client had not
   * yet half-closed are reset: their unread lines were never acknowledged, so the client must resend.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    const listenerClosed = this.closeTcpListener();
    if (this.udpSocket) {
      this.udpSocket.close();
      this.udpSocket = undefined;
      this.flushUdp();
    }
    for (const conn of this.connections) {
      conn.socket.pause();
    }
    while (this.inflight.size > 0) {
      await Promise.allSettled([...this.inflight]);
    }
    for (const conn of this.connections) {
      if (!conn.clientEnded) {
        conn.socket.resetAndDestroy();
      }
    }
    await listenerClosed;
  }

  private countersFor(protocol: Protocol): ProtocolCounters {
    const rejected = new Map<GraphiteRejectReason, { inc(n?: number): void }>();
    for (const reason of GRAPHITE_REJECT_REASONS) {
      rejected.set(reason, this.metrics.linesRejected.labels({ protocol, reason }));
    }
    return {
      received: this.metrics.linesReceived.labels({ protocol }),
      accepted: this.metrics.samplesAccepted.labels({ protocol }),
      rejected,
    };
  }

  private bindUdp(host: string, port: number): Promise<number> {
    const socket = dgram.createSocket({
      type: net.isIPv6(host) ? 'udp6' : 'udp4',
      recvBufferSize: this.options.recvBufferSize,
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.logger.error({ err }, 'graphite udp socket error'));
        socket.on('message', (msg) => this.receiveDatagram(msg));
        this.udpSocket = socket;
        this.logger.debug({ recvBufferSize: socket.getRecvBufferSize() }, 'graphite udp receive buffer');
        resolve(socket.address().port);
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

  private accept(socket: net.Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    socket.setKeepAlive(true, 60_000);
    const conn = new TcpConnection(socket, this.maxLineLength, {
      submit: (samples, stats) => this.submit('graphite_tcp', samples, stats),
      throttle: () => this.throttle(socket),
    });
    this.connections.add(conn);
    socket.on('data', (chunk: Buffer) => conn.receive(chunk));
    socket.on('end', () => conn.clientEnd());
    socket.on('error', (err) =>
      this.logger.debug({ err, peer: socket.remoteAddress }, 'graphite tcp connection error')
    );
    socket.on('close', () => {
      this.connections.delete(conn);
      this.paused.delete(socket);
    });
  }

  /** Counts what a chunk held and appends its samples; resolves true once durable, false if the append failed. */
  private submit(protocol: Protocol, samples: Sample[], stats: ParseStats): Promise<boolean> | undefined {
    const counters = this.counters[protocol];
    if (stats.lines > 0) {
      counters.received.inc(stats.lines);
    }
    for (const [reason, n] of stats.rejected) {
      counters.rejected.get(reason)?.inc(n);
    }
    if (samples.length === 0) {
      return undefined;
    }
    const appended = this.sink.append({ samples });
    this.inflight.add(appended);
    // Only the count is kept for the fsync's callback: the samples (and the chunk their names slice) can go now.
    const accepted = samples.length;
    return appended.then(
      () => {
        this.inflight.delete(appended);
        counters.accepted.inc(accepted);
        return true;
      },
      (err: unknown) => {
        this.inflight.delete(appended);
        this.logAppendFailure(err, protocol);
        return false;
      }
    );
  }

  private logAppendFailure(err: unknown, protocol: Protocol): void {
    const now = Date.now();
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) {
      this.unloggedFailures++;
      return;
    }
    this.logger.error({ err, protocol, failuresSinceLastLog: this.unloggedFailures }, 'graphite append failed');
    this.lastFailureLog = now;
    this.unloggedFailures = 0;
  }

  /** Pauses a connection while the sink is overloaded. */
  private throttle(socket: net.Socket): void {
    if (this.stopping || !this.sink.overloaded()) {
      return;
    }
    socket.pause();
    this.paused.add(socket);
    if (!this.pollTimer) {
      this.pollTimer = setTimeout(() => this.pollBackpressure(), BACKPRESSURE_POLL_MS);
    }
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

  private receiveDatagram(msg: Buffer): void {
    if (this.sink.overloaded()) {
      this.metrics.shed.inc({ protocol: 'graphite_udp', reason: 'overloaded' });
      return;
    }
    parseBytes(msg, Date.now(), this.maxLineLength, this.udpBatch, this.udpStats);
    if (!this.udpFlushScheduled) {
      this.udpFlushScheduled = true;
      setImmediate(() => this.flushUdp());
    }
  }

  private flushUdp(): void {
    this.udpFlushScheduled = false;
    const samples = this.udpBatch;
    const stats = this.udpStats;
    this.udpBatch = [];
    this.udpStats = newParseStats();
    void this.submit('graphite_udp', samples, stats)?.then((ok) => {
      if (!ok) {
        this.metrics.shed.inc({ protocol: 'graphite_udp', reason: 'store_error' }, samples.length);
      }
    });
  }
}

interface ConnectionHooks {
  submit(samples: Sample[], stats: ParseStats): Promise<boolean> | undefined;
  throttle(): void;
}

/**
 * One TCP client: reassembles lines across chunks. When the client half-closes and everything
 * it sent is durable, the server answers one line, `ok <lines> <rejected>`, and ends its side.
 * The line, not the close, is the acknowledgement: when a process dies the kernel closes its
 * sockets with an ordinary FIN, so a bare close cannot tell "stored" from "killed before storing".
 */
class TcpConnection {
  /** Bytes of an incomplete line, kept until its newline arrives. */
  private carry?: Buffer;
  /** Inside a line already rejected as too long: bytes are dropped until the next newline. */
  private discarding = false;
  private pending = 0;
  private failed = false;
  private lines = 0;
  private rejected = 0;
  clientEnded = false;
  /** A line longer than this many bytes cannot be within maxLineLength characters (UTF-8: at most 3 per unit). */
  private readonly maxCarryBytes: number;

  constructor(
    readonly socket: net.Socket,
    private readonly maxLineLength: number,
    private readonly hooks: ConnectionHooks
  ) {
    this.maxCarryBytes = maxLineLength * 3;
  }

  receive(chunk: Buffer): void {
    if (this.failed) {
      return;
    }
    const now = Date.now();
    const samples: Sample[] = [];
    const stats = newParseStats();
    let start = 0;
    if (this.carry || this.discarding) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        this.hold(chunk, stats);
        this.submit(samples, stats);
        return;
      }
      if (this.carry) {
        parseBytes(Buffer.concat([this.carry, chunk.subarray(0, newline)]), now, this.maxLineLength, samples, stats);
      }
      this.carry = undefined;
      this.discarding = false;
      start = newline + 1;
    }
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline >= start) {
      parseBytes(chunk.subarray(start, lastNewline + 1), now, this.maxLineLength, samples, stats);
      start = lastNewline + 1;
    }
    if (start < chunk.length) {
      this.hold(chunk.subarray(start), stats);
    }
    this.submit(samples, stats);
  }

  clientEnd(): void {
    this.clientEnded = true;
    if (this.carry && !this.failed) {
      const samples: Sample[] = [];
      const stats = newParseStats();
      parseBytes(this.carry, Date.now(), this.maxLineLength, samples, stats);
      this.carry = undefined;
      this.submit(samples, stats);
    }
    this.finishIfDone();
  }

  /** Keeps the start of an incomplete line, or gives up on it once it cannot fit. */
  private hold(bytes: Buffer, stats: ParseStats): void {
    if (this.discarding) {
      return;
    }
    const carried = this.carry ? Buffer.concat([this.carry, bytes]) : Buffer.from(bytes);
    if (carried.length > this.maxCarryBytes) {
      this.carry = undefined;
      this.discarding = true;
      stats.lines++;
      stats.rejected.set('line_too_long', (stats.rejected.get('line_too_long') ?? 0) + 1);
      return;
    }
    this.carry = carried;
  }

  private submit(samples: Sample[], stats: ParseStats): void {
    this.lines += stats.lines;
    for (const n of stats.rejected.values()) this.rejected += n;
    const appended = this.hooks.submit(samples, stats);
    if (!appended) {
      return;
    }
    this.pending++;
    void appended.then((ok) => {
      this.pending--;
      if (!ok && !this.failed) {
        this.failed = true;
        this.socket.resetAndDestroy();
      }
      this.finishIfDone();
    });
    this.hooks.throttle();
  }

  private finishIfDone(): void {
    if (this.clientEnded && this.pending === 0 && !this.failed) {
      this.socket.end(`ok ${this.lines} ${this.rejected}\n`);
    }
  }
}

/**
 * Parses complete lines from bytes. Valid UTF-8, the normal case, is checked once for the whole range;
 * otherwise each line is checked on its own so that one bad byte costs only its line.
 */
function parseBytes(bytes: Buffer, nowMs: number, maxLineLength: number, samples: Sample[], stats: ParseStats): void {
  if (isUtf8(bytes)) {
    parseLines(bytes.toString('utf8'), nowMs, maxLineLength, samples, stats);
    return;
  }
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end < 0) {
      end = bytes.length;
    }
    const line = bytes.subarray(start, end);
    if (isUtf8(line)) {
      parseLines(line.toString('utf8'), nowMs, maxLineLength, samples, stats);
    } else {
      stats.lines++;
      stats.rejected.set('bad_encoding', (stats.rejected.get('bad_encoding') ?? 0) + 1);
    }
    start = end + 1;
  }
}

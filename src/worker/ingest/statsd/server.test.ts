import * as dgram from 'node:dgram';
import * as net from 'node:net';
import pino from 'pino';

import { WorkerMetrics } from '../../selfmetrics';
import type { AppendBatch, SampleSink } from '../../store/types';
import { formatTaggedPath } from '../labels';
import { StatsdServer, type StatsdServerOptions } from './server';

class MemorySink implements SampleSink {
  readonly batches: AppendBatch[] = [];
  overload = false;
  fail = false;

  async append(batch: AppendBatch): Promise<void> {
    if (this.fail) {
      throw new Error('disk full');
    }
    this.batches.push(batch);
  }

  overloaded(): boolean {
    return this.overload;
  }

  /** Every flushed value by Graphite path; later batches overwrite earlier ones. */
  values(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const b of this.batches) {
      for (const s of b.samples ?? []) {
        out[formatTaggedPath(s.name, s.labels)] = s.v;
      }
    }
    return out;
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function metric(
  m: { get(): Promise<{ values: Array<{ labels: Record<string, string | number>; value: number }> }> },
  labels: Record<string, string>
): Promise<number> {
  let sum = 0;
  for (const v of (await m.get()).values) {
    if (Object.entries(labels).every(([k, x]) => v.labels[k] === x)) {
      sum += v.value;
    }
  }
  return sum;
}

interface Harness {
  server: StatsdServer;
  sink: MemorySink;
  metrics: WorkerMetrics;
  logs: string[];
  udpPort: number;
  tcpPort: number;
}

const servers: StatsdServer[] = [];

async function start(options: Partial<StatsdServerOptions> = {}): Promise<Harness> {
  const sink = new MemorySink();
  const metrics = new WorkerMetrics({ processMetrics: false });
  const logs: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(line) });
  const server = new StatsdServer(
    { host: '127.0.0.1', port: 0, flushIntervalMs: 60_000, ...options },
    metrics,
    sink,
    logger
  );
  servers.push(server);
  const { udpPort, tcpPort } = await server.start();
  return { server, sink, metrics, logs, udpPort: udpPort!, tcpPort: tcpPort! };
}

function sendUdp(port: number, text: string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.send(text, port, '127.0.0.1', (err) => {
      socket.close();
      if (err) {
        reject(err);
      } else {
        resolve();
      }
    });
  });
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

function write(socket: net.Socket, text: string | Buffer): Promise<void> {
  return new Promise((resolve) => socket.write(text, () => resolve()));
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('StatsdServer', () => {
  it('listens for UDP and TCP on the same port and aggregates both', async () => {
    const h = await start();
    expect(h.udpPort).toBe(h.tcpPort);
    await sendUdp(h.udpPort, 'hits:1|c\nload:2|g\nlat:5|ms|#env:prod');
    const tcp = await connect(h.tcpPort);
    await write(tcp, 'hits:2|c\nlat:7|ms|#env:prod\n');
    tcp.end();
    await until(async () => (await metric(h.metrics.linesReceived, {})) === 5);
    await h.server.flush();
    expect(h.sink.values()).toMatchObject({
      'stats.counters.hits.count': 3,
      'stats.gauges.load': 2,
      'stats.timers.lat.upper;env=prod': 7,
    });
    expect(h.sink.batches[0]!.distributions).toHaveLength(1);
    expect(await metric(h.metrics.samplesAccepted, { protocol: 'statsd_udp' })).toBe(3);
    expect(await metric(h.metrics.samplesAccepted, { protocol: 'statsd_tcp' })).toBe(2);
  });

  it('reassembles TCP lines across chunks, skips overlong lines and reads a last line without newline', async () => {
    const h = await start({ maxLineLength: 1000 });
    const tcp = await connect(h.tcpPort);
    await write(tcp, 'a:1|');
    await write(tcp, 'c\nb:');
    // Within the carry buffer (3 bytes per character) but over maxLineLength: rejected once complete.
    await write(tcp, Buffer.from('2|g\nlong:' + 'x'.repeat(1500)));
    await write(tcp, 'z|c\nc:3|c\r\nu:caf\u00e9|s\n');
    await write(tcp, 'last:4|c');
    tcp.end();
    await until(async () => (await metric(h.metrics.linesReceived, { protocol: 'statsd_tcp' })) === 6);
    expect(await metric(h.metrics.linesRejected, { reason: 'line_too_long' })).toBe(1);
    await h.server.flush();
    expect(h.sink.values()).toMatchObject({
      'stats.counters.a.count': 1,
      'stats.gauges.b': 2,
      'stats.counters.c.count': 3,
      'stats.sets.u.count': 1,
      'stats.counters.last.count': 4,
    });
  });

  it('counts a line too long for the carry buffer as soon as it is known', async () => {
    const h = await start({ maxLineLength: 100 });
    const tcp = await connect(h.tcpPort);
    await write(tcp, 'k:' + '1'.repeat(1000));
    await until(async () => (await metric(h.metrics.linesRejected, { reason: 'line_too_long' })) === 1);
    await write(tcp, '|c\nok:1|c\n');
    await until(async () => (await metric(h.metrics.samplesAccepted, {})) === 1);
    expect(await metric(h.metrics.linesReceived, {})).toBe(2);
    tcp.destroy();
  });

  it('flushes on interval boundaries by itself', async () => {
    const h = await start({ flushIntervalMs: 200 });
    await sendUdp(h.udpPort, 'tick:1|c');
    await until(() => h.sink.batches.length > 0);
    const t = h.sink.batches[0]!.samples![0]!.t;
    expect(t % 200).toBe(0);
    expect(h.sink.values()['stats.counters.tick.count']).toBe(1);
    await until(() => h.sink.batches.length > 1);
    expect(h.sink.batches[1]!.samples![0]!.t).toBeGreaterThan(t);
    expect(h.sink.values()['stats.counters.tick.count']).toBe(0);
  });

  it('flushes once more on stop, and closes both listeners', async () => {
    const h = await start();
    await sendUdp(h.udpPort, 'final:9|c');
    await until(async () => (await metric(h.metrics.linesReceived, {})) === 1);
    await h.server.stop();
    expect(h.sink.values()['stats.counters.final.count']).toBe(9);
    await expect(connect(h.tcpPort)).rejects.toThrow();
  });

  it('sheds UDP datagrams and pauses TCP connections while the sink is overloaded', async () => {
    const h = await start();
    h.sink.overload = true;
    await sendUdp(h.udpPort, 'u:1|c\nu:1|c');
    await until(async () => (await metric(h.metrics.shed, { protocol: 'statsd_udp', reason: 'overloaded' })) === 1);
    const tcp = await connect(h.tcpPort);
    await write(tcp, 't:1|c\n');
    await until(async () => (await metric(h.metrics.linesReceived, { protocol: 'statsd_tcp' })) === 1);
    await write(tcp, 't:1|c\n');
    await new Promise((r) => setTimeout(r, 100));
    expect(await metric(h.metrics.linesReceived, { protocol: 'statsd_tcp' })).toBe(1);
    h.sink.overload = false;
    await until(async () => (await metric(h.metrics.linesReceived, { protocol: 'statsd_tcp' })) === 2);
    expect(await metric(h.metrics.linesReceived, { protocol: 'statsd_udp' })).toBe(0);
    tcp.destroy();
  });

  it('logs and counts a failed append, and keeps running', async () => {
    const h = await start();
    h.sink.fail = true;
    await sendUdp(h.udpPort, 'a:1|c\nb:1|c\nbad');
    await until(async () => (await metric(h.metrics.linesReceived, {})) === 3);
    await h.server.flush();
    expect(await metric(h.metrics.shed, { protocol: 'statsd_udp', reason: 'store_error' })).toBe(2);
    expect(h.logs.some((l) => l.includes('append failed'))).toBe(true);
    h.sink.fail = false;
    await sendUdp(h.udpPort, 'a:5|c');
    await until(async () => (await metric(h.metrics.linesReceived, {})) === 4);
    await h.server.flush();
    expect(h.sink.values()['stats.counters.a.count']).toBe(5);
  });

  it('can listen on one protocol only', async () => {
    const sink = new MemorySink();
    const server = new StatsdServer(
      { host: '127.0.0.1', port: 0, flushIntervalMs: 60_000, udp: false },
      new WorkerMetrics({ processMetrics: false }),
      sink,
      pino({ level: 'silent' })
    );
    servers.push(server);
    const ports = await server.start();
    expect(ports.udpPort).toBeUndefined();
    expect(ports.tcpPort).toBeGreaterThan(0);
  });
});

import * as dgram from 'node:dgram';
import * as net from 'node:net';
import pino from 'pino';

import { WorkerMetrics } from '../../selfmetrics';
import type { AppendBatch, Sample, SampleSink } from '../../store/types';
import { GraphiteServer } from './server';

/** A sink whose appends resolve only when the test says so (or at once with `autoResolve`). */
class FakeSink implements SampleSink {
  batches: Sample[][] = [];
  settlers: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  isOverloaded = false;
  private waiters: Array<() => void> = [];

  constructor(private readonly autoResolve = true) {}

  append(batch: AppendBatch): Promise<void> {
    this.batches.push(batch.samples ?? []);
    const settled = new Promise<void>((resolve, reject) => {
      this.settlers.push({ resolve, reject });
      if (this.autoResolve) {
        resolve();
      }
    });
    for (const wake of this.waiters.splice(0)) {
      wake();
    }
    return settled;
  }

  overloaded(): boolean {
    return this.isOverloaded;
  }

  get samples(): Sample[] {
    return this.batches.flat();
  }

  /** Resolves once at least `n` samples arrived. */
  async waitForSamples(n: number): Promise<void> {
    while (this.samples.length < n) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const logger = pino({ level: 'silent' });
const servers: GraphiteServer[] = [];

async function startServer(
  sink: SampleSink,
  opts: { maxLineLength?: number } = {}
): Promise<{ server: GraphiteServer; metrics: WorkerMetrics; tcpPort: number; udpPort: number }> {
  const metrics = new WorkerMetrics({ processMetrics: false });
  const server = new GraphiteServer(
    { host: '127.0.0.1', port: 0, tcp: true, udp: true, ...opts },
    metrics,
    sink,
    logger
  );
  servers.push(server);
  const { tcpPort, udpPort } = await server.start();
  return { server, metrics, tcpPort: tcpPort!, udpPort: udpPort! };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function counter(
  metric: { get(): Promise<{ values: Array<{ labels: Record<string, string | number>; value: number }> }> },
  labels: Record<string, string>
): Promise<number> {
  const { values } = await metric.get();
  const found = values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
  return found?.value ?? 0;
}

interface Client {
  socket: net.Socket;
  /** Resolves when the server ended its side cleanly; rejects on a reset. */
  closed: Promise<'end'>;
  ended: () => boolean;
  /** What the server wrote back: its acknowledgement line. */
  answer: () => string;
}

async function connect(port: number): Promise<Client> {
  const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let serverEnded = false;
  let answer = '';
  socket.on('data', (d: Buffer) => (answer += d.toString()));
  const closed = new Promise<'end'>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('end', () => {
      serverEnded = true;
    });
    socket.on('close', (hadError) =>
      hadError ? undefined : serverEnded ? resolve('end') : reject(new Error('closed'))
    );
    socket.resume();
  });
  closed.catch(() => undefined);
  return { socket, closed, ended: () => serverEnded, answer: () => answer };
}

function write(socket: net.Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve())));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sendUdp(port: number, payload: string): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) =>
    socket.send(payload, port, '127.0.0.1', (err) => {
      socket.close();
      return err ? reject(err) : resolve();
    })
  );
}

describe('GraphiteServer over TCP', () => {
  it('reassembles a line split across chunks', async () => {
    const sink = new FakeSink();
    const { tcpPort } = await startServer(sink);
    const client = await connect(tcpPort);
    await write(client.socket, 'servers.web1.load 0.5 17000');
    await sleep(30);
    await write(client.socket, '00000\nservers.web2.load;dc=eu;az=a 1.5 1700000001\n');
    client.socket.end();
    await client.closed;
    expect(sink.samples).toEqual([
      { name: 'servers.web1.load', labels: {}, t: 1_700_000_000_000, v: 0.5 },
      { name: 'servers.web2.load', labels: { az: 'a', dc: 'eu' }, t: 1_700_000_001_000, v: 1.5 },
    ]);
  });

  it('keeps good lines around bad ones and counts each line and rejection', async () => {
    const sink = new FakeSink();
    const { tcpPort, metrics } = await startServer(sink);
    const client = await connect(tcpPort);
    await write(
      client.socket,
      [
        'a 1 1700000000',
        'a x 1700000000',
        'b;bad 2 1700000000',
        '',
        'c 3 1700000000 extra',
        'd nan 1700000000',
        'e 5 1700000000',
        '',
      ].join('\n')
    );
    await write(
      client.socket,
      Buffer.concat([Buffer.from('f\xff 6 1700000000\n', 'latin1'), Buffer.from('g 7 1700000000\n')])
    );
    client.socket.end();
    await client.closed;
    expect(sink.samples.map((s) => s.name)).toEqual(['a', 'e', 'g']);
    expect(client.answer()).toBe('ok 8 5\n');
    const tcp = { protocol: 'graphite_tcp' };
    expect(await counter(metrics.linesReceived, tcp)).toBe(8);
    expect(await counter(metrics.samplesAccepted, tcp)).toBe(3);
    for (const reason of ['bad_value', 'bad_tag', 'too_many_fields', 'nan_value', 'bad_encoding']) {
      expect(await counter(metrics.linesRejected, { ...tcp, reason })).toBe(1);
    }
    expect(await counter(metrics.linesRejected, { ...tcp, reason: 'missing_fields' })).toBe(0);
  });

  it('rejects an over-long line once, even when it spans many chunks, and reads on after it', async () => {
    const sink = new FakeSink();
    const { tcpPort, metrics } = await startServer(sink, { maxLineLength: 100 });
    const client = await connect(tcpPort);
    await write(client.socket, 'a 1 1700000000\n' + 'x'.repeat(250));
    await sleep(20);
    await write(client.socket, 'y'.repeat(400));
    await sleep(20);
    await write(client.socket, 'z 1 1700000000\nb 2 1700000000\n');
    client.socket.end();
    await client.closed;
    expect(sink.samples.map((s) => s.name)).toEqual(['a', 'b']);
    expect(await counter(metrics.linesRejected, { protocol: 'graphite_tcp', reason: 'line_too_long' })).toBe(1);
    expect(await counter(metrics.linesReceived, { protocol: 'graphite_tcp' })).toBe(3);
  });

  it('takes an unterminated last line when the client ends', async () => {
    const sink = new FakeSink();
    const { tcpPort } = await startServer(sink);
    const client = await connect(tcpPort);
    await write(client.socket, 'a 1 1700000000\nb 2 1700000000');
    client.socket.end();
    await client.closed;
    expect(sink.samples.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('ends its side only after every append of the connection is durable', async () => {
    const sink = new FakeSink(false);
    const { tcpPort } = await startServer(sink);
    const client = await connect(tcpPort);
    await write(client.socket, 'a 1 1700000000\n');
    await sink.waitForSamples(1);
    await write(client.socket, 'b 2 1700000000\n');
    await sink.waitForSamples(2);
    client.socket.end();
    await sleep(100);
    expect(client.ended()).toBe(false);
    sink.settlers[1].resolve();
    await sleep(50);
    expect(client.ended()).toBe(false);
    sink.settlers[0].resolve();
    await expect(client.closed).resolves.toBe('end');
    expect(client.answer()).toBe('ok 2 0\n');
  });

  it('resets the connection when an append fails, so the client knows to resend', async () => {
    const sink = new FakeSink(false);
    const { tcpPort, metrics } = await startServer(sink);
    const client = await connect(tcpPort);
    await write(client.socket, 'a 1 1700000000\n');
    await sink.waitForSamples(1);
    client.socket.end();
    sink.settlers[0].reject(new Error('disk full'));
    await expect(client.closed).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(client.answer()).toBe('');
    expect(await counter(metrics.samplesAccepted, { protocol: 'graphite_tcp' })).toBe(0);
  });

  it('stops reading while the sink is overloaded and resumes when it clears', async () => {
    const sink = new FakeSink();
    sink.isOverloaded = true;
    const { tcpPort } = await startServer(sink);
    const client = await connect(tcpPort);
    await write(client.socket, 'a 1 1700000000\n');
    await sink.waitForSamples(1);
    await write(client.socket, 'b 2 1700000000\n');
    await sleep(100);
    expect(sink.samples).toHaveLength(1);
    sink.isOverloaded = false;
    await sink.waitForSamples(2);
    client.socket.end();
    await client.closed;
    expect(sink.samples.map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('on stop, finishes acknowledged connections and resets the others', async () => {
    const sink = new FakeSink(false);
    const { server, tcpPort } = await startServer(sink);
    const finishing = await connect(tcpPort);
    const open = await connect(tcpPort);
    await write(finishing.socket, 'a 1 1700000000\n');
    await write(open.socket, 'b 2 1700000000\n');
    await sink.waitForSamples(2);
    finishing.socket.end();
    let stopped = false;
    const stopping = server.stop().then(() => (stopped = true));
    await sleep(50);
    expect(stopped).toBe(false);
    sink.settlers.forEach((s) => s.resolve());
    await stopping;
    await expect(finishing.closed).resolves.toBe('end');
    await expect(open.closed).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('GraphiteServer over UDP', () => {
  it('reads several lines per datagram and counts the bad ones', async () => {
    const sink = new FakeSink();
    const { udpPort, metrics } = await startServer(sink);
    await sendUdp(udpPort, 'a 1 1700000000\nb;x=1 2 1700000000\r\nbroken\nc 3 1700000000');
    await sendUdp(udpPort, 'd 4 1700000000\n');
    await sink.waitForSamples(4);
    expect(sink.samples.map((s) => s.name).sort()).toEqual(['a', 'b', 'c', 'd']);
    const udp = { protocol: 'graphite_udp' };
    expect(await counter(metrics.linesReceived, udp)).toBe(5);
    expect(await counter(metrics.linesRejected, { ...udp, reason: 'missing_fields' })).toBe(1);
    expect(await counter(metrics.samplesAccepted, udp)).toBe(4);
  });

  it('sheds whole datagrams while the sink is overloaded', async () => {
    const sink = new FakeSink();
    const { udpPort, metrics } = await startServer(sink);
    sink.isOverloaded = true;
    await sendUdp(udpPort, 'a 1 1700000000\nb 2 1700000000\n');
    await sleep(50);
    sink.isOverloaded = false;
    await sendUdp(udpPort, 'c 3 1700000000\n');
    await sink.waitForSamples(1);
    expect(sink.samples.map((s) => s.name)).toEqual(['c']);
    expect(await counter(metrics.shed, { protocol: 'graphite_udp', reason: 'overloaded' })).toBe(1);
    expect(await counter(metrics.linesReceived, { protocol: 'graphite_udp' })).toBe(1);
  });
});

describe('GraphiteServer lifecycle', () => {
  it('listens only on the protocols asked for', async () => {
    const metrics = new WorkerMetrics({ processMetrics: false });
    const server = new GraphiteServer(
      { host: '127.0.0.1', port: 0, tcp: false, udp: true },
      metrics,
      new FakeSink(),
      logger
    );
    servers.push(server);
    const ports = await server.start();
    expect(ports.tcpPort).toBeUndefined();
    expect(ports.udpPort).toBeGreaterThan(0);
  });

  it('fails to start when the port is taken', async () => {
    const { tcpPort } = await startServer(new FakeSink());
    const metrics = new WorkerMetrics({ processMetrics: false });
    const second = new GraphiteServer(
      { host: '127.0.0.1', port: tcpPort, tcp: true, udp: false },
      metrics,
      new FakeSink(),
      logger
    );
    await expect(second.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

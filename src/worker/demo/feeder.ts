/**
 * `serve --demo`: feeds the worker's own statsd and Graphite listeners with traffic shaped like
 * a small production setup, so a new user sees live graphs at once and the real ingest path
 * (sockets, parsers, statsd flushes) is what draws them.
 *
 * - Graphite plaintext every 10 s: a few hosts with CPU, memory, disk, load and network counters.
 * - statsd every second: an application's request timings per endpoint, status codes, sign-ups.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { Logger } from 'pino';

export interface DemoTarget {
  statsd: { host: string; port: number };
  graphite: { host: string; port: number };
}

const HOSTS = ['web1', 'web2', 'web3', 'db1'];
const ENDPOINTS: Array<{ name: string; rate: number; medianMs: number }> = [
  { name: 'home', rate: 40, medianMs: 35 },
  { name: 'search', rate: 25, medianMs: 120 },
  { name: 'login', rate: 8, medianMs: 80 },
  { name: 'checkout', rate: 3, medianMs: 300 },
];

/** A value that wanders within [lo, hi] the way a real gauge does. */
class Walk {
  constructor(
    private v: number,
    private readonly lo: number,
    private readonly hi: number,
    private readonly step: number
  ) {}

  next(): number {
    this.v = Math.min(this.hi, Math.max(this.lo, this.v + (Math.random() - 0.5) * 2 * this.step));
    return this.v;
  }
}

/** Log-normal sample with the given median: request latencies have a long right tail. */
function latency(medianMs: number): number {
  const z = Math.sqrt(-2 * Math.log(Math.random() || 1e-9)) * Math.cos(2 * Math.PI * Math.random());
  return Math.round(medianMs * Math.exp(0.6 * z));
}

function loopback(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
}

export class DemoFeeder {
  private readonly udp = dgram.createSocket('udp4');
  private timers: NodeJS.Timeout[] = [];
  private readonly cpu = new Map(HOSTS.map((h) => [h, new Walk(25, 2, 95, 6)]));
  private readonly mem = new Map(HOSTS.map((h) => [h, new Walk(4e9, 1e9, 7.5e9, 5e7)]));
  private readonly disk = new Map(HOSTS.map((h) => [h, 40 + Math.random() * 20]));
  private readonly net = new Map(HOSTS.map((h) => [h, 0]));
  private activeUsers = new Walk(300, 50, 2000, 20);

  constructor(
    private readonly target: DemoTarget,
    private readonly logger: Logger
  ) {}

  start(): void {
    this.sendHosts();
    this.timers.push(setInterval(() => this.sendApp(), 1000));
    this.timers.push(setInterval(() => this.sendHosts(), 10_000));
    for (const t of this.timers) t.unref();
    this.logger.info({ target: this.target }, 'demo traffic started');
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.udp.close();
  }

  private sendApp(): void {
    const lines: string[] = [];
    for (const e of ENDPOINTS) {
      const n = Math.max(0, Math.round(e.rate * (0.7 + Math.random() * 0.6)));
      for (let i = 0; i < n; i++) {
        lines.push(`app.request.${e.name}:${latency(e.medianMs)}|ms|#env:prod`);
        const status = Math.random() < 0.01 ? '500' : Math.random() < 0.03 ? '404' : '200';
        lines.push(`app.response.${e.name}.${status}:1|c|#env:prod`);
      }
    }
    if (Math.random() < 0.3) lines.push('app.signups:1|c|#env:prod');
    lines.push(`app.users.active:${Math.round(this.activeUsers.next())}|g`);
    const host = loopback(this.target.statsd.host);
    // Keep datagrams under a typical MTU, as statsd clients do.
    let packet = '';
    const flush = (): void => {
      if (packet) this.udp.send(packet, this.target.statsd.port, host);
      packet = '';
    };
    for (const l of lines) {
      if (packet.length + l.length + 1 > 1400) flush();
      packet += (packet ? '\n' : '') + l;
    }
    flush();
  }

  private sendHosts(): void {
    const ts = Math.floor(Date.now() / 1000);
    let text = '';
    for (const h of HOSTS) {
      const user = this.cpu.get(h)!.next();
      const system = Math.min(100 - user, user * 0.3);
      const disk = this.disk.get(h)! + Math.random() * 0.01;
      this.disk.set(h, disk);
      const bytes = this.net.get(h)! + Math.round(1e6 + Math.random() * 4e6);
      this.net.set(h, bytes);
      text +=
        `servers.${h}.cpu.user ${user.toFixed(1)} ${ts}\n` +
        `servers.${h}.cpu.system ${system.toFixed(1)} ${ts}\n` +
        `servers.${h}.cpu.idle ${(100 - user - system).toFixed(1)} ${ts}\n` +
        `servers.${h}.memory.used ${Math.round(this.mem.get(h)!.next())} ${ts}\n` +
        `servers.${h}.disk.root.used_percent ${disk.toFixed(2)} ${ts}\n` +
        `servers.${h}.load.1min ${(user / 25).toFixed(2)} ${ts}\n` +
        `servers.${h}.network.eth0.rx_bytes ${bytes} ${ts}\n`;
    }
    const sock = net.connect(this.target.graphite.port, loopback(this.target.graphite.host));
    sock.on('error', (err) => this.logger.warn({ err }, 'demo: graphite send failed'));
    sock.end(text);
  }
}

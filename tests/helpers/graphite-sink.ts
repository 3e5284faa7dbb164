/**
 * A Graphite plaintext receiver for tests: records every `name value timestamp` line, grouped by TCP
 * connection. etsy statsd's Graphite backend opens one connection per flush, so a connection is a flush.
 */
import * as net from 'node:net';

export interface GraphiteLine {
  name: string;
  /** The value as sent; etsy writes JavaScript's shortest round-trip form, so Number() of it is exact. */
  value: string;
  ts: number;
}

export class GraphiteSink {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly completed: GraphiteLine[][] = [];
  private readonly waiters: Array<(lines: GraphiteLine[]) => void> = [];

  /** Listens on 127.0.0.1 and resolves with the port. */
  async start(): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return (server.address() as net.AddressInfo).port;
  }

  /** The lines of the next connection to end (one already ended and not yet taken, if any). */
  nextConnection(timeoutMs: number): Promise<GraphiteLine[]> {
    const ready = this.completed.shift();
    if (ready) {
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no Graphite connection ended within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (lines: GraphiteLine[]): void => {
        clearTimeout(timer);
        resolve(lines);
      };
      this.waiters.push(waiter);
    });
  }

  /** Forgets connections that ended and were not taken. */
  discardCompleted(): void {
    this.completed.length = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      const lines: GraphiteLine[] = [];
      for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
        if (line === '') {
          continue;
        }
        const [name, value, ts] = line.split(' ');
        lines.push({ name: name!, value: value!, ts: Number(ts) });
      }
      const waiter = this.waiters.shift();
      if (waiter) {
        waiter(lines);
      } else {
        this.completed.push(lines);
      }
      socket.end();
    });
    socket.on('close', () => this.sockets.delete(socket));
  }
}

/**
 * Runs the real etsy statsd 0.9 (npm devDependency `statsd`) as a child process on 127.0.0.1, ingesting
 * over its TCP server (lossless and ordered, unlike UDP) with its management port on loopback too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtsyStatsd {
  pid: number;
  /** Port of the TCP ingest server. */
  port: number;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts etsy statsd with `config` (its config file keys) plus the listener settings, and resolves once
 * its TCP server accepts connections.
 */
export async function startEtsyStatsd(config: Record<string, unknown>): Promise<EtsyStatsd> {
  const port = await freePort();
  const mgmtPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'etsy-statsd-'));
  const file = join(dir, 'config.js');
  const full = {
    ...config,
    servers: [{ server: './servers/tcp', address: '127.0.0.1', port }],
    mgmt_address: '127.0.0.1',
    mgmt_port: mgmtPort,
    // Keeps the process title (so it is found by PID, not renamed) and ignores edits of the config file.
    title: false,
    automaticConfigReload: false,
  };
  writeFileSync(file, JSON.stringify(full));
  const child: ChildProcess = spawn(process.execPath, [require.resolve('statsd/stats.js'), file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));

  const stop = async (): Promise<void> => {
    if (alive) {
      process.kill(child.pid!, 'SIGTERM');
      const killer = setTimeout(() => alive && process.kill(child.pid!, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (!alive) {
      await stop();
      throw new Error(`etsy statsd exited during startup:\n${output}`);
    }
    if (await accepts(port)) {
      break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`etsy statsd did not listen on ${port}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { pid: child.pid!, port, output: () => output, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

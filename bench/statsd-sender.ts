/**
 * A statsd client in its own process, so that the benchmark's own event loop never paces the traffic. It
 * builds the generator's datagrams once, then on each request sends them over UDP at the asked rate (lines/s)
 * for the asked time, in 1 ms ticks, and answers with exactly how many lines and datagrams it sent.
 *
 * Protocol over the IPC channel: { port, rate, durationMs } → SendReport.
 */
import * as dgram from 'node:dgram';

import { statsdPackets } from './generator';

export interface SendRequest {
  port: number;
  /** Lines per second. */
  rate: number;
  durationMs: number;
}

export interface SendReport {
  lines: number;
  packets: number;
  seconds: number;
  /** Datagrams whose send failed locally (never left this process). */
  sendErrors: number;
}

const POOL_LINES = 400_000;
/** Sends in flight beyond which the sender waits: a sender that cannot keep up shows as a lower achieved rate. */
const MAX_IN_FLIGHT = 4096;

const pool = statsdPackets(POOL_LINES);
let next = 0;

async function send(req: SendRequest): Promise<SendReport> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.connect(req.port, '127.0.0.1', () => r()));
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  const totalDue = Math.round((req.rate * req.durationMs) / 1000);
  let lines = 0;
  let packets = 0;
  let inFlight = 0;
  let sendErrors = 0;
  const sent = (err: Error | null): void => {
    inFlight--;
    if (err) {
      sendErrors++;
    }
  };
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(totalDue, Math.round(req.rate * elapsed()));
      while (lines < due && inFlight < MAX_IN_FLIGHT) {
        const i = next;
        next = (next + 1) % pool.packets.length;
        inFlight++;
        socket.send(pool.packets[i]!, sent);
        lines += pool.lines[i]!;
        packets++;
      }
      if (lines >= totalDue || elapsed() * 1000 > req.durationMs * 3) {
        resolve();
        return;
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  while (inFlight > 0) {
    await new Promise((r) => setTimeout(r, 1));
  }
  const seconds = elapsed();
  socket.close();
  return { lines, packets, seconds, sendErrors: sendErrors };
}

process.on('message', (msg: SendRequest) => {
  void send(msg).then((report) => process.send!(report));
});
process.send!({ ready: true, keys: pool.keys });

/**
 * Sending Graphite plaintext over TCP as fast as the receiver takes it.
 *
 * Each sender opens its own connection, writes its chunks (waiting for 'drain' when the socket buffer is full,
 * so the receiver sets the pace), half-closes with end() and waits for the receiver to close its side. The
 * worker closes only once everything received on the connection is durable (WAL fsynced); carbon-cache closes
 * as soon as it has read and parsed everything (points in its in-memory cache, not yet on disk).
 */
import * as net from 'node:net';

import { HOST } from './procs';

/** Where a sender's bytes come from: pre-generated chunks, or a generator called until it returns undefined. */
export type ChunkSource = Buffer[] | (() => Buffer | undefined);

export interface BlastResult {
  /** From the first byte written to the last connection closed by the receiver. */
  seconds: number;
  bytes: number;
  /** Seconds until each sender had handed its last byte to the kernel, after the first byte. */
  writtenSeconds: number;
}

export async function blast(port: number, sources: ChunkSource[]): Promise<BlastResult> {
  const sockets = await Promise.all(
    sources.map(
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect({ port, host: HOST, noDelay: true }, () => resolve(s));
          s.once('error', reject);
        })
    )
  );
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  let bytes = 0;
  let writtenSeconds = 0;
  await Promise.all(
    sockets.map(async (socket, i) => {
      const source = sources[i]!;
      const next = Array.isArray(source) ? arrayCursor(source) : source;
      const closed = new Promise<void>((resolve, reject) => {
        socket.once('close', (hadError) => (hadError ? reject(new Error('connection reset')) : resolve()));
        socket.once('error', reject);
      });
      for (let chunk = next(); chunk; chunk = next()) {
        bytes += chunk.length;
        if (!socket.write(chunk)) {
          await new Promise<void>((r) => socket.once('drain', () => r()));
        }
      }
      socket.end();
      writtenSeconds = Math.max(writtenSeconds, elapsed());
      // Keep reading so that the receiver's FIN is seen.
      socket.resume();
      await closed;
    })
  );
  return { seconds: elapsed(), bytes, writtenSeconds };
}

function arrayCursor(chunks: Buffer[]): () => Buffer | undefined {
  let i = 0;
  return () => chunks[i++];
}

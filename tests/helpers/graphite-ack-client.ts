/**
 * A Graphite plaintext sender that knows whether the worker acknowledged its lines: it sends a batch on a fresh TCP
 * connection, half-closes, and counts the batch as acknowledged only when the server answers its `ok <lines>
 * <rejected>` line and ends cleanly. A bare close is not enough: a killed worker's sockets are closed by the kernel
 * with an ordinary FIN. A reset, an error, a close without the line or no answer in time means "not acknowledged":
 * the lines may or may not have been stored.
 */
import * as net from 'node:net';

export type GraphiteBatchResult = { acked: true } | { acked: false; reason: string };

export function sendGraphiteBatch(port: number, payload: string, timeoutMs = 15_000): Promise<GraphiteBatchResult> {
  return new Promise((resolve) => {
    let settled = false;
    let serverEnded = false;
    let failure: string | undefined;
    const finish = (result: GraphiteBatchResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      failure ??= `no clean close within ${timeoutMs} ms`;
      socket.destroy();
    }, timeoutMs);
    socket.on('connect', () => {
      socket.end(payload);
    });
    let answer = '';
    socket.on('data', (d: Buffer) => {
      answer += d.toString();
    });
    socket.on('end', () => {
      serverEnded = true;
      // allowHalfOpen keeps Node from ending for us; we already did, so release the socket.
      socket.destroy();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      failure ??= err.code ?? err.message;
    });
    socket.on('close', (hadError) => {
      if (serverEnded && !hadError && failure === undefined && /^ok \d+ \d+\n$/.test(answer)) finish({ acked: true });
      else if (serverEnded && !hadError && failure === undefined) finish({ acked: false, reason: 'closed without ok' });
      else finish({ acked: false, reason: failure ?? (serverEnded ? 'error after end' : 'closed without end') });
    });
  });
}

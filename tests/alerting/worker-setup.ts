/**
 * A real worker for the end-to-end suites: its configuration (one-second resolution so rules see data at once, an
 * SMTP server, a provisioning folder) and a feeder that keeps writing the values a test sets, as a live host would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { httpJson } from '../helpers/worker-process';

export function writeWorkerFiles(dir: string, opts: { provisioning: string; smtpPort?: number }): string {
  const provisioningDir = path.join(dir, 'alerting');
  fs.mkdirSync(provisioningDir, { recursive: true });
  fs.writeFileSync(path.join(provisioningDir, 'rules.yaml'), opts.provisioning);
  const file = path.join(dir, 'worker.yaml');
  fs.writeFileSync(
    file,
    [
      'storage:',
      '  schemas:',
      '    - { name: all, pattern: ".*", retentions: "1s:1d,1m:7d" }',
      ...(opts.smtpPort
        ? [`smtp: { host: 127.0.0.1, port: ${opts.smtpPort}, from: "Mission Control <mc@example.com>" }`]
        : []),
      'alerting:',
      '  provisioningDir: ./alerting',
      '',
    ].join('\n')
  );
  return file;
}

/** Writes every series' current value once per `everyMs` through the HTTP write API. */
export class Feeder {
  readonly values = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private port: number,
    private readonly key: string,
    private readonly everyMs = 300
  ) {}

  set(name: string, value: number): void {
    this.values.set(name, value);
  }

  /** After a restart the worker listens on the same port; a new one can be given. */
  retarget(port: number): void {
    this.port = port;
  }

  start(): void {
    const tick = () => {
      const t = Date.now() / 1000;
      const items = [...this.values].map(([name, v]) => ({ name, points: [[t, v]] }));
      // A worker being killed and restarted refuses connections for a while: that is expected, not a failure.
      this.inFlight = httpJson(this.port, 'POST', '/api/v1/write', items, { key: this.key, timeoutMs: 2000 }).catch(
        () => undefined
      );
    };
    tick();
    this.timer = setInterval(tick, this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }
}

/**
 * kill -9 while alerts are firing: the restarted worker resumes from the stored states, so the alert is not sent
 * again and its recovery still arrives, once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  WorkerProcess,
  assertWorkerBuilt,
  createApiKey,
  freeWorkerPorts,
  httpJson,
  sleep,
} from '../helpers/worker-process';
import { HttpReceiver, waitFor } from './receivers';
import { Feeder, writeWorkerFiles } from './worker-setup';

jest.setTimeout(120_000);

describe('restart', () => {
  let dir: string;
  let worker: WorkerProcess | undefined;
  let feeder: Feeder | undefined;
  const hooks = new HttpReceiver();

  beforeAll(async () => {
    assertWorkerBuilt();
    await hooks.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-restart-'));
  });

  afterAll(async () => {
    await feeder?.stop();
    await worker?.kill('SIGKILL');
    await hooks.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends no duplicate after kill -9 and still sends the recoveries', async () => {
    // A 30 s window: the feeder's writes fail while the worker is down, and that gap must not read as "no data".
    const configFile = writeWorkerFiles(dir, {
      provisioning: `
notifiers:
  - { name: hook, type: webhook, settings: { url: "${hooks.url('/hook')}" } }
groups:
  - name: fast
    interval: 1s
    notifiers: [hook]
    rules:
      - { uid: cpu, title: CPU high, target: "servers.*.cpu", window: 30s, condition: { op: above, threshold: 90 } }
`,
    });
    const dataDir = path.join(dir, 'data');
    const key = createApiKey(dataDir, ['ingest', 'read']);
    const ports = await freeWorkerPorts();
    worker = await WorkerProcess.start({ dataDir, ports, configFile });
    feeder = new Feeder(ports.http, key);
    feeder.set('servers.web1.cpu', 95);
    feeder.set('servers.web2.cpu', 97);
    feeder.start();

    type Body = { kind: string; alerts: Array<{ key: string }> };
    const sent = (kind: string, host: string) =>
      hooks.on('/hook').filter((r) => {
        const b = r.body as Body;
        return b.kind === kind && b.alerts[0]!.key === `name="servers.${host}.cpu"`;
      });
    await waitFor('both alerts', () =>
      sent('firing', 'web1').length && sent('firing', 'web2').length ? true : undefined
    );
    // Evaluations go on every second while both fire; the back-off holds the next message for 5 minutes.
    await sleep(2500);
    const before = await httpJson(ports.http, 'GET', '/api/v1/alerting/instances?state=alerting', undefined, { key });
    expect((before.body as { instances: unknown[] }).instances).toHaveLength(2);

    const exit = await worker.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    worker = await WorkerProcess.start({ dataDir, ports, configFile });
    // Several evaluations after the restart, still firing: nothing new.
    await sleep(4000);
    expect(sent('firing', 'web1')).toHaveLength(1);
    expect(sent('firing', 'web2')).toHaveLength(1);
    const after = await httpJson(ports.http, 'GET', '/api/v1/alerting/instances?state=alerting', undefined, { key });
    expect(
      (after.body as { instances: Array<{ notifications: number }> }).instances.map((i) => i.notifications)
    ).toEqual([1, 1]);

    // web1 recovers while the worker runs; web2 recovers while it is down, and is owed its recovery after.
    feeder.set('servers.web1.cpu', 10);
    await waitFor('the recovery of web1', () => sent('recovered', 'web1')[0]);
    // Killed while web2 still fires, not in the instant between a receiver accepting web1's recovery and the worker
    // storing that it did: delivery is at least once, and a crash in that instant repeats the message.
    await sleep(1500);
    await worker.kill('SIGKILL');
    feeder.set('servers.web2.cpu', 10);
    await sleep(1000);
    worker = await WorkerProcess.start({ dataDir, ports, configFile });
    await waitFor('the recovery of web2', () => sent('recovered', 'web2')[0]);
    await sleep(3000);
    expect(sent('recovered', 'web1')).toHaveLength(1);
    expect(sent('recovered', 'web2')).toHaveLength(1);
    expect(sent('firing', 'web1')).toHaveLength(1);
    expect(sent('firing', 'web2')).toHaveLength(1);
  });
});

/**
 * Against a real Alertmanager 0.25 (Debian's prometheus-alertmanager, installed by tests/alerting/setup.sh and run by
 * hand on 127.0.0.1 with its own storage and configuration): the worker's alertmanager notifier posts to
 * /api/v2/alerts, Alertmanager lists the alert and later sees it resolved, and the payload our `alertmanager` webhook
 * format sends has the shape of the one Alertmanager itself sends to a webhook.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  WorkerProcess,
  assertWorkerBuilt,
  createApiKey,
  freePort,
  freeWorkerPorts,
} from '../../helpers/worker-process';
import { HttpReceiver, waitFor } from '../receivers';
import { Feeder, writeWorkerFiles } from '../worker-setup';

jest.setTimeout(120_000);

const BINARY = '/usr/bin/prometheus-alertmanager';

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

describe('Alertmanager 0.25', () => {
  let dir: string;
  let am: ChildProcess | undefined;
  let amPort: number;
  let amOutput = '';
  let worker: WorkerProcess | undefined;
  let feeder: Feeder | undefined;
  const hooks = new HttpReceiver();

  beforeAll(async () => {
    if (!fs.existsSync(BINARY)) throw new Error(`${BINARY} is missing: run tests/alerting/run.sh, which installs it`);
    assertWorkerBuilt();
    await hooks.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-am-'));
    amPort = await freePort();
    const amConfig = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(
      amConfig,
      [
        'route:',
        '  receiver: hook',
        '  group_by: [alertname]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: hook',
        '    webhook_configs:',
        `      - { url: "${hooks.url('/from-alertmanager')}", send_resolved: true }`,
        '',
      ].join('\n')
    );
    am = spawn(
      BINARY,
      [
        `--config.file=${amConfig}`,
        `--storage.path=${path.join(dir, 'am-data')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        // No gossip: a lone instance on loopback.
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    am.stdout!.on('data', (d: Buffer) => (amOutput += d.toString()));
    am.stderr!.on('data', (d: Buffer) => (amOutput += d.toString()));
    await waitFor('Alertmanager to be ready', () =>
      fetch(`http://127.0.0.1:${amPort}/-/ready`).then(
        (r) => (r.ok ? true : undefined),
        () => undefined
      )
    ).catch((e: Error) => {
      throw new Error(`${e.message}:\n${amOutput}`);
    });

    const configFile = writeWorkerFiles(dir, {
      provisioning: `
notifiers:
  - { name: am, type: alertmanager, settings: { url: "http://127.0.0.1:${amPort}" } }
  - { name: amhook, type: webhook, settings: { url: "${hooks.url('/ours')}", format: alertmanager } }
groups:
  - name: e2e
    interval: 1s
    notifiers: [am, amhook]
    rules:
      - uid: cpu-high
        title: CPU high
        target: servers.*.cpu
        window: 5s
        condition: { op: above, threshold: 90 }
        labels: { severity: page }
        annotations: { summary: "CPU on {{ $labels.name }} is {{ $value }}" }
        runbookUrl: https://runbooks.example.com/cpu
`,
    });
    const dataDir = path.join(dir, 'data');
    const key = createApiKey(dataDir, ['ingest']);
    worker = await WorkerProcess.start({ dataDir, ports: await freeWorkerPorts(), configFile });
    feeder = new Feeder(worker.ports.http, key);
  });

  afterAll(async () => {
    await feeder?.stop();
    await worker?.kill('SIGKILL');
    if (am && am.exitCode === null) {
      const exited = new Promise((r) => am!.once('exit', r));
      am.kill('SIGTERM');
      await exited;
    }
    await hooks.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const listed = async (): Promise<AmAlert[]> => {
    const r = await fetch(`http://127.0.0.1:${amPort}/api/v2/alerts`);
    return (await r.json()) as AmAlert[];
  };

  it('accepts the alerts, lists them, and resolves them', async () => {
    feeder!.set('servers.web1.cpu', 95);
    feeder!.set('servers.web2.cpu', 20);
    feeder!.start();

    const alerts = await waitFor('the alert listed by Alertmanager', async () => {
      const ours = (await listed()).filter((a) => a.labels.alertname === 'CPU high');
      return ours.length > 0 ? ours : undefined;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      labels: { alertname: 'CPU high', name: 'servers.web1.cpu', severity: 'page', rule_uid: 'cpu-high' },
      annotations: { summary: 'CPU on servers.web1.cpu is 95', runbook_url: 'https://runbooks.example.com/cpu' },
      status: { state: 'active' },
    });
    // Still firing: re-sent on every evaluation with an expiry a few intervals ahead, which Alertmanager keeps moving.
    expect(Date.parse(alerts[0]!.endsAt)).toBeGreaterThan(Date.now());

    // Alertmanager's own webhook carries the alert to its receiver; ours has the same shape.
    const theirs = await waitFor("Alertmanager's webhook", () => hooks.on('/from-alertmanager')[0]);
    const ours = await waitFor('our Alertmanager-format webhook', () => hooks.on('/ours')[0]);
    const shape = (body: unknown) => {
      const b = body as Record<string, unknown> & { alerts: Array<Record<string, unknown>> };
      return { top: Object.keys(b).sort(), alert: Object.keys(b.alerts[0]!).sort() };
    };
    expect(shape(ours.body)).toEqual(shape(theirs.body));
    const pick = (body: unknown) => {
      const b = body as {
        version: string;
        status: string;
        groupLabels: unknown;
        commonLabels: unknown;
        commonAnnotations: unknown;
        alerts: Array<{ status: string; labels: unknown; annotations: unknown; endsAt: string }>;
      };
      return {
        version: b.version,
        status: b.status,
        groupLabels: b.groupLabels,
        commonLabels: b.commonLabels,
        commonAnnotations: b.commonAnnotations,
        alerts: b.alerts.map((a) => ({
          status: a.status,
          labels: a.labels,
          annotations: a.annotations,
          endsAt: a.endsAt,
        })),
      };
    };
    expect(pick(ours.body)).toEqual(pick(theirs.body));

    feeder!.set('servers.web1.cpu', 10);
    await waitFor('the resolved webhook from Alertmanager', () =>
      hooks.on('/from-alertmanager').find((r) => (r.body as { status: string }).status === 'resolved')
    );
    await waitFor('Alertmanager to stop listing the alert as active', async () =>
      (await listed()).some((a) => a.labels.alertname === 'CPU high' && a.status.state === 'active') ? undefined : true
    );
  });
});

/**
 * Alert and recovery end to end, against the built worker on loopback: a real SMTP server receives both mails with
 * the 24 h and 7 d graphs inline; webhooks receive the documented JSON and Alertmanager's v4 payload; Slack and the
 * Twilio- and Vonage-style SMS APIs receive their requests; the API shows notifier secrets masked; "send test" works.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { PNG } from 'pngjs';

import { WorkerProcess, assertWorkerBuilt, createApiKey, freeWorkerPorts, httpJson } from '../helpers/worker-process';
import { HttpReceiver, SmtpReceiver, waitFor, type ReceivedMail } from './receivers';
import { Feeder, writeWorkerFiles } from './worker-setup';

jest.setTimeout(120_000);

const provisioning = (h: HttpReceiver) => `
notifiers:
  - { name: mail, type: smtp, settings: { to: [ops@example.com] } }
  - { name: hook, type: webhook, settings: { url: "${h.url('/hook')}", bearerToken: s3cret-token } }
  - { name: amhook, type: webhook, settings: { url: "${h.url('/amhook')}", format: alertmanager } }
  - { name: slack, type: slack, settings: { url: "${h.url('/slack/T000/B000/s3cret-path')}", channel: "#ops" } }
  - name: twilio
    type: sms
    settings: { provider: twilio, baseUrl: "${h.url('/twilio')}", accountSid: AC123, authToken: s3cret-twilio, from: "+15550100", to: ["+15550101"] }
  - name: vonage
    type: sms
    settings: { provider: vonage, baseUrl: "${h.url('/vonage')}", apiKey: key1, apiSecret: s3cret-vonage, from: MC, to: ["+15550102"] }
groups:
  - name: e2e
    interval: 1s
    notifiers: [mail, hook, amhook, slack, twilio, vonage]
    rules:
      - uid: cpu-high
        title: CPU high
        target: servers.*.cpu
        window: 5s
        reducer: last
        condition: { op: above, threshold: 90, recoveryThreshold: 80 }
        labels: { severity: page }
        annotations: { summary: "CPU on {{ $labels.name }} is {{ $value }}" }
        runbookUrl: https://runbooks.example.com/cpu
`;

describe('notifications end to end', () => {
  let dir: string;
  let worker: WorkerProcess | undefined;
  let feeder: Feeder | undefined;
  const hooks = new HttpReceiver();
  const smtp = new SmtpReceiver();
  let readKey: string;
  let adminKey: string;

  beforeAll(async () => {
    assertWorkerBuilt();
    await hooks.start();
    await smtp.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-notify-'));
    const configFile = writeWorkerFiles(dir, { provisioning: provisioning(hooks), smtpPort: smtp.port });
    const dataDir = path.join(dir, 'data');
    readKey = createApiKey(dataDir, ['read']);
    adminKey = createApiKey(dataDir, ['ingest', 'admin']);
    worker = await WorkerProcess.start({ dataDir, ports: await freeWorkerPorts(), configFile });
    feeder = new Feeder(worker.ports.http, adminKey);
  });

  afterAll(async () => {
    await feeder?.stop();
    await worker?.kill('SIGKILL');
    await hooks.close();
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const mail = (subject: string) => waitFor(`a mail "${subject}"`, () => smtp.mails.find((m) => m.subject === subject));

  it('sends the alert to every notifier, then the recovery', async () => {
    feeder!.set('servers.web1.cpu', 95);
    feeder!.set('servers.web2.cpu', 20);
    feeder!.start();

    const alertMail = await mail('[ALERT] CPU high (servers.web1.cpu)');
    expect(alertMail.to).toEqual(['ops@example.com']);
    expectGraphs(alertMail);
    const text = alertMail.parts.find((p) => p.headers['content-type']?.startsWith('text/plain'))!.body.toString();
    expect(text).toContain('CPU high [servers.web1.cpu]: alerting, 95 (last over 5s) >= 90');
    expect(text).toContain('summary: CPU on servers.web1.cpu is 95');
    expect(text).toContain('Runbook: https://runbooks.example.com/cpu');

    const hook = await waitFor('the JSON webhook', () => hooks.on('/hook')[0]);
    expect(hook.headers.authorization).toBe('Bearer s3cret-token');
    expect(hook.body).toEqual({
      receiver: 'hook',
      kind: 'firing',
      at: expect.any(Number),
      alerts: [
        {
          status: 'firing',
          rule: { uid: 'cpu-high', title: 'CPU high', group: 'e2e', type: 'alert' },
          key: 'name="servers.web1.cpu"',
          labels: { name: 'servers.web1.cpu', severity: 'page', alertname: 'CPU high', rule_uid: 'cpu-high' },
          annotations: { summary: 'CPU on servers.web1.cpu is 95' },
          state: 'alerting',
          value: 95,
          reason: '95 (last over 5s) >= 90',
          target: 'servers.*.cpu',
          condition: { op: 'above', threshold: 90, recoveryThreshold: 80 },
          runbookUrl: 'https://runbooks.example.com/cpu',
          startsAt: expect.any(Number),
          endsAt: null,
          notification: 1,
        },
      ],
    });

    const am = await waitFor('the Alertmanager-format webhook', () => hooks.on('/amhook')[0]);
    expect(am.body).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'amhook',
      groupLabels: { alertname: 'CPU high' },
      commonLabels: { alertname: 'CPU high', name: 'servers.web1.cpu', severity: 'page', rule_uid: 'cpu-high' },
      truncatedAlerts: 0,
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'CPU high', name: 'servers.web1.cpu' },
          annotations: { summary: 'CPU on servers.web1.cpu is 95', runbook_url: 'https://runbooks.example.com/cpu' },
          endsAt: '0001-01-01T00:00:00Z',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      ],
    });

    const slack = await waitFor('the Slack message', () => hooks.on('/slack')[0]);
    expect(slack.body).toMatchObject({ channel: '#ops', text: '[ALERT] CPU high (servers.web1.cpu)' });

    const twilio = await waitFor('the Twilio SMS', () => hooks.on('/twilio')[0]);
    expect(twilio.path).toBe('/twilio/2010-04-01/Accounts/AC123/Messages.json');
    expect(twilio.headers.authorization).toBe(`Basic ${Buffer.from('AC123:s3cret-twilio').toString('base64')}`);
    expect(twilio.body).toEqual({
      To: '+15550101',
      From: '+15550100',
      Body: '[ALERT] CPU high (servers.web1.cpu): 95 (last over 5s) >= 90',
    });
    const vonage = await waitFor('the Vonage SMS', () => hooks.on('/vonage')[0]);
    expect(vonage.path).toBe('/vonage/sms/json');
    expect(vonage.body).toMatchObject({ api_key: 'key1', api_secret: 's3cret-vonage', from: 'MC', to: '+15550102' });

    // Between threshold and recovery threshold: still alerting, nothing new.
    feeder!.set('servers.web1.cpu', 85);
    await new Promise((r) => setTimeout(r, 3000));
    expect(smtp.mails.filter((m) => m.subject.startsWith('[RECOVERED]'))).toHaveLength(0);

    feeder!.set('servers.web1.cpu', 50);
    const recovery = await mail('[RECOVERED] CPU high (servers.web1.cpu)');
    expectGraphs(recovery);
    const resolvedHook = await waitFor('the resolved webhook', () =>
      hooks.on('/hook').find((r) => (r.body as { kind: string }).kind === 'recovered')
    );
    expect(resolvedHook.body).toMatchObject({
      alerts: [{ status: 'resolved', value: expect.any(Number), endsAt: expect.any(Number) }],
    });
    // At or under the recovery threshold (a one-second bucket may average the last 85 with the first 50).
    expect((resolvedHook.body as { alerts: Array<{ value: number }> }).alerts[0]!.value).toBeLessThanOrEqual(80);
    const resolvedAm = await waitFor('the resolved Alertmanager webhook', () =>
      hooks.on('/amhook').find((r) => (r.body as { status: string }).status === 'resolved')
    );
    expect(resolvedAm.body).toMatchObject({
      alerts: [{ status: 'resolved', endsAt: expect.stringMatching(/^20\d\d-/) }],
    });

    // One alert and one recovery per notifier, nothing for web2.
    expect(smtp.mails.map((m) => m.subject)).toEqual([
      '[ALERT] CPU high (servers.web1.cpu)',
      '[RECOVERED] CPU high (servers.web1.cpu)',
    ]);
    expect(hooks.on('/hook')).toHaveLength(2);
  });

  it('shows the states and history through the API', async () => {
    const rule = await httpJson(worker!.ports.http, 'GET', '/api/v1/alerting/rules/cpu-high', undefined, {
      key: readKey,
    });
    expect(rule.status).toBe(200);
    expect(rule.body).toMatchObject({ provisioned: true, states: { ok: 3 } });
    const history = await httpJson(worker!.ports.http, 'GET', '/api/v1/alerting/history?rule=cpu-high', undefined, {
      key: readKey,
    });
    const transitions = (history.body as { transitions: Array<{ key: string; from: string; to: string }> }).transitions;
    expect(transitions.filter((t) => t.key === 'name="servers.web1.cpu"').map((t) => t.to)).toEqual(['ok', 'alerting']);
    const metrics = (await httpJson(worker!.ports.http, 'GET', '/metrics')).body as string;
    expect(metrics).toContain('mc_alert_notifications_total{notifier="mail",kind="firing",outcome="sent"} 1');
    expect(metrics).toContain('mc_alert_instances{state="ok"} 3');
    expect(metrics).toMatch(/mc_alert_rule_evaluation_seconds_count\{group="e2e"\} \d+/);
  });

  it('never shows secrets back, refuses to change provisioned notifiers, and sends a test', async () => {
    const r = await httpJson(worker!.ports.http, 'GET', '/api/v1/alerting/notifiers', undefined, { key: readKey });
    expect(r.status).toBe(200);
    const text = JSON.stringify(r.body);
    for (const secret of ['s3cret-token', 's3cret-path', 's3cret-twilio', 's3cret-vonage'])
      expect(text).not.toContain(secret);
    const byName = Object.fromEntries(
      (
        r.body as {
          notifiers: Array<{
            spec: { name: string; settings: Record<string, unknown> };
            secureFields: string[];
            provisioned: boolean;
          }>;
        }
      ).notifiers.map((n) => [n.spec.name, n])
    );
    expect(byName.hook).toMatchObject({
      provisioned: true,
      secureFields: ['bearerToken'],
      spec: { settings: { bearerToken: '********' } },
    });
    expect(byName.slack!.spec.settings.url).toBe('********');
    expect(byName.twilio!.secureFields).toEqual(['authToken']);

    const put = await httpJson(
      worker!.ports.http,
      'POST',
      '/api/v1/alerting/notifiers',
      { name: 'hook', type: 'webhook', settings: { url: 'http://127.0.0.1:9/' } },
      { key: adminKey }
    );
    expect(put.status).toBe(409);

    const test = await httpJson(worker!.ports.http, 'POST', '/api/v1/alerting/notifiers/hook/test', undefined, {
      key: adminKey,
    });
    expect(test).toMatchObject({ status: 200, body: { ok: true } });
    expect(hooks.on('/hook').at(-1)!.body).toMatchObject({
      kind: 'test',
      alerts: [{ rule: { title: 'Test notification' } }],
    });
    const testMail = await httpJson(worker!.ports.http, 'POST', '/api/v1/alerting/notifiers/mail/test', undefined, {
      key: adminKey,
    });
    expect(testMail.body).toEqual({ ok: true });
    await mail('[TEST] Test notification');
  });
});

/** Both graphs inline as PNG images, referenced from the HTML part, with the threshold drawn in red. */
function expectGraphs(m: ReceivedMail): void {
  const images = m.parts.filter((p) => p.headers['content-type']?.startsWith('image/png'));
  expect(images.map((p) => p.headers['content-id'])).toEqual(['<graph-24h>', '<graph-7d>']);
  const html = m.parts.find((p) => p.headers['content-type']?.startsWith('text/html'))!.body.toString();
  expect(html).toContain('cid:graph-24h');
  expect(html).toContain('cid:graph-7d');
  const [day, week] = images.map((p) => PNG.sync.read(p.body));
  expect([day!.width, day!.height, week!.width, week!.height]).toEqual([800, 200, 800, 120]);
  const red = (png: PNG) => {
    let n = 0;
    for (let i = 0; i < png.data.length; i += 4)
      if (png.data[i] === 214 && png.data[i + 1] === 39 && png.data[i + 2] === 40) n++;
    return n;
  };
  expect(red(day!)).toBeGreaterThan(500);
  expect(red(week!)).toBeGreaterThan(500);
}

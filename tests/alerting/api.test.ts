/**
 * The alerting HTTP API on a worker started in this process: rules, groups and notifiers (CRUD, validation with the
 * field at fault, provisioned ones read-only, scopes), the rule preview, instances, silences and acknowledgements,
 * and secrets that are never shown back yet kept when the mask is sent back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openCatalog } from '../../src/worker/catalog/db';
import { createKey } from '../../src/worker/catalog/keys';
import { loadConfig } from '../../src/worker/config/load';
import { startWorker, type RunningWorker } from '../../src/worker/main';
import { httpJson } from '../helpers/worker-process';
import { HttpReceiver, waitFor } from './receivers';
import { writeWorkerFiles } from './worker-setup';

jest.setTimeout(60_000);

describe('alerting API', () => {
  let dir: string;
  let worker: RunningWorker;
  let port: number;
  let read: string;
  let admin: string;
  const hooks = new HttpReceiver();

  const call = (method: 'GET' | 'POST', p: string, body?: unknown, key = admin) =>
    httpJson(port, method, p, body, { key });
  const send = async (method: 'PUT' | 'DELETE', p: string, body?: unknown, key = admin) => {
    const r = await fetch(`http://127.0.0.1:${port}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  beforeAll(async () => {
    await hooks.start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-api-'));
    const file = writeWorkerFiles(dir, {
      provisioning: `
groups:
  - name: provisioned
    interval: 1min
    rules:
      - { uid: prov-rule, title: Provisioned, target: a.b, window: 1min, condition: { op: above, threshold: 1 } }
`,
    });
    const config = loadConfig({
      file,
      env: {},
      flags: {
        dataDir: path.join(dir, 'data'),
        http: '127.0.0.1:0',
        statsd: '127.0.0.1:0',
        graphite: '127.0.0.1:0',
        logLevel: 'silent',
      },
    });
    const db = openCatalog(config.dataDir);
    read = createKey(db, { scopes: ['read'] }).key;
    admin = createKey(db, { scopes: ['admin'] }).key;
    db.close();
    worker = await startWorker(config, { demo: false, reloadConfig: () => config });
    port = worker.http.port;
  });

  afterAll(async () => {
    await worker.stop();
    await hooks.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates, changes, lists and deletes groups, notifiers and rules', async () => {
    expect(
      (
        await call('POST', '/api/v1/alerting/notifiers', {
          name: 'hook',
          type: 'webhook',
          settings: { url: hooks.url('/hook'), bearerToken: 'tok-1' },
        })
      ).status
    ).toBe(201);
    expect(
      (await call('POST', '/api/v1/alerting/groups', { name: 'web', interval: '30s', notifiers: ['hook'] })).status
    ).toBe(201);
    const rule = {
      uid: 'web-errors',
      title: 'Web errors',
      group: 'web',
      target: 'web.*.errors',
      window: '5min',
      reducer: 'p95',
      condition: { op: 'above', threshold: 5, recoveryThreshold: 2 },
      for: '2min',
      labels: { team: 'web' },
      annotations: { summary: '{{ $labels.name }} at {{ $value }}' },
    };
    const created = await call('POST', '/api/v1/alerting/rules', rule);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ spec: rule, provisioned: false, instances: [] });
    expect((await call('POST', '/api/v1/alerting/rules', rule)).status).toBe(409);

    const changed = await send('PUT', '/api/v1/alerting/rules/web-errors', { ...rule, paused: true });
    expect(changed).toMatchObject({ status: 200, body: { spec: { paused: true } } });

    const list = await call('GET', '/api/v1/alerting/rules', undefined, read);
    expect(list.status).toBe(200);
    const body = list.body as {
      groups: Array<{ spec: { name: string }; provisioned: boolean }>;
      rules: Array<{ spec: { uid: string }; provisioned: boolean }>;
    };
    expect(body.groups.map((g) => [g.spec.name, g.provisioned])).toEqual([
      ['provisioned', true],
      ['web', false],
    ]);
    expect(body.rules.map((r) => [r.spec.uid, r.provisioned])).toEqual([
      ['prov-rule', true],
      ['web-errors', false],
    ]);

    expect(await send('DELETE', '/api/v1/alerting/notifiers/hook')).toMatchObject({ status: 409 });
    expect(await send('DELETE', '/api/v1/alerting/groups/web')).toMatchObject({ status: 409 });
    expect(await send('DELETE', '/api/v1/alerting/rules/web-errors')).toMatchObject({ status: 204 });
    expect(await send('DELETE', '/api/v1/alerting/groups/web')).toMatchObject({ status: 204 });
    expect((await call('GET', '/api/v1/alerting/rules/web-errors', undefined, read)).status).toBe(404);
  });

  it('answers 400 with the field at fault', async () => {
    const bad = await call('POST', '/api/v1/alerting/rules', {
      uid: 'bad rule',
      title: 'x',
      group: 'provisioned',
      target: 'a',
      window: '5x',
      condition: { op: 'above', threshold: 1, recoveryThreshold: 3 },
      annotations: { s: '{{ .Value }}' },
    });
    expect(bad.status).toBe(400);
    const errors = (bad.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field);
    expect(errors).toEqual(['uid', 'window', 'condition.recoveryThreshold', 'annotations.s']);
    expect((bad.body as { field: string }).field).toBe('uid');

    const missing = await call('POST', '/api/v1/alerting/rules', {
      uid: 'r2',
      title: 'x',
      group: 'nope',
      target: 'a',
      window: '1min',
      minSeries: 2,
      notifiers: ['ghost'],
    });
    expect(missing.body).toMatchObject({ errors: [{ field: 'group' }, { field: 'notifiers' }] });
  });

  it('keeps provisioned objects read-only and checks scopes', async () => {
    const put = await send('PUT', '/api/v1/alerting/rules/prov-rule', {
      uid: 'prov-rule',
      title: 'x',
      group: 'provisioned',
      target: 'a',
      window: '1min',
      minSeries: 1,
    });
    expect(put.status).toBe(409);
    expect((put.body as { error: string }).error).toMatch(/provisioned/);
    expect((await call('POST', '/api/v1/alerting/silences', {}, read)).status).toBe(403);
    expect((await httpJson(port, 'GET', '/api/v1/alerting/rules')).status).toBe(401);
  });

  it('previews a rule over the last day: series, threshold and which instances would fire', async () => {
    const now = Math.floor(Date.now() / 1000);
    const points = (v: number) => Array.from({ length: 30 }, (_, i) => [now - 300 + i * 10, v]);
    const w = await call('POST', '/api/v1/write', [
      { name: 'pv.web1.latency', points: points(250) },
      { name: 'pv.web2.latency', points: points(80) },
    ]);
    expect(w.status).toBe(200);
    const r = await call(
      'POST',
      '/api/v1/alerting/preview',
      {
        rule: {
          uid: 'p',
          title: 'Latency',
          group: 'any',
          target: 'pv.*.latency',
          window: '5min',
          reducer: 'avg',
          condition: { op: 'above', threshold: 200 },
          for: '1min',
          minSeries: 3,
        },
      },
      read
    );
    expect(r.status).toBe(200);
    const body = r.body as {
      series: Array<{ name: string; values: Array<number | null> }>;
      threshold: number;
      instances: Array<{ key: string; state: string; value: number }>;
    };
    expect(body.threshold).toBe(200);
    expect(body.series.map((s) => s.name)).toEqual(['pv.web1.latency', 'pv.web2.latency']);
    expect(body.series[0]!.values.filter((v) => v !== null).length).toBeGreaterThan(0);
    expect(body.instances.map((i) => [i.key, i.state, i.value])).toEqual([
      ['name="pv.web1.latency"', 'pending', 250],
      ['name="pv.web2.latency"', 'ok', 80],
      ['', 'pending', 2],
    ]);
    const invalid = await call('POST', '/api/v1/alerting/preview', { rule: { uid: 'p' } }, read);
    expect(invalid.status).toBe(400);
    expect((invalid.body as { field: string }).field).toBe('rule.title');
  });

  it('creates and expires silences, and acknowledges instances', async () => {
    const now = Date.now() / 1000;
    const s = await call('POST', '/api/v1/alerting/silences', {
      matchers: [{ name: 'name', op: '=~', value: 'servers\\.web1\\..*' }],
      endsAt: now + 3600,
      author: 'alice',
      comment: 'disk swap',
    });
    expect(s).toMatchObject({ status: 201, body: { status: 'active', author: 'alice' } });
    const id = (s.body as { id: string }).id;
    expect(
      (await call('POST', '/api/v1/alerting/silences', { matchers: [], endsAt: now + 60, author: 'a', comment: 'c' }))
        .body
    ).toMatchObject({ field: 'matchers' });
    expect(await send('DELETE', `/api/v1/alerting/silences/${id}`)).toMatchObject({ status: 204 });
    const list = await call('GET', '/api/v1/alerting/silences', undefined, read);
    expect(list.body).toMatchObject({ silences: [{ id, status: 'expired' }] });

    const ack = await call('POST', '/api/v1/alerting/acks', {
      ruleUid: 'prov-rule',
      expiresAt: now + 600,
      author: 'bob',
      comment: 'looking',
    });
    expect(ack).toMatchObject({ status: 201, body: { ruleUid: 'prov-rule', author: 'bob' } });
    expect(
      (await call('POST', '/api/v1/alerting/acks', { ruleUid: 'nope', expiresAt: now + 600, author: 'bob' })).body
    ).toMatchObject({ field: 'ruleUid' });
    expect((await call('GET', '/api/v1/alerting/acks', undefined, read)).body).toMatchObject({
      acks: [{ author: 'bob' }],
    });
  });

  it('masks secrets, keeps them when the mask comes back, and uses them', async () => {
    await call('POST', '/api/v1/alerting/notifiers', {
      name: 'secret-hook',
      type: 'webhook',
      settings: { url: hooks.url('/secret'), bearerToken: 'tok-2' },
    });
    const shown = await call('GET', '/api/v1/alerting/notifiers/secret-hook', undefined, read);
    expect(shown.body).toEqual({
      spec: { name: 'secret-hook', type: 'webhook', settings: { url: hooks.url('/secret'), bearerToken: '********' } },
      provisioned: false,
      secureFields: ['bearerToken'],
    });
    const edited = await send('PUT', '/api/v1/alerting/notifiers/secret-hook', {
      ...(shown.body as { spec: object }).spec,
      settings: { url: hooks.url('/secret2'), bearerToken: '********' },
    });
    expect(JSON.stringify(edited.body)).not.toContain('tok-2');
    expect((await call('POST', '/api/v1/alerting/notifiers/secret-hook/test')).body).toEqual({ ok: true });
    const got = await waitFor('the test request', () => hooks.on('/secret2')[0]);
    expect(got.headers.authorization).toBe('Bearer tok-2');

    const failing = await call('POST', '/api/v1/alerting/notifiers', {
      name: 'dead',
      type: 'webhook',
      settings: { url: 'http://127.0.0.1:9/' },
    });
    expect(failing.status).toBe(201);
    const test = await call('POST', '/api/v1/alerting/notifiers/dead/test');
    expect(test.body).toMatchObject({ ok: false, error: expect.stringMatching(/could not reach the receiver/) });
  });
});

/**
 * The alias workflow end to end: the whole worker, started from a YAML configuration with its `smtp:` and
 * `inventory:` sections, serving HTTP on loopback, mailing a real SMTP server on loopback. A request creates the
 * alias pending and mails the hostmaster with the requester in copy; confirming makes it active and tells the
 * requester; a change request re-points it and mails the hostmaster again. The received mails are checked as
 * delivered: envelope recipients, headers and the text a person reads.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { AliasDetail, InventoryAliasWorkflowResponse, InventoryAnnotationsResponse } from '../src/shared/api';
import { openCatalog } from '../src/worker/catalog/db';
import { createKey } from '../src/worker/catalog/keys';
import { loadConfig } from '../src/worker/config/load';
import { startWorker, type RunningWorker } from '../src/worker/main';
import { SmtpSink } from './helpers/smtp-sink';

jest.setTimeout(20_000);

const HOSTMASTER = 'hostmaster@example.edu';
const REQUESTER = 'dev@example.edu';

describe('alias workflow against a real SMTP server', () => {
  let dir: string;
  let sink: SmtpSink;
  let worker: RunningWorker;
  let key: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-inv-flow-'));
    sink = await SmtpSink.start({ refuse: ['gone@example.edu'] });
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(
      file,
      [
        'dataDir: ./data',
        'http: { listen: "127.0.0.1:0" }',
        'statsd: { listen: "127.0.0.1:0" }',
        'graphite: { listen: "127.0.0.1:0" }',
        'logLevel: silent',
        'smtp:',
        '  host: 127.0.0.1',
        `  port: ${sink.port}`,
        '  from: Mission Control <mc@example.edu>',
        'inventory:',
        `  hostmasterEmail: ${HOSTMASTER}`,
        '',
      ].join('\n')
    );
    const config = loadConfig({ file, env: {} });
    const db = openCatalog(config.dataDir);
    key = createKey(db, { scopes: ['admin'], name: 'grafana' }).key;
    db.close();
    worker = await startWorker(config, { demo: false, reloadConfig: () => config });
  });

  afterEach(async () => {
    await worker.stop();
    await sink.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const api = async <T = unknown>(method: string, url: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${worker.http.port}/api/v1/inventory${url}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        'x-grafana-user': 'ann',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  it('mails the hostmaster on request and change, and the requester on confirmation', async () => {
    expect(
      (
        await api('POST', '/servers', {
          hostname: 'web1.ctl.example.edu',
          location: undefined,
          provider: 'linode',
          addresses: ['192.0.2.10', '2001:db8::10'],
        })
      ).status
    ).toBe(201);
    expect(
      (await api('POST', '/servers', { hostname: 'web2.ctl.example.edu', addresses: ['192.0.2.20'] })).status
    ).toBe(201);
    expect((await api('POST', '/applications', { name: 'mediathread', owner: 'Cy Park' })).status).toBe(201);

    const requested = await api<InventoryAliasWorkflowResponse>('POST', '/aliases/request', {
      fqdn: 'mediathread.ctl.example.edu',
      type: 'A',
      server: 'web1.ctl.example.edu',
      registrar: 'Network Solutions',
      dnsManagedBy: 'Columbia hostmaster',
      requestedBy: REQUESTER,
      applications: ['mediathread'],
      reason: 'New course site for <Fall> & Spring',
    });
    expect(requested.status).toBe(201);
    expect(requested.body.alias).toMatchObject({ status: 'pending', applications: ['mediathread'] });
    expect(requested.body.mail).toEqual({
      sent: true,
      to: [HOSTMASTER],
      cc: [REQUESTER],
      subject: 'DNS request: mediathread.ctl.example.edu A web1.ctl.example.edu',
    });

    const [request] = await sink.waitFor(1);
    expect(request!.envelope).toEqual({ from: 'mc@example.edu', to: [HOSTMASTER, REQUESTER] });
    expect(request!.headers).toMatchObject({
      from: 'Mission Control <mc@example.edu>',
      to: HOSTMASTER,
      cc: REQUESTER,
      subject: 'DNS request: mediathread.ctl.example.edu A web1.ctl.example.edu',
    });
    const text = request!.text;
    expect(text).toContain('Please add this DNS record for mediathread.ctl.example.edu:');
    // The zone line carries the server's IPv4 address, resolved from the inventory: nothing to copy by hand.
    expect(text).toContain('    mediathread.ctl.example.edu.  IN  A  192.0.2.10\n');
    expect(text).not.toContain('IN  A  2001:db8::10');
    for (const line of [
      'Points at:      192.0.2.10 (server web1.ctl.example.edu)',
      'Registrar:      Network Solutions',
      'DNS changed by: Columbia hostmaster',
      'Applications:   mediathread',
      'Provider:       linode',
      `Requested by:   ${REQUESTER}`,
      'Reason:         New course site for <Fall> & Spring',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toMatch(/Sent by: +ann through Mission Control, \d{4}-\d\d-\d\dT\d\d:\d\dZ/);
    expect(request!.html).toContain('New course site for &#60;Fall&#62; &#38; Spring');

    const confirmed = await api<InventoryAliasWorkflowResponse>(
      'POST',
      '/aliases/mediathread.ctl.example.edu/confirm',
      {}
    );
    expect(confirmed.body.alias.status).toBe('active');
    const [, confirmation] = await sink.waitFor(2);
    expect(confirmation!.envelope.to).toEqual([REQUESTER, HOSTMASTER]);
    expect(confirmation!.headers).toMatchObject({ to: REQUESTER, cc: HOSTMASTER });
    expect(confirmation!.headers.subject).toBe('DNS alias active: mediathread.ctl.example.edu');
    expect(confirmation!.text).toContain('mediathread.ctl.example.edu is now active:');

    const changed = await api<InventoryAliasWorkflowResponse>('POST', '/aliases/mediathread.ctl.example.edu/change', {
      type: 'CNAME',
      server: 'web2.ctl.example.edu',
      requestedBy: REQUESTER,
      reason: 'Moving off web1',
    });
    expect(changed.body.alias).toMatchObject({ status: 'pending', type: 'CNAME', server: 'web2.ctl.example.edu' });
    const [, , change] = await sink.waitFor(3);
    expect(change!.envelope.to).toEqual([HOSTMASTER, REQUESTER]);
    expect(change!.headers.subject).toBe('DNS change: mediathread.ctl.example.edu now CNAME web2.ctl.example.edu');
    expect(change!.text).toContain('    mediathread.ctl.example.edu.  IN  CNAME  web2.ctl.example.edu.\n');
    expect(change!.text).toContain('Was:            A 192.0.2.10 (server web1.ctl.example.edu)');
    expect(change!.text).toContain('Reason:         Moving off web1');

    // Each step is an annotation on the graphs of the servers concerned.
    const now = Date.now() / 1000;
    const web1 = await api<InventoryAnnotationsResponse>(
      'GET',
      `/annotations?from=${now - 60}&until=${now + 60}&entity=server:web1.ctl.example.edu`
    );
    expect(web1.body.annotations.map((a) => a.title)).toEqual([
      'alias:mediathread.ctl.example.edu requested',
      'alias:mediathread.ctl.example.edu confirmed',
      'alias:mediathread.ctl.example.edu re-pointed (change requested)',
    ]);
    const web2 = await api<InventoryAnnotationsResponse>(
      'GET',
      `/annotations?from=${now - 60}&until=${now + 60}&entity=server:web2.ctl.example.edu`
    );
    expect(web2.body.annotations).toHaveLength(1);
    expect(web2.body.annotations[0].text).toBe(
      'status active → pending; points at web2.ctl.example.edu; record CNAME — by ann'
    );
  });

  it('keeps the request when the mail cannot be delivered, and says why', async () => {
    const r = await api<InventoryAliasWorkflowResponse>('POST', '/aliases/request', {
      fqdn: 'old.ctl.example.edu',
      type: 'A',
      target: '192.0.2.99',
      requestedBy: 'gone@example.edu',
    });
    expect(r.status).toBe(201);
    expect(r.body.alias.status).toBe('pending');
    expect(r.body.mail).toMatchObject({ sent: false, error: expect.stringContaining('gone@example.edu') });
    expect((await api<AliasDetail>('GET', '/aliases/old.ctl.example.edu')).body.status).toBe('pending');
  });
});

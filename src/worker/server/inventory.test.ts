import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { openCatalog, type Catalog } from '../catalog/db';
import { KeyVerifier, createKey } from '../catalog/keys';
import { InventoryService } from '../inventory/service';
import { AliasWorkflow } from '../inventory/workflow';
import type { MailMessage } from '../notify/mailer';
import { WorkerMetrics } from '../selfmetrics';
import { TimeSeriesStore } from '../store/db';
import { buildHttpServer } from './http';

const NOW = Date.UTC(2026, 2, 10, 12);
const S = NOW / 1000;
const BASE = '/api/v1/inventory';

describe('inventory API', () => {
  let dir: string;
  let db: Catalog;
  let store: TimeSeriesStore;
  let app: ReturnType<typeof buildHttpServer>;
  let keys: { read: string; admin: string; adminId: string };
  let sent: MailMessage[];
  let clock: number;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-inv-'));
    db = openCatalog(dir);
    const metrics = new WorkerMetrics({ processMetrics: false });
    store = await TimeSeriesStore.open({
      dataDir: dir,
      db,
      rules: {
        schemaFor: () => ({ name: 'default', levels: [{ resolutionMs: 10_000, retentionMs: 86_400_000 }] }),
        methodFor: () => 'avg',
      },
      metrics,
      now: () => NOW,
    });
    const admin = createKey(db, { scopes: ['admin'], name: 'grafana' });
    keys = { read: createKey(db, { scopes: ['read'] }).key, admin: admin.key, adminId: admin.id };
    sent = [];
    clock = NOW;
    const service = new InventoryService(db, { now: () => clock });
    const mailer = { send: async (m: MailMessage) => void sent.push(m) };
    const workflow = new AliasWorkflow(service, () => ({ mailer, hostmasterEmail: 'hostmaster@example.com' }));
    app = buildHttpServer({
      sink: store,
      reader: store,
      keys: new KeyVerifier(db),
      metrics,
      logger: pino({ level: 'silent' }),
      ready: () => ({ status: 'ready', checks: {} }),
      limits: { maxSeriesPerQuery: 100, maxPointsPerQuery: 100_000 },
      now: () => NOW,
      inventory: { service, workflow },
    });
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
  const call = async (method: Method, url: string, body?: unknown, opts: { key?: string; user?: string } = {}) => {
    const res = await app.inject({
      method,
      url: `${BASE}${url}`,
      headers: {
        authorization: `Bearer ${opts.key ?? keys.admin}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.user ? { 'x-grafana-user': opts.user } : {}),
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json() };
  };
  const get = (url: string) => call('GET', url, undefined, { key: keys.read });
  const post = (url: string, body: unknown, user?: string) => call('POST', url, body, { user });
  const patch = (url: string, body: unknown) => call('PATCH', url, body);
  const del = (url: string) => call('DELETE', url);

  /** Asserts a 400 naming the field, and returns the body. */
  const expect400 = async (res: Promise<{ status: number; body: unknown }>, field: string) => {
    const r = await res;
    expect({ status: r.status, field: (r.body as { field?: string }).field }).toEqual({ status: 400, field });
    return r.body as { error: string; errors: Array<{ field: string; error: string }> };
  };

  const seed = async () => {
    expect((await post('/locations', { name: 'nyc1', description: 'Linode Newark' })).status).toBe(201);
    expect(
      (
        await post('/servers', {
          hostname: 'web1.example.com',
          role: 'web',
          environment: 'production',
          location: 'nyc1',
          series: 'host=web1',
          addresses: ['192.0.2.10', { address: '2001:db8::10', mac: '52:54:00:12:34:56', interface: 'eth0' }],
          contacts: [{ name: 'Ann Ops', email: 'ann@example.com', phone: '+1 555 0100' }],
        })
      ).status
    ).toBe(201);
    expect(
      (await post('/servers', { hostname: 'db1.example.com', environment: 'production', role: 'db' })).status
    ).toBe(201);
    expect((await post('/servers', { hostname: 'web9.example.com', environment: 'staging' })).status).toBe(201);
    expect(
      (
        await post('/aliases', {
          fqdn: 'blog.example.com',
          type: 'CNAME',
          server: 'web1.example.com',
          status: 'active',
        })
      ).status
    ).toBe(201);
    expect(
      (
        await post('/applications', {
          name: 'blog',
          technology: 'Django',
          repository: 'git@github.com:ctl/blog.git',
          runbook: 'https://wiki.example.com/blog',
          series: 'app=blog',
          servers: [
            { server: 'web1.example.com', environment: 'production' },
            { server: 'db1.example.com', environment: 'production' },
            { server: 'web9.example.com', environment: 'staging' },
          ],
          aliases: ['blog.example.com'],
        })
      ).status
    ).toBe(201);
  };

  describe('keys and scopes', () => {
    it('reads with a read key, refuses it writes, and refuses requests without a key', async () => {
      expect((await get('/servers')).status).toBe(200);
      const w = await call('POST', '/servers', { hostname: 'a' }, { key: keys.read });
      expect(w.status).toBe(403);
      const anon = await app.inject({ method: 'GET', url: `${BASE}/servers` });
      expect(anon.statusCode).toBe(401);
    });
  });

  describe('locations', () => {
    it('are created, read, listed, renamed and deleted', async () => {
      const created = await post('/locations', { name: 'lito', description: 'LITO machine room' });
      expect(created).toMatchObject({ status: 201, body: { name: 'lito', entity: 'location:lito', servers: [] } });
      expect((await get('/locations/lito')).body).toMatchObject({ description: 'LITO machine room' });
      expect((await patch('/locations/lito', { name: 'lito-2', description: null })).body).toEqual(
        expect.objectContaining({ name: 'lito-2', entity: 'location:lito-2' })
      );
      expect((await get('/locations')).body.items.map((l: { name: string }) => l.name)).toEqual(['lito-2']);
      expect((await del('/locations/lito-2')).status).toBe(204);
      expect((await get('/locations/lito-2')).status).toBe(404);
    });

    it('refuse a duplicate name and an empty one', async () => {
      await post('/locations', { name: 'nyc1' });
      const dup = await expect400(post('/locations', { name: 'nyc1' }), 'name');
      expect(dup.error).toContain('already exists');
      await expect400(post('/locations', { name: '  ' }), 'name');
      await expect400(post('/locations', { description: 'x' }), 'name');
    });

    it('cannot be deleted while servers are there: 409 with the references', async () => {
      await seed();
      const r = await del('/locations/nyc1');
      expect(r).toMatchObject({ status: 409, body: { references: ['server:web1.example.com'] } });
    });
  });

  describe('servers', () => {
    it('are stored in normal form with their addresses and contacts, and listed with their series target', async () => {
      await seed();
      const r = await post('/servers', {
        hostname: 'App1.Example.COM.',
        cpus: 4,
        memoryGb: 7.5,
        diskGb: 160,
        provider: 'linode',
        instanceId: 12345,
        os: 'Ubuntu 24.04',
        status: 'deprecated',
        series: 'servers.app1.*',
        addresses: [{ address: '2001:0DB8:0:0::0:1', mac: 'AA-BB-CC-DD-EE-FF' }],
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        hostname: 'app1.example.com',
        instanceId: '12345',
        status: 'deprecated',
        seriesTarget: 'servers.app1.*',
        addresses: [{ address: '2001:db8::1', mac: 'aa:bb:cc:dd:ee:ff' }],
        contacts: [],
        applications: [],
        aliases: [],
      });
      const web1 = (await get('/servers/WEB1.example.com')).body;
      expect(web1).toMatchObject({
        location: 'nyc1',
        seriesTarget: "seriesByTag('host=web1')",
        applications: [{ application: 'blog', environment: 'production' }],
        aliases: ['blog.example.com'],
        contacts: [{ name: 'Ann Ops', email: 'ann@example.com', phone: '+1 555 0100' }],
      });
      const list = await get('/servers?filter=environment=production');
      expect(list.body.items.map((s: { hostname: string }) => s.hostname)).toEqual([
        'db1.example.com',
        'web1.example.com',
      ]);
      const byText = await get('/servers?q=ann');
      expect(byText.body.items.map((s: { hostname: string }) => s.hostname)).toEqual(['web1.example.com']);
    });

    it('refuse bad input with 400 and the field', async () => {
      await seed();
      await expect400(post('/servers', { hostname: 'web1.example.com' }), 'hostname');
      await expect400(post('/servers', { hostname: 'web 2' }), 'hostname');
      await expect400(post('/servers', { hostname: 'web2', location: 'atlantis' }), 'location');
      await expect400(post('/servers', { hostname: 'web2', addresses: ['10.0.0.300'] }), 'addresses[0].address');
      await expect400(post('/servers', { hostname: 'web2', addresses: ['fe80::1%eth0'] }), 'addresses[0].address');
      await expect400(post('/servers', { hostname: 'web2', addresses: ['10.0.0.1', '10.0.0.1'] }), 'addresses[1]');
      await expect400(
        post('/servers', { hostname: 'web2', addresses: [{ address: '10.0.0.1', mac: 'zz' }] }),
        'addresses[0].mac'
      );
      await expect400(post('/servers', { hostname: 'web2', cpus: 0 }), 'cpus');
      await expect400(post('/servers', { hostname: 'web2', status: 'gone' }), 'status');
      await expect400(post('/servers', { hostname: 'web2', environment: 'prod env' }), 'environment');
      await expect400(post('/servers', { hostname: 'web2', series: 'host!=web1' }), 'series');
      await expect400(
        post('/servers', { hostname: 'web2', contacts: [{ name: 'X', email: 'x@' }] }),
        'contacts[0].email'
      );
      const typo = await expect400(post('/servers', { hostname: 'web2', hostName: 'x' }), 'hostName');
      expect(typo.error).toContain('did you mean "hostname"');
      const all = await expect400(
        post('/servers', { hostname: 'web1.example.com', location: 'x', cpus: -1 }),
        'hostname'
      );
      expect(all.errors.map((e) => e.field)).toEqual(['hostname', 'location', 'cpus']);
      expect((await get('/servers/nope.example.com')).status).toBe(404);
    });

    it('are patched field by field: null clears, lists are replaced, renames keep relations', async () => {
      await seed();
      const r = await patch('/servers/web1.example.com', {
        hostname: 'web1.nyc.example.com',
        role: null,
        contacts: [{ name: 'Bob' }, { name: 'Ann Ops', email: 'ann@example.com' }],
      });
      expect(r.status).toBe(200);
      expect(r.body.role).toBeUndefined();
      expect(r.body.contacts.map((c: { name: string }) => c.name)).toEqual(['Bob', 'Ann Ops']);
      expect(r.body.aliases).toEqual(['blog.example.com']);
      expect((await get('/aliases/blog.example.com')).body.server).toBe('web1.nyc.example.com');
      await expect400(patch('/servers/web1.nyc.example.com', { hostname: 'db1.example.com' }), 'hostname');
      const notObject = await patch('/servers/web1.nyc.example.com', ['x']);
      expect(notObject.status).toBe(400);
      expect(notObject.body.error).toContain('JSON object');
    });

    it('cannot be deleted while aliases point at them; deleting drops their deployments from applications', async () => {
      await seed();
      expect(await del('/servers/web1.example.com')).toMatchObject({
        status: 409,
        body: { references: ['alias:blog.example.com'] },
      });
      expect((await del('/servers/WEB9.example.com')).status).toBe(204);
      const blog = (await get('/applications/blog')).body;
      expect(blog.servers.map((d: { server: string }) => d.server)).toEqual(['web1.example.com', 'db1.example.com']);
      const history = (await get('/applications/blog/history')).body.items;
      expect(history[0]).toMatchObject({ action: 'update', related: ['server:web9.example.com'] });
      expect(history[0].changes.servers.from).toHaveLength(3);
    });
  });

  describe('addresses', () => {
    it('are added and removed on their server', async () => {
      await seed();
      const added = await post('/servers/db1.example.com/addresses', { address: '198.51.100.7', interface: 'eth1' });
      expect(added.status).toBe(201);
      expect(added.body.addresses).toEqual([{ address: '198.51.100.7', interface: 'eth1' }]);
      await expect400(post('/servers/db1.example.com/addresses', { address: '198.51.100.7' }), 'addresses[1]');
      await expect400(post('/servers/db1.example.com/addresses', { address: 'localhost' }), 'addresses[1].address');
      // Any spelling of the address finds it.
      expect((await del('/servers/web1.example.com/addresses/2001:DB8:0::10')).body.addresses).toEqual([
        { address: '192.0.2.10' },
      ]);
      expect((await del('/servers/web1.example.com/addresses/10.9.9.9')).status).toBe(404);
      expect((await post('/servers/nope/addresses', { address: '10.0.0.1' })).status).toBe(404);
    });
  });

  describe('applications and their relations', () => {
    it('are created with deployments per environment and aliases', async () => {
      await seed();
      const blog = (await get('/applications/blog')).body;
      expect(blog).toMatchObject({
        lifecycle: 'production',
        repository: 'git@github.com:ctl/blog.git',
        seriesTarget: "seriesByTag('app=blog')",
        aliases: ['blog.example.com'],
      });
      expect((await get('/aliases/blog.example.com')).body.applications).toEqual(['blog']);
    });

    it('refuse unknown references, duplicates and malformed fields', async () => {
      await seed();
      await expect400(post('/applications', { name: 'blog' }), 'name');
      await expect400(
        post('/applications', { name: 'x', servers: [{ server: 'nope', environment: 'prod' }] }),
        'servers[0].server'
      );
      await expect400(
        post('/applications', { name: 'x', servers: [{ server: 'db1.example.com' }] }),
        'servers[0].environment'
      );
      await expect400(
        post('/applications', {
          name: 'x',
          servers: [
            { server: 'db1.example.com', environment: 'prod' },
            { server: 'db1.example.com', environment: 'prod' },
          ],
        }),
        'servers[1]'
      );
      await expect400(post('/applications', { name: 'x', aliases: ['nope.example.com'] }), 'aliases[0]');
      await expect400(post('/applications', { name: 'x', lifecycle: 'dead' }), 'lifecycle');
      await expect400(post('/applications', { name: 'x', runbook: 'wiki/blog' }), 'runbook');
      await expect400(post('/applications', { name: 'x', repository: 'not a repo' }), 'repository');
    });

    it('link and unlink servers per environment and aliases', async () => {
      await seed();
      await post('/aliases', { fqdn: 'www.blog.example.com', type: 'A', target: '192.0.2.10' });
      const linked = await post('/applications/blog/servers', { server: 'db1.example.com', environment: 'staging' });
      expect(linked.status).toBe(201);
      expect(linked.body.servers).toContainEqual({ server: 'db1.example.com', environment: 'staging' });
      await expect400(
        post('/applications/blog/servers', { server: 'db1.example.com', environment: 'staging' }),
        'servers[4]'
      );
      await expect400(
        post('/applications/blog/servers', { server: 'nope', environment: 'staging' }),
        'servers[4].server'
      );
      const unlinked = await del('/applications/blog/servers/db1.example.com?environment=production');
      expect(unlinked.body.servers).toContainEqual({ server: 'db1.example.com', environment: 'staging' });
      expect(unlinked.body.servers).not.toContainEqual({ server: 'db1.example.com', environment: 'production' });
      expect((await get('/servers/db1.example.com')).body.applications).toEqual([
        { application: 'blog', environment: 'staging' },
      ]);

      expect((await post('/applications/blog/aliases', { alias: 'www.blog.example.com' })).body.aliases).toEqual([
        'blog.example.com',
        'www.blog.example.com',
      ]);
      await expect400(post('/applications/blog/aliases', {}), 'alias');
      await expect400(post('/applications/blog/aliases', { alias: 'nope.example.com' }), 'aliases[2]');
      expect((await del('/applications/blog/aliases/BLOG.example.com')).body.aliases).toEqual(['www.blog.example.com']);
      expect((await del('/applications/blog/aliases/blog.example.com')).status).toBe(404);
    });
  });

  describe('aliases', () => {
    it('validate the name, the record type against the target, and the status moves', async () => {
      await seed();
      await expect400(post('/aliases', { fqdn: 'localhost', type: 'A', target: '10.0.0.1' }), 'fqdn');
      await expect400(post('/aliases', { fqdn: 'bad_name!.example.com', type: 'A', target: '10.0.0.1' }), 'fqdn');
      await expect400(post('/aliases', { fqdn: 'blog.example.com', type: 'A', target: '10.0.0.1' }), 'fqdn');
      await expect400(post('/aliases', { fqdn: 'a.example.com', type: 'A', target: '2001:db8::1' }), 'target');
      await expect400(post('/aliases', { fqdn: 'a.example.com', type: 'AAAA', target: '10.0.0.1' }), 'target');
      await expect400(post('/aliases', { fqdn: 'a.example.com', type: 'CNAME', target: 'not a name' }), 'target');
      await expect400(post('/aliases', { fqdn: 'a.example.com', type: 'MX', target: 'b.example.com' }), 'type');
      await expect400(post('/aliases', { fqdn: 'a.example.com', type: 'A' }), 'server');
      await expect400(
        post('/aliases', { fqdn: 'a.example.com', type: 'A', server: 'web1.example.com', target: '10.0.0.1' }),
        'target'
      );
      await expect400(post('/aliases', { fqdn: 'a.example.com', type: 'CNAME', server: 'nope.example.com' }), 'server');
      await expect400(
        post('/aliases', { fqdn: 'a.example.com', type: 'CNAME', target: 'x.com', requestedBy: 'me' }),
        'requestedBy'
      );

      const txt = await post('/aliases', { fqdn: '_dmarc.example.com', type: 'TXT', target: 'v=DMARC1; p=none' });
      expect(txt).toMatchObject({ status: 201, body: { status: 'pending', target: 'v=DMARC1; p=none' } });
      await expect400(patch('/aliases/_dmarc.example.com', { status: 'bogus' }), 'status');
      expect((await patch('/aliases/_dmarc.example.com', { status: 'deprecated' })).status).toBe(200);
      const back = await expect400(patch('/aliases/_dmarc.example.com', { status: 'active' }), 'status');
      expect(back.error).toContain('cannot go from deprecated to active');
    });

    it('are deleted with their links, recorded on the applications', async () => {
      await seed();
      expect((await del('/aliases/blog.example.com')).status).toBe(204);
      expect((await get('/applications/blog')).body.aliases).toEqual([]);
      expect((await get('/servers/web1.example.com')).body.aliases).toEqual([]);
    });
  });

  describe('notes', () => {
    it('are written on any entity, authored by the Grafana user or the key, pinned, edited and deleted', async () => {
      await seed();
      const byUser = await post('/notes', { entity: 'server:web1.example.com', body: 'Replaced the disk.' }, 'ann');
      expect(byUser).toMatchObject({
        status: 201,
        body: { entity: 'server:web1.example.com', author: 'ann', time: S, pinned: false },
      });
      const byKey = await post('/notes', { entity: 'application:blog', body: 'Upgraded Django', time: S - 60 });
      expect(byKey.body).toMatchObject({ author: 'grafana', time: S - 60 });
      await post('/notes', { entity: 'alias:blog.example.com', body: 'TTL lowered' });
      await post('/notes', { entity: 'location:nyc1', body: 'Power work on Sunday' });

      const pinned = await patch(`/notes/${byUser.body.id}`, { pinned: true });
      expect(pinned.body.pinned).toBe(true);
      expect((await get('/servers/web1.example.com')).body.notes).toEqual([pinned.body]);
      expect((await get('/notes?entity=application:blog')).body.items.map((n: { body: string }) => n.body)).toEqual([
        'Upgraded Django',
      ]);
      expect((await get('/notes')).body.items).toHaveLength(4);
      expect((await get('/notes?pinned=true')).body.items).toHaveLength(1);
      expect((await del(`/notes/${byKey.body.id}`)).status).toBe(204);
      expect((await get(`/notes/${byKey.body.id}`)).status).toBe(404);
    });

    it('refuse unknown entities, bad references and empty bodies', async () => {
      await seed();
      const unknown = await expect400(post('/notes', { entity: 'server:nope.example.com', body: 'x' }), 'entity');
      expect(unknown.error).toContain('no server "nope.example.com"');
      await expect400(post('/notes', { entity: 'web1.example.com', body: 'x' }), 'entity');
      await expect400(post('/notes', { entity: 'server:web1.example.com', body: '' }), 'body');
      await expect400(post('/notes', { entity: 'server:web1.example.com', body: 'x', time: 'today' }), 'time');
      await expect400(post('/notes', { entity: 'server:web1.example.com', body: 'x', pinned: 'yes' }), 'pinned');
    });
  });

  describe('renewals', () => {
    it('are kept per entity, with those ending within four weeks flagged and listed', async () => {
      await seed();
      const soon = await post('/renewals', {
        entity: 'alias:blog.example.com',
        name: 'example.com registration',
        start: '2025-04-01',
        end: '2026-04-01',
        notes: 'Gandi, auto-renew off',
      });
      expect(soon).toMatchObject({ status: 201, body: { endingSoon: true, entity: 'alias:blog.example.com' } });
      await post('/renewals', {
        entity: 'server:web1.example.com',
        name: 'Support',
        start: '2026-01-01',
        end: '2027-01-01',
      });
      await post('/renewals', {
        entity: 'server:web1.example.com',
        name: 'Old',
        start: '2024-01-01',
        end: '2025-01-01',
      });
      const ending = await get('/renewals?endingWithin=4w');
      expect(ending.body.items.map((r: { name: string }) => r.name)).toEqual(['example.com registration']);
      expect((await get('/renewals')).body.items.map((r: { name: string }) => r.name)).toEqual([
        'Old',
        'example.com registration',
        'Support',
      ]);
      expect((await get('/servers/web1.example.com')).body.renewals).toHaveLength(2);
      const moved = await patch(`/renewals/${soon.body.id}`, { end: '2027-04-01', notes: null });
      expect(moved.body).toMatchObject({ endingSoon: false, end: '2027-04-01' });
      expect(moved.body.notes).toBeUndefined();
      expect((await del(`/renewals/${soon.body.id}`)).status).toBe(204);
    });

    it('refuse impossible dates and unknown entities', async () => {
      await seed();
      const r = { entity: 'server:web1.example.com', name: 'x', start: '2026-01-01', end: '2027-01-01' };
      await expect400(post('/renewals', { ...r, end: '2025-12-31' }), 'end');
      await expect400(post('/renewals', { ...r, start: '2026-02-30' }), 'start');
      await expect400(post('/renewals', { ...r, entity: 'server:nope' }), 'entity');
      await expect400(post('/renewals', { ...r, name: undefined }), 'name');
      await expect400(get('/renewals?endingWithin=soon'), 'endingWithin');
    });
  });

  describe('history', () => {
    it('records who, when and what for every change, per entity and across the inventory', async () => {
      await seed();
      clock = NOW + 60_000;
      await patch('/servers/db1.example.com', { role: 'postgres' });
      await call('PATCH', '/servers/db1.example.com', { cpus: 8 }, { user: 'ann' });
      const items = (await get('/servers/db1.example.com/history')).body.items;
      expect(items[0]).toEqual({
        id: expect.any(Number),
        time: S + 60,
        actor: { keyId: keys.adminId, name: 'grafana', user: 'ann' },
        entity: 'server:db1.example.com',
        action: 'update',
        changes: { cpus: { from: null, to: 8 } },
        related: [],
      });
      expect(items[1].changes).toEqual({ role: { from: 'db', to: 'postgres' } });
      // The application's creation concerns the server too.
      expect(items.map((h: { entity: string; action: string }) => `${h.action} ${h.entity}`)).toEqual([
        'update server:db1.example.com',
        'update server:db1.example.com',
        'create application:blog',
        'create server:db1.example.com',
      ]);
      const all = (await get('/history?limit=3')).body.items;
      expect(all).toHaveLength(3);
      const older = (await get(`/history?before=${all[2].id}`)).body.items;
      expect(older[0].id).toBeLessThan(all[2].id);
      expect((await get('/history?kind=location')).body.items.map((h: { entity: string }) => h.entity)).toEqual([
        'location:nyc1',
      ]);
    });

    it('keeps a deleted entity’s history reachable by its old name', async () => {
      await seed();
      await del('/servers/web9.example.com');
      const items = (await get('/history?entity=server:web9.example.com')).body.items;
      expect(items.map((h: { action: string }) => h.action)).toEqual(['delete', 'update', 'create', 'create']);
      expect(items[0].changes.hostname).toEqual({ from: 'web9.example.com', to: null });
      expect((await get('/history?entity=server:never.example.com')).status).toBe(404);
      await expect400(get('/history?entity=nonsense'), 'entity');
    });
  });

  describe('search', () => {
    it('finds entities by any field, relation, contact, note or renewal, key matches first', async () => {
      await seed();
      await post('/notes', {
        entity: 'server:db1.example.com',
        body: 'Postgres replica rebuilt after the blog outage',
      });
      const blog = (await get('/search?q=blog')).body.results;
      expect(blog.map((r: { entity: string }) => r.entity)).toEqual([
        'application:blog',
        'alias:blog.example.com',
        'server:db1.example.com',
        'server:web1.example.com',
        'server:web9.example.com',
      ]);
      expect(blog[2].matches).toEqual(
        expect.arrayContaining([{ field: 'notes', value: 'Postgres replica rebuilt after the blog outage' }])
      );
      const two = (await get('/search?q=ann%40example.com%20web')).body.results;
      expect(two.map((r: { entity: string }) => r.entity)).toEqual(['server:web1.example.com']);
      expect((await get('/search?q=2001:db8::10')).body.results[0].entity).toBe('server:web1.example.com');
      expect((await get('/search?q=')).body.results).toEqual([]);
    });
  });

  describe('values for template variables', () => {
    it('lists a field of the entities a filter keeps', async () => {
      await seed();
      const values = async (query: string) => (await get(`/values?${query}`)).body.values;
      expect(await values('entity=servers&field=hostname&filter=environment=production')).toEqual([
        'db1.example.com',
        'web1.example.com',
      ]);
      expect(await values('entity=servers&field=hostname&filter=application=blog,environment!=staging')).toEqual([
        'db1.example.com',
        'web1.example.com',
      ]);
      expect(await values('entity=server&field=hostname&filter=role=~w&filter=location=nyc1')).toEqual([
        'web1.example.com',
      ]);
      expect(await values('entity=servers&field=hostname&filter=location=')).toEqual([
        'db1.example.com',
        'web9.example.com',
      ]);
      expect(await values('entity=applications&field=environment')).toEqual(['production', 'staging']);
      expect(await values('entity=servers&field=address&filter=alias=blog.example.com')).toEqual([
        '192.0.2.10',
        '2001:db8::10',
      ]);
      expect(await values('entity=aliases&field=fqdn&filter=application=blog')).toEqual(['blog.example.com']);
      await expect400(get('/values?entity=servers&field=colour'), 'field');
      await expect400(get('/values?entity=servers&field=hostname&filter=colour=red'), 'filter');
      await expect400(get('/values?entity=servers&field=hostname&filter=role=~('), 'filter');
      await expect400(get('/values?entity=planets&field=name'), 'entity');
    });
  });

  describe('annotations', () => {
    it('show notes and status changes on the entities they concern, in a time range', async () => {
      await seed();
      clock = NOW + 1_000;
      await post('/notes', { entity: 'server:web1.example.com', body: 'Kernel update', pinned: true }, 'ann');
      clock = NOW + 2_000;
      await patch('/aliases/blog.example.com', { status: 'deprecated' });
      clock = NOW + 3_000;
      await post('/notes', { entity: 'server:db1.example.com', body: 'Vacuum' });

      const web1 = (await get(`/annotations?from=${S + 0.5}&until=${S + 10}&entity=server:web1.example.com`)).body
        .annotations;
      expect(web1).toEqual([
        {
          time: S + 1,
          title: 'Note on server:web1.example.com by ann',
          text: 'Kernel update',
          tags: ['inventory', 'note', 'server', 'pinned'],
          entity: 'server:web1.example.com',
        },
        {
          time: S + 2,
          title: 'alias:blog.example.com changed',
          text: 'status active → deprecated — by grafana',
          tags: ['inventory', 'alias', 'status', 'update', 'deprecated'],
          entity: 'alias:blog.example.com',
        },
      ]);
      const blog = (await get(`/annotations?from=${S + 0.5}&until=${S + 10}&entity=application:blog`)).body.annotations;
      expect(blog.map((a: { title: string }) => a.title)).toEqual(['alias:blog.example.com changed']);
      const notes = (await get(`/annotations?from=${S + 0.5}&until=${S + 10}&tags=note`)).body.annotations;
      expect(notes.map((a: { text: string }) => a.text)).toEqual(['Kernel update', 'Vacuum']);
      await expect400(get('/annotations?until=1'), 'from');
      await expect400(get(`/annotations?from=${S}&until=${S}&entity=server:nope`), 'entity');
    });
  });

  describe('import and export', () => {
    it('exports YAML that imports back unchanged, and imports JSON too', async () => {
      await seed();
      const exported = await app.inject({
        method: 'GET',
        url: `${BASE}/export`,
        headers: { authorization: `Bearer ${keys.read}` },
      });
      expect(exported.headers['content-type']).toMatch(/^application\/yaml/);
      expect(exported.body).toContain('  - hostname: web1.example.com\n');
      const again = await app.inject({
        method: 'POST',
        url: `${BASE}/import`,
        headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/yaml' },
        payload: exported.body,
      });
      expect(again.json()).toEqual({ dryRun: false, changes: [], unchanged: 6 });

      const json = (await get('/export?format=json')).body;
      expect(json.servers[0]).toMatchObject({ hostname: 'db1.example.com', role: 'db' });
      expect((await post('/import', json)).body).toMatchObject({ changes: [], unchanged: 6 });
      const dry = await post('/import?dryRun=true', {
        locations: [{ name: 'nyc1' }],
        servers: [{ hostname: 'db1.example.com', role: 'replica' }],
      });
      expect(dry.body).toEqual({
        dryRun: true,
        changes: [
          { entity: 'location:nyc1', action: 'update' },
          { entity: 'server:db1.example.com', action: 'update' },
          { entity: 'application:blog', action: 'delete' },
          { entity: 'alias:blog.example.com', action: 'delete' },
          { entity: 'server:web1.example.com', action: 'delete' },
          { entity: 'server:web9.example.com', action: 'delete' },
        ],
        unchanged: 0,
      });
      expect((await get('/servers')).body.items).toHaveLength(3);
    });

    it('refuses a bad file as a whole, naming line and column', async () => {
      await seed();
      const res = await app.inject({
        method: 'POST',
        url: `${BASE}/import`,
        headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'text/yaml' },
        payload:
          'servers:\n  - hostname: ok.example.com\n  - hostname: web1.example.com\n    addresses: [10.0.0.999]\n',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        field: 'servers[1].addresses[0].address',
        line: 4,
        column: 17,
        error: 'line 4, column 17: servers[1].addresses[0].address: "10.0.0.999" is not an IPv4 or IPv6 address',
      });
      expect((await get('/servers')).body.items).toHaveLength(3);
      expect((await call('POST', '/import', {}, { key: keys.read })).status).toBe(403);
    });
  });

  describe('the alias workflow', () => {
    it('requests an alias pending and mails the hostmaster; confirms it; re-points it', async () => {
      await seed();
      const req = await post(
        '/aliases/request',
        {
          fqdn: 'shop.example.com',
          type: 'A',
          server: 'web1.example.com',
          requestedBy: 'dev@example.com',
          registrar: 'Gandi',
          dnsManagedBy: 'central IT',
          applications: ['blog'],
          reason: 'Launch',
        },
        'dev'
      );
      expect(req.status).toBe(201);
      expect(req.body.alias).toMatchObject({ fqdn: 'shop.example.com', status: 'pending', applications: ['blog'] });
      expect(req.body.mail).toMatchObject({ sent: true, to: ['hostmaster@example.com'], cc: ['dev@example.com'] });
      expect(sent[0]!.text).toContain('shop.example.com.  IN  A  192.0.2.10');

      await expect400(
        post('/aliases/request', { fqdn: 'x.example.com', type: 'A', target: '10.0.0.1' }),
        'requestedBy'
      );
      await expect400(
        post('/aliases/request', {
          fqdn: 'x.example.com',
          type: 'A',
          target: '10.0.0.1',
          requestedBy: 'a@b.co',
          status: 'active',
        }),
        'status'
      );
      await expect400(
        post('/aliases/request', {
          fqdn: 'x.example.com',
          type: 'A',
          target: '10.0.0.1',
          requestedBy: 'a@b.co',
          applications: ['nope'],
        }),
        'applications[0]'
      );

      const confirmed = await post('/aliases/shop.example.com/confirm', {});
      expect(confirmed.body.alias.status).toBe('active');
      expect(confirmed.body.mail).toMatchObject({
        sent: true,
        to: ['dev@example.com'],
        cc: ['hostmaster@example.com'],
      });
      await expect400(post('/aliases/shop.example.com/confirm', {}), 'status');

      const changed = await post('/aliases/shop.example.com/change', {
        type: 'CNAME',
        server: 'db1.example.com',
        requestedBy: 'dev@example.com',
      });
      expect(changed.body.alias).toMatchObject({ status: 'pending', type: 'CNAME', server: 'db1.example.com' });
      expect(sent[2]!.subject).toBe('DNS change: shop.example.com now CNAME db1.example.com');
      await expect400(post('/aliases/shop.example.com/change', { requestedBy: 'dev@example.com' }), 'server');
      await expect400(post('/aliases/shop.example.com/change', { server: 'db1.example.com' }), 'requestedBy');
      expect((await post('/aliases/nope.example.com/confirm', {})).status).toBe(404);

      const history = (await get('/aliases/shop.example.com/history')).body.items;
      expect(history.map((h: { action: string; entity: string }) => `${h.action} ${h.entity}`)).toEqual([
        'change alias:shop.example.com',
        'confirm alias:shop.example.com',
        'update application:blog',
        'request alias:shop.example.com',
      ]);
      expect(history[3].actor.user).toBe('dev');
    });
  });
});

import { ReplayWorker } from '../pages/Inventory/testdata/replay';
import * as inv from '../pages/Inventory/testdata/inventory';
import { ApiError, MissionControlClient } from './client';
import { parseEntityRef } from './inventory';

let mockWorker: ReplayWorker;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
}));

const client = new MissionControlClient('mc-prod');

beforeEach(() => {
  mockWorker = new ReplayWorker('mc-prod', inv.successes);
});

describe('client.inventory', () => {
  it('lists, filters and reads entities by their keys', async () => {
    await expect(client.inventory.list('server')).resolves.toEqual(inv.servers);
    const production = await client.inventory.list('server', { filter: ['environment=production'] });
    expect(production.items.map((s) => s.environment)).toEqual(['production', 'production', 'production']);
    await expect(client.inventory.detail('server', 'web05.ctl.example.edu')).resolves.toEqual(inv.web05);
    await expect(client.inventory.search('db01')).resolves.toEqual(inv.searchDb01);
  });

  it('creates a server, deploys an application on it, requests an alias and adds a note', async () => {
    const created = await client.inventory.create('server', {
      hostname: 'web05.ctl.example.edu',
      status: 'active',
      addresses: [],
      contacts: [],
    });
    expect(created.entity).toBe('server:web05.ctl.example.edu');
    const app = await client.inventory.deploy('app-01', { server: 'web05.ctl.example.edu', environment: 'production' });
    expect(app.servers).toContainEqual({ server: 'web05.ctl.example.edu', environment: 'production' });
    const requested = await client.inventory.requestAlias({
      fqdn: 'blog.ctl.example.edu',
      type: 'CNAME',
      server: 'web05.ctl.example.edu',
      requestedBy: 'ann@example.edu',
    });
    expect(requested.alias.status).toBe('pending');
    expect(requested.mail.to).toEqual(['hostmaster@ctl.example.edu']);
    const note = await client.inventory.addNote({ entity: 'server:web05.ctl.example.edu', body: 'Racked.' });
    expect(note.author).toBe('admin');
    expect(mockWorker.requests.map((r) => `${r.method} ${r.url.replace(/^.*\/worker/, '')}`)).toEqual([
      'POST /api/v1/inventory/servers',
      'POST /api/v1/inventory/applications/app-01/servers',
      'POST /api/v1/inventory/aliases/request',
      'POST /api/v1/inventory/notes',
    ]);
  });

  it('rejects bad input with the field at fault', async () => {
    mockWorker.replay(inv.recorded.createServerDuplicate);
    const err = await client.inventory
      .create('server', { hostname: 'web05.ctl.example.edu', status: 'active', addresses: [], contacts: [] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe('invalid');
    expect((err as ApiError).body?.field).toBe('hostname');
  });

  it('changes an entity’s fields, clearing those sent as null, and deletes entities', async () => {
    mockWorker.replay(inv.recorded.updateServerWeb05);
    const updated = await client.inventory.update('server', 'web05.ctl.example.edu', {
      role: 'cache',
      description: 'Moved to the cache pool',
      os: null,
    });
    expect([updated.role, updated.description, updated.os]).toEqual(['cache', 'Moved to the cache pool', undefined]);
    await expect(client.inventory.remove('alias', 'blog.ctl.example.edu')).resolves.toBeUndefined();
    expect(mockWorker.requests.map((r) => [r.method, r.url.replace(/^.*\/worker/, ''), r.data])).toEqual([
      [
        'PATCH',
        '/api/v1/inventory/servers/web05.ctl.example.edu',
        { role: 'cache', description: 'Moved to the cache pool', os: null },
      ],
      ['DELETE', '/api/v1/inventory/aliases/blog.ctl.example.edu', undefined],
    ]);
  });

  it('says which entities still refer to one it may not delete', async () => {
    mockWorker.replay(inv.recorded.deleteServerReferenced);
    const err = await client.inventory.remove('server', 'web05.ctl.example.edu').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(409);
    expect((err as ApiError).message).toContain('still referred to by alias:blog.ctl.example.edu');
  });

  it('reads an entity’s notes and status changes as annotations over a time range', async () => {
    const { annotations } = await client.inventory.annotations('server:web05.ctl.example.edu', {
      from: 1000,
      until: 2000,
    });
    expect(annotations.map((a) => a.text)).toContain(inv.note.body);
    expect(mockWorker.requests[0].params).toEqual({ entity: 'server:web05.ctl.example.edu', from: 1000, until: 2000 });
  });

  it('renders an entity’s series through the Graphite render API', async () => {
    const series = await client.inventory.render("seriesByTag('host=web05')", {
      from: '-24h',
      until: 'now',
      maxDataPoints: 60,
    });
    expect(series.map((s) => s.tags.name)).toEqual(['disk.used_percent', 'load', 'memory.used_percent']);
  });

  it('splits entity references into kind and key', () => {
    expect(parseEntityRef('alias:_dmarc.ctl.example.edu')).toEqual({ kind: 'alias', key: '_dmarc.ctl.example.edu' });
    expect(parseEntityRef('note:3')).toBeUndefined();
  });
});

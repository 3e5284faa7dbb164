import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openCatalog, type Catalog } from '../catalog/db';
import { annotations } from './annotations';
import { InventoryService, type InventoryContents } from './service';

const ACTOR = { keyId: '0123456789abcdef', name: 'ops' };
const T0 = Date.UTC(2026, 0, 1);

describe('InventoryService', () => {
  let dir: string;
  let db: Catalog;
  let clock: number;
  let service: InventoryService;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-inv-svc-'));
    db = openCatalog(dir);
    clock = T0;
    service = new InventoryService(db, { now: () => clock });
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const contents = (hostnames: string[]): InventoryContents => ({
    location: [],
    server: hostnames.map((hostname) => ({
      doc: { hostname, status: 'active', addresses: [], contacts: [] },
      notes: [{ time: T0, author: 'ann', body: `built ${hostname}`, pinned: false }],
      renewals: [],
    })),
    application: [],
    alias: [],
  });

  it('rolls a dry run back entirely, history included', () => {
    const result = service.replaceAll(contents(['web1', 'web2']), ACTOR, true);
    expect(result.changes).toEqual([
      { entity: 'server:web1', action: 'create' },
      { entity: 'server:web2', action: 'create' },
    ]);
    expect(service.store.count('server')).toBe(0);
    expect(service.changes({})).toEqual([]);
  });

  it('records the notes an import adds and removes as changes concerning their entity', () => {
    service.replaceAll(contents(['web1']), ACTOR);
    const next = contents(['web1']);
    next.server[0]!.notes = [{ time: T0 + 1000, author: 'bo', body: 'rebooted', pinned: true }];
    service.replaceAll(next, { name: 'cli' });
    const actions = service.changes({ entity: 'server:web1' }).map((h) => `${h.action} ${h.entity} by ${h.actor.name}`);
    expect(actions).toEqual([
      'create note:2 by cli',
      'delete note:1 by cli',
      'create note:1 by ops',
      'create server:web1 by ops',
    ]);
  });

  it('follows a renamed entity: its history and relations stay with it', () => {
    service.create('location', { name: 'lito' }, ACTOR);
    service.create('server', { hostname: 'web1', location: 'lito' }, ACTOR);
    service.update('location', 'lito', { name: 'lito-east' }, ACTOR);
    expect(service.detail('location', 'lito-east')).toMatchObject({ servers: ['web1'] });
    expect(service.detail('server', 'web1')).toMatchObject({ location: 'lito-east' });
    expect(service.changes({ entity: 'location:lito-east' }).map((h) => h.entity)).toEqual([
      'location:lito-east',
      'server:web1',
      'location:lito',
    ]);
  });

  it('lets the workflow move an alias where a plain update may not', () => {
    service.create('alias', { fqdn: 'old.example.com', type: 'A', target: '192.0.2.1', status: 'deprecated' }, ACTOR);
    expect(() => service.update('alias', 'old.example.com', { status: 'active' }, ACTOR)).toThrow(/cannot go from/);
    expect(
      service.update('alias', 'old.example.com', { status: 'active' }, ACTOR, { workflow: true, action: 'confirm' })
    ).toMatchObject({ status: 'active' });
  });

  it('turns server status changes into annotations, but not plain creations', () => {
    service.create('server', { hostname: 'web1' }, ACTOR);
    clock = T0 + 5_000;
    service.update('server', 'web1', { status: 'deprecated', role: 'web' }, { ...ACTOR, user: 'ann' });
    const found = annotations(service, { from: T0 / 1000 - 1, until: T0 / 1000 + 10, limit: 100 });
    expect(found).toEqual([
      {
        time: T0 / 1000 + 5,
        title: 'server:web1 changed',
        text: 'status active → deprecated — by ann',
        tags: ['inventory', 'server', 'status', 'update', 'deprecated'],
        entity: 'server:web1',
      },
    ]);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Fastify from 'fastify';
import type { EventsResponse } from '../../shared/api';
import { openCatalog, type Catalog } from '../catalog/db';
import { EventStore } from '../catalog/events';
import { KeyVerifier, createKey } from '../catalog/keys';
import { eventRoutes } from './events';

const NOW = 1_795_621_630_000;

describe('events API', () => {
  let dir: string;
  let db: Catalog;
  let app: ReturnType<typeof Fastify>;
  let keys: { read: string; ingest: string };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-events-api-'));
    db = openCatalog(dir);
    keys = { read: createKey(db, { scopes: ['read'] }).key, ingest: createKey(db, { scopes: ['ingest'] }).key };
    app = Fastify();
    await app.register(eventRoutes, { keys: new KeyVerifier(db), events: new EventStore(db), now: () => NOW });
  });

  afterEach(async () => {
    await app.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const post = (key: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${key}` },
      payload: body as object,
    });
  const list = (key: string, query: string) =>
    app.inject({ method: 'GET', url: '/api/v1/events?' + query, headers: { authorization: `Bearer ${key}` } });

  it('records events with the ingest scope and lists them with the read scope', async () => {
    expect((await post(keys.read, { what: 'x' })).statusCode).toBe(403);
    const created = await post(keys.ingest, { what: 'deploy', tags: ['app', 'v2'], data: 'by ci' });
    expect(created.json()).toEqual({ id: 1, when: NOW / 1000 });
    await post(keys.ingest, { what: 'dns', tags: 'dns', when: NOW / 1000 - 7200 });
    expect((await post(keys.ingest, { what: '' })).json()).toMatchObject({ field: 'what' });

    expect((await list(keys.ingest, '')).statusCode).toBe(403);
    const all = (await list(keys.read, 'from=-1d')).json() as EventsResponse;
    expect(all.events.map((e) => e.what)).toEqual(['dns', 'deploy']);
    expect(all.events[1]).toEqual({ id: 1, when: NOW / 1000, what: 'deploy', tags: ['app', 'v2'], data: 'by ci' });
    expect((await list(keys.read, 'from=-1h')).json().events).toHaveLength(1);
    expect((await list(keys.read, 'tags=app,dns&any=1')).json().events).toHaveLength(2);
    expect((await list(keys.read, 'tags=app dns')).json().events).toHaveLength(0);
    expect((await list(keys.read, 'limit=1')).json().events.map((e: { id: number }) => e.id)).toEqual([1]);
    expect((await list(keys.read, 'limit=0')).json()).toMatchObject({ field: 'limit' });
    expect((await list(keys.read, 'from=soon')).json()).toMatchObject({ field: 'from' });
  });
});

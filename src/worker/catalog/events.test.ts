import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openCatalog, type Catalog } from './db';
import { EventStore, parseEventBody, splitTags } from './events';

describe('events', () => {
  let dir: string;
  let db: Catalog;
  let events: EventStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-events-'));
    db = openCatalog(dir);
    events = new EventStore(db, () => 1_800_000_000_500);
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads event bodies as graphite-web takes them', () => {
    expect(parseEventBody({ what: 'deploy', tags: 'app web  app', data: 'v1.2', when: 1700000000.25 })).toEqual({
      event: { what: 'deploy', tags: ['app', 'web'], data: 'v1.2', when: 1700000000.25 },
    });
    expect(parseEventBody({ what: 'dns', tags: ['a b', 'c'], data: { zone: 'x' } })).toEqual({
      event: { what: 'dns', tags: ['a', 'b', 'c'], data: '{"zone":"x"}' },
    });
    expect(parseEventBody({ tags: [] })).toMatchObject({ field: 'what' });
    expect(parseEventBody({ what: 'x', tags: 5 })).toMatchObject({ field: 'tags' });
    expect(parseEventBody({ what: 'x', when: 'yesterday' })).toMatchObject({ field: 'when' });
    expect(parseEventBody([1])).toMatchObject({ error: expect.stringContaining('JSON object') });
    expect(splitTags(' a\tb a ')).toEqual(['a', 'b']);
  });

  it('stores events and finds them by time and tags, oldest first', () => {
    const a = events.add({ what: 'deploy api', tags: ['deploy', 'api'], data: 'v1', when: 1000 });
    events.add({ what: 'deploy web', tags: ['deploy', 'web'], when: 2000.5 });
    const c = events.add({ what: 'dns change', tags: ['dns'] });
    expect(a).toEqual({ id: 1, when: 1000, what: 'deploy api', tags: ['deploy', 'api'], data: 'v1' });
    expect(c.when).toBe(1_800_000_000.5);
    expect(events.find().map((e) => e.what)).toEqual(['deploy api', 'deploy web', 'dns change']);
    expect(events.find({ from: 1000, until: 2000.5 }).map((e) => e.id)).toEqual([1, 2]);
    expect(events.find({ from: 1000.001 }).map((e) => e.id)).toEqual([2, 3]);
    expect(events.find({ tags: ['deploy', 'web'] }).map((e) => e.id)).toEqual([2]);
    expect(events.find({ tags: ['api', 'dns'], any: true }).map((e) => e.id)).toEqual([1, 3]);
    expect(events.find({ limit: 2 }).map((e) => e.id)).toEqual([2, 3]);
  });
});

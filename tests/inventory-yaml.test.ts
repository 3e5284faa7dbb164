/**
 * The inventory as YAML, at the scale of a real team's: a canonical file round-trips exactly (export of the import is
 * the file, text for text), through the library and through `mission-control inventory import|export`; re-importing
 * changes nothing; an edited file changes only what was edited; a faulty file changes nothing at all.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openCatalog, type Catalog } from '../src/worker/catalog/db';
import { main } from '../src/worker/cli';
import { InventoryService } from '../src/worker/inventory/service';
import { exportInventory, importInventory } from '../src/worker/inventory/yaml';
import { generateInventoryYaml } from './fixtures/inventory-fixture';

const ACTOR = { name: 'provisioning' };

describe('inventory YAML round trip', () => {
  let dir: string;
  let db: Catalog;
  let service: InventoryService;
  const fixture = generateInventoryYaml({ servers: 40, applications: 25, aliases: 30 });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-inv-yaml-'));
    db = openCatalog(path.join(dir, 'data'));
    service = new InventoryService(db);
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports exactly the canonical file it imported', () => {
    const result = importInventory(service, fixture, ACTOR);
    expect(result.changes).toHaveLength(3 + 40 + 25 + 31);
    expect(result.changes.every((c) => c.action === 'create')).toBe(true);
    expect(service.store.count('server')).toBe(40);
    expect(service.store.count('application')).toBe(25);
    expect(service.store.count('alias')).toBe(31);
    expect(service.listNotes({}).length).toBeGreaterThan(20);
    expect(exportInventory(service)).toBe(fixture);
  });

  it('changes nothing when the same file is imported again, keeping ids and notes', () => {
    importInventory(service, fixture, ACTOR);
    const ids = service.list('server').map((s) => s.id);
    const notes = service.listNotes({}).map((n) => n.id);
    const historyBefore = service.changes({ limit: 1 })[0]!.id;
    expect(importInventory(service, fixture, ACTOR)).toEqual({ dryRun: false, changes: [], unchanged: 99 });
    expect(service.list('server').map((s) => s.id)).toEqual(ids);
    expect(service.listNotes({}).map((n) => n.id)).toEqual(notes);
    expect(service.changes({ limit: 1 })[0]!.id).toBe(historyBefore);
  });

  it('applies an edited file as the changes it contains, and records them', () => {
    importInventory(service, fixture, ACTOR);
    // cache03 is the first server; app-25 the last application.
    const edited = fixture
      .replace('    role: cache\n', '    role: memcached\n')
      .replace(/  - name: app-25\n[\s\S]*?(?=^aliases:\n)/m, '')
      .replace('        body: Lowered the TTL to 300 before the move.\n', '        body: Lowered the TTL to 60.\n');
    expect(edited).not.toBe(fixture);
    const result = importInventory(service, edited, { name: 'git', user: 'ann' });
    expect(result.changes).toEqual([
      { entity: 'server:cache03.ctl.example.edu', action: 'update' },
      { entity: 'alias:site07.ctl.example.edu', action: 'update' },
      { entity: 'application:app-25', action: 'delete' },
    ]);
    expect(exportInventory(service)).toBe(edited);
    const [change] = service.changes({ entity: 'server:cache03.ctl.example.edu', limit: 1 });
    expect(change).toMatchObject({
      action: 'update',
      actor: { name: 'git', user: 'ann' },
      changes: { role: { from: 'cache', to: 'memcached' } },
    });
  });

  it('imports all or nothing', () => {
    // A failure while writing, after the file was found valid, rolls back what was already written.
    const insert = service.store.insert.bind(service.store);
    let calls = 0;
    const spy = jest.spyOn(service.store, 'insert').mockImplementation((kind, doc) => {
      if (++calls === 50) throw new Error('disk full');
      return insert(kind, doc);
    });
    expect(() => importInventory(service, fixture, ACTOR)).toThrow('disk full');
    expect(calls).toBe(50);
    expect(service.store.count('location') + service.store.count('server')).toBe(0);
    expect(service.changes({})).toEqual([]);
    spy.mockRestore();

    importInventory(service, fixture, ACTOR);
    const broken = fixture.replace('    location: lito\n', '    location: atlantis\n') + 'extra: []\n';
    expect(() => importInventory(service, broken, ACTOR)).toThrow(/location: no location "atlantis"/);
    expect(exportInventory(service)).toBe(fixture);
  });

  it('round-trips through the command line, and reports a bad file by line without changing anything', async () => {
    const file = path.join(dir, 'inventory.yaml');
    const out = path.join(dir, 'exported.yaml');
    fs.writeFileSync(file, fixture);
    db.close();
    const run = async (...args: string[]) => {
      let stderr = '';
      let stdout = '';
      const code = await main(['node', 'mission-control', ...args], {
        env: {},
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        setExitCode: () => undefined,
      });
      return { code, stdout, stderr };
    };
    const data = path.join(dir, 'data');
    const imported = await run('inventory', 'import', '--data-dir', data, file);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(`${file}: changed 99, 0 unchanged`);
    expect((await run('inventory', 'export', '--data-dir', data, out)).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(fixture);
    expect((await run('inventory', 'export', '--data-dir', data, '-')).stdout).toBe(fixture);

    fs.writeFileSync(file, fixture.replace('  - hostname: cache03.ctl.example.edu\n', '  - hostname: cache 03\n'));
    const bad = await run('inventory', 'import', '--data-dir', data, file);
    expect(bad.code).toBe(1);
    const line = fixture.split('\n').indexOf('  - hostname: cache03.ctl.example.edu') + 1;
    expect(bad.stderr).toContain('the inventory is unchanged');
    expect(bad.stderr).toContain(`${file}:${line}:15: servers[0].hostname: "cache 03" is not a valid host name`);
    const dry = await run('inventory', 'import', '--dry-run', '--data-dir', data, out);
    expect(dry.stderr).toContain('would change 0, 99 unchanged');
    db = openCatalog(data);
  });
});

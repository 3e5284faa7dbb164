import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { openCatalog, type Catalog } from '../catalog/db';
import { InventoryError } from './errors';
import { InventoryService } from './service';
import { describeFaults, exportInventory, importInventory, readInventoryYaml } from './yaml';

function faults(text: string) {
  try {
    readInventoryYaml(text);
  } catch (e) {
    if (e instanceof InventoryError)
      return e.details.errors!.map((f) => `${f.line}:${f.column} ${f.field}: ${f.error}`);
    throw e;
  }
  throw new Error('expected the file to be refused');
}

describe('reading an inventory file', () => {
  it('reports YAML syntax errors and duplicate keys at their position', () => {
    expect(faults('servers:\n  - hostname: [web1\n')[0]).toMatch(/^3:1 : /);
    expect(faults('servers:\n  - hostname: a\n    hostname: b\n')).toEqual([
      expect.stringMatching(/^3:5 : Map keys must be unique/),
    ]);
  });

  it('reports every fault in reading order, at the value or at the mapping that lacks a field', () => {
    const text = [
      'servers:',
      '  - hostname: web1',
      '    location: atlantis',
      '  - role: web',
      '  - hostname: WEB1',
      'aliases:',
      '  - fqdn: www.example.com',
      '    type: CNAME',
      '    server: web1',
      '    notes:',
      '      - time: yesterday',
      '        author: ann',
      '        body: moved',
      '      - body: no time',
      'colours: []',
    ].join('\n');
    expect(faults(text)).toEqual([
      '3:15 servers[0].location: no location "atlantis"',
      '4:5 servers[1].hostname: is required',
      '5:15 servers[2].hostname: "web1" is already defined at servers[0]',
      '11:15 aliases[0].notes[0].time: must be a time such as 2025-03-01T09:30:00Z',
      '14:9 aliases[0].notes[1].time: is required',
      '14:9 aliases[0].notes[1].author: is required',
      '15:1 colours: unknown section (known: locations, servers, applications, aliases)',
    ]);
  });

  it('resolves references in any order within the file, and takes an address as a plain string', () => {
    const contents = readInventoryYaml(
      'applications:\n  - name: blog\n    servers: [{ server: web1, environment: prod }]\nservers:\n  - hostname: web1\n    addresses: [10.0.0.1]\n'
    );
    expect(contents.server[0]!.doc.addresses).toEqual([{ address: '10.0.0.1' }]);
    expect(contents.application[0]!.doc.servers).toEqual([{ server: 'web1', environment: 'prod' }]);
  });

  it('describes faults for a terminal, one per line', () => {
    const e = (() => {
      try {
        readInventoryYaml('servers:\n  - hostname: "a b"\n    cpus: 0\n');
      } catch (err) {
        return err as InventoryError;
      }
      throw new Error('expected a fault');
    })();
    expect(describeFaults('inv.yaml', e)).toBe(
      'inv.yaml:2:15: servers[0].hostname: "a b" is not a valid host name (letters, digits and "-" in dot-separated labels)\n' +
        'inv.yaml:3:11: servers[0].cpus: must be a whole number of at least 1'
    );
  });
});

describe('writing an inventory file', () => {
  let dir: string;
  let db: Catalog;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-inv-yaml-unit-'));
    db = openCatalog(dir);
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes every section, even empty, and nothing else for an empty inventory', () => {
    expect(exportInventory(new InventoryService(db))).toBe(
      'locations: []\nservers: []\napplications: []\naliases: []\n'
    );
  });

  it('quotes what would read back as another type, and keeps multi-line text as blocks', () => {
    const service = new InventoryService(db);
    const text = [
      'locations: []',
      'servers:',
      '  - hostname: web1',
      '    instanceId: "12345"',
      '    os: "true"',
      '    status: active',
      '    notes:',
      '      - time: 2025-01-02T03:04:05.678Z',
      '        author: ann',
      '        body: |-',
      '          first line',
      '          second: line',
      'applications: []',
      'aliases: []',
      '',
    ].join('\n');
    importInventory(service, text, { name: 'test' });
    expect(service.list('server')[0]).toMatchObject({ instanceId: '12345', os: 'true' });
    expect(exportInventory(service)).toBe(text);
  });

  it('reads Unix seconds for note times and writes them back in ISO 8601', () => {
    const service = new InventoryService(db);
    importInventory(
      service,
      'servers:\n  - hostname: web1\n    notes: [{ time: 1735787045, author: ann, body: x, pinned: false }]\n',
      { name: 'test' }
    );
    expect(exportInventory(service)).toContain(
      '      - time: 2025-01-02T03:04:05Z\n        author: ann\n        body: x\n'
    );
  });
});

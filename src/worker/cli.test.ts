import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { openCatalog } from './catalog/db';
import { verifyKey } from './catalog/keys';
import { CliDeps, RunWorkerOptions, main } from './cli';
import { WorkerConfig } from './config/schema';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mc-cli-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], deps: Partial<CliDeps> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const exitCodes: number[] = [];
  const code = await main(['node', 'mission-control', ...args], {
    env: {},
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    runWorker: () => Promise.reject(new Error('runWorker not expected')),
    setExitCode: (c) => exitCodes.push(c),
    ...deps,
  });
  expect(exitCodes).toEqual([code]);
  return { code, stdout, stderr };
}

function verify(dataDir: string, key: string) {
  const db = openCatalog(dataDir);
  try {
    return verifyKey(db, key);
  } finally {
    db.close();
  }
}

describe('keys', () => {
  it('create prints the key, and nothing else, on stdout', async () => {
    const run = await cli(['keys', 'create', '--data-dir', dir, '--scopes', 'ingest,read', '--name', 'web1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^mc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$/);
    const key = run.stdout.trim();
    const id = key.split('_')[1]!;
    expect(run.stderr).toContain(`created key ${id} (ingest, read)`);
    expect(verify(dir, key)).toEqual({ id, scopes: ['ingest', 'read'] });
  });

  it('create refuses an unknown scope', async () => {
    const run = await cli(['keys', 'create', '--data-dir', dir, '--scopes', 'ingest,write']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: unknown scope "write" (expected some of ingest, read, admin)\n',
    });
  });

  it('create needs --scopes', async () => {
    const run = await cli(['keys', 'create', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("required option '--scopes <list>' not specified");
  });

  it('finds the data directory from MC_DATA_DIR, then from the configuration file', async () => {
    const fromEnv = path.join(dir, 'env');
    const run = await cli(['keys', 'create', '--scopes', 'read'], { env: { MC_DATA_DIR: fromEnv } });
    expect(verify(fromEnv, run.stdout.trim())).toBeDefined();

    writeFileSync(path.join(dir, 'mc.yaml'), 'dataDir: ./from-file\n');
    const run2 = await cli(['keys', 'create', '--scopes', 'read', '--config', path.join(dir, 'mc.yaml')]);
    expect(verify(path.join(dir, 'from-file'), run2.stdout.trim())).toBeDefined();
  });

  it('list shows ids, scopes and names but never keys; revoke removes one', async () => {
    const a = (await cli(['keys', 'create', '--data-dir', dir, '--scopes', 'admin', '--name', 'ops'])).stdout.trim();
    const b = (await cli(['keys', 'create', '--data-dir', dir, '--scopes', 'ingest'])).stdout.trim();
    const [idA, idB] = [a.split('_')[1]!, b.split('_')[1]!];

    const table = await cli(['keys', 'list', '--data-dir', dir]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SCOPES\s+CREATED\s+LAST USED\s+NAME$/);
    // Both were created within the same millisecond or so: their order is not under test.
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith(idA))).toMatch(
      /^\S+\s+admin\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+never\s+ops$/
    );
    expect(lines.find((l) => l.startsWith(idB))).toMatch(/^\S+\s+ingest\s+\S+\s+never$/);
    expect(table.stdout).not.toContain(a.slice(-20));

    const revoked = await cli(['keys', 'revoke', idA, '--data-dir', dir]);
    expect(revoked).toMatchObject({ code: 0, stdout: '' });
    expect(verify(dir, a)).toBeUndefined();

    const json = await cli(['keys', 'list', '--data-dir', dir, '--json']);
    expect(JSON.parse(json.stdout)).toEqual([{ id: idB, scopes: ['ingest'], createdAt: expect.any(Number) }]);
  });

  it('list says so on stderr when there are no keys', async () => {
    expect(await cli(['keys', 'list', '--data-dir', dir])).toEqual({ code: 0, stdout: '', stderr: 'no API keys\n' });
  });

  it('revoke of an unknown id fails', async () => {
    expect(await cli(['keys', 'revoke', '0123456789abcdef', '--data-dir', dir])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: no key with id 0123456789abcdef\n',
    });
  });
});

describe('config check', () => {
  it('accepts a good file', async () => {
    const file = path.join(dir, 'mc.yaml');
    writeFileSync(file, 'logLevel: debug\n');
    expect(await cli(['config', 'check', '--config', file])).toEqual({ code: 0, stdout: '', stderr: `${file}: OK\n` });
  });

  it('prints every problem with its line and exits 1', async () => {
    const file = path.join(dir, 'mc.yaml');
    writeFileSync(file, 'logLevel: debug\nstatsd:\n  flushInterval: 10x\n  listn: ":8125"\n');
    const run = await cli(['config', 'check', '--config', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `${file}:3:18: statsd.flushInterval: "10x" — unknown unit "x" (use s, m or min, h, d, w, mon, y)\n` +
        `${file}:4:3: statsd.listn: unknown key (did you mean "listen"?)\n`
    );
  });

  it('reads MC_CONFIG and prints the resolved configuration on request', async () => {
    const file = path.join(dir, 'mc.yaml');
    writeFileSync(file, 'statsd: { flushInterval: 1min }\n');
    const run = await cli(['config', 'check', '--print'], { env: { MC_CONFIG: file } });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ configFile: file, statsd: { flushIntervalMs: 60_000 } });
  });

  it('needs a file', async () => {
    const run = await cli(['config', 'check']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: no configuration file: pass --config FILE or set MC_CONFIG\n',
    });
  });
});

describe('serve', () => {
  it('runs the worker with flags over environment over file', async () => {
    const file = path.join(dir, 'mc.yaml');
    writeFileSync(file, 'http: { listen: "127.0.0.1:1" }\nstatsd: { listen: "127.0.0.1:2" }\nlogLevel: warn\n');
    const calls: Array<{ config: WorkerConfig; opts: RunWorkerOptions }> = [];
    const run = await cli(
      ['serve', '--config', file, '--http', '127.0.0.1:9686', '--data-dir', dir, '--demo', '--log-level', 'debug'],
      {
        env: { MC_HTTP: '127.0.0.1:8', MC_GRAPHITE: '127.0.0.1:9003' },
        runWorker: async (config, opts) => {
          calls.push({ config, opts });
        },
      }
    );
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(calls).toHaveLength(1);
    const { config, opts } = calls[0]!;
    expect(opts.demo).toBe(true);
    expect(config).toMatchObject({
      configFile: file,
      dataDir: dir,
      http: { listen: { port: 9686 } },
      statsd: { listen: { port: 2 } },
      graphite: { listen: { port: 9003 } },
      logLevel: 'debug',
    });

    // SIGHUP: the file changed, the flags and environment still apply.
    writeFileSync(file, 'statsd: { listen: "127.0.0.1:3" }\nlogLevel: warn\n');
    expect(opts.reloadConfig()).toMatchObject({ http: { listen: { port: 9686 } }, statsd: { listen: { port: 3 } } });
  });

  it('does not start on a bad address', async () => {
    const run = await cli(['serve', '--statsd', '8125']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^--statsd: statsd\.listen: "8125" — expected HOST:PORT/);
  });

  it('reports a worker that fails, with its stack', async () => {
    const run = await cli(['serve', '--data-dir', dir], { runWorker: () => Promise.reject(new Error('port in use')) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: port in use\n\s+at /);
  });
});

describe('the program', () => {
  it('prints help on stdout and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: mission-control');
    expect(run.stdout).toMatch(/serve \[options\]/);
    expect(run.stdout).toMatch(/keys/);
  });

  it('names the environment variables in serve --help', async () => {
    const run = await cli(['serve', '--help']);
    expect(run.stdout).toContain('(env MC_HTTP)');
    expect(run.stdout).toContain('(env MC_CONFIG)');
  });

  it('rejects an unknown command', async () => {
    const run = await cli(['sevre']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown command 'sevre'");
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConfigError, configReloader, loadConfig } from './load';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mc-config-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(text: string, name = 'config.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults', () => {
  it('resolve without a file', () => {
    const config = loadConfig({ env: {} });
    expect(config).toEqual({
      configFile: undefined,
      dataDir: path.resolve('data'),
      http: { listen: { host: '127.0.0.1', port: 8686 } },
      statsd: {
        listen: { host: '127.0.0.1', port: 8125 },
        udp: true,
        tcp: true,
        flushIntervalMs: 10_000,
        percentiles: [90],
        deleteIdleStats: false,
        maxKeys: 100_000,
        recvBufferSize: 8_388_608,
      },
      graphite: { listen: { host: '127.0.0.1', port: 2003 }, udp: true, tcp: true, maxLineLength: 65_536 },
      storage: {
        checkpointIntervalMs: 900_000,
        rollupAfterMs: 40 * 3_600_000,
        schemas: [
          {
            name: 'default',
            pattern: '.*',
            levels: [
              { resolutionMs: 10_000, retentionMs: 7 * 86_400_000 },
              { resolutionMs: 60_000, retentionMs: 90 * 86_400_000 },
              { resolutionMs: 3_600_000, retentionMs: 5 * 365 * 86_400_000 },
            ],
          },
        ],
        aggregation: expect.arrayContaining([{ name: 'default', pattern: '.*', method: 'avg' }]),
      },
      limits: {
        maxPendingWriteBytes: 67_108_864,
        maxSeries: 1_000_000,
        maxSeriesPerQuery: 10_000,
        maxPointsPerQuery: 10_000_000,
      },
      logLevel: 'info',
      smtp: undefined,
      inventory: { hostmasterEmail: undefined },
      alerting: {
        provisioningDir: undefined,
        historyRetentionMs: 30 * 86_400_000,
        queryTimeoutMs: 30_000,
        maxConcurrentQueries: 4,
        throttle: { maxNotifications: 25, perMs: 300_000 },
      },
      selfReport: { enabled: true, intervalMs: 10_000 },
    });
  });

  it('fill in what a file leaves out, key by key', () => {
    const file = writeConfig('statsd:\n  flushInterval: 1min\n  percentiles: [50, 99.9, -10]\nhttp:\n');
    const config = loadConfig({ file, env: {} });
    expect(config.statsd.flushIntervalMs).toBe(60_000);
    expect(config.statsd.percentiles).toEqual([50, 99.9, -10]);
    expect(config.statsd.listen).toEqual({ host: '127.0.0.1', port: 8125 });
    expect(config.http.listen.port).toBe(8686);
    expect(config.configFile).toBe(file);
  });

  it('are not shared between loads', () => {
    const a = loadConfig({ env: {} });
    a.statsd.percentiles.push(99);
    a.storage.schemas[0]!.levels.pop();
    const b = loadConfig({ env: {} });
    expect(b.statsd.percentiles).toEqual([90]);
    expect(b.storage.schemas[0]!.levels).toHaveLength(3);
  });

  it('accept an empty file', () => {
    const file = writeConfig('# nothing yet\n');
    expect(loadConfig({ file, env: {} }).logLevel).toBe('info');
  });
});

describe('a full file', () => {
  it('resolves every section', () => {
    const file = writeConfig(`
dataDir: /var/lib/mc
http: { listen: "0.0.0.0:8686" }
statsd: { listen: "[::1]:8125", udp: false, tcp: true, flushInterval: 10s, deleteIdleStats: true, maxKeys: 5, recvBufferSize: 0 }
graphite: { listen: "127.0.0.1:2003", udp: false, maxLineLength: 1024 }
storage:
  checkpointInterval: 5min
  schemas:
    - { name: carbon, pattern: "^carbon\\\\.", retentions: "60:90d" }
    - { name: default, pattern: ".*", retentions: "10s:1d,1m:30d" }
  aggregation:
    - { name: peaks, pattern: "\\\\.peak$", method: max }
    - { name: default, pattern: ".*", method: average }
limits: { maxSeries: 10 }
logLevel: debug
`);
    const config = loadConfig({ file, env: {} });
    expect(config.dataDir).toBe('/var/lib/mc');
    expect(config.http.listen).toEqual({ host: '0.0.0.0', port: 8686 });
    expect(config.statsd).toMatchObject({
      listen: { host: '::1', port: 8125 },
      udp: false,
      maxKeys: 5,
      recvBufferSize: 0,
    });
    expect(config.graphite).toEqual({
      listen: { host: '127.0.0.1', port: 2003 },
      udp: false,
      tcp: true,
      maxLineLength: 1024,
    });
    expect(config.storage.checkpointIntervalMs).toBe(300_000);
    expect(config.storage.schemas).toEqual([
      { name: 'carbon', pattern: '^carbon\\.', levels: [{ resolutionMs: 60_000, retentionMs: 90 * 86_400_000 }] },
      {
        name: 'default',
        pattern: '.*',
        levels: [
          { resolutionMs: 10_000, retentionMs: 86_400_000 },
          { resolutionMs: 60_000, retentionMs: 30 * 86_400_000 },
        ],
      },
    ]);
    expect(config.storage.aggregation).toEqual([
      { name: 'peaks', pattern: '\\.peak$', method: 'max' },
      { name: 'default', pattern: '.*', method: 'avg' },
    ]);
    expect(config.limits.maxSeries).toBe(10);
    expect(config.limits.maxSeriesPerQuery).toBe(10_000);
    expect(config.logLevel).toBe('debug');
  });

  it('resolves mail settings, with the port the TLS mode implies', () => {
    const file = writeConfig(`smtp:
  host: mail.example.com
  secure: true
  user: mc
  password: secret
  from: Mission Control <mc@example.com>
inventory: { hostmasterEmail: hostmaster@example.com }
`);
    const config = loadConfig({ file, env: {} });
    expect(config.smtp).toEqual({
      host: 'mail.example.com',
      port: 465,
      secure: true,
      user: 'mc',
      password: 'secret',
      from: 'Mission Control <mc@example.com>',
    });
    expect(config.inventory).toEqual({ hostmasterEmail: 'hostmaster@example.com' });
    const plain = loadConfig({
      file: writeConfig('smtp: { host: 127.0.0.1, from: mc@example.com }\n', 'b.yaml'),
      env: {},
    });
    expect(plain.smtp).toMatchObject({ port: 587, secure: false });
  });

  it('resolves the self report: another interval, or turned off', () => {
    expect(loadConfig({ file: writeConfig('selfReport: { interval: 1min }\n'), env: {} }).selfReport).toEqual({
      enabled: true,
      intervalMs: 60_000,
    });
    expect(loadConfig({ file: writeConfig('selfReport: { enabled: false }\n', 'b.yaml'), env: {} }).selfReport).toEqual(
      {
        enabled: false,
        intervalMs: 10_000,
      }
    );
  });

  it('resolves a relative dataDir against the file, not the working directory', () => {
    const file = writeConfig('dataDir: ./store\n');
    expect(loadConfig({ file, env: {} }).dataDir).toBe(path.join(dir, 'store'));
  });
});

describe('errors name the file, line, column and key', () => {
  it('an unknown key, with a suggestion', () => {
    const file = writeConfig('statsd:\n  listen: "127.0.0.1:8125"\n  flushIntervl: 10s\n');
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.message).toBe(`${file}:3:3: statsd.flushIntervl: unknown key (did you mean "flushInterval"?)`);
    expect(e).toMatchObject({ file, line: 3, column: 3, path: 'statsd.flushIntervl' });
  });

  it('an unknown top-level key', () => {
    const file = writeConfig('logLevel: info\nstorag:\n  schemas: []\n');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toBe(
      `${file}:2:1: storag: unknown key (did you mean "storage"?)`
    );
  });

  it('a bad retention, as in the design example', () => {
    const file = writeConfig(`storage:
  schemas:
    - name: default
      pattern: ".*"
      retentions: "10s:7x"
`);
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.message).toMatch(
      new RegExp(`^${escape(file)}:5:19: storage\\.schemas\\[0\\]\\.retentions: "10s:7x" — unknown unit "x"`)
    );
    expect(e).toMatchObject({ line: 5, column: 19, path: 'storage.schemas[0].retentions' });
  });

  it('retentions out of order', () => {
    const file = writeConfig('storage:\n  schemas:\n    - { name: a, pattern: x, retentions: "1m:1d,10s:7d" }\n');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toContain(
      ':3:42: storage.schemas[0].retentions: "1m:1d,10s:7d" — "1m:1d" then "10s:7d": resolutions must strictly increase'
    );
  });

  it('a regex that does not compile', () => {
    const file = writeConfig(
      'storage:\n  aggregation:\n    - name: broken\n      pattern: "(foo"\n      method: sum\n'
    );
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.message).toContain(`${file}:4:16: storage.aggregation[0].pattern: "(foo" — Invalid regular expression`);
  });

  it('a listen address without a port', () => {
    const file = writeConfig('http:\n  listen: localhost\n');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toBe(
      `${file}:2:11: http.listen: "localhost" — expected HOST:PORT, e.g. 127.0.0.1:8125, 0.0.0.0:8125 for every interface, [::1]:8125 for IPv6`
    );
  });

  it('a wrong type, a bad enum, a bound and a missing key', () => {
    const file = writeConfig(`statsd:
  flushInterval: 10
  udp: "yes"
  percentiles: [0]
limits: { maxSeries: 0 }
logLevel: loud
storage:
  aggregation:
    - { pattern: x, method: mean }
`);
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.issues.map((i) => i.message.slice(file.length + 1))).toEqual([
      '2:18: statsd.flushInterval: 10 — expected a duration such as "10s" or "15min"',
      '3:8: statsd.udp: "yes" — expected a boolean',
      '4:17: statsd.percentiles[0]: 0 — must not be 0',
      '5:22: limits.maxSeries: 0 — must be >= 1',
      '6:11: logLevel: "loud" — expected one of fatal, error, warn, info, debug, trace, silent',
      '9:7: storage.aggregation[0].name: required key is missing',
      '9:29: storage.aggregation[0].method: "mean" — expected one of avg, average, sum, min, max, last',
    ]);
    expect(e.message.split('\n')).toHaveLength(7);
  });

  it('a self report interval below a second', () => {
    const file = writeConfig('selfReport:\n  interval: 500ms\n  enabled: "no"\n');
    expect(errorOf(() => loadConfig({ file, env: {} })).issues.map((i) => i.message.slice(file.length + 1))).toEqual([
      '2:13: selfReport.interval: "500ms" — must be at least 1s',
      '3:12: selfReport.enabled: "no" — expected a boolean',
    ]);
  });

  it('an smtp section without its sender, and a malformed address', () => {
    const file = writeConfig(
      'smtp:\n  host: mail.example.com\n  port: 70000\ninventory:\n  hostmasterEmail: hostmaster\n'
    );
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.issues.map((i) => i.message.slice(file.length + 1))).toEqual([
      '2:3: smtp.from: required key is missing',
      '3:9: smtp.port: 70000 — must be <= 65535',
      '5:20: inventory.hostmasterEmail: "hostmaster" — is not an e-mail address (expected user@example.com)',
    ]);
  });

  it('a Graphite key that has no place here', () => {
    const file = writeConfig(
      'storage:\n  aggregation:\n    - { name: a, pattern: x, method: sum, xFilesFactor: 0.5 }\n'
    );
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toContain(
      ':3:43: storage.aggregation[0].xFilesFactor: not supported: rollups keep count, sum, min, max and last'
    );
  });

  it('a __proto__ key is reported, not obeyed', () => {
    const file = writeConfig('__proto__:\n  dataDir: /tmp/x\n');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toBe(`${file}:1:1: __proto__: unknown key`);
  });

  it('a YAML syntax error', () => {
    const file = writeConfig('statsd:\n\tlisten: "127.0.0.1:8125"\n');
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e).toMatchObject({ file, line: 2, column: 1 });
    expect(e.message).toBe(`${file}:2:1: Tabs are not allowed as indentation`);
  });

  it('a duplicate key', () => {
    const file = writeConfig('logLevel: info\nlogLevel: debug\n');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toMatch(new RegExp(`^${escape(file)}:2:1: .*unique`));
  });

  it('a file that is not a mapping', () => {
    const file = writeConfig('- a\n- b\n');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toBe(
      `${file}:1:1: expected a mapping of keys at the top level`
    );
  });

  it('a missing file', () => {
    const file = path.join(dir, 'nope.yaml');
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.file).toBe(file);
    expect(e.message).toMatch(/nope\.yaml: cannot read the file: ENOENT/);
  });
});

describe('precedence: defaults < file < environment < flags', () => {
  const file = () =>
    writeConfig(
      'dataDir: /from/file\nhttp: { listen: "10.0.0.1:1" }\nstatsd: { listen: "10.0.0.1:2" }\nlogLevel: warn\n'
    );

  it('the file beats the defaults', () => {
    const config = loadConfig({ file: file(), env: {} });
    expect(config.dataDir).toBe('/from/file');
    expect(config.http.listen).toEqual({ host: '10.0.0.1', port: 1 });
    expect(config.graphite.listen).toEqual({ host: '127.0.0.1', port: 2003 });
  });

  it('the environment beats the file', () => {
    const env = { MC_DATA_DIR: '/from/env', MC_HTTP: '10.0.0.2:1', MC_GRAPHITE: '10.0.0.2:3', MC_LOG_LEVEL: 'error' };
    const config = loadConfig({ file: file(), env });
    expect(config.dataDir).toBe('/from/env');
    expect(config.http.listen).toEqual({ host: '10.0.0.2', port: 1 });
    expect(config.statsd.listen).toEqual({ host: '10.0.0.1', port: 2 });
    expect(config.graphite.listen).toEqual({ host: '10.0.0.2', port: 3 });
    expect(config.logLevel).toBe('error');
  });

  it('flags beat the environment', () => {
    const config = loadConfig({
      file: file(),
      env: { MC_DATA_DIR: '/from/env', MC_HTTP: '10.0.0.2:1', MC_STATSD: '10.0.0.2:2' },
      flags: { dataDir: '/from/flag', http: '10.0.0.3:1', logLevel: 'trace' },
    });
    expect(config.dataDir).toBe('/from/flag');
    expect(config.http.listen).toEqual({ host: '10.0.0.3', port: 1 });
    expect(config.statsd.listen).toEqual({ host: '10.0.0.2', port: 2 });
    expect(config.logLevel).toBe('trace');
  });

  it('an empty variable counts as unset', () => {
    expect(loadConfig({ file: file(), env: { MC_HTTP: '' } }).http.listen.port).toBe(1);
  });

  it('a relative dataDir from the environment or a flag is relative to the working directory', () => {
    expect(loadConfig({ file: file(), env: { MC_DATA_DIR: 'rel' } }).dataDir).toBe(path.resolve('rel'));
    expect(loadConfig({ env: {}, flags: { dataDir: 'rel2' } }).dataDir).toBe(path.resolve('rel2'));
  });

  it('the file comes from the file option, else --config, else MC_CONFIG', () => {
    const a = writeConfig('logLevel: warn\n', 'a.yaml');
    const b = writeConfig('logLevel: error\n', 'b.yaml');
    const c = writeConfig('logLevel: debug\n', 'c.yaml');
    expect(loadConfig({ env: { MC_CONFIG: c } }).logLevel).toBe('debug');
    expect(loadConfig({ env: { MC_CONFIG: c }, flags: { config: b } }).logLevel).toBe('error');
    expect(loadConfig({ file: a, env: { MC_CONFIG: c }, flags: { config: b } }).logLevel).toBe('warn');
  });

  it('a bad override is blamed on its variable or flag', () => {
    const fromEnv = errorOf(() => loadConfig({ file: file(), env: { MC_STATSD: 'nowhere' } }));
    expect(fromEnv.message).toMatch(/^MC_STATSD: statsd\.listen: "nowhere" — expected HOST:PORT/);
    expect(fromEnv).toMatchObject({ file: undefined, line: undefined, path: 'statsd.listen' });
    expect(fromEnv.issues[0]!.source).toBe('MC_STATSD');

    const fromFlag = errorOf(() => loadConfig({ env: { MC_LOG_LEVEL: 'warn' }, flags: { logLevel: 'chatty' } }));
    expect(fromFlag.message).toMatch(/^--log-level: logLevel: "chatty" — expected one of/);
  });
});

describe('configReloader', () => {
  it('re-reads the same file with the same overrides', () => {
    const file = writeConfig('logLevel: warn\nstatsd: { flushInterval: 5s }\n');
    const env: Record<string, string> = { MC_HTTP: '127.0.0.1:9000' };
    const reload = configReloader({ file, env, flags: { graphite: '127.0.0.1:9003' } });
    env.MC_HTTP = '127.0.0.1:1';

    writeConfig('logLevel: debug\nstatsd: { flushInterval: 20s }\n');
    const config = reload();
    expect(config.logLevel).toBe('debug');
    expect(config.statsd.flushIntervalMs).toBe(20_000);
    expect(config.http.listen.port).toBe(9000);
    expect(config.graphite.listen.port).toBe(9003);
  });

  it('throws when the file has become invalid, leaving the caller its last good config', () => {
    const file = writeConfig('logLevel: warn\n');
    const reload = configReloader({ file, env: {} });
    const good = reload();
    writeConfig('logLevel: [\n');
    expect(() => reload()).toThrow(ConfigError);
    expect(good.logLevel).toBe('warn');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

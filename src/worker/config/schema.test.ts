import { CONFIG_DEFAULTS, StorageConfig, compileStorageRules, parseListen } from './schema';
import { loadConfig } from './load';

const defaults = loadConfig({ env: {} });

describe('default aggregation rules', () => {
  const rules = compileStorageRules(defaults.storage);

  it.each([
    // statsd, new namespace (as ingest/statsd names them)
    ['stats.counters.requests.count', 'sum'],
    ['stats.counters.requests.rate', 'avg'],
    ['stats.gauges.queue_depth', 'avg'],
    ['stats.sets.users.count', 'avg'],
    ['stats.timers.api.count', 'sum'],
    ['stats.timers.api.count_ps', 'avg'],
    ['stats.timers.api.count_90', 'sum'],
    ['stats.timers.api.sum', 'sum'],
    ['stats.timers.api.sum_90', 'sum'],
    ['stats.timers.api.sum_squares', 'sum'],
    ['stats.timers.api.sum_squares_99_9', 'sum'],
    ['stats.timers.api.lower', 'min'],
    ['stats.timers.api.lower_top10', 'min'],
    ['stats.timers.api.count_top10', 'sum'],
    ['stats.timers.api.upper', 'max'],
    ['stats.timers.api.upper_90', 'max'],
    ['stats.timers.api.upper_99_9', 'max'],
    ['stats.timers.api.mean', 'avg'],
    ['stats.timers.api.mean_90', 'avg'],
    ['stats.timers.api.median', 'avg'],
    ['stats.timers.api.std', 'avg'],
    ['stats.timers.api.histogram.bin_100', 'sum'],
    ['stats.timers.api.histogram.bin_inf', 'sum'],
    // statsd, legacy namespace
    ['stats.requests', 'avg'],
    ['stats_counts.requests', 'sum'],
    // carbon's example rules
    ['servers.web1.latency.min', 'min'],
    ['servers.web1.latency.max', 'max'],
    ['servers.web1.errors.count', 'sum'],
    ['servers.web1.cpu.user', 'avg'],
    // a suffix that only starts like a known one
    ['app.maximum', 'avg'],
    ['app.counter', 'avg'],
  ])('%s rolls up by %s', (name, method) => {
    expect(rules.methodFor(name)).toBe(method);
  });

  it('keeps every name on the default retentions', () => {
    expect(rules.schemaFor('anything.at.all')).toEqual({
      name: 'default',
      levels: defaults.storage.schemas[0]!.levels,
    });
  });
});

describe('compileStorageRules', () => {
  const levels = (resolutionMs: number) => [{ resolutionMs, retentionMs: resolutionMs * 100 }];
  const storage: StorageConfig = {
    checkpointIntervalMs: 1000,
    rollupAfterMs: 40 * 3_600_000,
    schemas: [
      { name: 'fast', pattern: '^fast\\.', levels: levels(1000) },
      { name: 'also-fast', pattern: 'fast', levels: levels(2000) },
    ],
    aggregation: [{ name: 'peaks', pattern: '\\.peak$', method: 'max' }],
  };

  it('takes the first matching rule', () => {
    const rules = compileStorageRules(storage);
    expect(rules.schemaFor('fast.x').name).toBe('fast');
    expect(rules.schemaFor('x.fast').name).toBe('also-fast');
    expect(rules.methodFor('load.peak')).toBe('max');
  });

  it('falls back to the default retentions and avg when nothing matches', () => {
    const rules = compileStorageRules(storage);
    expect(rules.schemaFor('slow.x')).toEqual({ name: 'default', levels: defaults.storage.schemas[0]!.levels });
    expect(rules.methodFor('load.mean')).toBe('avg');
  });

  it('rolls raw partitions up before the shortest raw retention could drop them', () => {
    // levels(1000) and levels(2000) keep raw samples 100 s and 200 s.
    expect(compileStorageRules(storage).rollupAfterMs).toBe(50_000);
    const long = [{ resolutionMs: 10_000, retentionMs: 30 * 86_400_000 }];
    const roomy = { ...storage, schemas: [{ name: 'all', pattern: '.*', levels: long }] };
    expect(compileStorageRules(roomy).rollupAfterMs).toBe(40 * 3_600_000);
  });

  it('answers the same after its cache has turned over', () => {
    const rules = compileStorageRules(storage);
    for (let i = 0; i < 25_000; i++) {
      rules.methodFor(`n${i}.peak`);
    }
    expect(rules.methodFor('n0.peak')).toBe('max');
    expect(rules.methodFor('n24999.other')).toBe('avg');
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:8125', { host: '127.0.0.1', port: 8125 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    ['localhost:2003', { host: 'localhost', port: 2003 }],
    ['[::1]:8686', { host: '::1', port: 8686 }],
  ])('%s', (text, address) => {
    expect(parseListen(text)).toEqual(address);
  });

  it.each(['8125', ':8125', 'localhost', '::1:8125', 'host:port', 'host:65536', 'a b:1'])('rejects %j', (text) => {
    expect(() => parseListen(text)).toThrow(/HOST:PORT|above 65535/);
  });
});

it('has defaults that resolve to the documented values', () => {
  expect(defaults.statsd.flushIntervalMs).toBe(10_000);
  expect(defaults.storage.checkpointIntervalMs).toBe(15 * 60_000);
  expect(CONFIG_DEFAULTS.storage.schemas[0]!.retentions).toBe('10s:7d,1m:90d,1h:5y');
});

import { concernsEntity, selectorMatches } from './entityAlerts';
import * as inv from './testdata/inventory';

describe('selectorMatches', () => {
  it('applies label matchers as seriesByTag does: regexes anchored at the start, an absent label empty', () => {
    const labels = { name: 'load', host: 'web05', env: 'production' };
    expect(selectorMatches('host=web05', labels)).toBe(true);
    expect(selectorMatches('host=web0', labels)).toBe(false);
    expect(selectorMatches('host=web05, env=~prod', labels)).toBe(true);
    expect(selectorMatches('host=web05,env=~duction', labels)).toBe(false);
    expect(selectorMatches('host=~web0[1-9],dc!=eu', labels)).toBe(true);
    expect(selectorMatches('host=web05,dc=', labels)).toBe(true);
    expect(selectorMatches('host!=~web', labels)).toBe(false);
  });

  it('keeps commas inside a regex', () => {
    expect(selectorMatches('host=~web{1,2}5', { host: 'web05' })).toBe(false);
    expect(selectorMatches('host=~web0{1,2}5', { host: 'web005' })).toBe(true);
  });

  it('matches a Graphite glob against the whole series name, one node per wildcard', () => {
    expect(selectorMatches('servers.web1.*.*', { name: 'servers.web1.load.1min' })).toBe(true);
    expect(selectorMatches('servers.web1.*', { name: 'servers.web1.load.1min' })).toBe(false);
    expect(selectorMatches('servers.web{1,2}.load.?min', { name: 'servers.web2.load.5min' })).toBe(true);
    expect(selectorMatches('servers.web[2-3].load.*', { name: 'servers.web1.load.1min' })).toBe(false);
    expect(selectorMatches('servers.web1.*', { host: 'web1' })).toBe(false);
    expect(selectorMatches('a+b.c', { name: 'aab.c' })).toBe(false);
  });

  it('matches nothing with a regex the browser cannot compile', () => {
    expect(selectorMatches('host=~(web', { host: '(web' })).toBe(false);
  });
});

describe('concernsEntity', () => {
  const [webLoad, , appErrors] = inv.alertInstances.instances;

  it('ties instances on a server’s series to the server, and not to an application', () => {
    expect(concernsEntity(inv.web05, webLoad.labels)).toBe(true);
    expect(concernsEntity(inv.web05, appErrors.labels)).toBe(false);
    expect(concernsEntity(inv.app01, appErrors.labels)).toBe(true);
    expect(concernsEntity(inv.app01, webLoad.labels)).toBe(false);
  });

  it('takes a host label naming the server by hostname or short name, and an application label', () => {
    const noSeries = { ...inv.db01, series: undefined };
    expect(concernsEntity(noSeries, { host: 'db01.ctl.example.edu' })).toBe(true);
    expect(concernsEntity(noSeries, { host: 'DB01' })).toBe(true);
    expect(concernsEntity(noSeries, { host: 'db02' })).toBe(false);
    expect(concernsEntity({ ...inv.app01, series: undefined }, { application: 'app-01' })).toBe(true);
    expect(concernsEntity({ ...inv.app01, series: undefined }, { app: 'app-01' })).toBe(false);
  });
});

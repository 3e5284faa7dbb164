import type { FunctionRegistry } from '../../api/graphite';
import { applyAdhocFilters, globToRegex, tagExpression } from './adhoc';

const registry = {
  divideSeries: {
    name: 'divideSeries',
    function: 'divideSeries(dividendSeriesList, divisorSeries)',
    description: '',
    group: 'Combine',
    params: [
      { name: 'dividendSeriesList', type: 'seriesList', required: true },
      { name: 'divisorSeries', type: 'seriesList', required: true },
    ],
  },
  aliasByNode: {
    name: 'aliasByNode',
    function: 'aliasByNode(seriesList, *nodes)',
    description: '',
    group: 'Alias',
    params: [
      { name: 'seriesList', type: 'seriesList', required: true },
      { name: 'nodes', type: 'nodeOrTag', required: true, multiple: true },
    ],
  },
} satisfies FunctionRegistry;

describe('tagExpression', () => {
  it('writes Grafana’s operators as Graphite’s', () => {
    expect(tagExpression({ key: 'env', operator: '=', value: 'prod' })).toBe('env=prod');
    expect(tagExpression({ key: 'env', operator: '!=', value: 'prod' })).toBe('env!=prod');
    expect(tagExpression({ key: 'host', operator: '=~', value: 'web.*' })).toBe('host=~web.*');
    expect(tagExpression({ key: 'host', operator: '!~', value: 'db.*' })).toBe('host!=~db.*');
    expect(tagExpression({ key: 'n', operator: '<', value: '3' })).toBeUndefined();
  });
});

describe('globToRegex', () => {
  it('keeps wildcards within one node and turns alternatives into groups', () => {
    const re = new RegExp(globToRegex('servers.web?.{cpu,mem*}.[a-c]*'));

    expect(re.test('servers.web1.cpu.all')).toBe(true);
    expect(re.test('servers.web2.memory.b')).toBe(true);
    expect(re.test('servers.web1.disk.a')).toBe(false);
    expect(re.test('servers.web12.cpu.a')).toBe(false);
    expect(re.test('servers.web1.cpu.x.y')).toBe(false);
    expect(globToRegex('a.b-c+d')).toBe('^a\\.b-c\\+d$');
  });
});

describe('applyAdhocFilters', () => {
  const env = [{ key: 'env', operator: '=', value: 'prod' }];

  it('adds the filters to every seriesByTag', () => {
    expect(
      applyAdhocFilters("sumSeries(seriesByTag('name=app.request'))", [
        ...env,
        { key: 'dc', operator: '!=', value: 'eu' },
      ])
    ).toBe("sumSeries(seriesByTag('name=app.request', 'env=prod', 'dc!=eu'))");
  });

  it('turns the series paths into seriesByTag on the name, and leaves other arguments alone', () => {
    expect(applyAdhocFilters('divideSeries(app.errors.*, app.requests)|aliasByNode(2)', env, registry)).toBe(
      "divideSeries(seriesByTag('name=~^app\\.errors\\.[^.]*$', 'env=prod'), seriesByTag('name=~^app\\.requests$', 'env=prod'))|aliasByNode(2)"
    );
  });

  it('without the function’s declaration treats only the first argument as series', () => {
    expect(applyAdhocFilters('summarize(a.b, 1h)', env)).toBe(
      "summarize(seriesByTag('name=~^a\\.b$', 'env=prod'), 1h)"
    );
  });

  it('leaves a target without filters, or one that does not parse, as it is', () => {
    expect(applyAdhocFilters('a.b', [])).toBe('a.b');
    expect(applyAdhocFilters('sumSeries(a.b', env)).toBe('sumSeries(a.b');
  });
});

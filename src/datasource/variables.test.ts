import { toVariableQuery } from './variables';

describe('toVariableQuery', () => {
  it('keeps a query saved by our editor', () => {
    const saved = { refId: 'v', type: 'tagValues' as const, tag: 'host', expressions: ['env=prod'] };

    expect(toVariableQuery(saved)).toBe(saved);
  });

  it('reads text as a path pattern, and Graphite’s tag functions as tag queries', () => {
    expect(toVariableQuery('servers.*')).toEqual({ refId: 'variable', type: 'metrics', query: 'servers.*' });
    expect(toVariableQuery("tag_values(host, 'env=prod', 'dc=~eu.*')")).toEqual({
      refId: 'variable',
      type: 'tagValues',
      tag: 'host',
      expressions: ['env=prod', 'dc=~eu.*'],
    });
    expect(toVariableQuery("tags('env=prod')")).toEqual({
      refId: 'variable',
      type: 'tagKeys',
      expressions: ['env=prod'],
    });
    expect(toVariableQuery(undefined)).toEqual({ refId: 'variable', type: 'metrics', query: '' });
  });
});

import { selectorPredicate } from '../store/select';
import type { Labels, SeriesReader, SeriesRef } from '../store/types';
import {
  autoCompleteTags,
  autoCompleteValues,
  completer,
  expand,
  findNodes,
  findSeries,
  listTags,
  parseTagExpressions,
  tagValues,
  treeJson,
} from './find';
import { QueryError } from './types';

function readerOf(series: Array<[string, Labels?]>): SeriesReader {
  const refs: SeriesRef[] = series.map(([name, labels], i) => ({
    id: i + 1,
    name,
    labels: labels ?? {},
    kind: 'gauge',
    firstSeen: 0,
    lastSeen: 0,
  }));
  return {
    find: (sel) => refs.filter(selectorPredicate(sel)),
    read: () => Promise.reject(new Error('not in these tests')),
  };
}

const reader = readerOf([
  ['servers.web1.cpu.user'],
  ['servers.web1.cpu.system'],
  ['servers.web2.cpu.user'],
  ['servers.web2'],
  ['servers.db1.disk'],
  ['servers.web1.mem', { dc: 'eu' }],
  ['disk.used', { dc: 'eu', host: 'web1' }],
  ['disk.used', { dc: 'us', host: 'web2' }],
  ['disk.free', { dc: 'us', host: 'db1', rack: 'r1' }],
]);

describe('metric tree', () => {
  it('finds branches and leaves, a path being both when series live under it', () => {
    expect(findNodes(reader, 'servers.*')).toEqual([
      { path: 'servers.db1', name: 'db1', leaf: false, branch: true },
      { path: 'servers.web1', name: 'web1', leaf: false, branch: true },
      { path: 'servers.web2', name: 'web2', leaf: true, branch: true },
    ]);
    expect(findNodes(reader, 'servers.web{1,2}.cpu.user').map((n) => n.path)).toEqual([
      'servers.web1.cpu.user',
      'servers.web2.cpu.user',
    ]);
    expect(findNodes(reader, 'servers.*', true).map((n) => n.path)).toEqual(['servers.web2']);
    // Tagged series live in the tag database only.
    expect(findNodes(reader, 'disk.*')).toEqual([]);
    expect(findNodes(reader, 'servers.web1.*').map((n) => n.path)).toEqual(['servers.web1.cpu']);
  });

  it("answers graphite-web's treejson: branches first, one entry per name, ids under the query's parent", () => {
    expect(treeJson(reader, 'servers.*', { wildcards: false, leavesOnly: false })).toEqual([
      { text: 'db1', id: 'servers.db1', allowChildren: 1, expandable: 1, leaf: 0 },
      { text: 'web1', id: 'servers.web1', allowChildren: 1, expandable: 1, leaf: 0 },
      { text: 'web2', id: 'servers.web2', allowChildren: 1, expandable: 1, leaf: 0 },
    ]);
    expect(treeJson(reader, 'servers.*.cpu.*', { wildcards: true, leavesOnly: false })).toEqual([
      { text: '*', id: 'servers.*.cpu.*', allowChildren: 0, expandable: 0, leaf: 1 },
      { text: 'system', id: 'servers.*.cpu.system', allowChildren: 0, expandable: 0, leaf: 1 },
      { text: 'user', id: 'servers.*.cpu.user', allowChildren: 0, expandable: 0, leaf: 1 },
    ]);
    expect(treeJson(reader, '*', { wildcards: false, leavesOnly: false })).toEqual([
      { text: 'servers', id: 'servers', allowChildren: 1, expandable: 1, leaf: 0 },
    ]);
  });

  it('answers the completer format with both entries of a path that is branch and leaf', () => {
    expect(completer(reader, 'servers.w', { wildcards: true, leavesOnly: false })).toEqual({
      metrics: [
        { path: 'servers.web1.', name: 'web1', is_leaf: '0' },
        { path: 'servers.web2.', name: 'web2', is_leaf: '0' },
        { path: 'servers.web2', name: 'web2', is_leaf: '1' },
        { name: '*' },
      ],
    });
  });

  it('expands patterns to paths, merged or per pattern', () => {
    expect(expand(reader, ['servers.web*', 'servers.db1.*'], { leavesOnly: false, groupByExpr: false })).toEqual({
      results: ['servers.db1.disk', 'servers.web1', 'servers.web2'],
    });
    expect(expand(reader, ['servers.web*', 'servers.db1.*'], { leavesOnly: true, groupByExpr: true })).toEqual({
      results: { 'servers.web*': ['servers.web2'], 'servers.db1.*': ['servers.db1.disk'] },
    });
  });

  it('refuses a malformed pattern', () => {
    expect(() => findNodes(reader, 'a.[b')).toThrow(QueryError);
  });
});

describe('tag database', () => {
  it('parses tag expressions with graphite-web rules', () => {
    expect(parseTagExpressions(['name=a.b', 'dc!=eu', 'host=~web.*', 'rack!=~r[0-9]'])).toEqual([
      { label: 'name', op: '=', value: 'a.b' },
      { label: 'dc', op: '!=', value: 'eu' },
      { label: 'host', op: '=~', value: 'web.*' },
      { label: 'rack', op: '!=~', value: 'r[0-9]' },
    ]);
    expect(() => parseTagExpressions(['dc!=eu', 'host=~.*', 'rack='])).toThrow(/at least one tag expression/);
    expect(() => parseTagExpressions(['dc'])).toThrow(/invalid tag expression 'dc'/);
    expect(() => parseTagExpressions(['a;b=c'])).toThrow(QueryError);
    expect(parseTagExpressions(['dc!=~'])).toHaveLength(1);
  });

  it('lists tags and values, filtered by anchored regexes and limited', () => {
    expect(listTags(reader)).toEqual([{ tag: 'dc' }, { tag: 'host' }, { tag: 'name' }, { tag: 'rack' }]);
    expect(listTags(reader, 'h|r', 1)).toEqual([{ tag: 'host' }]);
    expect(tagValues(reader, 'dc')).toEqual({
      tag: 'dc',
      values: [
        { value: 'eu', count: 2 },
        { value: 'us', count: 2 },
      ],
    });
    expect(tagValues(reader, 'name', 'disk')!.values).toEqual([
      { value: 'disk.free', count: 1 },
      { value: 'disk.used', count: 2 },
    ]);
    expect(tagValues(reader, 'nope')).toBeUndefined();
  });

  it('finds series by tags as canonical paths', () => {
    expect(findSeries(reader, ['name=~disk', 'dc=us'])).toEqual([
      'disk.free;dc=us;host=db1;rack=r1',
      'disk.used;dc=us;host=web2',
    ]);
    expect(findSeries(reader, ['rack!=r1', 'name=disk.used'])).toHaveLength(2);
  });

  it('autocompletes tags and values as graphite-web does', () => {
    expect(autoCompleteTags(reader, [])).toEqual(['dc', 'host', 'name', 'rack']);
    expect(autoCompleteTags(reader, [], 'h')).toEqual(['host']);
    expect(autoCompleteTags(reader, ['dc=us'])).toEqual(['host', 'name', 'rack']);
    expect(autoCompleteTags(reader, ['dc=us'], undefined, 2)).toEqual(['host', 'name']);
    expect(autoCompleteValues(reader, [], 'host')).toEqual(['db1', 'web1', 'web2']);
    expect(autoCompleteValues(reader, [], 'host', 'web', 1)).toEqual(['web1']);
    expect(autoCompleteValues(reader, ['name=disk.used'], 'host')).toEqual(['web1', 'web2']);
    expect(autoCompleteValues(reader, ['dc=us'], 'rack')).toEqual(['r1']);
    expect(autoCompleteValues(reader, ['dc=us'], 'name', 'disk.u')).toEqual(['disk.used']);
  });
});

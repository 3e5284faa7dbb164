import type { Series } from '../types';
import { exclude } from './exclude';
import { grep } from './grep';
import { highest } from './highest';
import { highestAverage } from './highestAverage';
import { highestCurrent } from './highestCurrent';
import { highestMax } from './highestMax';
import { limit } from './limit';
import { lowest } from './lowest';
import { lowestAverage } from './lowestAverage';
import { removeAbovePercentile } from './removeAbovePercentile';
import { removeAboveValue } from './removeAboveValue';
import { removeBelowValue } from './removeBelowValue';
import { sortByMaxima } from './sortByMaxima';
import { sortByName } from './sortByName';
import { call, series } from './testkit';

const names = (list: Series[]): string[] => list.map((s) => s.name);
const A = (): Series => series('a.b.c', [1, null, 3, 4, 5]);
const B = (): Series => series('a.x.c', [2, 5, null, null, 1]);
const NULLS = (): Series => series('a.n.c', [null, null, null, null, null]);

describe('highest and lowest', () => {
  it('rank by the aggregate, ties in input order', async () => {
    expect(names(await call(highestAverage, [[NULLS(), A(), B()], 2]))).toEqual(['a.b.c', 'a.x.c']);
    expect(names(await call(highestCurrent, [[A(), B()], 1]))).toEqual(['a.b.c']);
    expect(names(await call(highestMax, [[NULLS(), A()], 1]))).toEqual(['a.b.c']);
    const tie = [series('t1', [1]), series('t2', [1]), series('t3', [2])];
    expect(names(await call(highestMax, [tie, 3]))).toEqual(['t3', 't1', 't2']);
    expect(names(await call(highest, [[A(), B()], 1, 'sum']))).toEqual(['a.b.c']);
    expect(names(await call(lowest, [[A(), B()], 1, 'sum']))).toEqual(['a.x.c']);
  });

  it('count a series without values as the lowest, as graphite-web does', async () => {
    expect(names(await call(lowestAverage, [[A(), NULLS(), B()], 2]))).toEqual(['a.n.c', 'a.x.c']);
  });

  it('limit and the n of highest slice as Python does, negative n from the end', async () => {
    expect(names(await call(limit, [[A(), B(), NULLS()], 2]))).toEqual(['a.b.c', 'a.x.c']);
    expect(names(await call(limit, [[A(), B(), NULLS()], -1]))).toEqual(['a.b.c', 'a.x.c']);
    expect(await call(limit, [[], 3])).toEqual([]);
  });
});

describe('exclude and grep', () => {
  const list = (): Series[] => [series('srv.web1.cpu', [1]), series('srv.web2.cpu', [1]), series('srv.db1.cpu', [1])];

  it('match the regular expression anywhere in the name', async () => {
    expect(names(await call(exclude, [list(), 'web']))).toEqual(['srv.db1.cpu']);
    expect(names(await call(grep, [list(), 'web\\d\\.']))).toEqual(['srv.web1.cpu', 'srv.web2.cpu']);
    expect(names(await call(grep, [list(), '(?P<kind>db)\\d']))).toEqual(['srv.db1.cpu']);
  });

  it('refuse an invalid expression', async () => {
    await expect(call(grep, [list(), '(unclosed'])).rejects.toThrow('Invalid regular expression');
  });
});

describe('removeAboveValue, removeBelowValue, removeAbovePercentile', () => {
  it('null the values past the threshold and name it with a space before %g', async () => {
    expect((await call(removeAboveValue, [[A()], 3]))[0]).toMatchObject({
      name: 'removeAboveValue(a.b.c, 3)',
      values: [1, null, 3, null, null],
    });
    expect((await call(removeBelowValue, [[A()], 3.5]))[0]).toMatchObject({
      name: 'removeBelowValue(a.b.c, 3.5)',
      values: [null, null, null, 4, 5],
    });
  });

  it('removeAbovePercentile compares with the percentile of the values and tags it as nPercentile does', async () => {
    const [s] = await call(removeAbovePercentile, [[series('a.b.c', [1, 2, 3, 4, 5, null, 100])], 50]);
    expect(s).toMatchObject({
      name: 'removeAbovePercentile(a.b.c, 50)',
      values: [1, 2, 3, 4, null, null, null],
      tags: { name: 'a.b.c', nPercentile: '50.0' },
    });
    const [empty] = await call(removeAbovePercentile, [[NULLS()], 50]);
    expect(empty).toMatchObject({ name: 'removeAbovePercentile(a.n.c, 50)', tags: { name: 'a.n.c' } });
  });
});

describe('sorting', () => {
  const list = (): Series[] => [series('s10', [1]), series('s2', [3]), series('s1', [2]), series('S3', [null])];

  it('sortByName sorts by code point, or naturally by the numbers in the names', async () => {
    expect(names(await call(sortByName, [list()]))).toEqual(['S3', 's1', 's10', 's2']);
    expect(names(await call(sortByName, [list(), true]))).toEqual(['S3', 's1', 's2', 's10']);
    expect(names(await call(sortByName, [list(), true, true]))).toEqual(['s10', 's2', 's1', 'S3']);
  });

  it('sortByMaxima puts the highest maximum first and series without values last', async () => {
    expect(names(await call(sortByMaxima, [list()]))).toEqual(['s2', 's1', 's10', 'S3']);
  });
});

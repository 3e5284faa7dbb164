import type { Series } from '../types';
import { aggregate } from './aggregate';
import { aggregateWithWildcards } from './aggregateWithWildcards';
import { asPercent } from './asPercent';
import { averageSeries } from './averageSeries';
import { averageSeriesWithWildcards } from './averageSeriesWithWildcards';
import { countSeries } from './countSeries';
import { diffSeries } from './diffSeries';
import { divideSeries } from './divideSeries';
import { groupByNode } from './groupByNode';
import { groupByNodes } from './groupByNodes';
import { groupByTags } from './groupByTags';
import { maxSeries } from './maxSeries';
import { minSeries } from './minSeries';
import { multiplySeries } from './multiplySeries';
import { percentileOfSeries } from './percentileOfSeries';
import { sumSeries } from './sumSeries';
import { sumSeriesWithWildcards } from './sumSeriesWithWildcards';
import { call, fakeContext, series, shape } from './testkit';

// Expected values below were produced by graphite-web 1.1.8's functions on the same input.
const A = (): Series => series('a.b.c', [1, null, 3, 4, 5]);
const B = (): Series => series('a.x.c', [2, 5, null, null, 1]);
const C = (): Series => series('a.b.d', [10, 20, 30], { step: 120 });
const NULLS = (): Series => series('a.n.c', [null, null, null, null, null]);

describe('sumSeries and the other aggregations', () => {
  it('name the result by the path expressions and tag it with the common tags and aggregatedBy', async () => {
    const [s] = await call(sumSeries, [[[A(), B()]]]);
    expect(s).toMatchObject({
      name: 'sumSeries(a.b.c,a.x.c)',
      pathExpression: 'sumSeries(a.b.c,a.x.c)',
      tags: { name: 'sumSeries(a.b.c,a.x.c)', aggregatedBy: 'sum' },
      start: 600,
      end: 900,
      step: 60,
      values: [3, 5, 3, 4, 6],
    });
  });

  it('list each path expression once, as written (wildcards kept)', async () => {
    const list = [series('a.b.c', [1], { pathExpression: 'a.*.c' }), series('a.x.c', [2], { pathExpression: 'a.*.c' })];
    const [s] = await call(sumSeries, [[list]]);
    expect(s!.name).toBe('sumSeries(a.*.c)');
  });

  it('keep the tags all inputs share, name included when it is the same', async () => {
    const [s] = await call(averageSeries, [[[series('cpu;dc=a;h=1', [1]), series('cpu;dc=a;h=2', [3])]]]);
    expect(s!.tags).toEqual({ name: 'cpu', dc: 'a', aggregatedBy: 'average' });
  });

  it('bring series of different steps to their lcm, consolidating the finer by average', async () => {
    expect(shape(await call(sumSeries, [[[A(), C()]]]))).toEqual([
      { name: 'sumSeries(a.b.c,a.b.d)', values: [11, 23.5, 35] },
    ]);
    const [avg] = await call(averageSeries, [[[A(), B(), C()]]]);
    expect(avg).toMatchObject({ step: 120, start: 600, end: 960 });
    expect(avg!.values[0]).toBeCloseTo(4.833333333333333, 12);
    expect(avg!.values.slice(1)).toEqual([11.75, 12]);
  });

  it('skip nulls, and give null only where every series is null', async () => {
    expect((await call(sumSeries, [[[A(), NULLS()]]]))[0]!.values).toEqual([1, null, 3, 4, 5]);
    expect((await call(maxSeries, [[[A(), B()]]]))[0]!.values).toEqual([2, 5, 3, 4, 5]);
    expect((await call(minSeries, [[[A(), B()]]]))[0]!.values).toEqual([1, 5, 3, 4, 1]);
    expect((await call(sumSeries, [[[NULLS()]]]))[0]!.values).toEqual([null, null, null, null, null]);
  });

  it('give nothing for no series at all', async () => {
    expect(await call(sumSeries, [[[], []]])).toEqual([]);
    expect(await call(aggregate, [[], 'median'])).toEqual([]);
  });

  it('diffSeries subtracts the later series from the first non-null one', async () => {
    expect(shape(await call(diffSeries, [[[A(), B()]]]))).toEqual([
      { name: 'diffSeries(a.b.c,a.x.c)', values: [-1, 5, 3, 4, 4] },
    ]);
  });

  it('multiplySeries is null wherever any series is, and returns a lone series unchanged', async () => {
    expect(shape(await call(multiplySeries, [[[A(), B()]]]))).toEqual([
      { name: 'multiplySeries(a.b.c,a.x.c)', values: [2, null, null, null, 5] },
    ]);
    const lone = A();
    expect(await call(multiplySeries, [[[lone]]])).toEqual([lone]);
  });

  it('aggregate accepts every graphite aggregation name and the old fooSeries form', async () => {
    const rows = async (func: string): Promise<Array<number | null>> =>
      (await call(aggregate, [[A(), B(), NULLS()], func]))[0]!.values;
    expect(await rows('avg_zero')).toEqual([1, 5 / 3, 1, 4 / 3, 2]);
    expect(await rows('median')).toEqual([1.5, 5, 3, 4, 3]);
    expect(await rows('count')).toEqual([2, 1, 1, 1, 2]);
    expect(await rows('range')).toEqual([1, 0, 0, 0, 4]);
    expect(await rows('last')).toEqual([2, 5, 3, 4, 1]);
    expect(await rows('stddev')).toEqual([0.5, 0, 0, 0, 2]);
    const [legacy] = await call(aggregate, [[A()], 'sumSeries']);
    expect(legacy).toMatchObject({ name: 'sumSeries(a.b.c)', tags: { name: 'a.b.c', aggregatedBy: 'sum' } });
    await expect(call(aggregate, [[A()], 'mode'])).rejects.toThrow('Unsupported aggregation function: mode');
  });

  it('aggregate with xFilesFactor nulls points where too few series have values', async () => {
    const [s] = await call(aggregate, [[A(), B()], 'sum', 0.6]);
    expect(s!.values).toEqual([3, null, null, null, 6]);
    const [fromRequest] = await call(aggregate, [[A(), B()], 'sum'], { ctx: fakeContext({}, { xFilesFactor: 1 }) });
    expect(fromRequest!.values).toEqual([3, null, null, null, 6]);
  });

  it('sums 1,000 series point by point, a null counting as nothing', async () => {
    const list = Array.from({ length: 1000 }, (_, j) =>
      series(
        `host${j}.cpu`,
        Array.from({ length: 8640 }, (_, i) => ((i * 7 + j) % 13 === 0 ? null : i + j)),
        { step: 10 }
      )
    );
    const [s] = await call(sumSeries, [[list]]);
    expect(s!.values).toHaveLength(8640);
    for (const i of [0, 1, 4321, 8639]) {
      expect(s!.values[i]).toBe(list.reduce((acc, x) => acc + (x.values[i] ?? 0), 0));
    }
    expect(list.some((x) => x.values[1] === null)).toBe(true);
  });
});

describe('countSeries', () => {
  it('counts the series given, with or without values', async () => {
    expect(shape(await call(countSeries, [[[A(), B(), C()]]]))).toEqual([
      { name: 'countSeries(a.b.c,a.x.c,a.b.d)', values: [3, 3, 3] },
    ]);
  });

  it('with no argument draws a zero line named 0 over the range', async () => {
    const [s] = await call(countSeries, [[]], { ctx: fakeContext({}, { startTime: 0, endTime: 100 }) });
    expect(s).toMatchObject({ name: '0', pathExpression: 'countSeries()', start: 0, end: 100, step: 50 });
    expect(s!.values).toEqual([0, 0, 0]);
  });

  it('gives nothing when its arguments match nothing', async () => {
    expect(await call(countSeries, [[[]]])).toEqual([]);
  });
});

describe('divideSeries', () => {
  it('divides each dividend by the divisor at their common step, null on a zero divisor', async () => {
    const out = await call(divideSeries, [[A(), B()], [C()]]);
    expect(out.map((s) => [s.name, s.step, s.end])).toEqual([
      ['divideSeries(a.b.c,a.b.d)', 120, 960],
      ['divideSeries(a.x.c,a.b.d)', 120, 960],
    ]);
    expect(out[0]!.values).toEqual([0.1, 0.175, 0.16666666666666666]);
    const zero = await call(divideSeries, [[A()], [series('z', [0, 1, 1, 1, 1])]]);
    expect(zero[0]!.values[0]).toBeNull();
  });

  it('marks the divisor MISSING when it matches nothing, and refuses several', async () => {
    expect(shape(await call(divideSeries, [[A()], []]))).toEqual([
      { name: 'divideSeries(a.b.c,MISSING)', values: [null, null, null, null, null] },
    ]);
    await expect(call(divideSeries, [[A()], [B(), C()]])).rejects.toThrow('exactly 1 series (got 2)');
  });
});

describe('WithWildcards and groupBy', () => {
  const servers = (): Series[] => [
    series('srv.web1.cpu', [1, 2]),
    series('srv.web2.cpu', [3, null]),
    series('srv.db1.cpu', [10, 20]),
    series('srv.db1.mem', [5, 5]),
  ];

  it('sumSeriesWithWildcards drops the given nodes and names groups by the rest', async () => {
    expect(shape(await call(sumSeriesWithWildcards, [servers(), [1]]))).toEqual([
      { name: 'srv.cpu', values: [14, 22] },
      { name: 'srv.mem', values: [5, 5] },
    ]);
    expect(shape(await call(averageSeriesWithWildcards, [servers(), [1, 2]]))).toEqual([
      { name: 'srv', values: [4.75, 9] },
    ]);
    expect((await call(aggregateWithWildcards, [servers(), 'max', [1]])).map((s) => s.values)).toEqual([
      [10, 20],
      [5, 5],
    ]);
  });

  it('groupByNode names each group by the node and averages by default', async () => {
    const out = await call(groupByNode, [servers(), 1]);
    expect(shape(out)).toEqual([
      { name: 'web1', values: [1, 2] },
      { name: 'web2', values: [3, null] },
      { name: 'db1', values: [7.5, 12.5] },
    ]);
    expect(out[2]!.pathExpression).toBe('averageSeries(srv.db1.cpu,srv.db1.mem)');
  });

  it('groupByNode takes aggregation names and combining series functions alike', async () => {
    const [bySum] = await call(groupByNode, [[A(), B(), C()], 2, 'sum']);
    expect(bySum).toMatchObject({ name: 'c', values: [3, 5, 3, 4, 6], tags: { aggregatedBy: 'sum' } });
    const [bySeries] = await call(groupByNode, [[A(), B(), C()], 2, 'sumSeries']);
    expect(bySeries!.values).toEqual([3, 5, 3, 4, 6]);
    const [byAvg] = await call(groupByNode, [[A(), B()], 2, 'avg']);
    expect(byAvg!.tags.aggregatedBy).toBe('average');
    const [counted] = await call(groupByNode, [[A(), B()], 2, 'countSeries']);
    expect(counted).toMatchObject({ name: 'c', values: [2, 2, 2, 2, 2] });
    await expect(call(groupByNode, [[A()], 2, 'nonsense'])).rejects.toThrow('Unsupported aggregation function');
  });

  it('groupByNodes joins several nodes, or tags, into the key', async () => {
    expect((await call(groupByNodes, [servers(), 'sum', [0, 2]])).map((s) => s.name)).toEqual(['srv.cpu', 'srv.mem']);
    const tagged = [series('cpu;dc=a;h=1', [1]), series('cpu;dc=b;h=2', [2])];
    expect((await call(groupByNodes, [tagged, 'sum', ['dc', 0]])).map((s) => s.name)).toEqual(['a.cpu', 'b.cpu']);
  });

  it('groupByNode keys a function-named series by the nodes of its first path', async () => {
    const [sum] = await call(sumSeries, [[[series('a.b.c', [1], { pathExpression: 'a.*.c' })]]]);
    expect((await call(groupByNode, [[sum!], 0]))[0]!.name).toBe('a');
  });

  it('groupByTags names results as tagged series and tags them accordingly', async () => {
    const list = [series('cpu;dc=a;h=1', [1, 2]), series('cpu;dc=a;h=2', [3, null]), series('cpu;dc=b;h=3', [5, 6])];
    const out = await call(groupByTags, [list, 'sum', ['dc']]);
    expect(out.map((s) => [s.name, s.pathExpression, s.tags, s.values])).toEqual([
      ['cpu;dc=a', 'cpu;dc=a', { name: 'cpu', dc: 'a' }, [4, 2]],
      ['cpu;dc=b', 'cpu;dc=b', { name: 'cpu', dc: 'b' }, [5, 6]],
    ]);
    const mixed = [series('cpu;dc=a', [1]), series('mem;dc=a', [2])];
    expect((await call(groupByTags, [mixed, 'max', ['dc']]))[0]!.name).toBe('max;dc=a');
    expect((await call(groupByTags, [mixed, 'max', ['dc', 'name']])).map((s) => s.name)).toEqual([
      'cpu;dc=a',
      'mem;dc=a',
    ]);
    await expect(call(groupByTags, [mixed, 'max', []])).rejects.toThrow('no tags specified');
  });
});

describe('asPercent', () => {
  it('defaults the total to the sum of the series', async () => {
    const out = await call(asPercent, [[A(), B()]]);
    expect(out.map((s) => s.name)).toEqual([
      'asPercent(a.b.c,sumSeries(a.b.c,a.x.c))',
      'asPercent(a.x.c,sumSeries(a.b.c,a.x.c))',
    ]);
    expect(out[0]!.values).toEqual([33.33333333333333, null, 100, 100, 83.33333333333334]);
    expect(out[0]!.tags).toEqual({ name: 'asPercent(a.b.c,sumSeries(a.b.c,a.x.c))' });
  });

  it('takes a number, one total series, or one total per series paired by name', async () => {
    expect(shape(await call(asPercent, [[A()], 200]))).toEqual([
      { name: 'asPercent(a.b.c,200)', values: [0.5, null, 1.5, 2, 2.5] },
    ]);
    expect((await call(asPercent, [[A()], 0.5]))[0]!.name).toBe('asPercent(a.b.c,0.5)');
    const totals = [series('t.x', [4, 4, 4, 4, 4]), series('t.b', [10, 10, 10, 10, 10])];
    expect(shape(await call(asPercent, [[B(), A()], totals]))).toEqual([
      { name: 'asPercent(a.b.c,t.b)', values: [10, null, 30, 40, 50] },
      { name: 'asPercent(a.x.c,t.x)', values: [50, 125, null, null, 25] },
    ]);
    await expect(call(asPercent, [[A(), B(), C()], totals])).rejects.toThrow('asPercent second argument');
  });

  it('with nodes, matches series to totals by key and marks the unmatched MISSING', async () => {
    const withSum = await call(asPercent, [[A(), B(), series('a.b.e', [4, 4, 4, 4, 4])], null, [1]]);
    expect(withSum.map((s) => s.name)).toEqual([
      'asPercent(a.b.c,sumSeries(a.b.c,a.b.e))',
      'asPercent(a.b.e,sumSeries(a.b.c,a.b.e))',
      'asPercent(a.x.c,a.x.c)',
    ]);
    expect(withSum[0]!.values).toEqual([20, null, 42.857142857142854, 50, 55.55555555555556]);
    const totals = [series('t.b', [10, 10, 10, 10, 10]), series('t.z', [1, 1, 1, 1, 1])];
    expect(shape(await call(asPercent, [[A(), B()], totals, [1]]))).toEqual([
      { name: 'asPercent(a.b.c,t.b)', values: [10, null, 30, 40, 50] },
      { name: 'asPercent(a.x.c,MISSING)', values: [null, null, null, null, null] },
      { name: 'asPercent(MISSING,t.z)', values: [null, null, null, null, null] },
    ]);
  });

  it('gives nothing for no series', async () => {
    expect(await call(asPercent, [[]])).toEqual([]);
  });
});

describe('percentileOfSeries', () => {
  const Q = (): Series => series('a.q.c', [7, 8, 9, 10, 11]);

  it('picks a value of one of the series at each point, or interpolates', async () => {
    const [s] = await call(percentileOfSeries, [[A(), B(), Q()], 50]);
    expect(s).toMatchObject({ name: 'percentileOfSeries(a.b.c,50)', values: [2, 8, 9, 10, 5] });
    const [i] = await call(percentileOfSeries, [[A(), B(), Q()], 50, true]);
    expect(i!.values).toEqual([2, 6.5, 6, 7, 5]);
  });

  it('formats n as %g and refuses n <= 0', async () => {
    expect((await call(percentileOfSeries, [[A()], 99.5]))[0]!.name).toBe('percentileOfSeries(a.b.c,99.5)');
    await expect(call(percentileOfSeries, [[A()], 0])).rejects.toThrow('greater than 0');
    expect(await call(percentileOfSeries, [[], 50])).toEqual([]);
  });
});

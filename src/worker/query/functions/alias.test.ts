import { alias } from './alias';
import { aliasByMetric } from './aliasByMetric';
import { aliasByNode } from './aliasByNode';
import { aliasByTags } from './aliasByTags';
import { aliasSub } from './aliasSub';
import { cactiStyle } from './cactiStyle';
import { constantLine } from './constantLine';
import { stacked } from './stacked';
import { substr } from './substr';
import { call, fakeContext, series } from './testkit';
import { threshold } from './threshold';

describe('alias functions', () => {
  it('aliasByMetric names a series by the last node of its innermost path', async () => {
    const list = [series('servers.web1.cpu.user', [1]), series('sumSeries(a.b.c)', [1]), series("f(a.b,'c')", [1])];
    expect((await call(aliasByMetric, [list])).map((s) => s.name)).toEqual(['user', 'c', 'b']);
  });

  it('substr slices the nodes of the path as Python slices a list', async () => {
    const names = async (start?: number, stop?: number): Promise<string[]> =>
      (await call(substr, [[series('a.b.c.d', [1]), series('scale(x.y.z,2)', [1])], start, stop])).map((s) => s.name);
    expect(await names(1, 3)).toEqual(['b.c', 'y.z']);
    expect(await names(-2)).toEqual(['c.d', 'y.z']);
    expect(await names()).toEqual(['a.b.c.d', 'x.y.z']);
    expect(await names(7)).toEqual(['', '']);
  });

  it('alias renames and keeps values, tags, path expression and sketches', async () => {
    const sketches = [new Uint8Array([1])];
    const [s] = await call(alias, [[series('a.b.c', [1], { sketches })], 'Large Blue']);
    expect(s).toMatchObject({ name: 'Large Blue', pathExpression: 'a.b.c', tags: { name: 'a.b.c' }, values: [1] });
    expect(s!.sketches).toBe(sketches);
  });

  it('aliasByNode picks nodes by index, negative from the end, and tags by name', async () => {
    const list = [series('a.b.c', [1]), series('cpu;dc=east;host=h1', [2])];
    expect((await call(aliasByNode, [list, [1]])).map((s) => s.name)).toEqual(['b', '']);
    expect((await call(aliasByNode, [[list[0]!], [-1, 0]]))[0]!.name).toBe('c.a');
    expect((await call(aliasByNode, [[list[1]!], ['dc', 'host', 0]]))[0]!.name).toBe('east.h1.cpu');
    expect((await call(aliasByTags, [[list[1]!], ['host', 0]]))[0]!.name).toBe('h1.cpu');
  });

  it('aliasByNode reads the first metric path of a function-named series', async () => {
    const list = [
      series('movingAverage(servers.web1.cpu,5)', [1]),
      series('divideSeries(a.b.c,x.y.z)', [1]),
      series('sumSeries(a.{b,c}.d)', [1]),
    ];
    expect((await call(aliasByNode, [list, [1]])).map((s) => s.name)).toEqual(['web1', 'b', '{b,c}']);
  });

  it('aliasSub substitutes with Python regular expressions and replacement templates', async () => {
    const list = [series('ip.10_0_0_1.TCP80', [1]), series('ip.10_0_0_2.TCP443', [1])];
    expect((await call(aliasSub, [list, '^.*TCP(\\d+)', '\\1'])).map((s) => s.name)).toEqual(['80', '443']);
    expect((await call(aliasSub, [list, '(?P<n>\\d+)_', '\\g<n>.'])).map((s) => s.name)).toEqual([
      'ip.10.0.0.1.TCP80',
      'ip.10.0.0.2.TCP443',
    ]);
    expect((await call(aliasSub, [[series('a$b', [1])], '\\$', '$$']))[0]!.name).toBe('a$$b');
    await expect(call(aliasSub, [list, 'x', '\\2'])).rejects.toThrow('invalid group reference');
  });
});

describe('graph and special functions', () => {
  it('constantLine draws three points over the range, named by the float value', async () => {
    const ctx = fakeContext({}, { startTime: 1000, endTime: 2001 });
    const [s] = await call(constantLine, [123.456], { ctx });
    expect(s).toMatchObject({
      name: '123.456',
      pathExpression: 'constantLine(123.456)',
      start: 1000,
      end: 2001,
      step: 500,
      values: [123.456, 123.456, 123.456],
      tags: { name: '123.456' },
    });
    expect((await call(constantLine, [1], { ctx }))[0]!.name).toBe('1.0');
  });

  it('threshold is a constant line named by its label', async () => {
    expect((await call(threshold, [5, 'limit', 'red']))[0]).toMatchObject({ name: 'limit', tags: { name: '5.0' } });
    expect((await call(threshold, [5]))[0]!.name).toBe('5.0');
  });

  it('stacked adds each series onto the ones before it, per stack and across targets', async () => {
    const ctx = fakeContext();
    const out = await call(stacked, [[series('a', [1, null, 3]), series('b', [2, 5, null])]], { ctx });
    expect(out.map((s) => [s.name, s.values, s.tags.stacked])).toEqual([
      ['stacked(a)', [1, null, 3], '__DEFAULT__'],
      ['stacked(b)', [3, 5, null], '__DEFAULT__'],
    ]);
    const next = await call(stacked, [[series('c', [1, 1, 1])]], { ctx });
    expect(next[0]!.values).toEqual([4, 6, 4]);
    const named = await call(stacked, [[series('d', [1, 1, 1])], 'tx'], { ctx });
    expect(named[0]).toMatchObject({ name: 'd', values: [1, 1, 1] });
    expect(named[0]!.tags.stacked).toBeUndefined();
  });

  it('cactiStyle appends aligned current, max and min columns', async () => {
    const list = [series('a.b.c', [1500, null, 2500.5]), series('x', [null, null, null])];
    expect((await call(cactiStyle, [list, 'si'])).map((s) => s.name)).toEqual([
      'a.b.c Current:2.50k    Max:2.50k    Min:1.50k    ',
      'x     Current:nan      Max:nan      Min:nan      ',
    ]);
    expect((await call(cactiStyle, [[series('m', [1, 2])]]))[0]!.name).toBe(
      'm Current:2.00    Max:2.00    Min:1.00    '
    );
    expect((await call(cactiStyle, [[series('m', [2048])], 'binary', 'b']))[0]!.name).toBe(
      'm Current:2.00 Kib    Max:2.00 Kib    Min:2.00 Kib    '
    );
  });
});

import {
  aggKey,
  consolidateValues,
  firstPathExpression,
  formatFixed,
  formatG,
  lcm,
  normalize,
  nodeOrTag,
  parseTaggedName,
  pyFloatStr,
  pyRegExp,
  pyReplacer,
  pyRound,
} from './seriesutil';
import type { Series } from './types';

function s(name: string, values: Array<number | null>, step = 60, start = 0): Series {
  return {
    name,
    tags: { name },
    pathExpression: name,
    start,
    end: start + step * values.length,
    step,
    values,
    consolidationFunc: 'average',
  };
}

describe('normalize', () => {
  it('brings series to the lcm of their steps over the span of all of them', () => {
    const n = normalize([[s('a', [1, 2, 3, 4, 5, 6], 20)], [s('b', [1, 2], 30, 60)]])!;
    expect(lcm(20, 30)).toBe(60);
    expect(n).toMatchObject({ start: 0, end: 120, step: 60, length: 2 });
    expect(n.values).toEqual([[2, 5], [1.5]]);
  });

  it('reuses the arrays of series already at the step, and is undefined for nothing', () => {
    const a = s('a', [1, 2]);
    expect(normalize([[a]])!.values[0]).toBe(a.values);
    expect(normalize([[], []])).toBeUndefined();
  });

  it('consolidates from the first value, by the series function, honouring xFilesFactor', () => {
    const v = [1, null, 3, 4, null, null, 7];
    expect(consolidateValues(v, 3, 'average')).toEqual([2, 4, 7]);
    expect(consolidateValues(v, 3, 'sum')).toEqual([4, 4, 7]);
    expect(consolidateValues(v, 3, 'avg_zero')).toEqual([4 / 3, 4 / 3, 7]);
    expect(consolidateValues(v, 3, 'first')).toEqual([1, 4, 7]);
    expect(consolidateValues(v, 3, 'last')).toEqual([3, 4, 7]);
    expect(consolidateValues(v, 3, 'max', 0.5)).toEqual([3, null, null]);
  });
});

describe('Python number formatting', () => {
  it('%g', () => {
    expect(
      [0, 10, 0.5, 1e6, 123456, 1234567, 0.0001, 0.00001, -2.5e-7, 100000.5, 1234565].map((x) => formatG(x))
    ).toEqual([
      '0',
      '10',
      '0.5',
      '1e+06',
      '123456',
      '1.23457e+06',
      '0.0001',
      '1e-05',
      '-2.5e-07',
      '100000',
      '1.23456e+06',
    ]);
    expect(formatG(Infinity)).toBe('inf');
  });

  it('str() of a float', () => {
    expect([1, 0.5, 100, 1e16, 1e15, 0.0001, 0.00001, -0, 123.456, 1 / 3].map(pyFloatStr)).toEqual([
      '1.0',
      '0.5',
      '100.0',
      '1e+16',
      '1000000000000000.0',
      '0.0001',
      '1e-05',
      '-0.0',
      '123.456',
      '0.3333333333333333',
    ]);
  });

  it('%.2f and round() round ties to even on the exact binary value', () => {
    expect(formatFixed(2.675, 2)).toBe('2.67');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(-1.5, 0)).toBe('-2');
    expect(pyRound(0.0078125, 6)).toBe(0.007812);
    expect(pyRound(2.4333333333333336, 6)).toBe(2.433333);
    expect(pyRound(1e300, 6)).toBe(1e300);
  });
});

describe('Python regular expressions', () => {
  it('translate named groups, \\A and \\Z, and inline flags', () => {
    expect(pyRegExp('(?P<x>a)(?P=x)').test('aa')).toBe(true);
    expect(pyRegExp('\\Aab\\Z').test('ab')).toBe(true);
    expect(pyRegExp('(?i)ABC').test('xabcx')).toBe(true);
  });

  it('replace with \\1, \\g<name>, \\g<0> and escapes; unmatched groups are empty', () => {
    expect(pyReplacer('(a)|(b)', '[\\1\\2]')('ab')).toBe('[a][b]');
    expect(pyReplacer('(?P<w>\\w+)', '<\\g<w>>')('hi there')).toBe('<hi> <there>');
    expect(pyReplacer('b', '\\g<0>\\n\\\\')('abc')).toBe('ab\n\\c');
    expect(() => pyReplacer('a', '\\q')).toThrow('bad escape');
  });
});

describe('nodes and tags', () => {
  it('finds the first metric path of a function-style name', () => {
    expect(firstPathExpression('sumSeries(a.b.c)')).toBe('a.b.c');
    expect(firstPathExpression('scale(movingAverage(x.{a,b}.y, 5), 2)')).toBe('x.{a,b}.y');
    expect(firstPathExpression("aliasSub(seriesByTag('name=x'),'a','b')")).toBeUndefined();
    expect(firstPathExpression('constantLine(5)')).toBeUndefined();
  });

  it('reads nodes from the path and anything else from the tags', () => {
    const t: Series = { ...s('cpu.load;dc=a', [1]), tags: { name: 'cpu.load', dc: 'a' } };
    expect([nodeOrTag(t, 0), nodeOrTag(t, -1), nodeOrTag(t, 5), nodeOrTag(t, 'dc'), nodeOrTag(t, 'zz')]).toEqual([
      'cpu',
      'load',
      '',
      'a',
      '',
    ]);
    expect(aggKey(s('averageSeries(web.x.cpu)', [1]), [0, 2])).toBe('web.cpu');
  });

  it('parses carbon and OpenMetrics tagged names', () => {
    expect(parseTaggedName('cpu;dc=a;host=h1')).toEqual({ name: 'cpu', dc: 'a', host: 'h1' });
    expect(parseTaggedName('cpu{dc="a",q="x\\"y"}')).toEqual({ name: 'cpu', dc: 'a', q: 'x"y' });
    expect(parseTaggedName('a.b.c')).toEqual({ name: 'a.b.c' });
    expect(() => parseTaggedName('cpu;dc=')).toThrow('may not be empty');
  });
});

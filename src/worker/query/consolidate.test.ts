import { consolidateForRender, consolidateValues } from './consolidate';
import { pythonFloat, renderCsv, renderJson, renderRaw } from './render';
import type { ConsolidationFunc, Series } from './types';

function series(
  name: string,
  start: number,
  step: number,
  values: Array<number | null>,
  extra: Partial<Series> = {}
): Series {
  return {
    name,
    tags: { name },
    pathExpression: name,
    start,
    end: start + step * values.length,
    step,
    values,
    consolidationFunc: 'average',
    ...extra,
  };
}

/** [value, timestamp] pairs, as render's JSON has them. */
function datapoints(list: Series[], maxDataPoints?: number): Array<Array<[number | null, number]>> {
  return consolidateForRender(list, maxDataPoints).map((s) =>
    s.values.map((v, i): [number | null, number] => [v, s.start + i * s.step])
  );
}

// 40 values from t=1013 every 10 s, every 7th one (from the 4th) null. Expectations are graphite-web 1.1.8's
// renderViewJson answers for the same series.
const VALUES = Array.from({ length: 40 }, (_, i) => (i % 7 === 3 ? null : i * 1.5));

describe('consolidateForRender', () => {
  it.each<[ConsolidationFunc, Array<number | null>]>([
    ['average', [3.6, 12.3, 21.0, 30.75, 40.5, 49.2, 56.0]],
    ['sum', [18.0, 61.5, 105.0, 184.5, 202.5, 246.0, 168.0]],
    ['min', [0.0, 9.0, 18.0, 27.0, 37.5, 45.0, 54.0]],
    ['max', [7.5, 16.5, 24.0, 34.5, 43.5, 52.5, 58.5]],
    ['first', [0.0, 9.0, 18.0, 27.0, 37.5, 45.0, 54.0]],
    ['last', [7.5, 16.5, 24.0, 34.5, 43.5, 52.5, 58.5]],
    ['avg_zero', [3.0, 10.25, 17.5, 30.75, 33.75, 41.0, 42.0]],
  ])('consolidates by %s with the nudged start', (func, expected) => {
    const [points] = datapoints([series('a', 1013, 10, VALUES, { consolidationFunc: func })], 7);
    expect(points!.map((p) => p[1])).toEqual([1023, 1083, 1143, 1203, 1263, 1323, 1383]);
    expect(points!.map((p) => p[0])).toEqual(expected);
  });

  it('nulls points with too few values under xFilesFactor', () => {
    const [points] = datapoints([series('a', 1013, 10, VALUES, { xFilesFactor: 0.9 })], 7);
    expect(points!.map((p) => p[0])).toEqual([null, null, null, 30.75, null, null, null]);
  });

  it('drops one value fewer than the nudge spans, as graphite-web does', () => {
    const [points] = datapoints([series('a', 1200, 10, VALUES)], 7);
    expect(points).toEqual([
      [10.5, 1260],
      [20.25, 1320],
      [30.0, 1380],
      [38.7, 1440],
      [47.4, 1500],
      [55.125, 1560],
    ]);
  });

  it('makes one point of everything for maxDataPoints=1, and leaves short series alone', () => {
    expect(datapoints([series('a', 1013, 10, VALUES)], 1)[0]).toEqual([[28.985294117647058, 1013]]);
    expect(datapoints([series('a', 1013, 10, VALUES)], 100)[0]!.slice(0, 3)).toEqual([
      [0, 1013],
      [1.5, 1023],
      [3, 1033],
    ]);
  });

  it('measures the range over every series of the answer', () => {
    expect(datapoints([series('a', 1013, 10, VALUES.slice(0, 10)), series('b', 1013, 60, [1, 2, null])], 5)).toEqual([
      [
        [5.5, 1043],
        [11.25, 1083],
      ],
      [
        [1, 1013],
        [2, 1073],
        [null, 1133],
      ],
    ]);
  });

  it('answers nothing when no series has any value slot', () => {
    expect(consolidateForRender([series('a', 0, 10, [])], 10)).toEqual([]);
  });

  it('judges a short last run against the full run length', () => {
    expect(consolidateValues([1, null, null, 4, null], 3, 'average', 0.5)).toEqual([null, null]);
    expect(consolidateValues([1, 2, 3, 4, null], 3, 'average', 0.3)).toEqual([2, 4]);
  });
});

describe('render formats', () => {
  it('writes JSON as graphite-web does, NaN as null and infinities as 1e9999', () => {
    const s = series('a.b', 1000, 10, [1, null, NaN, Infinity, -Infinity, 0.1], { tags: { dc: 'eu', name: 'a.b' } });
    const text = renderJson(consolidateForRender([s]));
    expect(text).toBe(
      '[{"target":"a.b","tags":{"dc":"eu","name":"a.b"},"datapoints":[[1,1000],[null,1010],[null,1020],[1e9999,1030],[-1e9999,1040],[0.1,1050]]}]'
    );
    expect(JSON.parse(text)[0].datapoints[3][0]).toBe(Infinity);
  });

  it('leaves out null points and then empty series with noNullPoints', () => {
    const list = consolidateForRender([
      series('a', 1000, 10, [null, 2, NaN]),
      series('b', 1000, 10, [null, null, null]),
    ]);
    expect(JSON.parse(renderJson(list, { noNullPoints: true }))).toEqual([
      { target: 'a', tags: { name: 'a' }, datapoints: [[2, 1010]] },
    ]);
  });

  it('prints floats as Python does', () => {
    expect(
      [1, 0.1, 1.5, -2, 1e-5, 1.5e-7, 1e16, 1e15, 123456.789, 0, NaN, Infinity, -Infinity].map(pythonFloat)
    ).toEqual([
      '1.0',
      '0.1',
      '1.5',
      '-2.0',
      '1e-05',
      '1.5e-07',
      '1e+16',
      '1000000000000000.0',
      '123456.789',
      '0.0',
      'nan',
      'inf',
      '-inf',
    ]);
  });

  it('writes CSV and raw rows', () => {
    const s = series('a,"b"', 1795264200, 60, [1, null, 2.5]);
    expect(renderCsv([s])).toBe(
      '"a,""b""",2026-11-21 12:30:00,1.0\r\n"a,""b""",2026-11-21 12:31:00,\r\n"a,""b""",2026-11-21 12:32:00,2.5\r\n'
    );
    expect(renderCsv([s], 'Europe/Berlin').split('\r\n')[0]).toBe('"a,""b""",2026-11-21 13:30:00,1.0');
    expect(renderRaw([series('a.b', 1000, 10, [1, null, 2.5])])).toBe('a.b,1000,1030,10|1.0,None,2.5\n');
  });
});

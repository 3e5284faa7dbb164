import { FunctionRegistry, seriesByTag } from '../registry';
import { ALL_FUNCTIONS } from './index';

const REQUIRED = (
  'alias aliasByNode aliasByTags aliasSub sumSeries averageSeries maxSeries minSeries diffSeries divideSeries ' +
  'multiplySeries countSeries sumSeriesWithWildcards averageSeriesWithWildcards groupByNode groupByNodes ' +
  'groupByTags aggregate asPercent percentileOfSeries nPercentile scale offset absolute derivative ' +
  'nonNegativeDerivative perSecond integral summarize hitcount timeShift movingAverage movingMedian movingSum ' +
  'keepLastValue transformNull consolidateBy highestAverage highestCurrent highestMax lowestAverage limit ' +
  'exclude grep removeAbovePercentile removeBelowValue removeAboveValue sortByName sortByMaxima constantLine ' +
  'threshold stacked cactiStyle correlate'
).split(' ');

describe('the function library', () => {
  it('has every function the issue asks for, each once', () => {
    const names = ALL_FUNCTIONS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(REQUIRED.filter((n) => !names.includes(n))).toEqual([]);
  });

  it('declares params the registry accepts, with descriptions', () => {
    const registry = new FunctionRegistry([...ALL_FUNCTIONS, seriesByTag]);
    expect(registry.size).toBe(ALL_FUNCTIONS.length + 1);
    for (const f of ALL_FUNCTIONS) {
      expect([f.name, f.description.length > 20]).toEqual([f.name, true]);
    }
  });

  it("declares graphite-web's parameters for the common functions", () => {
    const byName = new Map(ALL_FUNCTIONS.map((f) => [f.name, f]));
    expect(byName.get('movingAverage')!.params).toEqual([
      { name: 'seriesList', type: 'seriesList', required: true },
      {
        name: 'windowSize',
        type: 'intOrInterval',
        required: true,
        suggestions: [5, 7, 10, '1min', '5min', '10min', '30min', '1hour'],
      },
      { name: 'xFilesFactor', type: 'float' },
    ]);
    expect(byName.get('sumSeries')!.params).toEqual([
      { name: 'seriesLists', type: 'seriesList', required: true, multiple: true },
    ]);
    expect(byName.get('keepLastValue')!.params[1]).toEqual({ name: 'limit', type: 'intOrInf', default: Infinity });
    expect(byName.get('timeShift')!.params.map((p) => [p.name, p.type, p.default])).toEqual([
      ['seriesList', 'seriesList', undefined],
      ['timeShift', 'interval', undefined],
      ['resetEnd', 'boolean', true],
      ['alignDst', 'boolean', false],
    ]);
    expect(byName.get('groupByNode')!.params[2]).toMatchObject({
      name: 'callback',
      type: 'aggOrSeriesFunc',
      default: 'average',
    });
  });
});

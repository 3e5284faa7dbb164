/** Every function of the library: adding one is a file exporting its FunctionDef, imported and listed here. */
import { absolute } from './absolute';
import { aggregate } from './aggregate';
import { aggregateWithWildcards } from './aggregateWithWildcards';
import { alias } from './alias';
import { aliasByMetric } from './aliasByMetric';
import { aliasByNode } from './aliasByNode';
import { aliasByTags } from './aliasByTags';
import { aliasSub } from './aliasSub';
import { asPercent } from './asPercent';
import { averageSeries, avg } from './averageSeries';
import { averageSeriesWithWildcards } from './averageSeriesWithWildcards';
import { cactiStyle } from './cactiStyle';
import { consolidateBy } from './consolidateBy';
import { constantLine } from './constantLine';
import { correlate } from './correlate';
import { countSeries } from './countSeries';
import { derivative } from './derivative';
import { diffSeries } from './diffSeries';
import { divideSeries } from './divideSeries';
import { exclude } from './exclude';
import { grep } from './grep';
import { groupByNode } from './groupByNode';
import { groupByNodes } from './groupByNodes';
import { groupByTags } from './groupByTags';
import { highest } from './highest';
import { highestAverage } from './highestAverage';
import { highestCurrent } from './highestCurrent';
import { highestMax } from './highestMax';
import { hitcount } from './hitcount';
import { integral } from './integral';
import { keepLastValue } from './keepLastValue';
import { limit } from './limit';
import { lowest } from './lowest';
import { lowestAverage } from './lowestAverage';
import { maxSeries } from './maxSeries';
import { minSeries } from './minSeries';
import { movingAverage } from './movingAverage';
import { movingMedian } from './movingMedian';
import { movingSum } from './movingSum';
import { movingWindow } from './movingWindow';
import { multiplySeries } from './multiplySeries';
import { nonNegativeDerivative } from './nonNegativeDerivative';
import { nPercentile } from './nPercentile';
import { offset } from './offset';
import { percentileOfSeries } from './percentileOfSeries';
import { perSecond } from './perSecond';
import { removeAbovePercentile } from './removeAbovePercentile';
import { removeAboveValue } from './removeAboveValue';
import { removeBelowValue } from './removeBelowValue';
import { scale } from './scale';
import { sortByMaxima } from './sortByMaxima';
import { sortByName } from './sortByName';
import { stacked } from './stacked';
import { substr } from './substr';
import { summarize } from './summarize';
import { sum, sumSeries } from './sumSeries';
import { sumSeriesWithWildcards } from './sumSeriesWithWildcards';
import { threshold } from './threshold';
import { timeShift } from './timeShift';
import { transformNull } from './transformNull';
import type { FunctionDef } from '../types';

export const ALL_FUNCTIONS: FunctionDef[] = [
  absolute,
  aggregate,
  aggregateWithWildcards,
  alias,
  aliasByMetric,
  aliasByNode,
  aliasByTags,
  aliasSub,
  asPercent,
  averageSeries,
  averageSeriesWithWildcards,
  avg,
  cactiStyle,
  consolidateBy,
  constantLine,
  correlate,
  countSeries,
  derivative,
  diffSeries,
  divideSeries,
  exclude,
  grep,
  groupByNode,
  groupByNodes,
  groupByTags,
  highest,
  highestAverage,
  highestCurrent,
  highestMax,
  hitcount,
  integral,
  keepLastValue,
  limit,
  lowest,
  lowestAverage,
  maxSeries,
  minSeries,
  movingAverage,
  movingMedian,
  movingSum,
  movingWindow,
  multiplySeries,
  nonNegativeDerivative,
  nPercentile,
  offset,
  percentileOfSeries,
  perSecond,
  removeAbovePercentile,
  removeAboveValue,
  removeBelowValue,
  scale,
  sortByMaxima,
  sortByName,
  stacked,
  sum,
  substr,
  summarize,
  sumSeries,
  sumSeriesWithWildcards,
  threshold,
  timeShift,
  transformNull,
];

import { copySeries, pyRound, type Value, withTag } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';
import { COUNTER_BOUNDS, counterBounds, nonNegativeDelta } from './nonNegativeDerivative';

export const perSecond: FunctionDef = {
  name: 'perSecond',
  group: 'Transform',
  description:
    'The per-second rate of a counter: nonNegativeDerivative divided by the step, rounded to 6 decimals. ' +
    'maxValue and minValue handle wraps as in nonNegativeDerivative.',
  params: [SERIES_LIST, ...COUNTER_BOUNDS],
  call(_ctx, [seriesList, maxValue, minValue]) {
    const [max, min] = counterBounds(maxValue, minValue);
    return (seriesList as Series[]).map((s) => {
      const values: Value[] = new Array(s.values.length);
      let prev: Value = null;
      for (let i = 0; i < s.values.length; i++) {
        let delta: Value;
        [delta, prev] = nonNegativeDelta(s.values[i]!, prev, max, min);
        values[i] = delta === null ? null : pyRound(delta / s.step, 6);
      }
      return copySeries(s, { name: `perSecond(${s.name})`, values, tags: withTag(s.tags, 'perSecond', '1') });
    });
  },
};

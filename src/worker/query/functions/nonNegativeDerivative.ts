import { copySeries, type Value, withTag } from '../seriesutil';
import type { FunctionDef, ParamDef, Series } from '../types';
import { isSet, SERIES_LIST } from './common';

/**
 * The change since the previous value of a counter, and the value to compare the next one with.
 * Values past maxValue or below minValue are dropped and forget the previous value. A decrease is a
 * wrap: past maxValue (to minValue or 0), or back to minValue; with neither, null.
 */
export function nonNegativeDelta(
  val: Value,
  prev: Value,
  maxValue: number | null,
  minValue: number | null
): [Value, Value] {
  if (val !== null && maxValue !== null && val > maxValue) {
    return [null, null];
  }
  if (val !== null && minValue !== null && val < minValue) {
    return [null, null];
  }
  if (prev === null || val === null) {
    return [null, val];
  }
  if (val >= prev) {
    return [val - prev, val];
  }
  if (maxValue !== null) {
    return [maxValue + 1 + val - prev - (minValue ?? 0), val];
  }
  if (minValue !== null) {
    return [val - minValue, val];
  }
  return [null, val];
}

export const COUNTER_BOUNDS: ParamDef[] = [
  { name: 'maxValue', type: 'float' },
  { name: 'minValue', type: 'float' },
];

export function counterBounds(maxValue: unknown, minValue: unknown): [number | null, number | null] {
  return [isSet(maxValue) ? (maxValue as number) : null, isSet(minValue) ? (minValue as number) : null];
}

export const nonNegativeDerivative: FunctionDef = {
  name: 'nonNegativeDerivative',
  group: 'Transform',
  description:
    'The increase of a counter from each point to the next; where the counter went down, null, or, with ' +
    'maxValue, the increase as if it wrapped past maxValue (to minValue, or 0), or with only minValue, ' +
    'as if it restarted from minValue. Values above maxValue or below minValue give null.',
  params: [SERIES_LIST, ...COUNTER_BOUNDS],
  call(_ctx, [seriesList, maxValue, minValue]) {
    const [max, min] = counterBounds(maxValue, minValue);
    return (seriesList as Series[]).map((s) => {
      const values: Value[] = new Array(s.values.length);
      let prev: Value = null;
      for (let i = 0; i < s.values.length; i++) {
        [values[i], prev] = nonNegativeDelta(s.values[i]!, prev, max, min);
      }
      return copySeries(s, {
        name: `nonNegativeDerivative(${s.name})`,
        values,
        tags: withTag(s.tags, 'nonNegativeDerivative', '1'),
      });
    });
  },
};

/**
 * Series fetched from the store keep the store's columns until something reads their `values`. An aggregation over
 * many fetched series (sumSeries over 1,000 series of a day at 10 s) then folds dense columns instead of building an
 * array of 8,640 boxed numbers per series, which the garbage collector must trace: most of such a query's time.
 *
 * Reading or assigning `values` turns it into a plain property and forgets the columns, so a series whose values a
 * function changed in place is never folded from stale columns; copies made by spreading get plain values.
 */
import { denseValuesOf, valuesOf } from '../store/seriesvalues';
import type { SeriesData } from '../store/types';
import type { Series } from './types';

const columns = new WeakMap<Series, SeriesData>();

function settle(s: Series, values: Series['values']): void {
  columns.delete(s);
  Object.defineProperty(s, 'values', { value: values, writable: true, enumerable: true, configurable: true });
}

/** `base` with `values` computed from `data` on first use. */
export function storedSeries(base: Omit<Series, 'values'>, data: SeriesData): Series {
  const s = base as Series;
  columns.set(s, data);
  Object.defineProperty(s, 'values', {
    enumerable: true,
    configurable: true,
    get(this: Series) {
      const values = valuesOf(data);
      settle(this, values);
      return values;
    },
    set(this: Series, values: Series['values']) {
      settle(this, values);
    },
  });
  return s;
}

function storedData(series: readonly Series[]): SeriesData[] | undefined {
  const out: SeriesData[] = [];
  for (const s of series) {
    const data = columns.get(s);
    if (!data) return undefined;
    out.push(data);
  }
  return out;
}

/** The number of values of each series when every one is still the store's, untouched; else undefined. */
export function storedLengths(series: readonly Series[]): number[] | undefined {
  return storedData(series)?.map((d) => d.count.length);
}

/** The values of each series as dense columns (NaN where null) when every one is still the store's, untouched. */
export function denseColumns(series: readonly Series[]): Float64Array[] | undefined {
  return storedData(series)?.map((d) => denseValuesOf(d));
}

/** One value per bucket from what the store read: the series' configured method, null where empty. */
import type { AggregateField, SeriesData, ValueField } from './types';

/** The columns a read must fill to answer `method`. */
export function fieldsFor(method: AggregateField): ValueField[] {
  return method === 'avg' || method === 'count' ? ['sum'] : [method];
}

export function valuesOf(d: SeriesData, method: AggregateField = d.method): Array<number | null> {
  return fill(d, method, new Array<number | null>(d.count.length), null);
}

/** The same values in a Float64Array, NaN where empty: no boxed number per point for the garbage collector. */
export function denseValuesOf(d: SeriesData, method: AggregateField = d.method): Float64Array {
  return fill(d, method, new Float64Array(d.count.length), NaN);
}

function fill<T extends { [i: number]: number | null }>(
  d: SeriesData,
  method: AggregateField,
  out: T,
  empty: T[number]
): T {
  const { count } = d;
  const n = count.length;
  if (method === 'count') {
    for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? empty : count[i]!;
    return out;
  }
  const col = method === 'avg' ? d.sum : d[method];
  if (!col) throw new Error(`the read did not ask for the ${method === 'avg' ? 'sum' : method} column`);
  if (method === 'avg') {
    for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? empty : col[i]! / count[i]!;
  } else {
    for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? empty : col[i]!;
  }
  return out;
}

/** One value per bucket from what the store read: the series' configured method, null where empty. */
import type { AggregateField, SeriesData, ValueField } from './types';

/** The columns a read must fill to answer `method`. */
export function fieldsFor(method: AggregateField): ValueField[] {
  return method === 'avg' || method === 'count' ? ['sum'] : [method];
}

export function valuesOf(d: SeriesData, method: AggregateField = d.method): Array<number | null> {
  const { count } = d;
  const n = count.length;
  const out = new Array<number | null>(n);
  if (method === 'count') {
    for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? null : count[i]!;
    return out;
  }
  const col = method === 'avg' ? d.sum : d[method];
  if (!col) throw new Error(`the read did not ask for the ${method === 'avg' ? 'sum' : method} column`);
  if (method === 'avg') {
    for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? null : col[i]! / count[i]!;
  } else {
    for (let i = 0; i < n; i++) out[i] = count[i] === 0 ? null : col[i]!;
  }
  return out;
}

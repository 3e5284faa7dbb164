import { parseTaggedName } from '../seriesutil';
import { type FunctionDef, QueryError, type Series } from '../types';
import { SERIES_LIST } from './common';
import { callbackParam, groupAndApply } from './groupByNodes';

export const groupByTags: FunctionDef = {
  name: 'groupByTags',
  group: 'Combine',
  description:
    'Groups the series by the values of the given tags and combines each group with the callback (an ' +
    'aggregation function, or sumSeries, averageSeries, ...). Each result is named as a tagged series: ' +
    'name;tag1=v1;tag2=v2, where name is the common name tag of the inputs, or the callback when they differ.',
  params: [SERIES_LIST, callbackParam(true), { name: 'tags', type: 'tag', required: true, multiple: true }],
  call(ctx, [seriesList, callback, tags]) {
    const list = seriesList as Series[];
    const tagNames = (tags ?? []) as string[];
    const cb = callback as string;
    if (tagNames.length === 0) {
      throw new QueryError('groupByTags(): no tags specified');
    }
    const byName = tagNames.includes('name');
    const names = new Set(list.map((s) => s.tags.name));
    const common = names.size === 1 ? [...names][0]! : cb;
    const keyOf = (s: Series): string => {
      const pairs = tagNames.filter((t) => t !== 'name').map((t) => `${t}=${s.tags[t] ?? ''}`);
      pairs.sort();
      return [byName ? s.tags.name! : common, ...pairs].join(';');
    };
    return groupAndApply(ctx, list, cb, keyOf).map(([key, s]) => ({
      ...s,
      name: key,
      pathExpression: key,
      tags: parseTaggedName(key),
    }));
  },
};

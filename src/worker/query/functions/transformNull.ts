import { copySeries, formatG, pyFloatStr, pyNumStr, type Value, withTag } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const transformNull: FunctionDef = {
  name: 'transformNull',
  group: 'Transform',
  description:
    'Replaces nulls with the default value (0 unless given). With referenceSeries, only at points where ' +
    'at least one of the reference series has a value.',
  params: [
    SERIES_LIST,
    { name: 'default', type: 'float', default: 0 },
    { name: 'referenceSeries', type: 'seriesList' },
  ],
  call(_ctx, [seriesList, dflt, referenceSeries], raw) {
    const d = (dflt as number | null) ?? 0;
    // graphite-web converts a given default to float ("0.0" in the tag) but keeps its own int 0.
    const tagValue = raw[1] === undefined || raw[1].kind === 'none' ? pyNumStr(d) : pyFloatStr(d);
    const refs = (referenceSeries as Series[] | null) ?? [];
    const length = Math.max(0, ...refs.map((r) => r.values.length));
    const defaults: Value[] = new Array<Value>(length).fill(null);
    for (let i = 0; i < length; i++) {
      if (refs.some((r) => (r.values[i] ?? null) !== null)) {
        defaults[i] = d;
      }
    }
    return (seriesList as Series[]).map((s) => {
      let tags = withTag(s.tags, 'transformNull', tagValue);
      let values: Value[];
      if (refs.length > 0) {
        tags = withTag(tags, 'referenceSeries', '1');
      }
      if (defaults.length > 0) {
        values = Array.from(
          { length: Math.max(s.values.length, length) },
          (_, i) => s.values[i] ?? defaults[i] ?? null
        );
      } else {
        values = s.values.map((v) => v ?? d);
      }
      const name = `transformNull(${s.name},${formatG(d)}${refs.length > 0 ? ',referenceSeries' : ''})`;
      return copySeries(s, { name, values, tags });
    });
  },
};

import { from, type Observable } from 'rxjs';
import { CustomVariableSupport, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { MissionControlDataSource } from './datasource';
import type { MissionControlVariableQuery } from './types';

/**
 * A variable saved as plain text (a provisioned dashboard, or one written for Grafana's Graphite data source) is a
 * path pattern; `tag_values(host)` and `tags()` are Graphite's forms for tag values and tag names.
 */
export function toVariableQuery(saved: MissionControlVariableQuery | string | undefined): MissionControlVariableQuery {
  if (typeof saved === 'object' && saved !== null) {
    return saved;
  }
  const text = (saved ?? '').trim();
  const tagValues = /^tag_values\(\s*['"]?([^'",)\s]+)['"]?((?:\s*,\s*['"][^'"]*['"])*)\s*\)$/.exec(text);
  if (tagValues) {
    const expressions = [...tagValues[2].matchAll(/['"]([^'"]*)['"]/g)].map((m) => m[1]);
    return { refId: 'variable', type: 'tagValues', tag: tagValues[1], expressions };
  }
  const tags = /^tags\(((?:\s*['"][^'"]*['"]\s*,?)*)\)$/.exec(text);
  if (tags) {
    return {
      refId: 'variable',
      type: 'tagKeys',
      expressions: [...tags[1].matchAll(/['"]([^'"]*)['"]/g)].map((m) => m[1]),
    };
  }
  return { refId: 'variable', type: 'metrics', query: text };
}

/** Query variables with our own editor: path nodes, tag names or tag values. */
export class MissionControlVariableSupport extends CustomVariableSupport<
  MissionControlDataSource,
  MissionControlVariableQuery
> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: MissionControlDataSource) {
    super();
  }

  query(request: DataQueryRequest<MissionControlVariableQuery>): Observable<DataQueryResponse> {
    const query = toVariableQuery(request.targets[0]);
    return from(
      this.datasource
        .metricFindQuery(query, { range: request.range, scopedVars: request.scopedVars })
        .then((data) => ({ data }))
    );
  }
}

import {
  createDataFrame,
  DataFrameType,
  FieldType,
  type AnnotationEvent,
  type DataFrame,
  type DataQueryError,
  type DataQueryResponse,
} from '@grafana/data';

import type { ReadResponse, ReadSeries } from '../shared/api';

/**
 * Turns read answers into Grafana data: one frame per series (the "multi" time series layout), a time field and a
 * value field named after the series and carrying its labels, so legends and alerting expressions can tell series apart.
 */

export function seriesToFrame(refId: string, series: ReadSeries): DataFrame {
  const times = series.values.map((_, i) => (series.start + i * series.step) * 1000);
  return createDataFrame({
    refId,
    name: series.name,
    meta: { type: DataFrameType.TimeSeriesMulti, typeVersion: [0, 1] },
    fields: [
      { name: 'Time', type: FieldType.time, values: times, config: { interval: series.step * 1000 } },
      { name: series.name, type: FieldType.number, values: series.values, labels: series.labels, config: {} },
    ],
  });
}

/** A failed target becomes an error on its own refId, so the other queries of the panel still draw. */
export function readResponseToQueryResponse(response: ReadResponse): DataQueryResponse {
  const data: DataFrame[] = [];
  const errors: DataQueryError[] = [];
  for (const result of response.results) {
    if (result.error) {
      errors.push({ refId: result.refId, message: result.error });
    }
    for (const series of result.series) {
      data.push(seriesToFrame(result.refId, series));
    }
  }
  return errors.length > 0 ? { data, errors } : { data };
}

/**
 * Annotations from series, the way Graphite users mark deploys: every point with a value other than null or 0 is an
 * event at that time (a counter `deploys.web` that is 1 when a deploy happened draws one mark per deploy).
 */
export function framesToAnnotations(frames: DataFrame[]): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((field) => field.type === FieldType.time);
    const value = frame.fields.find((field) => field.type === FieldType.number);
    if (!time || !value) {
      continue;
    }
    const tags = Object.entries(value.labels ?? {}).map(([key, label]) => `${key}:${label}`);
    value.values.forEach((v: number | null, i: number) => {
      if (v !== null && v !== 0) {
        events.push({ time: time.values[i], title: value.name, text: `${value.name} = ${v}`, tags });
      }
    });
  }
  return events;
}

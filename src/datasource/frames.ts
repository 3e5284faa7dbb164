import {
  createDataFrame,
  DataFrameType,
  DataTopic,
  FieldType,
  type AnnotationEvent,
  type DataFrame,
  type DataQueryError,
  type DataQueryResponse,
} from '@grafana/data';

import { PROTOCOL_NAMES } from '../api/protocols';
import type {
  EventItem,
  InventoryAnnotation,
  QueryResponse,
  QuerySeries,
  SourceFreshness,
  StatsResponse,
} from '../shared/api';
import type { MissionControlQuery, StatsView } from './types';

/**
 * Turns the worker's answers into Grafana data: one frame per series (the "multi" time series layout), a time field
 * and a value field carrying the series' tags as labels, so legends, transformations and alerting expressions can tell
 * series apart; events and the inventory's notes and status changes as annotation frames.
 */

/** A target's error as the panel and the query editor see it: the worker's message and where in the target it is. */
export interface TargetError extends DataQueryError {
  refId: string;
  message: string;
  /** 0-based offset in `target`. */
  position?: number;
  /** The target text the worker evaluated: the query's, with variables and ad-hoc filters applied. */
  target?: string;
}

export function isTargetError(error: DataQueryError): error is TargetError {
  return typeof error.refId === 'string' && typeof error.message === 'string';
}

/**
 * The legend for a series from an alias pattern: `{{host}}` is a tag, `{{name}}` the series name, `{{0}}` and
 * `{{-1}}` nodes of its path (the `name` tag, which functions such as aliasByNode leave alone) counted from the start
 * or the end. A placeholder with nothing to fill it stays as written, so a typo shows in the legend.
 */
export function applyAlias(alias: string, series: Pick<QuerySeries, 'name' | 'tags'>): string {
  return alias.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (placeholder, key: string) => {
    if (/^-?\d+$/.test(key)) {
      const nodes = (series.tags.name ?? series.name).split('.');
      const i = Number(key);
      return nodes[i < 0 ? nodes.length + i : i] ?? placeholder;
    }
    if (key === 'name') {
      return series.name;
    }
    return series.tags[key] ?? placeholder;
  });
}

export function seriesToFrame(refId: string, series: QuerySeries, alias?: string): DataFrame {
  const times = series.values.map((_, i) => (series.start + i * series.step) * 1000);
  return createDataFrame({
    refId,
    name: series.name,
    meta: { type: DataFrameType.TimeSeriesMulti, typeVersion: [0, 1] },
    fields: [
      { name: 'Time', type: FieldType.time, values: times, config: { interval: series.step * 1000 } },
      {
        name: series.name,
        type: FieldType.number,
        values: series.values,
        labels: series.tags,
        // Named as the worker names it (as Graphite does), not "name {every tag}" as Grafana would by default.
        config: { displayNameFromDS: alias ? applyAlias(alias, series) : series.name },
      },
    ],
  });
}

/** Frames in the order of the panel's queries; a failed target becomes an error on its own refId only. */
export function queryResponseToDataQueryResponse(
  response: QueryResponse,
  queries: MissionControlQuery[]
): DataQueryResponse {
  const data: DataFrame[] = [];
  const errors: TargetError[] = [];
  for (const query of queries) {
    const result = response.results[query.refId];
    if (!result) {
      continue;
    }
    if (result.error) {
      const { message, position } = result.error;
      errors.push(
        position === undefined
          ? { refId: query.refId, message }
          : { refId: query.refId, message, position, target: query.target }
      );
    }
    for (const series of result.series) {
      data.push(seriesToFrame(query.refId, series, query.alias));
    }
  }
  return errors.length > 0 ? { data, errors } : { data };
}

/** One annotation as the worker describes it, at a Unix time; the inventory's have no id. */
interface AnnotationRow {
  time: number;
  title: string;
  text: string;
  tags: string[];
  id?: string;
}

/** An annotation frame, with the field names Grafana's annotations read. */
function annotationFrame(refId: string, name: string, rows: AnnotationRow[]): DataFrame {
  const ids = rows.some((row) => row.id !== undefined)
    ? [{ name: 'id', type: FieldType.string, values: rows.map((row) => row.id) }]
    : [];
  return createDataFrame({
    refId,
    name,
    meta: { dataTopic: DataTopic.Annotations },
    fields: [
      { name: 'time', type: FieldType.time, values: rows.map((row) => row.time * 1000) },
      { name: 'title', type: FieldType.string, values: rows.map((row) => row.title) },
      { name: 'text', type: FieldType.string, values: rows.map((row) => row.text) },
      { name: 'tags', type: FieldType.other, values: rows.map((row) => row.tags) },
      ...ids,
    ],
  });
}

/** Events as an annotation frame. */
export function eventsToFrame(refId: string, events: EventItem[]): DataFrame {
  return annotationFrame(
    refId,
    'events',
    events.map((e) => ({ time: e.when, title: e.what, text: e.data, tags: e.tags, id: String(e.id) }))
  );
}

/** The inventory's notes and status changes as an annotation frame. */
export function inventoryAnnotationsToFrame(refId: string, annotations: InventoryAnnotation[]): DataFrame {
  return annotationFrame(refId, 'inventory', annotations);
}

function eventFrameToAnnotations(frame: DataFrame): AnnotationEvent[] {
  const column = (name: string) => frame.fields.find((field) => field.name === name)?.values ?? [];
  const [time, title, text, tags, id] = ['time', 'title', 'text', 'tags', 'id'].map(column);
  return time.map((t: number, i: number) => ({ time: t, title: title[i], text: text[i], tags: tags[i], id: id[i] }));
}

/**
 * Annotations from series, the way Graphite users mark deploys: every point with a value other than null or 0 is an
 * event at that time (a counter `deploys.web` that is 1 when a deploy happened draws one mark per deploy).
 */
function seriesFrameToAnnotations(frame: DataFrame): AnnotationEvent[] {
  const time = frame.fields.find((field) => field.type === FieldType.time);
  const value = frame.fields.find((field) => field.type === FieldType.number);
  if (!time || !value) {
    return [];
  }
  const name = value.config.displayNameFromDS ?? value.name;
  const tags = Object.entries(value.labels ?? {})
    .filter(([key]) => key !== 'name')
    .map(([key, label]) => `${key}:${label}`);
  const events: AnnotationEvent[] = [];
  value.values.forEach((v: number | null, i: number) => {
    if (v !== null && v !== 0) {
      events.push({ time: time.values[i], title: name, text: `${name} = ${v}`, tags });
    }
  });
  return events;
}

export function framesToAnnotations(frames: DataFrame[]): AnnotationEvent[] {
  return frames.flatMap((frame) =>
    frame.meta?.dataTopic === DataTopic.Annotations ? eventFrameToAnnotations(frame) : seriesFrameToAnnotations(frame)
  );
}

const RATE = { unit: 'short', decimals: 1 };

/** The worker's own figures as one table, for stat, table and bar panels of its health. */
export function statsToFrame(refId: string, view: StatsView, stats: StatsResponse): DataFrame {
  const number = (name: string, values: number[], config: Record<string, unknown> = {}) => ({
    name,
    type: FieldType.number,
    values,
    config,
  });
  const text = (name: string, values: string[]) => ({ name, type: FieldType.string, values });
  switch (view) {
    case 'ingest':
      return createDataFrame({
        refId,
        name: 'ingest',
        fields: [
          text(
            'Protocol',
            stats.ingest.map((p) => PROTOCOL_NAMES[p.protocol] ?? p.protocol)
          ),
          number(
            'Lines/s',
            stats.ingest.map((p) => p.linesPerSecond),
            RATE
          ),
          number(
            'Samples/s',
            stats.ingest.map((p) => p.samplesPerSecond),
            RATE
          ),
          number(
            'Lines received',
            stats.ingest.map((p) => p.linesReceived)
          ),
          number(
            'Rejected',
            stats.ingest.map((p) => p.linesRejected)
          ),
          number(
            'Shed',
            stats.ingest.map((p) => p.shed)
          ),
        ],
      });
    case 'rejected':
      return createDataFrame({
        refId,
        name: 'rejected',
        fields: [
          text(
            'Protocol',
            stats.rejected.map((r) => PROTOCOL_NAMES[r.protocol] ?? r.protocol)
          ),
          text(
            'Reason',
            stats.rejected.map((r) => r.reason.replace(/_/g, ' '))
          ),
          number(
            'Lines',
            stats.rejected.map((r) => r.lines)
          ),
        ],
      });
    case 'sources': {
      // The freshest and the stalest, each once: with few sources the two lists hold the same ones.
      const bySource = new Map<string, SourceFreshness>();
      for (const s of [...stats.sources.freshest, ...stats.sources.stalest]) {
        bySource.set(s.source, s);
      }
      const sources = [...bySource.values()].sort((a, b) => b.lastSeen - a.lastSeen);
      return createDataFrame({
        refId,
        name: 'sources',
        fields: [
          text(
            'Source',
            sources.map((s) => s.source)
          ),
          number(
            'Series',
            sources.map((s) => s.series)
          ),
          { name: 'Newest sample', type: FieldType.time, values: sources.map((s) => s.lastSeen * 1000) },
          number(
            'Age',
            sources.map((s) => Math.max(0, stats.time - s.lastSeen)),
            { unit: 's' }
          ),
        ],
      });
    }
    default: {
      const sum = (pick: (p: StatsResponse['ingest'][number]) => number) =>
        stats.ingest.reduce((total, p) => total + pick(p), 0);
      return createDataFrame({
        refId,
        name: 'summary',
        fields: [
          text('Store', [stats.store.status]),
          number('Uptime', [stats.uptime], { unit: 's' }),
          number('Series', [stats.store.series]),
          number('Sources', [stats.sources.total]),
          number('Samples/s', [sum((p) => p.samplesPerSecond)], RATE),
          number('Lines rejected', [sum((p) => p.linesRejected)]),
          number('Shed', [sum((p) => p.shed)]),
          number('Series in memory', [stats.store.headSeries]),
          number('Write-ahead log', [stats.store.walBytes], { unit: 'bytes' }),
        ],
      });
    }
  }
}

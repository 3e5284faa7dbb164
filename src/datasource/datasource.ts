import { of } from 'rxjs';
import {
  DataSourceApi,
  type AdHocVariableFilter,
  type CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceGetTagKeysOptions,
  type DataSourceGetTagValuesOptions,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
  type TimeRange,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

import { checkConnection } from '../api/checks';
import { MissionControlClient } from '../api/client';
import type { FunctionRegistry } from '../api/graphite';
import type { QueryTarget } from '../shared/api';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import {
  eventsToFrame,
  framesToAnnotations,
  inventoryAnnotationsToFrame,
  queryResponseToDataQueryResponse,
  statsToFrame,
} from './frames';
import { applyAdhocFilters, tagExpression } from './target/adhoc';
import { MissionControlVariableSupport } from './variables';
import {
  DEFAULT_QUERY,
  type MissionControlOptions,
  type MissionControlQuery,
  type MissionControlVariableQuery,
} from './types';

/**
 * Grafana's intervals (`$__interval`) as Graphite durations: Graphite reads `m` as nothing (its minutes are `min`, its
 * months `mon`) and has no milliseconds, so `1m` becomes `1min`, `500ms` becomes `1s`.
 */
export function graphiteInterval(interval: string): string {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|M|y)$/.exec(interval.trim());
  if (!m) {
    return interval;
  }
  const [, amount, unit] = m;
  switch (unit) {
    case 'ms':
      return `${Math.max(1, Math.ceil(Number(amount) / 1000))}s`;
    case 'm':
      return `${amount}min`;
    case 'M':
      return `${amount}mon`;
    default:
      return `${amount}${unit}`;
  }
}

function toSeconds(range: TimeRange): { from: number; until: number } {
  return { from: Math.floor(range.from.valueOf() / 1000), until: Math.ceil(range.to.valueOf() / 1000) };
}

/** An annotation query's tags, without those a variable left empty. */
function tagsOf(query: MissionControlQuery): string[] {
  return (query.tags ?? []).map((tag) => tag.trim()).filter((tag) => tag !== '');
}

// Marks where a multi-value variable's values stand in an interpolated text. Control characters, which neither entity
// keys nor variable values contain, so that a value's own commas or braces are left alone.
const VALUES_START = '\u0001';
const VALUES_SEPARATOR = '\u0002';
const VALUES_END = '\u0003';

/** Every text a marked interpolation stands for: `server:` followed by two marked values is two refs. */
function expandValues(text: string): string[] {
  const start = text.indexOf(VALUES_START);
  const end = text.indexOf(VALUES_END, start);
  if (start < 0 || end < 0) {
    return [text];
  }
  const rest = expandValues(text.slice(end + 1));
  return text
    .slice(start + 1, end)
    .split(VALUES_SEPARATOR)
    .flatMap((value) => rest.map((tail) => text.slice(0, start) + value + tail));
}

/**
 * Entity refs with variables replaced, one ref per value of a multi-value variable (`server:$host` with two hosts
 * selected is two refs), each ref once.
 */
function interpolateEntities(refs: string[], scopedVars: ScopedVars): string[] {
  const templateSrv = getTemplateSrv();
  const mark = (value: string | string[]) =>
    Array.isArray(value) ? VALUES_START + value.join(VALUES_SEPARATOR) + VALUES_END : value;
  const entities = refs
    .flatMap((ref) => expandValues(templateSrv.replace(ref, scopedVars, mark)))
    .map((ref) => ref.trim())
    .filter((ref) => ref !== '');
  return [...new Set(entities)];
}

/**
 * The Mission Control data source. It has no backend of its own: it talks to the worker through Grafana's data source
 * proxy (see the client), which is also why it cannot serve Grafana-managed alert rules (the built-in Graphite data
 * source pointed at the worker's /graphite API can).
 */
export class MissionControlDataSource extends DataSourceApi<MissionControlQuery, MissionControlOptions> {
  readonly client: MissionControlClient;
  private readonly workerUrl: string;
  private functionsRequest?: Promise<FunctionRegistry>;

  constructor(instanceSettings: DataSourceInstanceSettings<MissionControlOptions>) {
    super(instanceSettings);
    this.client = new MissionControlClient(instanceSettings.uid);
    this.workerUrl = instanceSettings.jsonData.url?.trim() ?? '';
    this.annotations = {
      QueryEditor: AnnotationQueryEditor,
      getDefaultQuery: () => ({ queryType: 'events', tags: [] }),
      processEvents: (_annotation, frames) => of(framesToAnnotations(frames)),
    };
    this.variables = new MissionControlVariableSupport(this);
  }

  getDefaultQuery(_app: CoreApp): Partial<MissionControlQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: MissionControlQuery): boolean {
    return (
      query.queryType === 'events' ||
      query.queryType === 'stats' ||
      query.queryType === 'inventory' ||
      (query.target ?? '').trim() !== ''
    );
  }

  getQueryDisplayText(query: MissionControlQuery): string {
    switch (query.queryType) {
      case 'events':
        return `events ${(query.tags ?? []).join(' ')}`.trim();
      case 'stats':
        return `worker ${query.stats ?? 'summary'}`;
      case 'inventory':
        return `inventory ${(query.entities ?? []).join(' ')}`.trim();
      default:
        return query.target ?? '';
    }
  }

  /**
   * The function library, asked once per data source instance: the builder, the parameter editors and ad-hoc filters
   * all read it. A failed request is forgotten so that the next use asks again.
   */
  getFunctions(): Promise<FunctionRegistry> {
    this.functionsRequest ??= this.client.functions().catch((err) => {
      this.functionsRequest = undefined;
      throw err;
    });
    return this.functionsRequest;
  }

  /** Template variables, `$__interval` in Graphite's units, then ad-hoc filters as tag conditions. */
  private interpolate(
    query: MissionControlQuery,
    scopedVars: ScopedVars,
    filters: AdHocVariableFilter[],
    registry?: FunctionRegistry
  ): MissionControlQuery {
    const templateSrv = getTemplateSrv();
    const vars: ScopedVars = { ...scopedVars };
    for (const name of ['__interval', '__rate_interval']) {
      const interval = scopedVars[name];
      if (interval && typeof interval.value === 'string') {
        const text = graphiteInterval(interval.value);
        vars[name] = { ...interval, text, value: text };
      }
    }
    const target = templateSrv.replace(query.target ?? '', vars);
    return {
      ...query,
      target: applyAdhocFilters(target, filters, registry),
      alias: query.alias && templateSrv.replace(query.alias, vars),
      tags: query.tags?.map((tag) => templateSrv.replace(tag, vars)),
      entities: query.entities && interpolateEntities(query.entities, vars),
    };
  }

  interpolateVariablesInQueries(
    queries: MissionControlQuery[],
    scopedVars: ScopedVars,
    filters: AdHocVariableFilter[] = []
  ): MissionControlQuery[] {
    return queries.map((query) => this.interpolate(query, scopedVars, filters));
  }

  async query(request: DataQueryRequest<MissionControlQuery>): Promise<DataQueryResponse> {
    const filters = request.filters ?? [];
    // Ad-hoc filters need to know which arguments are series; without filters there is no need to ask.
    const registry = filters.length > 0 ? await this.getFunctions().catch(() => undefined) : undefined;
    const queries = request.targets
      .filter((query) => this.filterQuery(query))
      .map((query) => this.interpolate(query, request.scopedVars, filters, registry));
    const metrics = queries.filter((query) => (query.queryType ?? 'metrics') === 'metrics');
    const events = queries.filter((query) => query.queryType === 'events' && !query.hide);
    const stats = queries.filter((query) => query.queryType === 'stats' && !query.hide);
    const inventory = queries.filter((query) => query.queryType === 'inventory' && !query.hide);
    const responses = await Promise.all([
      this.queryMetrics(request, metrics),
      ...events.map((query) => this.queryEvents(request.range, query)),
      ...inventory.map((query) => this.queryInventory(request.range, query)),
      ...(stats.length > 0 ? [this.queryStats(stats)] : []),
    ]);
    const data = responses.flatMap((response) => response.data);
    const errors = responses.flatMap((response) => response.errors ?? []);
    return errors.length > 0 ? { data, errors } : { data };
  }

  private async queryMetrics(
    request: DataQueryRequest<MissionControlQuery>,
    queries: MissionControlQuery[]
  ): Promise<DataQueryResponse> {
    // Hidden targets are sent too, marked hidden: the worker does not answer them, but `#A` in another target can
    // refer to them, as in Grafana's Graphite data source.
    if (queries.every((query) => query.hide)) {
      return { data: [] };
    }
    const targets: QueryTarget[] = queries.map(({ refId, target = '', hide }) =>
      hide ? { refId, target, hide } : { refId, target }
    );
    const response = await this.client.query(
      {
        targets,
        ...toSeconds(request.range),
        maxDataPoints: request.maxDataPoints,
        intervalMs: request.intervalMs,
      },
      request.requestId
    );
    return queryResponseToDataQueryResponse(response, queries);
  }

  private async queryEvents(range: TimeRange, query: MissionControlQuery): Promise<DataQueryResponse> {
    const { events } = await this.client.events({ ...toSeconds(range), tags: tagsOf(query), any: query.matchAny });
    return { data: [eventsToFrame(query.refId, events)] };
  }

  private async queryInventory(range: TimeRange, query: MissionControlQuery): Promise<DataQueryResponse> {
    const { annotations } = await this.client.inventory.annotations(
      query.entities ?? [],
      toSeconds(range),
      tagsOf(query)
    );
    return { data: [inventoryAnnotationsToFrame(query.refId, annotations)] };
  }

  /** One request for the figures, however many tables of them the panel shows. */
  private async queryStats(queries: MissionControlQuery[]): Promise<DataQueryResponse> {
    const stats = await this.client.stats();
    return { data: queries.map((query) => statsToFrame(query.refId, query.stats ?? 'summary', stats)) };
  }

  /** Values for a template variable; see MissionControlVariableQuery. */
  async metricFindQuery(
    query: MissionControlVariableQuery,
    options: { range?: TimeRange; scopedVars?: ScopedVars } = {}
  ): Promise<MetricFindValue[]> {
    const templateSrv = getTemplateSrv();
    const replace = (text: string) => templateSrv.replace(text, options.scopedVars);
    const expressions = (query.expressions ?? []).map(replace).filter((e) => e.trim() !== '');
    switch (query.type) {
      case 'tagKeys':
        return (await this.client.tagKeys(expressions)).map((text) => ({ text }));
      case 'tagValues': {
        const tag = replace(query.tag ?? '').trim();
        return tag === '' ? [] : (await this.client.tagValues(tag, expressions)).map((text) => ({ text }));
      }
      case 'inventory': {
        const field = replace(query.field ?? '').trim();
        if (!query.entity || field === '') {
          return [];
        }
        const { values } = await this.client.inventoryValues(query.entity, field, expressions);
        return values.map((text) => ({ text }));
      }
      default: {
        const pattern = replace(query.query ?? '').trim();
        if (pattern === '') {
          return [];
        }
        const nodes = await this.client.findMetrics(pattern, options.range && toSeconds(options.range));
        return nodes.map((node) => ({ text: node.text, expandable: node.expandable === 1 }));
      }
    }
  }

  /** Ad-hoc filter keys: the tags of the series that the other filters already select. */
  async getTagKeys(options?: DataSourceGetTagKeysOptions<MissionControlQuery>): Promise<MetricFindValue[]> {
    const expressions = (options?.filters ?? []).map(tagExpression).filter((e): e is string => e !== undefined);
    // `name` is every series' path: filtering on it is the target's job, not a dashboard filter's.
    const keys = await this.client.tagKeys(expressions);
    return keys.filter((key) => key !== 'name').map((text) => ({ text }));
  }

  async getTagValues(options: DataSourceGetTagValuesOptions<MissionControlQuery>): Promise<MetricFindValue[]> {
    const expressions = options.filters.map(tagExpression).filter((e): e is string => e !== undefined);
    return (await this.client.tagValues(options.key, expressions)).map((text) => ({ text }));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (this.workerUrl === '') {
      return {
        status: 'error',
        message: 'No worker URL is set.',
        details: {
          message:
            'Enter the URL at which the Grafana server reaches the worker (scheme, host and port), then click Save & test.',
        },
      };
    }
    const results = await checkConnection(this.client, this.workerUrl);
    const failures = results.filter((result) => result.status === 'failed');
    if (failures.length === 0) {
      return { status: 'success', message: results.map((result) => result.message).join(' ') };
    }
    return {
      status: 'error',
      message: failures.map((failure) => `${failure.label}: ${failure.message}`).join(' '),
      details: { message: failures.map((failure) => failure.fix).join(' ') },
    };
  }
}

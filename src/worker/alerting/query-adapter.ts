/**
 * Alerting's SeriesQuery over the worker's query engine: the same parser, function library and store fetch as the
 * Graphite render API, so a rule's target means exactly what it draws in Grafana.
 */
import { createEvalContext, evaluateTarget } from '../query/evaluator';
import { createFetcher, type FetchLimits, type SchemaSource } from '../query/fetch';
import { ALL_FUNCTIONS } from '../query/functions';
import { parseTarget } from '../query/parser';
import { FunctionRegistry, seriesByTag } from '../query/registry';
import type { SeriesReader } from '../store/types';
import type { SeriesQuery } from './evaluator';

export interface EngineQueryDeps {
  reader: SeriesReader;
  schemas: SchemaSource;
  limits: FetchLimits;
}

export function engineQuery(deps: EngineQueryDeps): SeriesQuery {
  const registry = new FunctionRegistry([...ALL_FUNCTIONS, seriesByTag]);
  return {
    query(target, from, until) {
      // Each query gets its own fetcher: its cache and its series and point limits are per request.
      const ctx = createEvalContext({
        registry,
        fetch: createFetcher(deps),
        startTime: from,
        endTime: until,
        now: until,
      });
      return evaluateTarget(ctx, parseTarget(target));
    },
  };
}

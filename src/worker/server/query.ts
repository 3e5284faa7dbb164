/**
 * POST /api/v1/query: the target language for our own data source. Several targets, evaluated
 * in one context (a path two targets share is read once, and the limits count the request as a
 * whole); each target answers its series or its own error, so one bad target does not blank a
 * panel. Hidden targets are not answered but can be referred to as `#A`, as Grafana's Graphite
 * data source does it.
 */
import type { FastifyInstance } from 'fastify';
import type { QueryErrorResponse, QueryRequest, QueryResponse, QueryResult, QueryTargetError } from '../../shared/api';
import { API_PATHS } from '../../shared/api';
import type { KeyVerifier } from '../catalog/keys';
import { parseTimeRange, resolveTimeZone } from '../query/attime';
import { consolidateForRender } from '../query/consolidate';
import { createEvalContext, evaluateTarget } from '../query/evaluator';
import { createFetcher, type FetchLimits, type SchemaSource } from '../query/fetch';
import { parseTarget } from '../query/parser';
import type { FunctionRegistry } from '../query/registry';
import { QueryError, QueryLimitError, QuerySyntaxError } from '../query/types';
import type { SeriesReader } from '../store/types';
import { requireScope } from './auth';

/** What evaluating targets needs; shared by this route and the Graphite API. */
export interface QueryEngineDeps {
  reader: SeriesReader;
  schemas: SchemaSource;
  registry: FunctionRegistry;
  limits: FetchLimits;
  /** Clock, ms. */
  now?: () => number;
}

export interface QueryRoutesOptions extends QueryEngineDeps {
  keys: KeyVerifier;
}

/** The HTTP status and body for a query's own errors (syntax 400, evaluation 400, limits 422). */
export function queryErrorReply(
  e: unknown,
  target?: string
): { status: 400 | 422; body: QueryErrorResponse & { position?: number } } | undefined {
  if (e instanceof QuerySyntaxError) {
    return { status: 400, body: withTarget({ error: e.message, position: e.position }, target) };
  }
  if (e instanceof QueryError) {
    const body: QueryErrorResponse = { error: e.message };
    if (e.position !== undefined) body.position = e.position;
    if (e.field !== undefined) body.field = e.field;
    return { status: 400, body: withTarget(body, target) };
  }
  if (e instanceof QueryLimitError) {
    return { status: 422, body: withTarget({ error: e.message, limit: e.limit }, target) };
  }
  return undefined;
}

function withTarget(body: QueryErrorResponse, target: string | undefined): QueryErrorResponse {
  return target === undefined ? body : { ...body, target };
}

function targetError(e: unknown): QueryTargetError | undefined {
  const r = queryErrorReply(e);
  if (!r) return undefined;
  const out: QueryTargetError = { message: r.body.error };
  if (r.body.position !== undefined) out.position = r.body.position;
  if (r.body.limit !== undefined) out.limit = r.body.limit;
  return out;
}

function validateQuery(body: unknown): { error: string; field?: string } | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: 'body must be a JSON object' };
  const b = body as Partial<Record<keyof QueryRequest, unknown>>;
  if (!Array.isArray(b.targets)) return { error: 'targets must be an array', field: 'targets' };
  const seen = new Set<string>();
  for (let i = 0; i < b.targets.length; i++) {
    const t = b.targets[i] as Record<string, unknown> | null;
    if (!t || typeof t !== 'object') return { error: 'each target must be an object', field: `targets[${i}]` };
    if (typeof t.refId !== 'string' || t.refId === '') {
      return { error: 'refId must be a non-empty string', field: `targets[${i}].refId` };
    }
    if (seen.has(t.refId)) return { error: `refId '${t.refId}' is used twice`, field: `targets[${i}].refId` };
    seen.add(t.refId);
    if (typeof t.target !== 'string') return { error: 'target must be a string', field: `targets[${i}].target` };
    if (t.hide !== undefined && typeof t.hide !== 'boolean') {
      return { error: 'hide must be a boolean', field: `targets[${i}].hide` };
    }
  }
  for (const f of ['from', 'until'] as const) {
    if (b[f] !== undefined && typeof b[f] !== 'number' && typeof b[f] !== 'string') {
      return { error: `${f} must be Unix seconds or a Graphite time expression`, field: f };
    }
  }
  if (b.maxDataPoints !== undefined && !(Number.isInteger(b.maxDataPoints) && (b.maxDataPoints as number) > 0)) {
    return { error: 'maxDataPoints must be a positive integer', field: 'maxDataPoints' };
  }
  if (b.intervalMs !== undefined && !(typeof b.intervalMs === 'number' && b.intervalMs >= 0)) {
    return { error: 'intervalMs must be a number of milliseconds', field: 'intervalMs' };
  }
  if (b.tz !== undefined && (typeof b.tz !== 'string' || resolveTimeZone(b.tz) === undefined)) {
    return { error: `unknown time zone ${JSON.stringify(b.tz)}`, field: 'tz' };
  }
  return undefined;
}

/**
 * Each target's text with `#X` replaced by target X's (itself expanded), as Grafana's Graphite
 * data source expands references before sending; a reference cycle is that target's error.
 */
export function expandReferences(targets: Array<{ refId: string; target: string }>): Map<string, string | Error> {
  const byRef = new Map(targets.map((t) => [t.refId, t.target]));
  const out = new Map<string, string | Error>();
  const expand = (refId: string, stack: string[]): string => {
    if (stack.includes(refId)) {
      throw new Error(`circular reference: ${[...stack, refId].map((r) => '#' + r).join(' -> ')}`);
    }
    return byRef
      .get(refId)!
      .replace(/#([A-Za-z][A-Za-z0-9_]*)/g, (m, ref: string) => (byRef.has(ref) ? expand(ref, [...stack, refId]) : m));
  };
  for (const t of targets) {
    try {
      out.set(t.refId, expand(t.refId, []));
    } catch (e) {
      out.set(t.refId, e as Error);
    }
  }
  return out;
}

export async function queryRoutes(app: FastifyInstance, opts: QueryRoutesOptions): Promise<void> {
  const clock = opts.now ?? Date.now;

  app.post(API_PATHS.query, { preHandler: requireScope(opts.keys, 'read') }, async (req, reply) => {
    const bad = validateQuery(req.body);
    if (bad) return reply.code(400).send(bad);
    const body = req.body as QueryRequest;
    let range;
    try {
      range = parseTimeRange({ from: body.from, until: body.until, tz: body.tz }, clock() / 1000);
    } catch (e) {
      const r = queryErrorReply(e);
      if (r) return reply.code(r.status).send(r.body);
      throw e;
    }
    const ctx = createEvalContext({
      registry: opts.registry,
      fetch: createFetcher(opts),
      startTime: range.startTime,
      endTime: range.endTime,
      now: range.now,
      ...(body.maxDataPoints !== undefined ? { maxDataPoints: body.maxDataPoints } : {}),
    });
    const texts = expandReferences(body.targets);
    const response: QueryResponse = { results: {} };
    for (const t of body.targets) {
      if (t.hide) continue;
      const text = texts.get(t.refId)!;
      const result: QueryResult = { series: [] };
      response.results[t.refId] = result;
      if (text instanceof Error) {
        result.error = { message: text.message };
        continue;
      }
      if (text.trim() === '') continue;
      try {
        const series = await evaluateTarget(ctx, parseTarget(text));
        result.series = consolidateForRender(series, body.maxDataPoints).map((s) => ({
          name: s.name,
          tags: s.tags,
          start: s.start,
          step: s.step,
          values: s.values,
        }));
      } catch (e) {
        const err = targetError(e);
        if (!err) throw e;
        result.error = err;
      }
    }
    return response;
  });
}

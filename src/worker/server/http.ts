/**
 * The worker's HTTP API: health and readiness, its own metrics, ingest over JSON, the
 * store's read API, and the query engine's (Graphite's API under /graphite, queries, events).
 * Every /api route declares the scope its key needs; errors are JSON
 * `{ error, field?, position? }` as src/shared/api.ts describes.
 */
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { ErrorResponse, ReadRequest, ReadResponse, ReadyResponse, WhoAmIResponse } from '../../shared/api';
import { API_PATHS, INVENTORY_API } from '../../shared/api';
import type { KeyVerifier, Scope } from '../catalog/keys';
import type { WorkerMetrics } from '../selfmetrics';
import { parseWriteBody } from '../ingest/httpwrite';
import type { SampleSink, SeriesReader } from '../store/types';
import { LimitError } from '../store/db';
import { valuesOf } from '../store/seriesvalues';
import type { AlertingService } from '../alerting/service';
import { alertingRoutes } from './alerting';
import { requireScope as requireKeyScope } from './auth';
import type { EventStore } from '../catalog/events';
import type { SchemaSource } from '../query/fetch';
import { ALL_FUNCTIONS } from '../query/functions';
import { FunctionRegistry, seriesByTag } from '../query/registry';
import { eventRoutes } from './events';
import { graphiteRoutes } from './graphite';
import { queryRoutes } from './query';
import { statsRoutes } from './stats';
import type { InventoryService } from '../inventory/service';
import type { AliasWorkflow } from '../inventory/workflow';
import { inventoryRoutes } from './inventory';

export interface HttpDeps {
  sink: SampleSink;
  reader: SeriesReader;
  keys: KeyVerifier;
  metrics: WorkerMetrics;
  logger: Logger;
  ready: () => ReadyResponse;
  limits: { maxSeriesPerQuery: number; maxPointsPerQuery: number; maxBodyBytes?: number };
  now?: () => number;
  /** With these, the query engine's routes are served: /graphite, /api/v1/query and /api/v1/events. */
  query?: { schemas: SchemaSource; events: EventStore; registry?: FunctionRegistry };
  /** With it, the alerting API is served under /api/v1/alerting. */
  alerting?: AlertingService;
  /** With it, the inventory API is served under /api/v1/inventory. */
  inventory?: { service: InventoryService; workflow: AliasWorkflow };
}

export function buildHttpServer(deps: HttpDeps) {
  const now = deps.now ?? Date.now;
  const app = Fastify({
    // Per-request lines are logged at info; the worker's log keeps warnings and errors only.
    loggerInstance: deps.logger.child({ component: 'http' }, { level: 'warn' }),
    bodyLimit: deps.limits.maxBodyBytes ?? 32 * 1024 * 1024,
  });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) deps.logger.error({ err }, 'request failed');
    const body: ErrorResponse = { error: status === 500 ? 'internal error' : err.message };
    void reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` } satisfies ErrorResponse);
  });

  const requireScope = (scope: Scope | undefined) => requireKeyScope(deps.keys, scope);

  app.get(API_PATHS.health, async () => ({ status: 'ok' }));

  app.get(API_PATHS.ready, async (_req, reply) => {
    const r = deps.ready();
    return reply.code(r.status === 'ready' ? 200 : 503).send(r);
  });

  app.get('/metrics', async (_req, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });

  // Any valid key may ask what it is allowed to do: the data source's health check reads its scopes.
  app.get(API_PATHS.whoami, { preHandler: requireScope(undefined) }, async (req): Promise<WhoAmIResponse> => {
    const key = req.apiKey!;
    return { keyId: key.id, scopes: key.scopes };
  });

  const { metrics, reader, ready } = deps;
  void app.register(statsRoutes, { metrics, reader, ready, requireRead: requireScope('read'), now });

  // One JSON parser for every body so a malformed one gets our error shape, with JSON.parse's position.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch (e) {
      const err = e as Error & { statusCode?: number };
      err.message = `body is not valid JSON: ${err.message}`;
      err.statusCode = 400;
      done(err, undefined);
    }
  });

  app.post(API_PATHS.write, { preHandler: requireScope('ingest') }, async (req, reply) => {
    const parsed = parseWriteBody(req.body, now());
    deps.metrics.linesReceived.inc({ protocol: 'http' }, Array.isArray(req.body) ? req.body.length : 1);
    if (parsed.errors.length > 0) {
      for (const e of parsed.errors) deps.metrics.linesRejected.inc({ protocol: 'http', reason: e.reason });
      const first = parsed.errors[0]!;
      return reply.code(400).send({
        error: `item ${first.index}${first.field ? ` ${first.field}` : ''}: ${first.error}`,
        field: `[${first.index}]${first.field ? `.${first.field}` : ''}`,
        errors: parsed.errors.map(({ index, field, error }) => ({ index, field, error })),
      });
    }
    if (deps.sink.overloaded()) {
      deps.metrics.shed.inc({ protocol: 'http', reason: 'overloaded' });
      return reply
        .code(503)
        .header('Retry-After', '1')
        .send({ error: 'the worker is over capacity; retry shortly' } satisfies ErrorResponse);
    }
    await deps.sink.append({ samples: parsed.samples });
    deps.metrics.samplesAccepted.inc({ protocol: 'http' }, parsed.samples.length);
    return reply.code(200).send({ accepted: parsed.samples.length });
  });

  app.post(API_PATHS.read, { preHandler: requireScope('read') }, async (req, reply) => {
    const body = req.body as Partial<ReadRequest> | undefined;
    const bad = validateRead(body);
    if (bad) return reply.code(400).send(bad);
    const r = body as ReadRequest;
    const span = (r.until - r.from) * 1000;
    const stepMs = r.step !== undefined ? r.step * 1000 : Math.max(1000, Math.ceil(span / 1000));
    const out: ReadResponse = { results: [] };
    for (const t of r.targets) {
      try {
        const data = await deps.reader.read(
          { selector: { glob: t.glob }, from: r.from * 1000, until: r.until * 1000, step: stepMs },
          { maxSeries: deps.limits.maxSeriesPerQuery }
        );
        let points = 0;
        for (const d of data) points += d.count.length;
        if (points > deps.limits.maxPointsPerQuery) {
          return reply.code(422).send({
            error: `the query would return ${points} points, more than ${deps.limits.maxPointsPerQuery} (maxPointsPerQuery)`,
            field: 'step',
          });
        }
        out.results.push({
          refId: t.refId,
          series: data.map((d) => ({
            name: d.ref.name,
            labels: d.ref.labels,
            start: d.start / 1000,
            step: d.step / 1000,
            values: valuesOf(d),
          })),
        });
      } catch (e) {
        if (e instanceof LimitError) return reply.code(422).send({ error: e.message, field: 'targets' });
        if (e instanceof SyntaxError) {
          out.results.push({ refId: t.refId, series: [], error: e.message });
          continue;
        }
        throw e;
      }
    }
    return out;
  });

  if (deps.query) {
    const { schemas, events } = deps.query;
    const registry = deps.query.registry ?? new FunctionRegistry([...ALL_FUNCTIONS, seriesByTag]);
    const engine = { reader: deps.reader, schemas, registry, limits: deps.limits, now, keys: deps.keys };
    void app.register(graphiteRoutes, { ...engine, events, prefix: API_PATHS.graphite });
    void app.register(queryRoutes, engine);
    void app.register(eventRoutes, { keys: deps.keys, events, now });
  }

  if (deps.alerting) {
    const [requireRead, requireAdmin] = [requireScope('read'), requireScope('admin')];
    void app.register(alertingRoutes, { service: deps.alerting, requireRead, requireAdmin, now });
  }

  if (deps.inventory) {
    void app.register(inventoryRoutes, { ...deps.inventory, keys: deps.keys, prefix: INVENTORY_API });
  }

  return app;
}

function validateRead(b: Partial<ReadRequest> | undefined): ErrorResponse | undefined {
  if (!b || typeof b !== 'object') return { error: 'body must be a JSON object' };
  if (!Array.isArray(b.targets) || b.targets.length === 0)
    return { error: 'targets must be a non-empty array', field: 'targets' };
  for (let i = 0; i < b.targets.length; i++) {
    const t = b.targets[i];
    if (!t || typeof t.glob !== 'string' || t.glob === '')
      return { error: 'glob must be a non-empty string', field: `targets[${i}].glob` };
    if (typeof t.refId !== 'string') return { error: 'refId must be a string', field: `targets[${i}].refId` };
  }
  if (typeof b.from !== 'number' || !Number.isFinite(b.from))
    return { error: 'from must be Unix seconds', field: 'from' };
  if (typeof b.until !== 'number' || !(b.until > b.from))
    return { error: 'until must be Unix seconds after from', field: 'until' };
  if (b.step !== undefined && !(typeof b.step === 'number' && b.step > 0))
    return { error: 'step must be a positive number of seconds', field: 'step' };
  return undefined;
}

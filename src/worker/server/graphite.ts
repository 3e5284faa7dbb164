/**
 * graphite-web 1.1.8's HTTP API, registered under /graphite so that Grafana's Graphite data
 * source (URL http://HOST:PORT/graphite, version 1.1) and existing Graphite clients work against
 * the worker: /render, /metrics/find and /metrics/expand, /tags and its autocompletion,
 * /functions, /version and /events. Parameters come from the query string and, for POST, a form
 * body (as Grafana sends /render), merged as Django merges them. Every route needs a key with the
 * 'read' scope (Grafana sends `Authorization: Bearer <key>` as a custom header), except event
 * creation, which needs 'ingest'.
 *
 * Query errors answer JSON rather than graphite-web's text: 400 `{error, position, target}` for a
 * malformed target or a bad argument, 422 `{error, limit}` past a limit. /render's format defaults
 * to json (graphite-web would draw a PNG); json, csv and raw are served.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorResponse } from '../../shared/api';
import type { EventStore } from '../catalog/events';
import { parseEventBody, splitTags } from '../catalog/events';
import type { KeyVerifier } from '../catalog/keys';
import { parseTimeParam, parseTimeRange, resolveTimeZone } from '../query/attime';
import { consolidateForRender } from '../query/consolidate';
import { createEvalContext, evaluateTarget } from '../query/evaluator';
import { createFetcher } from '../query/fetch';
import {
  AUTOCOMPLETE_LIMIT,
  autoCompleteTags,
  autoCompleteValues,
  completer,
  expand,
  findSeries,
  listTags,
  tagValues,
  treeJson,
} from '../query/find';
import { parseTarget } from '../query/parser';
import { functionInfo, functionsJson } from '../query/registry';
import { renderCsv, renderJson, renderRaw } from '../query/render';
import { QueryError, type Expr, type Series } from '../query/types';
import { requireScope } from './auth';
import { type QueryEngineDeps, queryErrorReply } from './query';

export const GRAPHITE_VERSION = '1.1.8';

export interface GraphiteRoutesOptions extends QueryEngineDeps {
  keys: KeyVerifier;
  events: EventStore;
}

/** A form-encoded body: its fields, and its text for routes that read JSON whatever the content type. */
class FormBody {
  readonly fields: URLSearchParams;

  constructor(readonly text: string) {
    this.fields = new URLSearchParams(text);
  }
}

/** Request parameters, query string then body, as Django's GET.copy().update(POST) merges them. */
class Params {
  private readonly values = new Map<string, string[]>();

  constructor(...sources: unknown[]) {
    for (const src of sources) {
      if (src instanceof FormBody) {
        for (const [k, v] of src.fields) this.add(k, v);
      } else if (src && typeof src === 'object' && !Array.isArray(src)) {
        for (const [k, v] of Object.entries(src)) {
          for (const x of Array.isArray(v) ? v : [v]) {
            if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') this.add(k, String(x));
          }
        }
      }
    }
  }

  private add(k: string, v: string): void {
    const list = this.values.get(k);
    if (list) list.push(v);
    else this.values.set(k, [v]);
  }

  has(k: string): boolean {
    return this.values.has(k);
  }

  /** The last value, as QueryDict.get answers. */
  get(k: string): string | undefined {
    const list = this.values.get(k);
    return list?.[list.length - 1];
  }

  all(k: string): string[] {
    return this.values.get(k) ?? [];
  }

  /** graphite-web's `expr` or `expr[]` style lists. */
  list(k: string): string[] {
    const plain = this.all(k);
    return plain.length > 0 ? plain : this.all(k + '[]');
  }

  /** An integer parameter; a value that is not one is the request's error. */
  int(k: string, fallback: number): number {
    const v = this.get(k);
    if (v === undefined) return fallback;
    if (!/^\s*[+-]?\d+\s*$/.test(v)) throw new QueryError(`invalid int value '${v}' for param ${k}`, undefined, k);
    return Number(v);
  }

  /** graphite-web's optional `limit`: absent or empty means none. */
  limit(fallback?: number): number | undefined {
    const v = this.get('limit');
    if (v === undefined || v === '') return fallback;
    return this.int('limit', 0);
  }
}

function params(req: FastifyRequest): Params {
  return new Params(req.query, req.body);
}

function badRequest(reply: FastifyReply, error: string, field?: string): FastifyReply {
  const body: ErrorResponse = field ? { error, field } : { error };
  return reply.code(400).send(body);
}

/** Sends a query error's answer, or rethrows what is not one (a 500). */
function sendQueryError(reply: FastifyReply, e: unknown, target?: string): FastifyReply {
  const r = queryErrorReply(e, target);
  if (!r) throw e;
  return reply.code(r.status).send(r.body);
}

export async function graphiteRoutes(app: FastifyInstance, opts: GraphiteRoutesOptions): Promise<void> {
  const clock = opts.now ?? Date.now;

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, new FormBody(body as string));
  });

  /** graphite-web's URLs take an optional trailing slash (`/events/`, `/metrics/find/`). */
  const route = (
    methods: Array<'GET' | 'POST'>,
    url: string,
    scope: 'read' | 'ingest',
    handler: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>
  ): void => {
    for (const u of [url, url + '/']) {
      app.route({ method: methods, url: u, preHandler: requireScope(opts.keys, scope), handler });
    }
  };

  const render = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    const format = p.get('format') ?? (p.has('rawData') ? 'raw' : 'json');
    if (!['json', 'csv', 'raw'].includes(format)) {
      return badRequest(reply, `format '${format}' is not supported: use json, csv or raw`, 'format');
    }
    const targets = p.list('target').filter((t) => t.trim() !== '');
    const exprs: Expr[] = [];
    let range;
    let xFilesFactor = 0;
    try {
      range = parseTimeRange(
        { from: p.get('from'), until: p.get('until'), now: p.get('now'), tz: p.get('tz') },
        clock() / 1000
      );
      const xff = p.get('xFilesFactor');
      if (xff !== undefined) {
        xFilesFactor = Number(xff);
        if (xff.trim() === '' || !Number.isFinite(xFilesFactor)) {
          throw new QueryError(`invalid xFilesFactor '${xff}'`, undefined, 'xFilesFactor');
        }
      }
    } catch (e) {
      return sendQueryError(reply, e);
    }
    // Every target is parsed before anything is read, so a typo costs no fetching.
    for (const t of targets) {
      try {
        exprs.push(parseTarget(t));
      } catch (e) {
        return sendQueryError(reply, e, t);
      }
    }
    const maxDataPointsParam = p.get('maxDataPoints');
    const maxDataPoints =
      maxDataPointsParam !== undefined && /^\d+$/.test(maxDataPointsParam) ? Number(maxDataPointsParam) : undefined;
    const ctx = createEvalContext({
      registry: opts.registry,
      fetch: createFetcher(opts),
      startTime: range.startTime,
      endTime: range.endTime,
      now: range.now,
      xFilesFactor,
      ...(maxDataPoints !== undefined ? { maxDataPoints } : {}),
    });
    const series: Series[] = [];
    for (let i = 0; i < exprs.length; i++) {
      try {
        series.push(...(await evaluateTarget(ctx, exprs[i]!)));
      } catch (e) {
        return sendQueryError(reply, e, targets[i]);
      }
    }
    if (format === 'csv') return reply.type('text/csv').send(renderCsv(series, range.tz));
    if (format === 'raw') return reply.type('text/plain').send(renderRaw(series));
    const body = renderJson(consolidateForRender(series, maxDataPoints), { noNullPoints: p.has('noNullPoints') });
    return reply.type('application/json').send(body);
  };
  route(['GET', 'POST'], '/render', 'read', render);

  const find = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    const query = p.get('query');
    if (query === undefined) return badRequest(reply, "missing required parameter 'query'", 'query');
    if (query === '') return badRequest(reply, "required parameter 'query' is empty", 'query');
    const format = p.get('format') ?? 'treejson';
    try {
      const o = { wildcards: p.int('wildcards', 0) !== 0, leavesOnly: p.int('leavesOnly', 0) !== 0 };
      if (format === 'treejson') return reply.send(treeJson(opts.reader, query, o));
      if (format === 'completer') return reply.send(completer(opts.reader, query, o));
    } catch (e) {
      return sendQueryError(reply, e);
    }
    return badRequest(reply, `invalid value '${format}' for parameter 'format': use treejson or completer`, 'format');
  };
  route(['GET', 'POST'], '/metrics/find', 'read', find);

  const expandRoute = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    try {
      return reply.send(
        expand(opts.reader, p.all('query'), {
          leavesOnly: p.int('leavesOnly', 0) !== 0,
          groupByExpr: p.int('groupByExpr', 0) !== 0,
        })
      );
    } catch (e) {
      return sendQueryError(reply, e);
    }
  };
  route(['GET', 'POST'], '/metrics/expand', 'read', expandRoute);

  route(['GET'], '/tags', 'read', async (req, reply) => {
    const p = params(req);
    try {
      return reply.send(listTags(opts.reader, p.get('filter'), p.limit()));
    } catch (e) {
      return sendQueryError(reply, e);
    }
  });

  const seriesByTags = async (req: FastifyRequest, reply: FastifyReply) => {
    const exprs = params(req).list('expr');
    if (exprs.length === 0) return badRequest(reply, 'no tag expressions specified', 'expr');
    try {
      return reply.send(findSeries(opts.reader, exprs));
    } catch (e) {
      return sendQueryError(reply, e);
    }
  };
  route(['GET', 'POST'], '/tags/findSeries', 'read', seriesByTags);

  const tagsAutoComplete = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    try {
      return reply.send(autoCompleteTags(opts.reader, p.list('expr'), p.get('tagPrefix'), p.limit(AUTOCOMPLETE_LIMIT)));
    } catch (e) {
      return sendQueryError(reply, e);
    }
  };
  route(['GET', 'POST'], '/tags/autoComplete/tags', 'read', tagsAutoComplete);

  const valuesAutoComplete = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    const tag = p.get('tag');
    if (!tag) return badRequest(reply, 'no tag specified', 'tag');
    try {
      return reply.send(
        autoCompleteValues(opts.reader, p.list('expr'), tag, p.get('valuePrefix'), p.limit(AUTOCOMPLETE_LIMIT))
      );
    } catch (e) {
      return sendQueryError(reply, e);
    }
  };
  route(['GET', 'POST'], '/tags/autoComplete/values', 'read', valuesAutoComplete);

  route(['GET'], '/tags/:tag', 'read', async (req, reply) => {
    const p = params(req);
    try {
      // graphite-web answers null for a tag no series has.
      const tag = (req.params as { tag: string }).tag;
      const details = tagValues(opts.reader, tag, p.get('filter'), p.limit()) ?? null;
      return reply.type('application/json').send(JSON.stringify(details));
    } catch (e) {
      return sendQueryError(reply, e);
    }
  });

  route(['GET'], '/functions', 'read', async (req, reply) => {
    const p = params(req);
    // No pie-chart functions: graphite-web's `type=pie` list is for its own PNG renderer.
    const all =
      p.get('type') === 'pie'
        ? {}
        : opts.registry.describe({
            group: p.get('group'),
            grouped: ['1', 'true'].includes((p.get('grouped') ?? '').toLowerCase()),
          });
    return reply.type('application/json').send(functionsJson(all));
  });

  route(['GET'], '/functions/:name', 'read', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const def = opts.registry.get(name);
    if (!def) return reply.code(404).send({ error: `Function not found: ${name}` } satisfies ErrorResponse);
    return reply.type('application/json').send(functionsJson(functionInfo(def)));
  });

  route(['GET'], '/version', 'read', async (_req, reply) => reply.type('text/plain').send(GRAPHITE_VERSION));

  route(['GET'], '/events/get_data', 'read', async (req, reply) => {
    const p = params(req);
    const nowSeconds = clock() / 1000;
    const timeOpts = { now: nowSeconds, tz: resolveTimeZone(p.get('tz')) };
    let from: number | undefined;
    let until: number;
    try {
      const f = p.get('from');
      const u = p.get('until');
      from = f !== undefined ? parseTimeParam('from', f, timeOpts) : undefined;
      until = u !== undefined ? parseTimeParam('until', u, timeOpts) : nowSeconds;
    } catch (e) {
      return sendQueryError(reply, e);
    }
    const tags = p.get('tags');
    const set = p.get('set');
    const events = opts.events.find({
      ...(from !== undefined ? { from } : {}),
      until,
      ...(tags !== undefined ? { tags: splitTags(tags), any: set === 'union' } : {}),
    });
    // graphite-web's shape: whole seconds, keys in its order.
    return reply.send(
      events.map((e) => ({ when: Math.floor(e.when), what: e.what, data: e.data, tags: e.tags, id: e.id }))
    );
  });

  // graphite-web reads the body as JSON whatever its type: `curl -d '{"what": ...}'` sends it form-encoded.
  route(['POST'], '/events', 'ingest', async (req, reply) => {
    let body = req.body;
    if (body instanceof FormBody) {
      try {
        body = JSON.parse(body.text);
      } catch (e) {
        return badRequest(reply, `body is not valid JSON: ${(e as Error).message}`);
      }
    }
    const parsed = parseEventBody(body);
    if ('error' in parsed) return badRequest(reply, parsed.error, parsed.field);
    opts.events.add(parsed.event);
    return reply.code(200).send();
  });
}

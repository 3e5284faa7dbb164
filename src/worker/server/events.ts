/**
 * Our own events API: POST /api/v1/events ('ingest' scope) records a deploy or a DNS change,
 * GET /api/v1/events ('read' scope) lists them for annotations. The same events are served as
 * graphite-web's /events under /graphite.
 */
import type { FastifyInstance } from 'fastify';
import type { EventCreatedResponse, EventsResponse } from '../../shared/api';
import { API_PATHS } from '../../shared/api';
import type { EventStore } from '../catalog/events';
import { parseEventBody } from '../catalog/events';
import type { KeyVerifier } from '../catalog/keys';
import { parseTimeRange } from '../query/attime';
import { requireScope } from './auth';
import { queryErrorReply } from './query';

export interface EventRoutesOptions {
  keys: KeyVerifier;
  events: EventStore;
  /** Clock, ms. */
  now?: () => number;
}

const DEFAULT_LIMIT = 1000;

function last(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof x === 'string' ? x : undefined;
}

export async function eventRoutes(app: FastifyInstance, opts: EventRoutesOptions): Promise<void> {
  const clock = opts.now ?? Date.now;

  app.post(API_PATHS.events, { preHandler: requireScope(opts.keys, 'ingest') }, async (req, reply) => {
    const parsed = parseEventBody(req.body);
    if ('error' in parsed) {
      return reply
        .code(400)
        .send(parsed.field ? { error: parsed.error, field: parsed.field } : { error: parsed.error });
    }
    const e = opts.events.add(
      parsed.event.when === undefined ? { ...parsed.event, when: clock() / 1000 } : parsed.event
    );
    return { id: e.id, when: e.when } satisfies EventCreatedResponse;
  });

  app.get(API_PATHS.events, { preHandler: requireScope(opts.keys, 'read') }, async (req, reply) => {
    const q = (req.query ?? {}) as Record<string, unknown>;
    let range;
    try {
      range = parseTimeRange({ from: last(q.from), until: last(q.until), tz: last(q.tz) }, clock() / 1000);
    } catch (e) {
      const r = queryErrorReply(e);
      if (r) return reply.code(r.status).send(r.body);
      throw e;
    }
    const limitText = last(q.limit);
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit <= 0) {
      return reply.code(400).send({ error: 'limit must be a positive integer', field: 'limit' });
    }
    const tags = (last(q.tags) ?? '').split(/[\s,]+/).filter((t) => t !== '');
    const any = ['1', 'true'].includes((last(q.any) ?? '').toLowerCase());
    const events = opts.events.find({ from: range.startTime, until: range.endTime, tags, any, limit });
    return { events } satisfies EventsResponse;
  });
}

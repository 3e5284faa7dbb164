/**
 * The alerting API (paths in ALERTING_PATHS, shapes in src/shared/api.ts): rules and groups (CRUD, provisioned ones
 * read-only), a rule preview, alert instances with their states, state history, notifications sent, silences,
 * acknowledgements, and notifiers with "send test". Reading needs the 'read' scope, every change 'admin'. Notifier
 * secrets are never sent back: they show as ALERT_SECRET_MASK, and sending the mask back keeps the stored value.
 */
import type { FastifyPluginAsync, FastifyReply, preHandlerAsyncHookHandler } from 'fastify';
import {
  ALERTING_PATHS,
  type AlertAcksResponse,
  type AlertGroupInfo,
  type AlertHistoryResponse,
  type AlertInstance,
  type AlertInstancesResponse,
  type AlertNotificationsResponse,
  type AlertNotifierInfo,
  type AlertNotifierSpec,
  type AlertNotifiersResponse,
  type AlertPreviewRequest,
  type AlertRuleInfo,
  type AlertRuleResponse,
  type AlertRulesResponse,
  type AlertSilencesResponse,
  type AlertState,
  type ErrorResponse,
} from '../../shared/api';
import { DefinitionError, type Defined } from '../alerting/definitions';
import type { LiveInstance } from '../alerting/engine';
import { maskSecrets } from '../alerting/notifiers';
import { RuleValidationError, type AlertRule } from '../alerting/rules';
import type { AlertingService } from '../alerting/service';

export interface AlertingRoutesOptions {
  service: AlertingService;
  requireRead: preHandlerAsyncHookHandler;
  requireAdmin: preHandlerAsyncHookHandler;
  now?: () => number;
}

const STATES: readonly AlertState[] = ['ok', 'pending', 'alerting', 'nodata', 'error'];

type Query = Record<string, string | string[] | undefined>;

export const alertingRoutes: FastifyPluginAsync<AlertingRoutesOptions> = async (app, opts) => {
  const { service } = opts;
  const now = opts.now ?? Date.now;
  const read = { preHandler: opts.requireRead };
  const admin = { preHandler: opts.requireAdmin };

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof RuleValidationError) {
      return reply.code(400).send({ error: err.message, field: err.field, errors: err.errors });
    }
    if (err instanceof DefinitionError)
      return reply.code(err.status).send({ error: err.message } satisfies ErrorResponse);
    throw err;
  });

  const instanceView = (i: LiveInstance): AlertInstance => {
    const t = now();
    const silencedBy = service.silences.silencing(i.labels, t);
    const ack = service.acks.covering(i.ruleUid, i.key, t);
    return {
      ruleUid: i.ruleUid,
      key: i.key,
      labels: i.labels,
      annotations: i.annotations,
      state: i.state.state,
      since: i.state.since / 1000,
      value: i.state.value,
      reason: i.state.reason,
      ...(silencedBy.length > 0 ? { silencedBy } : {}),
      ...(ack ? { acknowledgedBy: ack.author } : {}),
      ...(i.record.lastNotifiedAt === null ? {} : { lastNotifiedAt: i.record.lastNotifiedAt / 1000 }),
      notifications: i.record.count,
    };
  };

  const ruleInfo = ({ value: rule, provisioned }: Defined<AlertRule>): AlertRuleInfo => {
    const states = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<AlertState, number>;
    for (const i of service.engine.instancesOf(rule.uid)) states[i.state.state]++;
    const last = service.engine.lastEvaluation(rule.uid);
    return {
      spec: rule.spec,
      provisioned,
      states,
      ...(last
        ? {
            lastEvaluation: {
              at: last.at / 1000,
              durationSeconds: last.durationMs / 1000,
              ...(last.error ? { error: last.error } : {}),
            },
          }
        : {}),
    };
  };

  const ruleResponse = (uid: string, reply: FastifyReply): AlertRuleResponse | FastifyReply => {
    const rule = service.definitions.rule(uid);
    if (!rule) return notFound(reply, `no rule "${uid}"`);
    return { ...ruleInfo(rule), instances: service.engine.instancesOf(uid).map(instanceView) };
  };

  const groupInfos = (): AlertGroupInfo[] =>
    service.definitions.groups().map((g) => ({ spec: g.value.spec, provisioned: g.provisioned }));

  // ---- rules and groups

  app.get(ALERTING_PATHS.rules, read, async (): Promise<AlertRulesResponse> => ({
    groups: groupInfos(),
    rules: service.definitions.rules().map(ruleInfo),
  }));

  app.get<{ Params: { uid: string } }>(ALERTING_PATHS.rule, read, async (req, reply) =>
    ruleResponse(req.params.uid, reply)
  );

  app.post(ALERTING_PATHS.rules, admin, async (req, reply) => {
    const uid = (req.body as { uid?: unknown } | undefined)?.uid;
    if (typeof uid === 'string' && service.definitions.rule(uid)) {
      return reply
        .code(409)
        .send({ error: `rule "${uid}" exists; PUT ${ALERTING_PATHS.rules}/${uid} changes it`, field: 'uid' });
    }
    const rule = service.definitions.putRule(req.body);
    return reply.code(201).send(ruleResponse(rule.uid, reply));
  });

  app.put<{ Params: { uid: string } }>(ALERTING_PATHS.rule, admin, async (req, reply) => {
    const body = withId(req.body, 'uid', req.params.uid);
    if (!body)
      return reply.code(400).send({ error: 'the uid in the body differs from the one in the path', field: 'uid' });
    service.definitions.putRule(body);
    return ruleResponse(req.params.uid, reply);
  });

  app.delete<{ Params: { uid: string } }>(ALERTING_PATHS.rule, admin, async (req, reply) => {
    service.definitions.deleteRule(req.params.uid);
    return reply.code(204).send();
  });

  app.post(ALERTING_PATHS.preview, read, async (req) => {
    const body = (req.body ?? {}) as Partial<AlertPreviewRequest>;
    if (body.range !== undefined && !(typeof body.range === 'number' && body.range > 0 && body.range <= 90 * 86_400)) {
      throw new RuleValidationError([{ field: 'range', error: 'expected seconds, more than 0 and at most 90 days' }]);
    }
    try {
      return await service.preview({ rule: body.rule as AlertPreviewRequest['rule'], range: body.range });
    } catch (e) {
      if (e instanceof RuleValidationError) {
        throw new RuleValidationError(e.errors.map((x) => ({ ...x, field: x.field ? `rule.${x.field}` : 'rule' })));
      }
      throw e;
    }
  });

  app.get(ALERTING_PATHS.groups, read, async () => ({ groups: groupInfos() }));

  app.post(ALERTING_PATHS.groups, admin, async (req, reply) => {
    const name = (req.body as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && service.definitions.group(name)) {
      return reply.code(409).send({ error: `group "${name}" exists`, field: 'name' });
    }
    const group = service.definitions.putGroup(req.body);
    return reply.code(201).send({ spec: group.spec, provisioned: false } satisfies AlertGroupInfo);
  });

  app.put<{ Params: { name: string } }>(ALERTING_PATHS.group, admin, async (req, reply) => {
    const body = withId(req.body, 'name', req.params.name);
    if (!body)
      return reply.code(400).send({ error: 'the name in the body differs from the one in the path', field: 'name' });
    const group = service.definitions.putGroup(body);
    return { spec: group.spec, provisioned: false } satisfies AlertGroupInfo;
  });

  app.delete<{ Params: { name: string } }>(ALERTING_PATHS.group, admin, async (req, reply) => {
    service.definitions.deleteGroup(req.params.name);
    return reply.code(204).send();
  });

  // ---- instances and history

  app.get<{ Querystring: Query }>(ALERTING_PATHS.instances, read, async (req, reply) => {
    const q = req.query;
    const state = one(q.state);
    if (state !== undefined && !STATES.includes(state as AlertState)) {
      return reply.code(400).send({ error: `state must be one of ${STATES.join(', ')}`, field: 'state' });
    }
    const labels = many(q.label).map((m) => m.split('='));
    if (labels.some((l) => l.length < 2))
      return reply.code(400).send({ error: 'label filters look like host=web1', field: 'label' });
    const rule = one(q.rule);
    const list = rule === undefined ? service.engine.allInstances() : service.engine.instancesOf(rule);
    const instances = list
      .filter((i) => state === undefined || i.state.state === state)
      .filter((i) => labels.every(([k, ...v]) => i.labels[k!] === v.join('=')))
      .map(instanceView);
    return { instances } satisfies AlertInstancesResponse;
  });

  app.get<{ Querystring: Query }>(ALERTING_PATHS.history, read, async (req, reply) => {
    const range = rangeQuery(req.query, reply);
    if (!range) return reply;
    const transitions = service.history.transitions(range).map((t) => ({ ...t, at: t.at / 1000 }));
    return { transitions } satisfies AlertHistoryResponse;
  });

  app.get<{ Querystring: Query }>(ALERTING_PATHS.notifications, read, async (req, reply) => {
    const range = rangeQuery(req.query, reply);
    if (!range) return reply;
    const notifications = service.history.notifications(range).map((n) => ({ ...n, at: n.at / 1000 }));
    return { notifications } satisfies AlertNotificationsResponse;
  });

  // ---- silences and acknowledgements

  app.get(
    ALERTING_PATHS.silences,
    read,
    async () => ({ silences: service.silences.list() }) satisfies AlertSilencesResponse
  );

  app.post(ALERTING_PATHS.silences, admin, async (req, reply) =>
    reply.code(201).send(service.silences.create(req.body))
  );

  app.delete<{ Params: { id: string } }>(ALERTING_PATHS.silence, admin, async (req, reply) => {
    if (!service.silences.expire(req.params.id)) return notFound(reply, `no silence "${req.params.id}"`);
    return reply.code(204).send();
  });

  app.get(ALERTING_PATHS.acks, read, async () => ({ acks: service.acks.list() }) satisfies AlertAcksResponse);

  app.post(ALERTING_PATHS.acks, admin, async (req, reply) =>
    reply.code(201).send(service.acks.create(req.body, (uid) => service.definitions.rule(uid) !== undefined))
  );

  app.delete<{ Params: { id: string } }>(ALERTING_PATHS.ack, admin, async (req, reply) => {
    if (!service.acks.delete(req.params.id)) return notFound(reply, `no acknowledgement "${req.params.id}"`);
    return reply.code(204).send();
  });

  // ---- notifiers

  const notifierInfo = (d: Defined<AlertNotifierSpec>): AlertNotifierInfo => {
    const { spec, secureFields } = maskSecrets(d.value);
    return { spec, provisioned: d.provisioned, secureFields };
  };

  app.get(
    ALERTING_PATHS.notifiers,
    read,
    async () =>
      ({
        notifiers: service.definitions.notifiers().map(notifierInfo),
      }) satisfies AlertNotifiersResponse
  );

  app.get<{ Params: { name: string } }>(ALERTING_PATHS.notifier, read, async (req, reply) => {
    const d = service.definitions.notifier(req.params.name);
    return d ? notifierInfo(d) : notFound(reply, `no notifier "${req.params.name}"`);
  });

  app.post(ALERTING_PATHS.notifiers, admin, async (req, reply) => {
    const name = (req.body as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && service.definitions.notifier(name)) {
      return reply.code(409).send({ error: `notifier "${name}" exists`, field: 'name' });
    }
    const spec = service.definitions.putNotifier(req.body);
    return reply.code(201).send(notifierInfo({ value: spec, provisioned: false }));
  });

  app.put<{ Params: { name: string } }>(ALERTING_PATHS.notifier, admin, async (req, reply) => {
    const body = withId(req.body, 'name', req.params.name);
    if (!body)
      return reply.code(400).send({ error: 'the name in the body differs from the one in the path', field: 'name' });
    return notifierInfo({ value: service.definitions.putNotifier(body), provisioned: false });
  });

  app.delete<{ Params: { name: string } }>(ALERTING_PATHS.notifier, admin, async (req, reply) => {
    service.definitions.deleteNotifier(req.params.name);
    return reply.code(204).send();
  });

  app.post<{ Params: { name: string } }>(ALERTING_PATHS.notifierTest, admin, async (req, reply) => {
    const result = await service.testNotifier(req.params.name);
    return result ?? notFound(reply, `no notifier "${req.params.name}"`);
  });
};

function notFound(reply: FastifyReply, error: string): FastifyReply {
  return reply.code(404).send({ error } satisfies ErrorResponse);
}

/** The body with its id field set from the path; undefined when the body names a different one. */
function withId(body: unknown, field: string, id: string): Record<string, unknown> | undefined {
  const obj =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (obj[field] !== undefined && obj[field] !== id) return undefined;
  return { ...obj, [field]: id };
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function many(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** `rule`, `key`, `from`, `until` (Unix seconds) and `limit` from the query string, or a 400 sent. */
function rangeQuery(q: Query, reply: FastifyReply) {
  const num = (name: string): number | undefined | null => {
    const v = one(q[name]);
    if (v === undefined) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  const from = num('from');
  const until = num('until');
  const limit = num('limit');
  for (const [name, v] of [
    ['from', from],
    ['until', until],
    ['limit', limit],
  ] as const) {
    if (v === null) {
      void reply.code(400).send({ error: `${name} must be a number`, field: name });
      return undefined;
    }
  }
  return {
    ruleUid: one(q.rule),
    key: one(q.key),
    from: from === undefined || from === null ? undefined : from * 1000,
    until: until === undefined || until === null ? undefined : until * 1000,
    limit: limit === undefined || limit === null ? undefined : Math.min(Math.max(1, Math.floor(limit)), 10_000),
  };
}

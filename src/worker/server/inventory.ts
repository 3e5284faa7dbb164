/**
 * The inventory API under /api/v1/inventory (shapes in src/shared/api.ts): CRUD of locations, servers, applications
 * and aliases by their keys, their relations (addresses, deployments, alias links), notes, renewals, history, search,
 * template variable values, annotations, the alias workflow, and import/export of the whole inventory as YAML.
 * Reading needs the 'read' scope, every change 'admin'.
 *
 * Who made a change is the API key (its id and name) and, when Grafana forwards it (`X-Grafana-User`), the person.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { InventoryListResponse } from '../../shared/api';
import type { KeyVerifier } from '../catalog/keys';
import { parseDuration } from '../config/durations';
import { annotations } from '../inventory/annotations';
import { InventoryError, badRequest } from '../inventory/errors';
import { COLLECTIONS, KINDS, formatRef, keyOf, kindNamed, type Actor, type Kind } from '../inventory/model';
import { toFileValue } from '../inventory/file';
import { search } from '../inventory/search';
import type { InventoryService } from '../inventory/service';
import { checkIp, checkHostname, isObject } from '../inventory/validation';
import { fieldValues } from '../inventory/values';
import type { AliasWorkflow } from '../inventory/workflow';
import { readInventoryValue, readInventoryYaml, writeInventoryYaml } from '../inventory/yaml';
import { requireScope } from './auth';

export interface InventoryRoutesOptions {
  service: InventoryService;
  workflow: AliasWorkflow;
  keys: KeyVerifier;
}

type Query = Record<string, string | string[] | undefined>;

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
const MAX_RESULTS = 1_000;

export const inventoryRoutes: FastifyPluginAsync<InventoryRoutesOptions> = async (app, opts) => {
  const { service, workflow } = opts;
  const read = { preHandler: requireScope(opts.keys, 'read') };
  const admin = { preHandler: requireScope(opts.keys, 'admin') };

  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof InventoryError) {
      const first = err.details.errors?.[0];
      return reply.code(err.status).send({
        error: err.message,
        ...err.details,
        ...(first?.line !== undefined ? { line: first.line, column: first.column } : {}),
      });
    }
    throw err;
  });

  const actor = (req: FastifyRequest): Actor => {
    const key = req.apiKey!;
    const user = req.headers['x-grafana-user'];
    return {
      keyId: key.id,
      name: service.store.keyName(key.id),
      ...(typeof user === 'string' && user !== '' ? { user } : {}),
    };
  };

  // ---- across the inventory (before the per-kind routes, whose paths are more general)

  app.get('/search', read, async (req) => {
    const q = req.query as Query;
    const limit = intParam(q, 'limit', 50, MAX_RESULTS);
    const text = one(q, 'q') ?? '';
    return { results: search(service.views(), service.store.notes(), service.store.renewals(), text, limit) };
  });

  app.get('/values', read, async (req) => {
    const q = req.query as Query;
    const kind = kindParam(q, 'entity', true)!;
    const field = one(q, 'field');
    if (!field) throw badRequest('field', 'is required: the field whose values to list, e.g. hostname');
    return { values: fieldValues(service.views(), kind, field, many(q, 'filter')) };
  });

  app.get('/annotations', read, async (req) => {
    const q = req.query as Query;
    const from = numberParam(q, 'from');
    const until = numberParam(q, 'until');
    if (from === undefined) throw badRequest('from', 'is required: Unix seconds');
    if (until === undefined || until < from) throw badRequest('until', 'is required: Unix seconds, not before from');
    const entities = many(q, 'entity');
    const tags = many(q, 'tags').flatMap((t) =>
      t
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    );
    return {
      annotations: annotations(service, {
        from,
        until,
        entities: entities.length > 0 ? entities : undefined,
        tags,
        limit: intParam(q, 'limit', MAX_RESULTS, MAX_RESULTS),
      }),
    };
  });

  app.get('/history', read, async (req) => historyOf(req.query as Query, one(req.query as Query, 'entity')));

  const historyOf = (q: Query, entity: string | undefined) => {
    const kind = one(q, 'kind');
    if (kind !== undefined && ![...KINDS, 'note', 'renewal'].includes(kind)) {
      throw badRequest('kind', `must be one of ${[...KINDS, 'note', 'renewal'].join(', ')}`);
    }
    return {
      items: service.changes({
        entity,
        kind,
        since: numberParam(q, 'since'),
        until: numberParam(q, 'until'),
        before: numberParam(q, 'before'),
        limit: intParam(q, 'limit', 100, MAX_RESULTS),
      }),
    };
  };

  app.get('/export', read, async (req, reply) => {
    const contents = service.contents();
    if (one(req.query as Query, 'format') === 'json') {
      return reply.send(toFileValue(contents));
    }
    return reply.type('application/yaml; charset=utf-8').send(writeInventoryYaml(contents));
  });

  app.post('/import', admin, async (req) => {
    const dryRun = boolParam(req.query as Query, 'dryRun');
    const contents = typeof req.body === 'string' ? readInventoryYaml(req.body) : readInventoryValue(req.body ?? {});
    return service.replaceAll(contents, actor(req), dryRun);
  });

  // ---- notes

  app.get('/notes', read, async (req) => {
    const q = req.query as Query;
    const pinned = one(q, 'pinned');
    return {
      items: service.listNotes({
        entity: one(q, 'entity'),
        from: secondsToMs(numberParam(q, 'from')),
        until: secondsToMs(numberParam(q, 'until')),
        pinned: pinned === undefined ? undefined : boolParam(q, 'pinned'),
      }),
    };
  });
  app.post('/notes', admin, async (req, reply) => reply.code(201).send(service.addNote(req.body, actor(req))));
  app.get('/notes/:id', read, async (req) => service.note(service.getNote(idParam(req))));
  app.patch('/notes/:id', admin, async (req) => service.updateNote(idParam(req), req.body, actor(req)));
  app.delete('/notes/:id', admin, async (req, reply) => {
    service.deleteNote(idParam(req), actor(req));
    return reply.code(204).send();
  });

  // ---- renewals

  app.get('/renewals', read, async (req) => {
    const q = req.query as Query;
    const within = one(q, 'endingWithin');
    let endingWithinMs: number | undefined;
    if (within !== undefined) {
      try {
        endingWithinMs = parseDuration(within);
      } catch (e) {
        throw badRequest('endingWithin', `${(e as Error).message} (e.g. 4w, 28d)`);
      }
    }
    return { items: service.listRenewals({ entity: one(q, 'entity'), endingWithinMs }) };
  });
  app.post('/renewals', admin, async (req, reply) => reply.code(201).send(service.addRenewal(req.body, actor(req))));
  app.get('/renewals/:id', read, async (req) => service.renewal(service.getRenewal(idParam(req))));
  app.patch('/renewals/:id', admin, async (req) => service.updateRenewal(idParam(req), req.body, actor(req)));
  app.delete('/renewals/:id', admin, async (req, reply) => {
    service.deleteRenewal(idParam(req), actor(req));
    return reply.code(204).send();
  });

  // ---- the alias workflow

  app.post('/aliases/request', admin, async (req, reply) =>
    reply.code(201).send(await workflow.request(req.body, actor(req)))
  );
  app.post('/aliases/:key/confirm', admin, async (req) => workflow.confirm(keyParam(req), actor(req)));
  app.post('/aliases/:key/change', admin, async (req) => workflow.change(keyParam(req), req.body, actor(req)));

  // ---- relations kept as lists on their entity

  app.post('/servers/:key/addresses', admin, async (req, reply) =>
    reply.code(201).send(service.addToList('server', keyParam(req), 'addresses', req.body, actor(req)))
  );
  app.delete('/servers/:key/addresses/:address', admin, async (req) => {
    const raw = (req.params as { address: string }).address;
    const address = checkIp(raw).value?.address ?? raw;
    return service.removeFromList(
      'server',
      keyParam(req),
      'addresses',
      (a) => (a as { address: string }).address === address,
      `address ${raw}`,
      actor(req)
    );
  });
  app.post('/applications/:key/servers', admin, async (req, reply) =>
    reply.code(201).send(service.addToList('application', keyParam(req), 'servers', req.body, actor(req)))
  );
  app.delete('/applications/:key/servers/:server', admin, async (req) => {
    const raw = (req.params as { server: string }).server;
    const server = checkHostname(raw).value ?? raw;
    const environment = one(req.query as Query, 'environment');
    return service.removeFromList(
      'application',
      keyParam(req),
      'servers',
      (d) => {
        const dep = d as { server: string; environment: string };
        return dep.server === server && (environment === undefined || dep.environment === environment);
      },
      `deployment on ${raw}${environment ? ` in ${environment}` : ''}`,
      actor(req)
    );
  });
  app.post('/applications/:key/aliases', admin, async (req, reply) => {
    const body = req.body;
    if (!isObject(body) || typeof body.alias !== 'string') {
      throw badRequest('alias', 'is required: the FQDN of the alias to link');
    }
    return reply.code(201).send(service.addToList('application', keyParam(req), 'aliases', body.alias, actor(req)));
  });
  app.delete('/applications/:key/aliases/:alias', admin, async (req) => {
    const fqdn = (req.params as { alias: string }).alias.toLowerCase().replace(/\.$/, '');
    return service.removeFromList(
      'application',
      keyParam(req),
      'aliases',
      (a) => a === fqdn,
      `alias ${fqdn}`,
      actor(req)
    );
  });

  // ---- entities by kind

  for (const kind of KINDS) {
    const base = `/${COLLECTIONS[kind]}`;
    app.get(base, read, async (req): Promise<InventoryListResponse<unknown>> => {
      const q = req.query as Query;
      return { items: service.list(kind, { q: one(q, 'q'), filter: many(q, 'filter') }) };
    });
    app.post(base, admin, async (req, reply) => reply.code(201).send(service.create(kind, req.body, actor(req))));
    app.get(`${base}/:key`, read, async (req) => service.detail(kind, keyParam(req)));
    app.patch(`${base}/:key`, admin, async (req) => service.update(kind, keyParam(req), req.body, actor(req)));
    app.delete(`${base}/:key`, admin, async (req, reply) => {
      service.remove(kind, keyParam(req), actor(req));
      return reply.code(204).send();
    });
    app.get(`${base}/:key/history`, read, async (req) => {
      const { doc } = service.get(kind, keyParam(req));
      return historyOf(req.query as Query, formatRef(kind, keyOf(kind, doc)));
    });
  }
};

function keyParam(req: FastifyRequest): string {
  return (req.params as { key: string }).key;
}

function idParam(req: FastifyRequest): number {
  const raw = (req.params as { id: string }).id;
  if (!/^\d+$/.test(raw)) throw new InventoryError(`no such id "${raw}"`, 404);
  return Number(raw);
}

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function many(q: Query, name: string): string[] {
  const v = q[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function numberParam(q: Query, name: string): number | undefined {
  const v = one(q, name);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw badRequest(name, `"${v}" is not a number`);
  return n;
}

function intParam(q: Query, name: string, dflt: number, max: number): number {
  const n = numberParam(q, name) ?? dflt;
  if (!Number.isInteger(n) || n < 1) throw badRequest(name, 'must be a whole number of at least 1');
  return Math.min(n, max);
}

function boolParam(q: Query, name: string): boolean {
  const v = one(q, name);
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1' || v === '') return true;
  throw badRequest(name, 'must be true or false');
}

function kindParam(q: Query, name: string, required: boolean): Kind | undefined {
  const v = one(q, name);
  if (v === undefined) {
    if (required) throw badRequest(name, `is required: one of ${Object.values(COLLECTIONS).join(', ')}`);
    return undefined;
  }
  const kind = kindNamed(v);
  if (!kind) throw badRequest(name, `"${v}" is not one of ${Object.values(COLLECTIONS).join(', ')}`);
  return kind;
}

function secondsToMs(s: number | undefined): number | undefined {
  return s === undefined ? undefined : s * 1000;
}

/**
 * API key checks for every route that needs one: `Authorization: Bearer <key>`, and the scope
 * the route declares. Grafana's Graphite data source sends the same header as a custom header.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorResponse } from '../../shared/api';
import type { KeyVerifier, Scope, VerifiedKey } from '../catalog/keys';
import { hasScope } from '../catalog/keys';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: VerifiedKey;
  }
}

export function deny(reply: FastifyReply, code: number, error: string): FastifyReply {
  return reply.code(code).send({ error } satisfies ErrorResponse);
}

/** A preHandler that checks the bearer key; with a scope, also that the key has it. */
export function requireScope(keys: KeyVerifier, scope: Scope | undefined) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      return deny(
        reply,
        401,
        'missing API key: send "Authorization: Bearer <key>" (create one with `mission-control keys create`)'
      );
    }
    const key = keys.verify(m[1]!);
    if (!key) return deny(reply, 401, 'unknown or revoked API key');
    if (scope && !hasScope(key.scopes, scope)) {
      return deny(reply, 403, `this key lacks the '${scope}' scope (it has: ${key.scopes.join(', ')})`);
    }
    req.apiKey = key;
    return undefined;
  };
}

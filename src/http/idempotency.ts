import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { invalid } from '../domain/errors.js';
import type { OpsDeps } from '../ops/shared/deps.js';
import { requestFingerprint, withIdempotency, type Idempotency } from '../ops/shared/idempotency.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key of a create, when the caller sent one. */
    idempotency: Idempotency | undefined;
  }
}

/** The header a create accepts, for its schema (and so the OpenAPI document). */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[\\x21-\\x7e]+$',
      description:
        'Any unique string (a UUID, say). Retrying with the same key and the same request within 24 hours answers ' +
        "with the first attempt's result (marked Idempotent-Replayed: true) instead of creating again; the same " +
        'key with a different request is refused (409 idempotency_key_reused).',
    }),
  ),
});

/** The operations' dependencies for this request: with its Idempotency-Key, when it has one. */
export function idempotent(deps: OpsDeps, request: FastifyRequest): OpsDeps {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return deps;
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key))
    throw invalid('Idempotency-Key', 'must be 1 to 200 visible ASCII characters');
  const idempotency: Idempotency = {
    actorId: request.user.id,
    key,
    fingerprint: requestFingerprint({
      method: request.method,
      route: request.routeOptions.url,
      params: request.params ?? null,
      query: request.query ?? null,
      body: request.body ?? null,
    }),
  };
  request.idempotency = idempotency;
  return withIdempotency(deps, idempotency);
}

/** Says when an answer is the stored one of an earlier attempt. */
export function registerIdempotency(app: FastifyInstance) {
  app.decorateRequest('idempotency', undefined);
  app.addHook('onSend', async (request, reply) => {
    if (request.idempotency?.replayed) reply.header('idempotent-replayed', 'true');
  });
}

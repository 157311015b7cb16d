import { Type, type Static, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { mintScimToken, revokeScimToken, scimTokens } from '../../ops/scim/scim-tokens.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { idempotent, IdempotencyHeaders } from '../idempotency.js';
import { errorResponses, Id, IdParams, Name, NullableTimestamp, Timestamp } from '../schemas/common.js';

// SCIM tokens: the identity provider's bearer tokens for /scim/v2, minted and revoked by admins.

export const ScimTokenSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    createdAt: Timestamp,
    createdBy: Type.String({ description: 'The admin who minted it' }),
    lastUsedAt: NullableTimestamp,
    revokedAt: NullableTimestamp,
  },
  { $id: 'ScimToken' },
);
const MintedScimToken = Type.Object({
  ...ScimTokenSchema.properties,
  token: Type.String({ description: 'The secret, shown once: paste it into the identity provider' }),
});

export function scimTokenRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['scim'];
  const Ref = Type.Unsafe<Static<typeof ScimTokenSchema>>({ $ref: 'ScimToken#' });

  app.post(
    '/scim-tokens',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary: 'Mint a SCIM token for the identity provider (admins); the secret is shown once',
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: { 201: MintedScimToken, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await mintScimToken(idempotent(deps, request), request.user, request.body)),
  );
  app.get(
    '/scim-tokens',
    {
      schema: {
        tags,
        summary: 'SCIM tokens, revoked ones included (admins)',
        response: { 200: Type.Object({ items: Type.Array(Ref) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await scimTokens(deps, request.user) }),
  );
  app.delete(
    '/scim-tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a SCIM token (admins): the identity provider can no longer provision',
        params: IdParams,
        response: { 200: Ref, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => revokeScimToken(deps, request.user, request.params.id),
  );
}

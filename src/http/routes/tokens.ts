import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listTokens } from '../../ops/identity/queries.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { mintToken } from '../../ops/identity/mint-token.js';
import { revokeToken } from '../../ops/identity/revoke-token.js';
import {
  errorResponses,
  Id,
  Name,
  NullableTimestamp,
  Timestamp,
  UserParams,
  UserRef,
} from '../schemas/common.js';
import { idempotent, IdempotencyHeaders } from '../idempotency.js';

const TokenInfo = Type.Object(
  {
    id: Id,
    name: Type.String(),
    createdAt: Timestamp,
    expiresAt: NullableTimestamp,
    revokedAt: NullableTimestamp,
    lastUsedAt: NullableTimestamp,
  },
  { $id: 'Token' },
);
const MintedToken = Type.Object({
  id: Id,
  name: Type.String(),
  token: Type.String(),
  createdAt: Timestamp,
  expiresAt: NullableTimestamp,
});

export function tokenRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['tokens'];

  app.post(
    '/users/:id/tokens',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary: 'Mint an API token (admins for anyone, users for themselves); the secret is shown once',
        params: UserParams,
        body: Type.Object(
          { name: Name, expiresAt: Type.Optional(Timestamp) },
          { additionalProperties: false },
        ),
        response: { 201: MintedToken, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await mintToken(idempotent(deps, request), request.user, request.params.id, request.body)),
  );

  app.get(
    '/users/:id/tokens',
    {
      schema: {
        tags,
        summary: "A user's tokens, without secrets",
        params: UserParams,
        response: { 200: Type.Object({ items: Type.Array(TokenInfo) }), ...errorResponses(401, 404) },
      },
    },
    async (request) => ({ items: await listTokens(deps, request.user, request.params.id) }),
  );

  app.delete(
    '/users/:id/tokens/:tokenId',
    {
      schema: {
        tags,
        summary: 'Revoke a token',
        params: Type.Object({ id: UserRef, tokenId: Id }),
        response: { 200: TokenInfo, ...errorResponses(401, 404) },
      },
    },
    async (request) => revokeToken(deps, request.user, request.params.id, request.params.tokenId),
  );
}

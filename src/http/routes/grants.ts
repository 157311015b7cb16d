import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { getGrant, listGrants } from '../../ops/grants/queries.js';
import { revokeGrant } from '../../ops/grants/revoke.js';
import { OPTIONAL_BODY } from '../validation.js';
import { GrantSchema, GrantSource, GrantStatus } from '../schemas/access-model.js';
import {
  decodeCursor,
  errorResponses,
  Id,
  IdParams,
  Page,
  pageOf,
  Pagination,
  Reason,
  UserRef,
} from '../schemas/common.js';

export function grantRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['grants'];

  app.get(
    '/grants',
    {
      schema: {
        tags,
        summary:
          'The grant ledger; admins and auditors see all, others their own and those on items they own',
        querystring: Type.Object({
          userId: Type.Optional(UserRef),
          groupId: Type.Optional(Id),
          resourceId: Type.Optional(Id),
          source: Type.Optional(GrantSource),
          status: Type.Optional(GrantStatus),
          ...Pagination,
        }),
        response: { 200: Page(GrantSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const rows = await listGrants(deps, request.user, {
        ...q,
        afterId: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (g) => g.id);
    },
  );

  app.get(
    '/grants/:id',
    {
      schema: {
        tags,
        summary: 'One grant',
        params: IdParams,
        response: { 200: GrantSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getGrant(deps, request.user, request.params.id),
  );

  app.delete(
    '/grants/:id',
    {
      schema: {
        tags,
        summary:
          'End a grant now (the holder, owners of the item, admins); other grants and paths are untouched',
        params: IdParams,
        body: Type.Object(
          { reason: Type.Optional(Reason) },
          { additionalProperties: false, [OPTIONAL_BODY]: true },
        ),
        response: { 200: GrantSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => revokeGrant(deps, request.user, request.params.id, request.body?.reason),
  );
}

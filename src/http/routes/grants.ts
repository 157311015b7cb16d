import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AccessIndex } from '../../access/access-index.js';
import { notFound } from '../../domain/errors.js';
import { canReadItemAccess } from '../../domain/policies.js';
import { canReadAll } from '../../domain/users.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { relationTo } from '../../ops/shared/ownership.js';
import { revokeGrant } from '../../ops/grants/revoke.js';
import { findGrantRow, listGrants, toGrant } from '../../store/grants.js';
import { findGroup } from '../../store/groups.js';
import { findResource } from '../../store/resources.js';
import { listScopeFor, type OwnedItems } from '../list-scope.js';
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
} from '../schemas/common.js';

export type { OwnedItems as GrantVisibility } from '../list-scope.js';

export function grantRoutes(
  fastify: FastifyInstance,
  deps: OpsDeps,
  index: AccessIndex,
  visibility: OwnedItems,
) {
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
          userId: Type.Optional(Id),
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
      const visibleTo = await listScopeFor(request.user, visibility);
      const rows = await listGrants(
        deps.db,
        { ...q, visibleTo, afterId: decodeCursor(q.cursor), limit: limit + 1 },
        deps.now(),
      );
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
    async (request) => {
      const now = deps.now();
      const row = await findGrantRow(deps.db, request.params.id);
      if (!row) throw notFound('grant', request.params.id);
      if (!canReadAll(request.user) && row.user_id !== request.user.id) {
        const item = row.group_id
          ? await findGroup(deps.db, row.group_id)
          : await findResource(deps.db, row.resource_id!);
        if (!item || !canReadItemAccess(request.user, relationTo(index, request.user, item, now)))
          throw notFound('grant', request.params.id);
      }
      return toGrant(row, now);
    },
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

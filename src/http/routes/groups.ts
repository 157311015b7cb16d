import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { createGroup } from '../../ops/items/create-group.js';
import { deleteGroup } from '../../ops/items/delete-group.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { updateGroup } from '../../ops/items/update-group.js';
import { getGroup, groupView, listGroups } from '../../ops/items/queries.js';
import { GroupSchema, ItemFields, OwnerUserIds, RemoteLinkInput } from '../schemas/access-model.js';
import {
  decodeCursor,
  Description,
  errorResponses,
  Id,
  IdParams,
  Name,
  Page,
  pageOf,
  Pagination,
} from '../schemas/common.js';
import { idempotent, IdempotencyHeaders } from '../idempotency.js';

// Group metadata is visible to every signed-in user: the catalog is built from it.
export function groupRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['groups'];

  app.post(
    '/groups',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary: 'Create a group (admins)',
        body: Type.Object(ItemFields, { additionalProperties: false }),
        response: { 201: GroupSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          groupView(
            deps,
            request.user,
            await createGroup(idempotent(deps, request), request.user, request.body),
          ),
        ),
  );

  app.get(
    '/groups',
    {
      schema: {
        tags,
        summary: 'List groups',
        querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 200 })), ...Pagination }),
        response: { 200: Page(GroupSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await listGroups(deps, request.user, {
        query: request.query.query,
        afterId: decodeCursor(request.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (g) => g.id);
    },
  );

  app.get(
    '/groups/:id',
    {
      schema: {
        tags,
        summary: 'One group',
        params: IdParams,
        response: { 200: GroupSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getGroup(deps, request.user, request.params.id),
  );

  app.patch(
    '/groups/:id',
    {
      schema: {
        tags,
        summary: 'Change a group (admins and owners)',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            description: Type.Optional(Description),
            ownerUserIds: Type.Optional(OwnerUserIds),
            ownerGroupId: Type.Optional(Type.Union([Id, Type.Null()])),
            remote: Type.Optional(RemoteLinkInput),
          },
          { additionalProperties: false },
        ),
        response: { 200: GroupSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      groupView(deps, request.user, await updateGroup(deps, request.user, request.params.id, request.body)),
  );

  app.delete(
    '/groups/:id',
    {
      schema: {
        tags,
        summary: 'Delete a group, ending every grant on it and removing its edges (admins)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteGroup(deps, request.user, request.params.id);
      return reply.code(204).send(null);
    },
  );
}

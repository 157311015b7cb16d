import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { createResource } from '../../ops/items/create-resource.js';
import { deleteResource } from '../../ops/items/delete-resource.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { updateResource } from '../../ops/items/update-resource.js';
import { getResource, listResources, resourceView } from '../../ops/items/queries.js';
import {
  AccessLevel,
  ItemFields,
  OwnerUserIds,
  RemoteLinkInput,
  ResourceSchema,
} from '../schemas/access-model.js';
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

const ResourceType = Type.String({ minLength: 1, maxLength: 100 });
const AccessLevels = Type.Array(AccessLevel, { minItems: 1, maxItems: 50 });

export function resourceRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['resources'];

  app.post(
    '/resources',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary: 'Create a resource (admins)',
        body: Type.Object(
          { ...ItemFields, type: ResourceType, accessLevels: Type.Optional(AccessLevels) },
          { additionalProperties: false },
        ),
        response: { 201: ResourceSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          resourceView(
            deps,
            request.user,
            await createResource(idempotent(deps, request), request.user, request.body),
          ),
        ),
  );

  app.get(
    '/resources',
    {
      schema: {
        tags,
        summary: 'List resources',
        querystring: Type.Object({ query: Type.Optional(Type.String({ maxLength: 200 })), ...Pagination }),
        response: { 200: Page(ResourceSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await listResources(deps, request.user, {
        query: request.query.query,
        afterId: decodeCursor(request.query.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (r) => r.id);
    },
  );

  app.get(
    '/resources/:id',
    {
      schema: {
        tags,
        summary: 'One resource',
        params: IdParams,
        response: { 200: ResourceSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getResource(deps, request.user, request.params.id),
  );

  app.patch(
    '/resources/:id',
    {
      schema: {
        tags,
        summary: 'Change a resource (admins and owners)',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            type: Type.Optional(ResourceType),
            description: Type.Optional(Description),
            accessLevels: Type.Optional(AccessLevels),
            ownerUserIds: Type.Optional(OwnerUserIds),
            ownerGroupId: Type.Optional(Type.Union([Id, Type.Null()])),
            remote: Type.Optional(RemoteLinkInput),
          },
          { additionalProperties: false },
        ),
        response: { 200: ResourceSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      resourceView(
        deps,
        request.user,
        await updateResource(deps, request.user, request.params.id, request.body),
      ),
  );

  app.delete(
    '/resources/:id',
    {
      schema: {
        tags,
        summary: 'Delete a resource, ending every grant on it (admins)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteResource(deps, request.user, request.params.id);
      return reply.code(204).send(null);
    },
  );
}

import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AccessIndex, MemberItem } from '../../access/access-index.js';
import { forbidden, notFound } from '../../domain/errors.js';
import { canReadItemAccess } from '../../domain/policies.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { grantAccess } from '../../ops/grants/grant.js';
import { relationTo } from '../../ops/shared/ownership.js';
import { findGroup } from '../../store/groups.js';
import { findResource } from '../../store/resources.js';
import { iso, pathJson } from '../access-json.js';
import { AccessLevel, GrantSchema, GrantWindowFields, PathSchema } from '../schemas/access-model.js';
import { decodeCursor, errorResponses, Id, IdParams, Pagination } from '../schemas/common.js';

const MemberSchema = Type.Object({
  userId: Id,
  accessLevel: Type.Optional(Type.String()),
  direct: Type.Boolean(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  via: Type.Array(PathSchema),
});
const MembersPage = Type.Object({
  items: Type.Array(MemberSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
const MembersQuery = Type.Object({ accessLevel: Type.Optional(AccessLevel), ...Pagination });

const memberJson = (m: MemberItem, accessLevel?: string) => ({
  userId: m.userId,
  ...(accessLevel ? { accessLevel } : {}),
  direct: m.direct,
  expiresAt: iso(m.expiresAt),
  via: m.via.map(pathJson),
});

/** Members are computed in memory; pages are cut from the sorted list by user id (and level). */
function page<T extends { userId: string; accessLevel?: string }>(
  items: T[],
  limit: number,
  cursor: string | undefined,
) {
  const key = (m: T) => `${m.userId}\u0000${m.accessLevel ?? ''}`;
  items.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const start = cursor ? items.findIndex((m) => key(m) > cursor) : 0;
  const slice = start < 0 ? [] : items.slice(start, start + limit);
  const more = start >= 0 && start + limit < items.length;
  return {
    items: slice,
    nextCursor: more ? Buffer.from(key(slice[slice.length - 1]!)).toString('base64url') : null,
  };
}

export function memberRoutes(fastify: FastifyInstance, deps: OpsDeps, index: AccessIndex) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['members'];

  app.post(
    '/groups/:id/members',
    {
      schema: {
        tags,
        summary: 'Grant a user access to a group (owners and admins)',
        params: IdParams,
        body: Type.Object({ userId: Id, ...GrantWindowFields }, { additionalProperties: false }),
        response: { 201: GrantSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await grantAccess(deps, request.user, { groupId: request.params.id }, request.body)),
  );

  app.post(
    '/resources/:id/members',
    {
      schema: {
        tags,
        summary: 'Grant a user access to a resource at an access level (owners and admins)',
        params: IdParams,
        body: Type.Object(
          { userId: Id, accessLevel: AccessLevel, ...GrantWindowFields },
          { additionalProperties: false },
        ),
        response: { 201: GrantSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await grantAccess(deps, request.user, { resourceId: request.params.id }, request.body)),
  );

  app.get(
    '/groups/:id/members',
    {
      schema: {
        tags,
        summary: 'Everyone with access to the group now, directly or through nesting, with their paths',
        params: IdParams,
        querystring: MembersQuery,
        response: { 200: MembersPage, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const now = deps.now();
      const group = await findGroup(deps.db, request.params.id);
      if (!group) throw notFound('group', request.params.id);
      if (!canReadItemAccess(request.user, relationTo(index, request.user, group, now)))
        throw forbidden("only admins, auditors and the group's owners can list its members");
      const items = index.members({ groupId: group.id }, now.getTime()).map((m) => memberJson(m));
      return page(items, request.query.limit ?? 50, decodeCursor(request.query.cursor));
    },
  );

  app.get(
    '/resources/:id/members',
    {
      schema: {
        tags,
        summary: 'Everyone with access to the resource now, per access level, with their paths',
        params: IdParams,
        querystring: MembersQuery,
        response: { 200: MembersPage, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const now = deps.now();
      const resource = await findResource(deps.db, request.params.id);
      if (!resource) throw notFound('resource', request.params.id);
      if (!canReadItemAccess(request.user, relationTo(index, request.user, resource, now)))
        throw forbidden("only admins, auditors and the resource's owners can list its members");
      const levels = request.query.accessLevel ? [request.query.accessLevel] : resource.accessLevels;
      const items = levels.flatMap((accessLevel) =>
        index
          .members({ resourceId: resource.id, accessLevel }, now.getTime())
          .map((m) => memberJson(m, accessLevel)),
      );
      return page(items, request.query.limit ?? 50, decodeCursor(request.query.cursor));
    },
  );
}

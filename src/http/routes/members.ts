import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { MemberItem } from '../../access/access-index.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { groupMembers, resourceMembers } from '../../ops/grants/effective-access.js';
import { grantAccess } from '../../ops/grants/grant.js';
import { iso, pathJson } from '../access-json.js';
import {
  AccessLevel,
  GrantSchema,
  GrantWindowFields,
  PathSchema,
  PropagationSchema,
} from '../schemas/access-model.js';
import { propagationFor } from '../../ops/connections/queries.js';
import type { Actor } from '../../domain/users.js';
import { decodeCursor, errorResponses, ID_CURSOR, IdParams, Pagination, UserRef } from '../schemas/common.js';
import { idempotent, IdempotencyHeaders } from '../idempotency.js';

const MemberSchema = Type.Object({
  userId: UserRef,
  accessLevel: Type.Optional(Type.String()),
  direct: Type.Boolean(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  via: Type.Array(PathSchema),
  propagation: PropagationSchema,
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

/** A members cursor: the last user id, NUL, and its access level (empty for a group). */
const MEMBER_CURSOR = new RegExp(`${ID_CURSOR.source.slice(0, -1)}\\u0000[^\\u0000]{0,64}$`, 'u');

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

/** A page of members, each with where their access stands in the item's connected system. */
async function withPropagation<T extends { userId: string; accessLevel?: string }>(
  deps: OpsDeps,
  actor: Actor,
  itemId: string,
  p: { items: T[]; nextCursor: string | null },
) {
  const answers = await propagationFor(
    deps,
    actor,
    p.items.map((m) => ({ itemId, userId: m.userId, accessLevel: m.accessLevel, allowed: true })),
  );
  return { ...p, items: p.items.map((m, i) => ({ ...m, propagation: answers[i]! })) };
}

export function memberRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['members'];

  app.post(
    '/groups/:id/members',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary: 'Grant a user access to a group (owners and admins)',
        params: IdParams,
        body: Type.Object({ userId: UserRef, ...GrantWindowFields }, { additionalProperties: false }),
        response: { 201: GrantSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await grantAccess(
            idempotent(deps, request),
            request.user,
            { groupId: request.params.id },
            request.body,
          ),
        ),
  );

  app.post(
    '/resources/:id/members',
    {
      schema: {
        headers: IdempotencyHeaders,
        tags,
        summary: 'Grant a user access to a resource at an access level (owners and admins)',
        params: IdParams,
        body: Type.Object(
          { userId: UserRef, accessLevel: AccessLevel, ...GrantWindowFields },
          { additionalProperties: false },
        ),
        response: { 201: GrantSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await grantAccess(
            idempotent(deps, request),
            request.user,
            { resourceId: request.params.id },
            request.body,
          ),
        ),
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
      const members = await groupMembers(deps, request.user, request.params.id);
      const items = members.map((m) => memberJson(m));
      const p = page(items, request.query.limit ?? 50, decodeCursor(request.query.cursor, MEMBER_CURSOR));
      return withPropagation(deps, request.user, request.params.id, p);
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
      const levels = await resourceMembers(deps, request.user, request.params.id, request.query.accessLevel);
      const items = levels.flatMap((l) => l.members.map((m) => memberJson(m, l.accessLevel)));
      const p = page(items, request.query.limit ?? 50, decodeCursor(request.query.cursor, MEMBER_CURSOR));
      return withPropagation(deps, request.user, request.params.id, p);
    },
  );
}

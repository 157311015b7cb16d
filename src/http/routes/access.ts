import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AccessIndex } from '../../access/access-index.js';
import type { Target } from '../../domain/access-facts.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { canCheckAccess } from '../../domain/policies.js';
import { canReadAll, type User } from '../../domain/users.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { relationTo } from '../../ops/shared/ownership.js';
import { findGroup } from '../../store/groups.js';
import { findResource } from '../../store/resources.js';
import { checkJson, iso, pathJson } from '../access-json.js';
import { AccessLevel, CheckResultSchema, PathSchema } from '../schemas/access-model.js';
import { errorResponses, Id, IdParams } from '../schemas/common.js';

const CheckQuery = Type.Object({
  userId: Id,
  groupId: Type.Optional(Id),
  resourceId: Type.Optional(Id),
  accessLevel: Type.Optional(AccessLevel),
});
const MAX_BATCH = 1000;

function targetOf(
  q: { groupId?: string | undefined; resourceId?: string | undefined; accessLevel?: string | undefined },
  field: string,
): Target {
  if (q.groupId && !q.resourceId && !q.accessLevel) return { groupId: q.groupId };
  if (!q.groupId && q.resourceId && q.accessLevel)
    return { resourceId: q.resourceId, accessLevel: q.accessLevel };
  throw invalid(field, 'give either groupId, or resourceId with accessLevel');
}

export function accessRoutes(fastify: FastifyInstance, deps: OpsDeps, index: AccessIndex) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['access'];

  /** The hot path stays in memory: admins, auditors and users asking about themselves need no query. */
  async function authorize(user: User, userId: string, target: Target) {
    if (canReadAll(user) || user.id === userId) return;
    const item =
      'groupId' in target
        ? await findGroup(deps.db, target.groupId)
        : await findResource(deps.db, target.resourceId);
    if (!item || !canCheckAccess(user, userId, relationTo(index, user, item, deps.now()))) {
      throw new AppError(
        'forbidden',
        "only admins, auditors, the item's owners and the user themself can ask about this access",
      );
    }
  }

  app.get(
    '/access/check',
    {
      schema: {
        tags,
        summary: 'Does the user have access now, until when, and through which paths',
        querystring: CheckQuery,
        response: { 200: CheckResultSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const target = targetOf(request.query, 'query');
      await authorize(request.user, request.query.userId, target);
      return checkJson(index.check(request.query.userId, target, Date.now()));
    },
  );

  app.post(
    '/access/check',
    {
      schema: {
        tags,
        summary: `Many checks at once (up to ${MAX_BATCH}), answered in order`,
        body: Type.Object(
          {
            checks: Type.Array(
              Type.Object(
                {
                  userId: Id,
                  groupId: Type.Optional(Id),
                  resourceId: Type.Optional(Id),
                  accessLevel: Type.Optional(AccessLevel),
                },
                { additionalProperties: false },
              ),
              { maxItems: MAX_BATCH },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ results: Type.Array(CheckResultSchema) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const checks = request.body.checks.map((c, i) => ({
        userId: c.userId,
        target: targetOf(c, `checks.${i}`),
      }));
      for (const c of checks) await authorize(request.user, c.userId, c.target);
      const now = Date.now();
      return { results: checks.map((c) => checkJson(index.check(c.userId, c.target, now))) };
    },
  );

  app.get(
    '/users/:id/access',
    {
      schema: {
        tags,
        summary: 'Everything the user can access now, with expiry and paths',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                groupId: Type.Optional(Id),
                resourceId: Type.Optional(Id),
                accessLevel: Type.Union([Type.String(), Type.Null()]),
                expiresAt: Type.Union([Type.String(), Type.Null()]),
                via: Type.Array(PathSchema),
              }),
            ),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!canReadAll(request.user) && request.user.id !== id) throw notFound('user', id);
      const items = index.userAccess(id, Date.now()).map((a) => ({
        ...('groupId' in a.target
          ? { groupId: a.target.groupId, accessLevel: null }
          : { resourceId: a.target.resourceId, accessLevel: a.target.accessLevel }),
        expiresAt: iso(a.expiresAt),
        via: a.via.map(pathJson),
      }));
      return { items };
    },
  );
}

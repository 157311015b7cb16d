import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Target } from '../../domain/access-facts.js';
import { invalid } from '../../domain/errors.js';
import { checkAccess, checkAccessBatch, userAccess } from '../../ops/grants/effective-access.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { propagationFor } from '../../ops/connections/queries.js';
import { batchAnswerJson, checkJson, iso, pathJson } from '../access-json.js';
import { AccessLevel, CheckResultSchema, PathSchema } from '../schemas/access-model.js';
import { errorResponses, Id, UserParams, UserRef } from '../schemas/common.js';

const CheckQuery = Type.Object({
  userId: UserRef,
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

const propagationTarget = (t: Target) =>
  'groupId' in t ? { itemId: t.groupId } : { itemId: t.resourceId, accessLevel: t.accessLevel };

export function accessRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['access'];

  app.get(
    '/access/check',
    {
      schema: {
        tags,
        summary: 'Does the user have access now, until when, and through which paths',
        querystring: CheckQuery,
        response: { 200: CheckResultSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const target = targetOf(request.query, 'query');
      const answer = await checkAccess(deps, request.user, { userId: request.query.userId, target });
      const [propagation] = await propagationFor(deps, request.user, [
        { ...propagationTarget(target), userId: request.query.userId, allowed: answer.allowed },
      ]);
      return { ...checkJson(answer), propagation: propagation! };
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
                  userId: UserRef,
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
          ...errorResponses(400, 401, 403, 503),
        },
      },
    },
    async (request) => {
      const checks = request.body.checks.map((c, i) => ({
        userId: c.userId,
        target: targetOf(c, `checks.${i}`),
      }));
      const answers = await checkAccessBatch(deps, request.user, checks);
      const propagation = await propagationFor(
        deps,
        request.user,
        checks.map((c, i) => {
          const a = answers[i]!;
          return { ...propagationTarget(c.target), userId: c.userId, allowed: !('error' in a) && a.allowed };
        }),
      );
      return { results: answers.map((a, i) => ({ ...batchAnswerJson(a), propagation: propagation[i]! })) };
    },
  );

  app.get(
    '/users/:id/access',
    {
      schema: {
        tags,
        summary: 'Everything the user can access now, with expiry and paths',
        params: UserParams,
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
      const items = userAccess(deps, request.user, request.params.id).map((a) => ({
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

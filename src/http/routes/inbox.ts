import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { markInboxRead } from '../../ops/inbox/mark-read.js';
import { readInbox } from '../../ops/inbox/read-inbox.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { errorResponses, Id, NullableTimestamp, Timestamp } from '../schemas/common.js';
import { OPTIONAL_BODY } from '../validation.js';

const NullableText = Type.Union([Type.String(), Type.Null()]);

const InboxItemSchema = Type.Object({
  kind: Type.Union(
    [Type.Literal('break_glass.review'), Type.Literal('request.decide'), Type.Literal('access.expiring')],
    {
      description:
        'break_glass.review: an activation you may review; request.decide: a request whose current stage you ' +
        'may decide; access.expiring: your access to an item ends within a day',
    },
  ),
  id: Type.String({
    description: 'The activation or request id; for access, the group id or resource id:level',
  }),
  at: Timestamp,
  due: NullableTimestamp,
  overdue: Type.Boolean(),
  userId: Id,
  items: Type.Array(
    Type.Object({
      groupId: Type.Union([Id, Type.Null()]),
      resourceId: Type.Union([Id, Type.Null()]),
      accessLevel: NullableText,
    }),
  ),
  reason: NullableText,
  unread: Type.Boolean(),
});

export function inboxRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['inbox'];

  app.get(
    '/inbox',
    {
      schema: {
        tags,
        summary: 'What waits for you: reviews, decisions and access about to end, with the unread count',
        response: {
          200: Type.Object({
            items: Type.Array(InboxItemSchema),
            unreadCount: Type.Integer(),
            seenThrough: NullableTimestamp,
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const inbox = await readInbox(deps, request.user);
      return {
        items: inbox.items.map((i) => ({
          ...i,
          at: i.at.toISOString(),
          due: i.due?.toISOString() ?? null,
        })),
        unreadCount: inbox.unreadCount,
        seenThrough: inbox.seenThrough?.toISOString() ?? null,
      };
    },
  );

  app.post(
    '/inbox/read',
    {
      schema: {
        tags,
        summary: 'Mark everything in your inbox up to a moment (default now) as read',
        body: Type.Object(
          { through: Type.Optional(Timestamp) },
          { additionalProperties: false, [OPTIONAL_BODY]: true },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const through = request.body?.through;
      await markInboxRead(deps, request.user, through ? new Date(through) : undefined);
      return reply.code(204).send(null);
    },
  );
}

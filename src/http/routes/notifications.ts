import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listNotices } from '../../ops/notifications/queries.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import {
  decodeCursor,
  errorResponses,
  Id,
  NullableTimestamp,
  Page,
  pageOf,
  Pagination,
  Timestamp,
} from '../schemas/common.js';

const OutboxStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sent'),
  Type.Literal('failed'),
  Type.Literal('skipped'),
]);

const NotificationSchema = Type.Object(
  {
    id: Id,
    kind: Type.String(),
    recipientUserId: Type.Union([Id, Type.Null()]),
    channelId: Type.Union([Id, Type.Null()]),
    payload: Type.Record(Type.String(), Type.Unknown()),
    status: OutboxStatus,
    attempts: Type.Integer(),
    nextAttemptAt: Timestamp,
    lastError: Type.Union([Type.String(), Type.Null()]),
    sentAt: NullableTimestamp,
    createdAt: Timestamp,
  },
  { $id: 'Notification' },
);

// The notification outbox as written by the changes that announce something (admins only).
export function notificationRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary:
          'Notifications, oldest first, with their delivery state; status=failed is the dead-letter list (admins)',
        querystring: Type.Object({
          status: Type.Optional(OutboxStatus),
          kind: Type.Optional(Type.String({ maxLength: 100 })),
          recipientUserId: Type.Optional(Id),
          channelId: Type.Optional(Id),
          ...Pagination,
        }),
        response: { 200: Page(NotificationSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const rows = await listNotices(deps, request.user, {
        ...q,
        afterId: decodeCursor(q.cursor),
        limit: limit + 1,
      });
      return pageOf(rows, limit, (n) => n.id);
    },
  );
}

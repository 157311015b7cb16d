import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { listEvents, verifyAuditTrail } from '../../ops/audit/queries.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import {
  decodeSeqCursor,
  errorResponses,
  Id,
  Page,
  pageOf,
  Pagination,
  Timestamp,
} from '../schemas/common.js';

const EventSchema = Type.Object(
  {
    id: Id,
    seq: Type.Integer(),
    type: Type.String(),
    actorId: Type.Union([Type.String(), Type.Null()]),
    subjects: Type.Array(Type.Object({ type: Type.String(), id: Type.String() })),
    data: Type.Unknown(),
    createdAt: Timestamp,
    hash: Type.String(),
    prevHash: Type.String(),
  },
  { $id: 'Event' },
);

export function eventRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['audit'];

  app.get(
    '/events',
    {
      schema: {
        tags,
        summary:
          'Audit events, oldest first (or newest first with order=desc); admins and auditors see all, others what concerns them',
        querystring: Type.Object({
          type: Type.Optional(Type.String({ maxLength: 100 })),
          actorId: Type.Optional(Id),
          subjectId: Type.Optional(Id),
          since: Type.Optional(Timestamp),
          until: Type.Optional(Timestamp),
          order: Type.Optional(
            Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
              description:
                'asc: oldest first (default); desc: newest first. Cursors follow the order asked for.',
            }),
          ),
          ...Pagination,
        }),
        response: { 200: Page(EventSchema), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const afterSeq = decodeSeqCursor(q.cursor);
      const rows = await listEvents(deps, request.user, {
        type: q.type,
        actorId: q.actorId,
        subjectId: q.subjectId,
        since: q.since ? new Date(q.since) : undefined,
        until: q.until ? new Date(q.until) : undefined,
        afterSeq,
        order: q.order,
        limit: limit + 1,
      });
      return pageOf(rows, limit, (e) => e.seq);
    },
  );

  app.get(
    '/events/verify',
    {
      schema: {
        tags,
        summary:
          'Verify the audit chain: every event MAC, link and seq, the seal, the signed checkpoints and the head (admins and auditors)',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer(),
            firstBadSeq: Type.Union([Type.Integer(), Type.Null()]),
            reason: Type.Optional(Type.String()),
            checkpoints: Type.Object({ stored: Type.Integer(), external: Type.Integer() }),
            keyedFromSeq: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => verifyAuditTrail(deps, request.user),
  );
}

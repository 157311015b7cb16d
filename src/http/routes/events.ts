import { Type, type Static, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { CSV_HEADER, csvLine, eventCsvLine, eventJsonLine } from '../../domain/audit-export.js';
import { exportEvents } from '../../ops/audit/export.js';
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
  UserRef,
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

/** What the log is filtered by, in the listing and in exports alike. */
const EventFilterFields = {
  type: Type.Optional(Type.String({ maxLength: 100 })),
  actorId: Type.Optional(Id),
  subjectId: Type.Optional(Id),
  userId: Type.Optional({
    ...UserRef,
    description: 'Events this person did or that are about them (actor or subject); an id or an e-mail',
  }),
  since: Type.Optional(Timestamp),
  until: Type.Optional(Timestamp),
};

const ExportQuery = Type.Object({
  ...EventFilterFields,
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('jsonl')])),
});

const filterOf = (q: {
  type?: string | undefined;
  actorId?: string | undefined;
  subjectId?: string | undefined;
  userId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}) => ({
  type: q.type,
  actorId: q.actorId,
  subjectId: q.subjectId,
  personId: q.userId,
  since: q.since ? new Date(q.since) : undefined,
  until: q.until ? new Date(q.until) : undefined,
});

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
          ...EventFilterFields,
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
        ...filterOf(q),
        afterSeq,
        order: q.order,
        limit: limit + 1,
      });
      return pageOf(rows, limit, (e) => e.seq);
    },
  );

  // Registered untyped: its answer is a stream, not the JSON its response schema would type.
  fastify.get(
    '/events/export',
    {
      schema: {
        tags,
        summary: 'The events the listing would show for this filter, all of them, oldest first, as a file',
        description:
          'CSV (format=csv, the default) or JSON lines (format=jsonl), with the names of actors and subjects beside ' +
          'their ids. CSV cells a spreadsheet would run as a formula are prefixed with a quote.',
        querystring: ExportQuery,
        response: {
          200: {
            description: 'The file',
            content: {
              'text/csv': { schema: { type: 'string', format: 'binary' } },
              'application/x-ndjson': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const query = request.query as Static<typeof ExportQuery>;
      const format = query.format ?? 'csv';
      const events = exportEvents(deps, request.user, filterOf(query));
      const stamp = deps.now().toISOString().slice(0, 19).replace(/:/g, '-');
      async function* lines() {
        if (format === 'csv') yield csvLine(CSV_HEADER);
        for await (const e of events) yield format === 'csv' ? eventCsvLine(e) : eventJsonLine(e);
      }
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="latch-audit-${stamp}.${format}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(lines()));
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

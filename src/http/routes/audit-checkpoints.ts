import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { listAuditCheckpoints } from '../../ops/audit/list-audit-checkpoints.js';
import { decodeSeqCursor, errorResponses, Page, pageOf, Pagination, Timestamp } from '../schemas/common.js';

const Hex = Type.String({ maxLength: 200 });

const CheckpointSchema = Type.Object(
  {
    seq: Type.Integer({ minimum: 0 }),
    hash: Hex,
    createdAt: Timestamp,
    mac: Type.String({
      maxLength: 200,
      description: 'HMAC-SHA-256 under the audit key over seq, hash, createdAt',
    }),
  },
  { $id: 'AuditCheckpoint' },
);

export function auditCheckpointRoutes(fastify: FastifyInstance, deps: OpsDeps) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/events/checkpoints',
    {
      schema: {
        tags: ['audit'],
        summary:
          'Signed checkpoints of the audit chain, newest first (admins and auditors); the audit stream sends each one too',
        querystring: Type.Object({ ...Pagination }),
        response: { 200: Page(CheckpointSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const beforeSeq = decodeSeqCursor(request.query.cursor);
      const rows = await listAuditCheckpoints(deps, request.user, { beforeSeq, limit: limit + 1 });
      return pageOf(rows, limit, (c) => c.seq);
    },
  );
}

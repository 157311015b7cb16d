import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createBackup } from '../../ops/backup/create-backup.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { errorResponses } from '../schemas/common.js';

// A backup of the embedded store, streamed as a tar archive (admins). `latch backup FILE` calls it.
export function backupRoutes(app: FastifyInstance, deps: OpsDeps) {
  app.get(
    '/backup',
    {
      schema: {
        tags: ['operations'],
        summary: 'A consistent backup of the embedded store, as a tar archive (admins)',
        description:
          'Holds every change acknowledged before the request began. Key files are not in it: keep them, ' +
          'or LATCH_AUDIT_KEY / LATCH_SECRET_KEY, with your backups, separately. Writes backup.created. ' +
          'On PostgreSQL: 409 backup_not_supported; use pg_dump.',
        response: {
          200: {
            description: 'The archive: latch-backup.json (the manifest) and pgdata.tar.gz',
            content: { 'application/x-tar': { schema: { type: 'string', format: 'binary' } } },
          },
          ...errorResponses(401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const backup = await createBackup(deps, request.user);
      const stamp = backup.manifest.createdAt.replace(/[:.]/g, '-');
      return reply
        .type('application/x-tar')
        .header('content-length', backup.bytes)
        .header('content-disposition', `attachment; filename="latch-backup-${stamp}.tar"`)
        .send(Readable.from(backup.chunks));
    },
  );
}

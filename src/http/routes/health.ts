import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { isMigrated } from '../../store/migrate.js';
import type { Database } from '../../store/schema.js';

export function healthRoutes(app: FastifyInstance, db: Kysely<Database>) {
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db);
      if (!(await isMigrated(db))) return reply.code(503).send({ status: 'migrations pending' });
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database unreachable' });
    }
  });
}

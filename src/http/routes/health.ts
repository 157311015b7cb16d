import type { FastifyInstance } from 'fastify';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { readiness } from '../../ops/shared/readiness.js';

export function healthRoutes(app: FastifyInstance, deps: OpsDeps) {
  app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const r = await readiness(deps);
    return r.ready ? { status: 'ready' } : reply.code(503).send({ status: r.reason });
  });
}

import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { OpsDeps } from '../ops/deps.js';
import { registerAuth, TokenCache } from './plugins/auth.js';
import { registerErrorHandling } from './plugins/errors.js';
import { eventRoutes, type EventVisibility } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { tokenRoutes } from './routes/tokens.js';
import { userRoutes, UserSchema } from './routes/users.js';
import { ProblemSchema } from './schemas/common.js';
import { validatorCompiler } from './validation.js';

export interface HttpDeps {
  ops: OpsDeps;
  tokenCache: TokenCache;
  visibility: EventVisibility;
  logger?: FastifyServerOptions['logger'];
  version: string;
}

/** Request bodies are small JSON documents; anything bigger is refused before it is parsed. */
export const BODY_LIMIT_BYTES = 256 * 1024;

export async function buildApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  registerErrorHandling(app);
  app.addSchema(ProblemSchema);
  app.addSchema(UserSchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Latch API',
        version: deps.version,
        description: 'Just-in-time and break-glass access management',
      },
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  healthRoutes(app, deps.ops.db);
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(
    async (api) => {
      registerAuth(api, deps.ops, deps.tokenCache);
      userRoutes(api, deps.ops);
      tokenRoutes(api, deps.ops);
      eventRoutes(api, deps.ops, deps.visibility);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

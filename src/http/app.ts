import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { OpsDeps } from '../ops/shared/deps.js';
import { registerIdempotency } from './idempotency.js';
import { registerUserRefs } from './user-refs.js';
import { registerAuth, TokenCache } from './plugins/auth.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerRefusalAudit } from './plugins/refusal-audit.js';
import { registerInputGuard } from './plugins/input-guard.js';
import { transportErrorOptions } from './plugins/transport-errors.js';
import { withRequestRedaction } from './plugins/request-log.js';
import { accessRoutes } from './routes/access.js';
import { accessReviewRoutes } from './routes/access-reviews.js';
import { accessReviewSchemas } from './schemas/access-reviews.js';
import { assetRoutes } from './routes/assets.js';
import { backupRoutes } from './routes/backup.js';
import { breakGlassRoutes } from './routes/break-glass.js';
import { catalogRoutes } from './routes/catalog.js';
import { auditCheckpointRoutes } from './routes/audit-checkpoints.js';
import { eventRoutes } from './routes/events.js';
import { grantRoutes } from './routes/grants.js';
import { groupRoutes } from './routes/groups.js';
import { memberRoutes } from './routes/members.js';
import { notificationChannelRoutes } from './routes/notification-channels.js';
import { connectionRoutes } from './routes/connections.js';
import { ConnectionSchema } from './schemas/connections.js';
import { notificationRoutes } from './routes/notifications.js';
import { onCallScheduleRoutes } from './routes/on-call-schedules.js';
import { onCallSchemas } from './schemas/on-call.js';
import { requestConfigurationRoutes } from './routes/request-configurations.js';
import { requestRoutes } from './routes/requests.js';
import { resourceRoutes } from './routes/resources.js';
import { sessionRoutes, SessionSchema } from './routes/session.js';
import { oidcRoutes } from './routes/oidc.js';
import type { IdentityProvider } from '../ops/identity/oidc-provider.js';
import { accessModelSchemas } from './schemas/access-model.js';
import { breakGlassSchemas } from './schemas/break-glass.js';
import { ChannelSchema } from './schemas/notification-channels.js';
import { catalogSchemas } from './schemas/catalog.js';
import { requestSchemas } from './schemas/requests.js';
import { healthRoutes } from './routes/health.js';
import { inboxRoutes } from './routes/inbox.js';
import { tokenRoutes } from './routes/tokens.js';
import { scimTokenRoutes, ScimTokenSchema } from './routes/scim-tokens.js';
import { scimDiscoveryRoutes } from './routes/scim-discovery.js';
import { scimResourceRoutes } from './routes/scim-resources.js';
import { registerScimContext } from './plugins/scim-context.js';
import { MeSchema, userRoutes, UserSchema } from './routes/users.js';
import { ProblemSchema } from './schemas/common.js';
import { validatorCompiler } from './validation.js';
import { lazySerializers } from './lazy-serializers.js';
import { registerWebUi } from './web-ui.js';

export interface HttpDeps {
  ops: OpsDeps;
  tokenCache: TokenCache;
  logger?: FastifyServerOptions['logger'];
  version: string;
  /** The built web UI; dist/web under the package root unless given (tests serve a temporary folder). */
  webDir?: string;
  /** LATCH_PUBLIC_URL: where people open Latch; decides whether the session cookie is Secure. */
  publicUrl?: URL | undefined;
  /** Serve https with this certificate chain and key (PEM), instead of plain http. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
  /** Single sign-on through this identity provider; undefined when LATCH_OIDC_ISSUER is not set. */
  identityProvider?: IdentityProvider | undefined;
}

/** Request bodies are small JSON documents; anything bigger is refused before it is parsed. */
export const BODY_LIMIT_BYTES = 256 * 1024;

export async function buildApp(deps: HttpDeps): Promise<FastifyInstance> {
  const serializers = lazySerializers();
  const app = Fastify({
    schemaController: { compilersFactory: { buildSerializer: serializers.buildSerializer } },
    ...(deps.tls ? { https: deps.tls } : {}),
    logger: withRequestRedaction(deps.logger ?? false),
    bodyLimit: BODY_LIMIT_BYTES,
    ajv: { customOptions: { removeAdditional: false } },
    ...transportErrorOptions,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.decorate('compileResponseSerializers', serializers.compileRemaining);
  app.addHook('onListen', async function () {
    this.compileResponseSerializers().catch((err: unknown) =>
      this.log.error({ err }, 'a response schema does not compile'),
    );
  });
  registerErrorHandling(app);
  registerInputGuard(app);
  app.addSchema(ProblemSchema);
  app.addSchema(UserSchema);
  app.addSchema(MeSchema);
  app.addSchema(SessionSchema);
  for (const schema of accessModelSchemas) app.addSchema(schema);
  for (const schema of breakGlassSchemas) app.addSchema(schema);
  for (const schema of accessReviewSchemas) app.addSchema(schema);
  app.addSchema(ChannelSchema);
  app.addSchema(ConnectionSchema);
  app.addSchema(ScimTokenSchema);
  for (const schema of [...requestSchemas, ...catalogSchemas, ...onCallSchemas]) app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Latch API',
        version: deps.version,
        description: 'Just-in-time and break-glass access management',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'latch_session',
            description:
              'Browser session from POST /api/v1/session. Changes (not GET/HEAD/OPTIONS) must also send the ' +
              "session's csrfToken in the X-CSRF-Token header.",
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  await app.register(cookie);
  healthRoutes(app, deps.ops);
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(
    async (api) => {
      registerAuth(api, deps.ops, deps.tokenCache);
      registerIdempotency(api);
      registerUserRefs(api, deps.ops);
      registerRefusalAudit(api, deps.ops, '/api/v1');
      sessionRoutes(api, deps.ops, deps.tokenCache, deps.publicUrl);
      oidcRoutes(api, deps.ops, deps.identityProvider, deps.publicUrl);
      userRoutes(api, deps.ops);
      tokenRoutes(api, deps.ops);
      eventRoutes(api, deps.ops);
      auditCheckpointRoutes(api, deps.ops);
      groupRoutes(api, deps.ops);
      resourceRoutes(api, deps.ops);
      memberRoutes(api, deps.ops);
      grantRoutes(api, deps.ops);
      assetRoutes(api, deps.ops);
      accessRoutes(api, deps.ops);
      accessReviewRoutes(api, deps.ops);
      breakGlassRoutes(api, deps.ops);
      notificationRoutes(api, deps.ops);
      notificationChannelRoutes(api, deps.ops);
      connectionRoutes(api, deps.ops);
      requestConfigurationRoutes(api, deps.ops);
      requestRoutes(api, deps.ops);
      catalogRoutes(api, deps.ops);
      onCallScheduleRoutes(api, deps.ops);
      backupRoutes(api, deps.ops);
      inboxRoutes(api, deps.ops);
      scimTokenRoutes(api, deps.ops);
    },
    { prefix: '/api/v1' },
  );
  await app.register(
    async (scim) => {
      registerScimContext(scim, deps.ops);
      scimDiscoveryRoutes(scim, deps.publicUrl);
      scimResourceRoutes(scim, deps.ops, deps.publicUrl);
    },
    { prefix: '/scim/v2' },
  );
  await registerWebUi(app, deps.webDir);
  return app;
}

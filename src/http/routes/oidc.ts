import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { OIDC_CALLBACK_PATH } from '../../domain/oidc/settings.js';
import type { OidcRefusalReason } from '../../domain/oidc/sign-in.js';
import { recordOidcRefusal } from '../../ops/audit/record-oidc-refusal.js';
import { RefusalThrottle } from '../../ops/audit/refusal-throttle.js';
import { beginOidcLogin } from '../../ops/identity/begin-oidc-login.js';
import { completeOidcLogin } from '../../ops/identity/complete-oidc-login.js';
import { exchangeOidcIdToken } from '../../ops/identity/exchange-oidc-id-token.js';
import { describeProviderFailure } from '../../ops/identity/oidc-failure.js';
import {
  LOGIN_STATE_COOKIE,
  LOGIN_STATE_TTL_MS,
  SpentLoginStates,
} from '../../ops/identity/oidc-login-state.js';
import type { IdentityProvider } from '../../ops/identity/oidc-provider.js';
import { OidcRefusedError } from '../../ops/identity/oidc-refusal.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { errorResponses, Timestamp } from '../schemas/common.js';
import { setSessionCookie, transportOf } from './session.js';

// Single sign-on through the identity provider (src/ops/identity/*-oidc-*). A refused callback starts no session
// and sends the browser back to the sign-in page with the reason in `signInError`; it never answers 5xx, since
// the provider being down is exactly when the sign-in page must offer the token way in.

const AuthMethodsSchema = Type.Object({
  oidc: Type.Union([
    Type.Object({
      enabled: Type.Boolean(),
      providerName: Type.String({ maxLength: 100 }),
      issuer: Type.String({ maxLength: 2048, description: 'Where `latch login` signs in' }),
      cliClientId: Type.Union([Type.String({ maxLength: 255 }), Type.Null()], {
        description: 'The public client `latch login` uses; null when the CLI cannot sign in this way',
      }),
      scopes: Type.Array(Type.String({ maxLength: 255 }), { maxItems: 50 }),
    }),
    Type.Null(),
  ]),
  token: Type.Boolean({ description: 'Signing in with an API token always works: the emergency way in' }),
});

const Redirect = Type.Null({ description: 'A redirect: see the Location header' });

const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4096 })),
    state: Type.Optional(Type.String({ maxLength: 512 })),
    iss: Type.Optional(Type.String({ maxLength: 2048 })),
    error: Type.Optional(Type.String({ maxLength: 256 })),
    error_description: Type.Optional(Type.String({ maxLength: 2048 })),
    error_uri: Type.Optional(Type.String({ maxLength: 2048 })),
    session_state: Type.Optional(Type.String({ maxLength: 1024 })),
    scope: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  // Providers add parameters of their own (Google's authuser, hd, prompt); they are passed to the checks as sent.
  { additionalProperties: Type.String({ maxLength: 2048 }) },
);

/** The sign-in page, telling the browser why single sign-on did not work. */
const signInPageWith = (reason: OidcRefusalReason) => `/?signInError=${encodeURIComponent(reason)}`;

const notConfigured = () => new AppError('not_found', 'single sign-on is not configured');

export function oidcRoutes(
  fastify: FastifyInstance,
  deps: OpsDeps,
  provider: IdentityProvider | undefined,
  publicUrl: URL | undefined,
) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['session'];
  const spent = new SpentLoginStates();
  const refusals = new RefusalThrottle();

  const stateCookieOptions = (request: FastifyRequest) => ({
    httpOnly: true,
    secure: transportOf(request, publicUrl).secure,
    // The provider sends the browser back with a top-level cross-site GET: Lax lets the cookie ride along.
    sameSite: 'lax' as const,
    path: OIDC_CALLBACK_PATH,
  });

  const refused = async (
    request: FastifyRequest,
    err: OidcRefusedError,
    via: 'browser' | 'exchange',
  ): Promise<void> => {
    request.log.warn(
      { reason: err.reason, ...(err.cause ? { failure: describeProviderFailure(err.cause) } : {}) },
      'single sign-on refused',
    );
    try {
      await recordOidcRefusal(deps, refusals, {
        reason: err.reason,
        userId: err.userId,
        address: request.ip,
        via,
      });
    } catch (recordErr) {
      request.log.error(
        { err: recordErr },
        'a refused single sign-on could not be recorded in the audit log',
      );
    }
  };

  app.get(
    '/auth/methods',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'How people may sign in here (shown on the sign-in page)',
        security: [],
        response: { 200: AuthMethodsSchema },
      },
    },
    async () => ({
      oidc: provider
        ? {
            enabled: true,
            providerName: provider.settings.providerName,
            issuer: provider.settings.issuer.href,
            cliClientId: provider.settings.cliClientId,
            scopes: provider.settings.scopes,
          }
        : null,
      token: true,
    }),
  );

  app.get(
    '/auth/oidc/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Start single sign-on: redirects to the identity provider',
        description:
          'Authorization code flow with PKCE (S256), state and nonce. After signing in the browser returns to ' +
          '`returnTo` when it is a path on this origin, else to /.',
        security: [],
        querystring: Type.Object(
          { returnTo: Type.Optional(Type.String({ maxLength: 2048 })) },
          { additionalProperties: false },
        ),
        response: { 302: Redirect, 303: Redirect, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      if (!provider) throw notConfigured();
      let begun;
      try {
        begun = await beginOidcLogin(deps, provider, request.query.returnTo);
      } catch (err) {
        request.log.warn(
          { failure: describeProviderFailure(err) },
          'the identity provider cannot be reached',
        );
        return reply.redirect(signInPageWith('provider_unavailable'), 303);
      }
      reply.setCookie(LOGIN_STATE_COOKIE, begun.stateCookie, {
        ...stateCookieOptions(request),
        maxAge: LOGIN_STATE_TTL_MS / 1000,
      });
      return reply.redirect(begun.authorizationUrl.href, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Where the identity provider sends the browser back: starts the browser session',
        description:
          'On success sets the session cookie and redirects to the returnTo given at login. A refused sign-in ' +
          'starts no session and redirects to the sign-in page with `signInError` set to the reason.',
        security: [],
        querystring: CallbackQuery,
        response: { 303: Redirect, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      if (!provider) throw notConfigured();
      const stateCookie = request.cookies?.[LOGIN_STATE_COOKIE];
      reply.clearCookie(LOGIN_STATE_COOKIE, stateCookieOptions(request));
      const query = new URLSearchParams(new URL(request.url, 'http://callback.invalid').search);
      try {
        const done = await completeOidcLogin(deps, provider, spent, { stateCookie, query });
        setSessionCookie(request, reply, publicUrl, done.session);
        return await reply.redirect(done.returnTo, 303);
      } catch (err) {
        if (!(err instanceof OidcRefusedError)) throw err;
        await refused(request, err, 'browser');
        return reply.redirect(signInPageWith(err.reason), 303);
      }
    },
  );

  app.post(
    '/auth/oidc/exchange',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Exchange an ID token issued to the CLI client for an API token of 12 hours (latch login)',
        description:
          'Needs no other credential. The ID token must be issued by the configured provider to ' +
          'LATCH_OIDC_CLI_CLIENT_ID; the access token issued with it may be sent so that claims missing from ' +
          'the ID token are read from userinfo.',
        security: [],
        body: Type.Object(
          {
            idToken: Type.String({ minLength: 1, maxLength: 16384 }),
            accessToken: Type.Optional(Type.String({ minLength: 1, maxLength: 16384 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            token: Type.String(),
            expiresAt: Timestamp,
            id: Type.String({ description: "The token's id, to revoke it (latch logout)" }),
            userId: Type.String(),
          }),
          ...errorResponses(400, 401, 403, 404, 502),
        },
      },
    },
    async (request, reply) => {
      if (!provider?.settings.cliClientId) throw notConfigured();
      try {
        const minted = await exchangeOidcIdToken(deps, provider, request.body);
        return await reply.code(201).send(minted);
      } catch (err) {
        if (!(err instanceof OidcRefusedError)) throw err;
        await refused(request, err, 'exchange');
        switch (err.reason) {
          case 'provider_unavailable':
            throw new AppError('provider_unavailable', 'the identity provider cannot be reached');
          case 'invalid_id_token':
          case 'provider_error':
          case 'state_mismatch':
            throw new AppError('unauthenticated', 'the ID token is not valid for this Latch');
          default:
            throw new AppError('forbidden', `single sign-on refused: ${err.reason}`);
        }
      }
    },
  );
}

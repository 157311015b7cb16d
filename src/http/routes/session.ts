import { Type, type Static, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieSecurity } from '../../domain/cookie-security.js';
import { AppError } from '../../domain/errors.js';
import { SESSION_COOKIE } from '../../domain/sessions.js';

import type { OpsDeps } from '../../ops/shared/deps.js';
import { liveSession, meView } from '../../ops/identity/queries.js';
import { endSession } from '../../ops/identity/end-session.js';
import { startSession, type StartedSession } from '../../ops/identity/start-session.js';
import { assertSameSiteChange, sessionSecret, type TokenCache } from '../plugins/auth.js';
import { errorResponses, Timestamp } from '../schemas/common.js';
import { MeSchema } from './users.js';

// Browser sign-in: an API token is exchanged once for an HttpOnly cookie, so the page never keeps the token.
// Whether the cookie is Secure follows LATCH_PUBLIC_URL or the request's scheme (src/domain/cookie-security.ts);
// when the browser would drop it, the sign-in page and the log say so instead of looping.

export const SessionSchema = Type.Object(
  {
    user: Type.Unsafe<Static<typeof MeSchema>>({ $ref: 'Me#' }),
    /** Sent back in X-CSRF-Token on every cookie-authenticated change. */
    csrfToken: Type.String(),
    expiresAt: Timestamp,
  },
  { $id: 'Session' },
);
const SessionRef = Type.Unsafe<Static<typeof SessionSchema>>({ $ref: 'Session#' });

const CookieTransportSchema = Type.Object(
  {
    secure: Type.Boolean({ description: 'The session cookie is sent with the Secure attribute' }),
    dropped: Type.Boolean({
      description:
        'The browser that asked will not keep the cookie: signing in cannot work from this address',
    }),
    warning: Type.Union([Type.String(), Type.Null()], {
      description: 'What is wrong with how this page reaches Latch, and what to do; null when nothing is',
    }),
  },
  { description: 'How the session cookie travels to the browser that asks' },
);

export const transportOf = (request: FastifyRequest, publicUrl: URL | undefined) =>
  cookieSecurity({
    publicUrl,
    requestIsHttps: request.protocol === 'https',
    requestHost: request.headers.host ?? '',
  });

const cookieOptions = (secure: boolean) =>
  ({ httpOnly: true, secure, sameSite: 'strict', path: '/' }) as const;

/** Hands the browser its session cookie, lasting as long as the session; both ways of signing in use it. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: URL | undefined,
  session: StartedSession,
) {
  const transport = transportOf(request, publicUrl);
  if (transport.dropped) request.log.warn({ host: request.headers.host }, transport.warning!);
  const maxAgeSeconds = Math.floor((session.expiresAt.getTime() - session.startedAt.getTime()) / 1000);
  reply.setCookie(SESSION_COOKIE, session.secret, {
    ...cookieOptions(transport.secure),
    maxAge: maxAgeSeconds,
  });
}

export function sessionRoutes(
  fastify: FastifyInstance,
  deps: OpsDeps,
  cache: TokenCache,
  publicUrl: URL | undefined,
) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['session'];

  app.get(
    '/session/transport',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Whether this browser will keep the session cookie (shown on the sign-in page)',
        security: [],
        response: { 200: CookieTransportSchema },
      },
    },
    async (request) => transportOf(request, publicUrl),
  );

  app.post(
    '/session',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign a browser in with an API token: sets the HttpOnly session cookie',
        description:
          'The cookie lasts 12 hours (never longer than the token) and ends after 2 idle hours, when the ' +
          'token is revoked or when the user is suspended. Cookie-authenticated changes must send the ' +
          'returned csrfToken in the X-CSRF-Token header.',
        security: [],
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 512 }) },
          { additionalProperties: false },
        ),
        response: { 200: SessionRef, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      // Signing in is a change too: another site must not sign this browser in to an account it chose.
      assertSameSiteChange(request, undefined);
      const session = await startSession(deps, request.body.token);
      setSessionCookie(request, reply, publicUrl, session);
      return {
        user: meView(session.user),
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );

  app.get(
    '/session',
    {
      schema: {
        tags,
        summary: "The browser session's user and CSRF token",
        security: [{ session: [] }],
        response: { 200: SessionRef, ...errorResponses(401) },
      },
    },
    async (request) => {
      const session = request.browserSession;
      if (!session)
        throw new AppError('unauthenticated', 'this request is not authenticated by a browser session');
      return { user: meView(request.user), csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
  );

  app.delete(
    '/session',
    {
      // Public so that a lapsed or unknown cookie can still be cleared; ending a live session needs its CSRF
      // token, like any other cookie-authenticated change.
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign the browser out: ends the session and clears the cookie',
        security: [{ session: [] }],
        response: { 204: Type.Null(), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const secret = sessionSecret(request);
      const session = secret ? await liveSession(deps, secret) : undefined;
      if (secret && session) {
        assertSameSiteChange(request, session.csrfToken);
        await endSession(deps, session);
        cache.forgetSession(secret);
      } else assertSameSiteChange(request, undefined);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(transportOf(request, publicUrl).secure));
      return reply.code(204).send(null);
    },
  );
}

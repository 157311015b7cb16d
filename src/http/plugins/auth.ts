import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { SESSION_COOKIE, secretsEqual } from '../../domain/sessions.js';
import type { User } from '../../domain/users.js';
import { authenticateSession, type SessionAuth } from '../../ops/identity/authenticate-session.js';
import { authenticateToken, type Authenticated } from '../../ops/identity/authenticate-token.js';
import { TokenUseRecorder } from '../../ops/identity/token-use.js';
import type { OpsDeps } from '../../ops/shared/deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every /api/v1 route before the handler runs. */
    user: User;
    tokenId: string;
    /** Set when the caller authenticated with the browser session cookie instead of a bearer token. */
    browserSession: SessionAuth | null;
  }
  interface FastifyContextConfig {
    /** Routes that answer without credentials (health, OpenAPI). */
    public?: boolean;
  }
}

/**
 * Resolving a token costs two queries; checks arrive by the thousand per second, so resolutions are cached
 * briefly. Revocations and user changes made by this process clear the cache at once; those made by another
 * process take effect within the TTL. Browser sessions are cached the same way, keyed by their cookie.
 */
export class TokenCache {
  private entries = new Map<string, { auth: Authenticated; at: number }>();
  private sessions = new Map<string, { auth: SessionAuth; at: number }>();
  constructor(private readonly ttlMs = 5_000) {}
  get(secret: string, now: number) {
    const e = this.entries.get(secret);
    if (!e) return undefined;
    const expired = e.auth.tokenExpiresAt !== null && now >= e.auth.tokenExpiresAt;
    if (expired || now - e.at > this.ttlMs) {
      this.entries.delete(secret);
      return undefined;
    }
    return e.auth;
  }
  set(secret: string, auth: Authenticated, now: number) {
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(secret, { auth, at: now });
  }
  /** `now` bounds how long an entry is trusted; `clock` (the service's time) decides whether it has lapsed. */
  getSession(secret: string, now: number, clock: number) {
    const e = this.sessions.get(secret);
    if (!e) return undefined;
    // Past refreshAt the use must reach the store, or the idle timeout would stop sliding.
    if (clock >= Math.min(e.auth.validUntil, e.auth.refreshAt) || now - e.at > this.ttlMs) {
      this.sessions.delete(secret);
      return undefined;
    }
    return e.auth;
  }
  setSession(secret: string, auth: SessionAuth, now: number) {
    if (this.sessions.size > 10_000) this.sessions.clear();
    this.sessions.set(secret, { auth, at: now });
  }
  /** Sign-out: this process stops accepting the cookie at once. */
  forgetSession(secret: string) {
    this.sessions.delete(secret);
  }
  clear() {
    this.entries.clear();
    this.sessions.clear();
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The session cookie's secret, or undefined when there is none worth looking up. */
export function sessionSecret(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[SESSION_COOKIE];
  return value && value.length <= 512 ? value : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function isForeignOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    const claimed = new URL(origin);
    if (claimed.protocol !== 'http:' && claimed.protocol !== 'https:') return true;
    // Compared by host and port only: behind a TLS-terminating proxy this process may see plain http.
    return claimed.host !== new URL(`${claimed.protocol}//${request.host}`).host;
  } catch {
    return true; // `null` and anything unparsable
  }
}

/**
 * Cookies ride along on requests other sites trigger, so a cookie-authenticated change must prove it comes
 * from our own page: no foreign Origin, and the session's CSRF token echoed in X-CSRF-Token.
 */
export function assertSameSiteChange(request: FastifyRequest, csrfToken: string | undefined) {
  if (SAFE_METHODS.has(request.method)) return;
  if (isForeignOrigin(request))
    throw new AppError('csrf_failed', `requests from origin ${request.headers.origin} are refused`);
  if (csrfToken === undefined) return;
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !secretsEqual(sent, csrfToken))
    throw new AppError('csrf_failed', 'the X-CSRF-Token header is missing or does not match the session');
}

export function registerAuth(
  app: FastifyInstance,
  deps: Pick<OpsDeps, 'db' | 'now' | 'reportError'>,
  cache: TokenCache,
) {
  const tokenUse = new TokenUseRecorder(deps);
  app.decorateRequest('user', null as unknown as User);
  app.decorateRequest('tokenId', '');
  app.decorateRequest('browserSession', null);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    // A bearer header, when present, decides alone: scripts never depend on what cookies a client holds.
    if (request.headers.authorization === undefined && request.cookies?.[SESSION_COOKIE] !== undefined)
      return authenticateByCookie(request, deps, cache).then(() => tokenUse.note(request.tokenId));
    const secret = bearer(request);
    if (!secret || secret.length > 512)
      throw new AppError('unauthenticated', 'a valid API token is required (Authorization: Bearer <token>)');
    const now = Date.now();
    let auth = cache.get(secret, now);
    if (!auth) {
      auth = await authenticateToken(deps, secret);
      cache.set(secret, auth, now);
    }
    if (auth.scope === 'scim') throw new AppError('forbidden', 'a SCIM token works only under /scim/v2');
    // A suspended user's tokens answer 401 like any token that no longer works (API contract).
    if (auth.user.status !== 'active') throw new AppError('unauthenticated', 'this user is suspended');
    request.user = auth.user;
    request.tokenId = auth.tokenId;
    tokenUse.note(auth.tokenId);
  });
}

async function authenticateByCookie(
  request: FastifyRequest,
  deps: Pick<OpsDeps, 'db' | 'now'>,
  cache: TokenCache,
) {
  const secret = sessionSecret(request);
  if (!secret) throw new AppError('unauthenticated', 'the browser session has ended; sign in again');
  const now = Date.now();
  let auth = cache.getSession(secret, now, deps.now().getTime());
  if (!auth) {
    auth = await authenticateSession(deps, secret);
    cache.setSession(secret, auth, now);
  }
  assertSameSiteChange(request, auth.csrfToken);
  request.user = auth.user;
  request.tokenId = auth.tokenId;
  request.browserSession = auth;
}

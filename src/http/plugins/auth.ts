import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import type { User } from '../../domain/users.js';
import { authenticateToken, type Authenticated } from '../../ops/authenticate.js';
import type { OpsDeps } from '../../ops/deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every /api/v1 route before the handler runs. */
    user: User;
    tokenId: string;
  }
  interface FastifyContextConfig {
    /** Routes that answer without credentials (health, OpenAPI). */
    public?: boolean;
  }
}

/**
 * Resolving a token costs two queries; checks arrive by the thousand per second, so resolutions are cached
 * briefly. Revocations and user changes made by this process clear the cache at once; those made by another
 * process take effect within the TTL.
 */
export class TokenCache {
  private entries = new Map<string, { auth: Authenticated; at: number }>();
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
  clear() {
    this.entries.clear();
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function registerAuth(app: FastifyInstance, deps: Pick<OpsDeps, 'db' | 'now'>, cache: TokenCache) {
  app.decorateRequest('user', null as unknown as User);
  app.decorateRequest('tokenId', '');
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public || !request.routeOptions.url) return;
    const secret = bearer(request);
    if (!secret || secret.length > 512)
      throw new AppError('unauthenticated', 'a valid API token is required (Authorization: Bearer <token>)');
    const now = Date.now();
    let auth = cache.get(secret, now);
    if (!auth) {
      auth = await authenticateToken(deps, secret);
      cache.set(secret, auth, now);
    }
    if (auth.user.status !== 'active') throw new AppError('forbidden', 'this user is suspended');
    request.user = auth.user;
    request.tokenId = auth.tokenId;
  });
}

import { AppError } from '../../domain/errors.js';
import { hashToken, hashesEqual, isTokenExpired } from '../../domain/tokens.js';
import type { User } from '../../domain/users.js';
import { findTokenByHash, type TokenScope } from '../../store/tokens.js';
import { findUserById } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';

export interface Authenticated {
  user: User;
  tokenId: string;
  /** Epoch ms after which the token is no longer valid; null when it does not expire. */
  tokenExpiresAt: number | null;
  scope: TokenScope;
}

const unauthenticated = () => new AppError('unauthenticated', 'a valid API token is required');

/**
 * Resolves a bearer token to its user. Unknown, revoked and expired tokens are all the same 401, so a caller
 * learns nothing about which tokens exist. A suspended user's token authenticates but is refused by the caller.
 */
export async function authenticateToken(
  deps: Pick<OpsDeps, 'db' | 'now'>,
  secret: string,
): Promise<Authenticated> {
  const hash = hashToken(secret);
  const token = await findTokenByHash(deps.db, hash);
  if (!token || !hashesEqual(token.tokenHash, hash)) throw unauthenticated();
  if (token.revokedAt || isTokenExpired(token.expiresAt, deps.now())) throw unauthenticated();
  const user = await findUserById(deps.db, token.userId);
  if (!user) throw unauthenticated();
  return {
    user,
    tokenId: token.id,
    tokenExpiresAt: token.expiresAt ? Date.parse(token.expiresAt) : null,
    scope: token.scope,
  };
}

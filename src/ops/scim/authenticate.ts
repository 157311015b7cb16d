import { hashToken, hashesEqual, isTokenExpired } from '../../domain/tokens.js';
import { ScimError } from '../../domain/scim/errors.js';
import { findTokenByHash } from '../../store/tokens.js';
import { findUserById } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';

/** Who calls the SCIM service provider, and who its changes are recorded as. */
export interface ScimCaller {
  tokenId: string;
  /** The audit log's actor: the SCIM token itself, or the admin whose API token was used. */
  actorId: string;
}

const refused = () => new ScimError(401, 'a valid SCIM token or admin API token is required');

/**
 * A SCIM token (scope scim), or the API token of an active admin. A SCIM token is the organisation's
 * connection to its identity provider: it works whoever minted it, until an admin revokes it. Unknown, revoked
 * and expired tokens are one 401; a member's API token is 403.
 */
export async function authenticateScim(
  deps: Pick<OpsDeps, 'db' | 'now'>,
  secret: string | undefined,
): Promise<ScimCaller> {
  if (!secret || secret.length > 512) throw refused();
  const hash = hashToken(secret);
  const token = await findTokenByHash(deps.db, hash);
  if (!token || !hashesEqual(token.tokenHash, hash)) throw refused();
  if (token.revokedAt || isTokenExpired(token.expiresAt, deps.now())) throw refused();
  if (token.scope === 'scim') return { tokenId: token.id, actorId: token.id };
  const user = await findUserById(deps.db, token.userId);
  if (!user || user.status !== 'active') throw refused();
  if (user.role !== 'admin') throw new ScimError(403, 'only SCIM tokens and admins may provision users');
  return { tokenId: token.id, actorId: user.id };
}

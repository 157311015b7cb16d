import { ScimError } from '../../domain/scim/errors.js';
import { authenticateToken } from '../identity/index.js';
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
  // The same look-up as every bearer token (unknown, revoked and expired are one 401); only what follows differs.
  const auth = await authenticateToken(deps, secret).catch(() => {
    throw refused();
  });
  if (auth.scope === 'scim') return { tokenId: auth.tokenId, actorId: auth.tokenId };
  if (auth.scope !== 'api' || auth.user.status !== 'active') throw refused();
  if (auth.user.role !== 'admin') throw new ScimError(403, 'only SCIM tokens and admins may provision users');
  return { tokenId: auth.tokenId, actorId: auth.user.id };
}

import type { IdentityClaims } from '../../domain/oidc/claims.js';
import type { OidcSettings } from '../../domain/oidc/settings.js';
import { SESSION_MAX_AGE_MS } from '../../domain/sessions.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { insertNewToken } from './mint-token.js';
import { userForSignIn } from './oidc-user.js';
import { openSession, type StartedSession } from './start-session.js';

// A browser signed in through the identity provider gets the same session as one signed in with a token. A
// session stands on a token (revoking it, or suspending the user, ends the session), so the sign-in mints one
// for the session alone (scope session): named for what it is, expiring with the session, its secret never kept
// or shown, not listed among the user's API tokens, and revoked when the session is signed out.

export const SSO_SESSION_TOKEN_NAME = 'Browser sign-in (single sign-on)';

export async function signInWithOidc(
  deps: OpsDeps,
  settings: Pick<OidcSettings, 'createUsers' | 'adminGroups' | 'auditorGroups'>,
  claims: IdentityClaims,
): Promise<StartedSession> {
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + SESSION_MAX_AGE_MS);
  return runInTransaction(deps, async (trx) => {
    const { user, events } = await userForSignIn(trx, settings, claims, now);
    const minted = await insertNewToken(
      trx,
      now,
      { userId: user.id, name: SSO_SESSION_TOKEN_NAME, expiresAt, scope: 'session' },
      user.id,
    );
    const { session, event } = await openSession(trx, {
      user,
      tokenId: minted.token.id,
      now,
      expiresAt,
      method: 'oidc',
    });
    return { result: session, events: [...events, minted.event, event] };
  });
}

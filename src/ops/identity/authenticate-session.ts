import { AppError } from '../../domain/errors.js';
import { isSessionLive, SESSION_TOUCH_INTERVAL_MS, sessionValidUntil } from '../../domain/sessions.js';
import { hashToken } from '../../domain/tokens.js';
import { findSessionByHash, touchSession } from '../../store/sessions.js';
import type { Authenticated } from './authenticate-token.js';
import type { OpsDeps } from '../shared/deps.js';

export interface SessionAuth extends Authenticated {
  sessionId: string;
  csrfToken: string;
  /** When the session ends at the latest (its maximum age, capped by its token's expiry). */
  expiresAt: string;
  /** Epoch ms from which the session no longer authenticates unless it is used (idle timeout included). */
  validUntil: number;
  /** Epoch ms from which a use must be recorded again; a cached resolution is not reused past it. */
  refreshAt: number;
}

/**
 * Resolves a session cookie. A session lives while its token is unrevoked and unexpired, its user is active,
 * and it is within both its maximum age and its idle timeout; anything else is the same 401.
 */
export async function authenticateSession(
  deps: Pick<OpsDeps, 'db' | 'now'>,
  secret: string,
): Promise<SessionAuth> {
  const session = await findSessionByHash(deps.db, hashToken(secret));
  const now = deps.now();
  if (!session || !isSessionLive(session, now))
    throw new AppError('unauthenticated', 'the browser session has ended; sign in again');
  let lastSeenAt = session.lastSeenAt;
  // Sliding idle timeout, written at most once per interval so a busy page does not write on every request.
  if (now.getTime() - lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    await touchSession(deps.db, session.id, now);
    lastSeenAt = now;
  }
  return {
    user: session.user,
    tokenId: session.tokenId,
    tokenExpiresAt: session.tokenExpiresAt?.getTime() ?? null,
    // Sessions start from API tokens only (see start-session.ts).
    scope: 'api',
    sessionId: session.id,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
    validUntil: sessionValidUntil({ ...session, lastSeenAt }),
    refreshAt: lastSeenAt.getTime() + SESSION_TOUCH_INTERVAL_MS,
  };
}

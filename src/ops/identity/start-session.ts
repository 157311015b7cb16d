import { forbidden } from '../../domain/errors.js';
import { generateSessionSecret, SESSION_MAX_AGE_MS } from '../../domain/sessions.js';
import { hashToken } from '../../domain/tokens.js';
import type { User } from '../../domain/users.js';
import { uuidv7 } from '../../store/ids.js';
import { insertSession } from '../../store/sessions.js';
import { findUserById } from '../../store/users.js';
import { authenticateToken } from './authenticate-token.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import type { NewEvent } from '../../store/events.js';
import { runInTransaction } from '../shared/transaction.js';

export interface StartedSession {
  id: string;
  /** The cookie's secret, handed out exactly once; only its hash is stored. */
  secret: string;
  csrfToken: string;
  startedAt: Date;
  expiresAt: Date;
  user: User;
}

/**
 * Signs a browser in with an API token. The token is checked exactly as a bearer token is (unknown, revoked
 * and expired are one 401); a suspended user is refused. The session never outlives its token.
 */
export async function startSession(deps: OpsDeps, tokenSecret: string): Promise<StartedSession> {
  const auth = await authenticateToken(deps, tokenSecret);
  if (auth.scope !== 'api') throw forbidden('a SCIM token cannot sign a browser in');
  if (auth.user.status !== 'active') throw forbidden('this user is suspended');
  const now = deps.now();
  const expiresAt = new Date(
    Math.min(now.getTime() + SESSION_MAX_AGE_MS, auth.tokenExpiresAt ?? Number.POSITIVE_INFINITY),
  );
  return runInTransaction(deps, async (trx) => {
    // Locked so a suspension either commits first (and is seen here) or waits and then ends this session.
    const user = await findUserById(trx, auth.user.id, true);
    if (!user || user.status !== 'active') throw forbidden('this user is suspended');
    const { session, event } = await openSession(trx, {
      user,
      tokenId: auth.tokenId,
      now,
      expiresAt,
      method: 'token',
    });
    return { result: session, events: [event] };
  });
}

/** How the browser proved who it is: an API token, or single sign-on through the identity provider. */
export type SignInMethod = 'token' | 'oidc';

/**
 * Inserts a session for an active user (locked by the caller) on `tokenId`, which it never outlives, and returns
 * the `session.started` event. Shared by both ways of signing in.
 */
export async function openSession(
  trx: Tx,
  input: { user: User; tokenId: string; now: Date; expiresAt: Date; method: SignInMethod },
): Promise<{ session: StartedSession; event: NewEvent }> {
  const { user, tokenId, now, expiresAt, method } = input;
  const secret = generateSessionSecret();
  const csrfToken = generateSessionSecret();
  const id = `ses_${uuidv7()}`;
  await insertSession(trx, {
    id,
    secretHash: hashToken(secret),
    csrfToken,
    userId: user.id,
    tokenId,
    createdAt: now,
    expiresAt,
  });
  return {
    session: { id, secret, csrfToken, startedAt: now, expiresAt, user },
    event: {
      type: 'session.started',
      actorId: user.id,
      subjects: [
        { type: 'user', id: user.id },
        { type: 'token', id: tokenId },
        { type: 'session', id },
      ],
      data: { expiresAt: expiresAt.toISOString(), method },
    },
  };
}

import { deleteSession } from '../../store/sessions.js';
import { revokeSessionToken } from '../../store/tokens.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';

/**
 * Signing out deletes the session row, and revokes the token behind it when that token exists for the session
 * alone (single sign-on); ending a session that is already gone is harmless and writes nothing.
 */
export async function endSession(
  deps: OpsDeps,
  session: { id: string; userId: string; tokenId: string },
): Promise<void> {
  await runInTransaction(deps, async (trx) => {
    const existed = await deleteSession(trx, session.id);
    const revoked = existed && (await revokeSessionToken(trx, session.tokenId, deps.now()));
    return {
      result: undefined,
      events: existed
        ? [
            {
              type: 'session.ended',
              actorId: session.userId,
              subjects: [
                { type: 'user', id: session.userId },
                { type: 'session', id: session.id },
                ...(revoked ? [{ type: 'token', id: session.tokenId }] : []),
              ],
              data: { reason: 'signed_out', ...(revoked ? { revokedToken: true } : {}) },
            },
          ]
        : [],
    };
  });
}

import { notFound } from '../../domain/errors.js';
import { type Actor } from '../../domain/users.js';
import { findToken, markTokenRevoked, type TokenInfo } from '../../store/tokens.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';

/** Revoking twice is harmless: the second call returns the token as already revoked and writes nothing. */
export async function revokeToken(
  deps: OpsDeps,
  actor: Actor,
  userId: string,
  tokenId: string,
): Promise<TokenInfo> {
  authorize(actor, 'account', 'manageTokens', { userId }, () => notFound('token', tokenId));
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const token = await findToken(trx, userId, tokenId);
    if (!token) throw notFound('token', tokenId);
    if (token.revokedAt) return { result: token, events: [] };
    await markTokenRevoked(trx, tokenId, now);
    return {
      result: { ...token, revokedAt: now.toISOString() },
      events: [
        {
          type: 'token.revoked',
          actorId: actor.id,
          subjects: [
            { type: 'user', id: userId },
            { type: 'token', id: tokenId },
          ],
          data: { name: token.name },
        },
      ],
    };
  });
}

import { signInRefusalOf } from '../../domain/sign-in-refusal.js';
import { hashesEqual, hashToken } from '../../domain/tokens.js';
import { findTokenByHash } from '../../store/tokens.js';
import { findUserById } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { RefusalThrottle } from './refusal-throttle.js';

// A refused browser sign-in is on record as `session.refused`: why, from where, and whose token it was when it
// was a real one. The token itself is only hashed to find its row; nothing of it is written. Flood-protected per
// source address (and reason and user), like the policy's refusals.

export async function recordSignInRefusal(
  deps: Pick<OpsDeps, 'db' | 'keys' | 'afterCommit' | 'now'>,
  throttle: RefusalThrottle,
  attempt: { token: string; address: string },
): Promise<void> {
  const now = deps.now();
  const hash = hashToken(attempt.token);
  const found = await findTokenByHash(deps.db, hash);
  const token = found && hashesEqual(found.tokenHash, hash) ? found : undefined;
  const user = token ? await findUserById(deps.db, token.userId) : undefined;
  const { reason, userId } = signInRefusalOf(token, user, now);
  const admitted = throttle.admit(`${attempt.address}\u0000${reason}\u0000${userId ?? ''}`, now);
  if (!admitted) return;
  await runInTransaction(deps, async () => ({
    result: undefined,
    events: [
      {
        type: 'session.refused',
        actorId: null,
        subjects: userId ? [{ type: 'user', id: userId }] : [],
        data: {
          reason,
          address: attempt.address,
          count: admitted.count,
          since: new Date(admitted.since).toISOString(),
        },
      },
    ],
  }));
}

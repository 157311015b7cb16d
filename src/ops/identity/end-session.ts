import { deleteSession } from '../../store/sessions.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';

/** Signing out deletes the session row; ending one that is already gone is harmless and writes nothing. */
export async function endSession(deps: OpsDeps, session: { id: string; userId: string }): Promise<void> {
  await runInTransaction(deps, async (trx) => {
    const existed = await deleteSession(trx, session.id);
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
              ],
              data: { reason: 'signed_out' },
            },
          ]
        : [],
    };
  });
}

import { parseRemoteAccount } from '../../domain/connections/account-rule.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findConnectionRow, setAccountOverride } from '../../store/connections.js';
import { findUserById } from '../../store/users.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { ADMINS_ONLY } from './connection-view.js';

/**
 * Names a user's account in the target, overriding the connection's rule (admins). The provisioning engine
 * moves the user's memberships to it: the old account is taken out, the new one put in.
 */
export async function setAccount(
  deps: OpsDeps,
  actor: Actor,
  connectionId: string,
  userId: string,
  input: { remoteAccount: unknown },
): Promise<{ connectionId: string; userId: string; remoteAccount: string }> {
  authorize(actor, 'connection', 'manage', {}, ADMINS_ONLY);
  const remoteAccount = parseRemoteAccount(input.remoteAccount);
  return runInTransaction(deps, async (trx) => {
    const row = await findConnectionRow(trx, connectionId, true);
    if (!row) throw notFound('connection', connectionId);
    if (!(await findUserById(trx, userId))) throw notFound('user', userId);
    await setAccountOverride(trx, connectionId, userId, remoteAccount, deps.now());
    return {
      result: { connectionId, userId, remoteAccount },
      events: [
        {
          type: 'connection.account_set',
          actorId: actor.id,
          subjects: [
            { type: 'connection', id: connectionId },
            { type: 'user', id: userId },
          ],
          data: { connectionName: row.name, remoteAccount },
        },
      ],
    };
  });
}

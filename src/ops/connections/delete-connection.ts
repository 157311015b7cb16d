import { conflict, notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { deleteConnectionRow, findConnectionRow, toConnection } from '../../store/connections.js';
import { linksOfConnection } from '../../store/remote-links.js';
import { accountsStillHeld } from '../../store/provisioned-accounts.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { ADMINS_ONLY, connectionEventData } from './connection-view.js';

/**
 * Removes a connection (admins). One with linked items is refused: access Latch put in the target would stay
 * there with nobody to take it out; so is one whose accounts are still being taken out after an unlink.
 */
export async function deleteConnection(deps: OpsDeps, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'connection', 'manage', {}, ADMINS_ONLY);
  await runInTransaction(deps, async (trx) => {
    const row = await findConnectionRow(trx, id, true);
    if (!row) throw notFound('connection', id);
    const links = await linksOfConnection(trx, id);
    if (links.length > 0)
      throw conflict(
        `the connection '${row.name}' has ${links.length} linked item${links.length === 1 ? '' : 's'}: ` +
          'unlink them first, so that the access Latch gave in the target is taken out',
      );
    // Unlinked items' accounts are taken out after the unlink: the connection is needed until they are.
    const held = await accountsStillHeld(trx, id);
    if (held > 0)
      throw conflict(
        `Latch is still taking ${held} account${held === 1 ? '' : 's'} out of '${row.name}' after an unlink; ` +
          'delete the connection once they are out (a sync retries them now)',
      );
    await deleteConnectionRow(trx, id);
    return {
      result: undefined,
      events: [
        {
          type: 'connection.deleted',
          actorId: actor.id,
          subjects: [{ type: 'connection', id }],
          data: connectionEventData(toConnection(row)),
        },
      ],
    };
  });
}

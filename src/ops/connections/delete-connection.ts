import { conflict, notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { deleteConnectionRow, findConnectionRow, toConnection } from '../../store/connections.js';
import { linksOfConnection } from '../../store/remote-links.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { ADMINS_ONLY, connectionEventData } from './connection-view.js';

/**
 * Removes a connection (admins). One with linked items is refused: access Latch put in the target would stay
 * there with nobody to take it out. Unlink the items first (their accounts are then taken out).
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

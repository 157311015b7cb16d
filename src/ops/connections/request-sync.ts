import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findConnectionRow, syncSoon } from '../../store/connections.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { ADMINS_ONLY } from './connection-view.js';

/** Asks for a reconciliation of the connection now (admins); the provisioning engine runs it and records it. */
export async function requestSync(deps: OpsDeps, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'connection', 'manage', {}, ADMINS_ONLY);
  await runInTransaction(deps, async (trx) => {
    const row = await findConnectionRow(trx, id, true);
    if (!row) throw notFound('connection', id);
    await syncSoon(trx, id, deps.now());
    return {
      result: undefined,
      events: [
        {
          type: 'connection.sync_requested',
          actorId: actor.id,
          subjects: [{ type: 'connection', id }],
          data: { name: row.name },
        },
      ],
    };
  });
}

import type { TestResult } from '../../domain/connections/connector.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findConnectionRow, recordConnectionStatus } from '../../store/connections.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { ADMINS_ONLY } from './connection-view.js';
import { withConnector } from './open-connector.js';

/**
 * Connects to the target and checks the privileges Latch needs (admins): `{ok: false, detail}` when it refuses
 * or cannot be reached. The answer becomes the connection's status.
 */
export async function testConnection(deps: OpsDeps, actor: Actor, id: string): Promise<TestResult> {
  authorize(actor, 'connection', 'manage', {}, ADMINS_ONLY);
  const row = await findConnectionRow(deps.db, id);
  if (!row) throw notFound('connection', id);
  const result = await withConnector(deps, row, (c) => c.test());
  return runInTransaction(deps, async (trx) => {
    await recordConnectionStatus(trx, id, { ok: result.ok, error: result.ok ? null : result.detail });
    return {
      result,
      events: [
        {
          type: 'connection.tested',
          actorId: actor.id,
          subjects: [{ type: 'connection', id }],
          data: { name: row.name, ok: result.ok },
        },
      ],
    };
  });
}

import { forbidden, notFound } from '../../domain/errors.js';
import { isAdmin, type Actor } from '../../domain/users.js';
import { findResource, markResourceDeleted } from '../../store/resources.js';
import type { OpsDeps } from '../shared/deps.js';
import { endItemAccess } from './end-item-access.js';
import { runInTransaction } from '../shared/transaction.js';

export async function deleteResource(deps: OpsDeps, actor: Actor, id: string): Promise<void> {
  if (!isAdmin(actor)) throw forbidden('only admins can delete resources');
  const now = deps.now();
  await runInTransaction(deps, async (trx) => {
    const resource = await findResource(trx, id, true);
    if (!resource) throw notFound('resource', id);
    const ended = await endItemAccess(trx, id, now, actor.id, 'resource deleted');
    await markResourceDeleted(trx, id, now);
    return {
      result: undefined,
      events: [
        {
          type: 'resource.deleted',
          actorId: actor.id,
          subjects: [{ type: 'resource', id }, ...ended],
          data: { name: resource.name },
        },
      ],
    };
  });
}

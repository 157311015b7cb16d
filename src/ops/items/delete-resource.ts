import { notFound } from '../../domain/errors.js';
import { type Actor } from '../../domain/users.js';
import { findResource, markResourceDeleted } from '../../store/resources.js';
import type { OpsDeps } from '../shared/deps.js';
import { endItemAccess } from '../shared/end-item-access.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';

export async function deleteResource(deps: OpsDeps, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'item', 'delete', { isOwner: false }, 'only admins can delete resources');
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

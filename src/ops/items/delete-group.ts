import { conflict, notFound } from '../../domain/errors.js';
import { type Actor } from '../../domain/users.js';
import { findGroup, itemsOwnedByGroup, markGroupDeleted } from '../../store/groups.js';
import type { OpsDeps } from '../shared/deps.js';
import { endItemAccess } from '../shared/end-item-access.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';

export async function deleteGroup(deps: OpsDeps, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'item', 'delete', { isOwner: false }, 'only admins can delete groups');
  const now = deps.now();
  await runInTransaction(deps, async (trx) => {
    const group = await findGroup(trx, id, true);
    if (!group) throw notFound('group', id);
    const owned = await itemsOwnedByGroup(trx, id);
    if (owned.length)
      throw conflict(
        `group '${group.name}' owns other items (${owned.join(', ')}); give them another owner first`,
      );
    const ended = await endItemAccess(trx, id, now, actor.id, 'group deleted');
    await markGroupDeleted(trx, id, now);
    return {
      result: undefined,
      events: [
        {
          type: 'group.deleted',
          actorId: actor.id,
          subjects: [{ type: 'group', id }, ...ended],
          data: { name: group.name, endedGrants: ended.filter((s) => s.type === 'grant').length },
        },
      ],
    };
  });
}

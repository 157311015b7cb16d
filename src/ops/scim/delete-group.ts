import { ScimError } from '../../domain/scim/errors.js';
import { itemsOwnedByGroup, markGroupDeleted } from '../../store/groups.js';
import { lockScimGroup } from '../../store/scim.js';
import { endItemAccess } from '../shared/end-item-access.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { ScimCaller } from './authenticate.js';

/**
 * DELETE /scim/v2/Groups/{id}: the group is deleted as an admin's deletion is (the same endItemAccess): every
 * grant on it ends and its nesting edges are removed, all recorded. A group that owns other items is refused,
 * as there.
 */
export async function deleteScimGroup(deps: OpsDeps, caller: ScimCaller, id: string): Promise<void> {
  const now = deps.now();
  await runInTransaction(deps, async (trx) => {
    const group = await lockScimGroup(trx, id);
    if (!group) throw new ScimError(404, `no group with id ${id}`);
    if (group.source !== 'scim')
      throw new ScimError(409, `group '${group.name}' was created in Latch; delete it there`, 'mutability');
    const owned = await itemsOwnedByGroup(trx, id);
    if (owned.length)
      throw new ScimError(
        409,
        `group '${group.name}' owns other items in Latch (${owned.join(', ')}); give them another owner first`,
      );
    const ended = await endItemAccess(trx, id, now, caller.actorId, 'group deleted');
    await markGroupDeleted(trx, id, now);
    return {
      result: undefined,
      events: [
        {
          type: 'group.deleted',
          actorId: caller.actorId,
          subjects: [{ type: 'group', id }, { type: 'token', id: caller.tokenId }, ...ended],
          data: {
            via: 'scim',
            name: group.name,
            endedGrants: ended.filter((s) => s.type === 'grant').length,
          },
        },
      ],
    };
  });
}

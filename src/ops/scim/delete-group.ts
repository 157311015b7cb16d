import { ScimError } from '../../domain/scim/errors.js';
import { liveAssetIdsTouching, markAssetRemoved } from '../../store/assets.js';
import { itemsOwnedByGroup, markGroupDeleted } from '../../store/groups.js';
import { endGrants, lockScimGroup } from '../../store/scim.js';
import { liveGrantIdsOnItem } from '../../store/grants.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { ScimCaller } from './authenticate.js';

/**
 * DELETE /scim/v2/Groups/{id}: the group is deleted as an admin's deletion would: every grant on it ends and
 * its nesting edges are removed, all recorded. A group that owns other items is refused, as there.
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
    const grantIds = await liveGrantIdsOnItem(trx, id);
    await endGrants(trx, grantIds, now, caller.actorId, 'group deleted');
    const assetIds = await liveAssetIdsTouching(trx, id);
    for (const a of assetIds) await markAssetRemoved(trx, a, now, caller.actorId);
    await markGroupDeleted(trx, id, now);
    return {
      result: undefined,
      events: [
        {
          type: 'group.deleted',
          actorId: caller.actorId,
          subjects: [
            { type: 'group', id },
            { type: 'token', id: caller.tokenId },
            ...grantIds.map((g) => ({ type: 'grant', id: g })),
            ...assetIds.map((a) => ({ type: 'asset', id: a })),
          ],
          data: { via: 'scim', name: group.name, endedGrants: grantIds.length },
        },
      ],
    };
  });
}

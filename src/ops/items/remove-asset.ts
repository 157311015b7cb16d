import { notFound } from '../../domain/errors.js';
import { assertCanManageItem } from '../../domain/policies.js';
import type { Actor } from '../../domain/users.js';
import { findLiveAsset, markAssetRemoved } from '../../store/assets.js';
import { findGroup } from '../../store/groups.js';
import type { OpsDeps } from '../shared/deps.js';
import { relationTo } from '../shared/ownership.js';
import { runInTransaction } from '../shared/transaction.js';

/** Removes one edge; access that other edges or grants give is untouched. */
export async function removeAsset(
  deps: OpsDeps,
  actor: Actor,
  groupId: string,
  assetId: string,
): Promise<void> {
  const now = deps.now();
  await runInTransaction(deps, async (trx) => {
    const group = await findGroup(trx, groupId);
    if (!group) throw notFound('group', groupId);
    assertCanManageItem(actor, relationTo(deps.index, actor, group, now), 'group');
    const asset = await findLiveAsset(trx, groupId, assetId);
    if (!asset) throw notFound('asset', assetId);
    await markAssetRemoved(trx, assetId, now, actor.id);
    const childSubject = asset.asset_group_id
      ? { type: 'group', id: asset.asset_group_id }
      : { type: 'resource', id: asset.asset_resource_id! };
    return {
      result: undefined,
      events: [
        {
          type: 'asset.removed',
          actorId: actor.id,
          subjects: [{ type: 'asset', id: assetId }, { type: 'group', id: groupId }, childSubject],
          data: { accessLevel: asset.access_level },
        },
      ],
    };
  });
}

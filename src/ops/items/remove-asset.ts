import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findLiveAsset, markAssetRemoved } from '../../store/assets.js';
import { findGroup } from '../../store/groups.js';
import { findResource } from '../../store/resources.js';
import { authorize, itemFacts } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { assetSubjects } from './asset-subjects.js';

/** Removes one edge; access that other edges or grants give is untouched. Needs the right to manage both ends. */
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
    const asset = await findLiveAsset(trx, groupId, assetId);
    if (!asset) throw notFound('asset', assetId);
    const child = asset.asset_group_id
      ? await findGroup(trx, asset.asset_group_id)
      : await findResource(trx, asset.asset_resource_id!);
    const facts = {
      parent: itemFacts(deps, actor, group),
      child: child ? itemFacts(deps, actor, child) : { isOwner: false },
    };
    authorize(
      actor,
      'nesting',
      'remove',
      facts,
      `only admins, or owners of both ${group.name} and the item nested under it, can remove this edge`,
    );
    await markAssetRemoved(trx, assetId, now, actor.id);
    return {
      result: undefined,
      events: [
        {
          type: 'asset.removed',
          actorId: actor.id,
          subjects: assetSubjects({
            id: assetId,
            groupId,
            assetGroupId: asset.asset_group_id,
            assetResourceId: asset.asset_resource_id,
          }),
          data: { accessLevel: asset.access_level },
        },
      ],
    };
  });
}

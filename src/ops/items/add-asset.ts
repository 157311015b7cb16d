import { AppError, invalid, notFound } from '../../domain/errors.js';
import type { Asset } from '../../domain/items.js';
import { assertCanManageItem } from '../../domain/policies.js';
import type { Actor } from '../../domain/users.js';
import { insertAsset, toAsset } from '../../store/assets.js';
import { findGroup } from '../../store/groups.js';
import { newId } from '../../store/ids.js';
import { groupReaches, lockNesting } from '../../store/nesting.js';
import { findResource } from '../../store/resources.js';
import type { OpsDeps } from '../shared/deps.js';
import { relationTo } from '../shared/ownership.js';
import { runInTransaction } from '../shared/transaction.js';

export type AddAssetInput = ({ groupId: string } | { resourceId: string; accessLevel: string }) & {
  expiresAt?: string | undefined;
};

/** Nests a group or a resource (at an access level) under a group: the group's members reach it. */
export async function addAsset(
  deps: OpsDeps,
  actor: Actor,
  parentGroupId: string,
  input: AddAssetInput,
): Promise<Asset> {
  const now = deps.now();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw invalid('expiresAt', 'must be in the future');
  return runInTransaction(deps, async (trx) => {
    const parent = await findGroup(trx, parentGroupId);
    if (!parent) throw notFound('group', parentGroupId);
    assertCanManageItem(actor, relationTo(deps.index, actor, parent, now), 'group');
    let child: { assetGroupId: string | null; assetResourceId: string | null; accessLevel: string | null };
    if ('groupId' in input) {
      if (!(await findGroup(trx, input.groupId))) throw invalid('groupId', `unknown group: ${input.groupId}`);
      await lockNesting(trx);
      if (input.groupId === parentGroupId || (await groupReaches(trx, input.groupId, parentGroupId, now))) {
        throw new AppError(
          'nesting_cycle',
          `adding group ${input.groupId} to ${parentGroupId} would make ${parentGroupId} reach itself`,
        );
      }
      child = { assetGroupId: input.groupId, assetResourceId: null, accessLevel: null };
    } else {
      const resource = await findResource(trx, input.resourceId);
      if (!resource) throw invalid('resourceId', `unknown resource: ${input.resourceId}`);
      if (!resource.accessLevels.includes(input.accessLevel)) {
        throw invalid(
          'accessLevel',
          `must be one of the resource's access levels: ${resource.accessLevels.join(', ')}`,
        );
      }
      child = { assetGroupId: null, assetResourceId: resource.id, accessLevel: input.accessLevel };
    }
    const row = await insertAsset(trx, {
      id: newId('ast'),
      groupId: parentGroupId,
      ...child,
      expiresAt,
      createdAt: now,
      createdBy: actor.id,
    });
    const asset = toAsset(row);
    const childSubject = asset.assetGroupId
      ? { type: 'group', id: asset.assetGroupId }
      : { type: 'resource', id: asset.assetResourceId! };
    return {
      result: asset,
      events: [
        {
          type: 'asset.added',
          actorId: actor.id,
          subjects: [{ type: 'asset', id: asset.id }, { type: 'group', id: parentGroupId }, childSubject],
          data: { accessLevel: asset.accessLevel, expiresAt: asset.expiresAt },
        },
      ],
    };
  });
}

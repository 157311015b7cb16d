import { AppError, invalid, notFound } from '../../domain/errors.js';
import type { Asset, Group, Resource } from '../../domain/items.js';
import type { Actor } from '../../domain/users.js';
import { insertAsset, toAsset } from '../../store/assets.js';
import { findGroup, findGroupsByIds } from '../../store/groups.js';
import { newId } from '../../store/ids.js';
import { shortestPath } from '../../domain/nesting.js';
import { groupReaches, liveEdgesReachableFrom, lockNesting } from '../../store/nesting.js';
import { findResource } from '../../store/resources.js';
import { authorize, itemFacts } from '../shared/authorization.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { assetSubjects } from './asset-subjects.js';

export type AddAssetInput = ({ groupId: string } | { resourceId: string; accessLevel: string }) & {
  expiresAt?: string | undefined;
};

/** The loop the new edge would close, by names: "'a' → 'b' → 'c' → 'a'". */
async function cycleError(trx: Tx, parent: Group, child: Group | Resource, now: Date): Promise<AppError> {
  const path = shortestPath(await liveEdgesReachableFrom(trx, child.id, now), child.id, parent.id) ?? [
    child.id,
    parent.id,
  ];
  const names = new Map((await findGroupsByIds(trx, path)).map((g) => [g.id, g.name]));
  const loop = [parent.id, ...path].map((id) => `'${names.get(id) ?? id}'`).join(' → ');
  return new AppError(
    'nesting_cycle',
    `nesting '${child.name}' under '${parent.name}' would make a loop: ${loop}, as '${child.name}' already reaches '${parent.name}'`,
  );
}

/**
 * Nests a group or a resource (at an access level) under a group: the group's members reach it. The caller must
 * be able to manage both ends: owning the parent alone would let anyone's item be pulled under one's own group.
 */
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
    let child: Group | Resource | undefined;
    let row: { assetGroupId: string | null; assetResourceId: string | null; accessLevel: string | null };
    if ('groupId' in input) {
      child = await findGroup(trx, input.groupId);
      if (!child) throw invalid('groupId', `unknown group: ${input.groupId}`);
      row = { assetGroupId: child.id, assetResourceId: null, accessLevel: null };
    } else {
      const resource = await findResource(trx, input.resourceId);
      if (!resource) throw invalid('resourceId', `unknown resource: ${input.resourceId}`);
      if (!resource.accessLevels.includes(input.accessLevel)) {
        throw invalid(
          'accessLevel',
          `must be one of the resource's access levels: ${resource.accessLevels.join(', ')}`,
        );
      }
      child = resource;
      row = { assetGroupId: null, assetResourceId: resource.id, accessLevel: input.accessLevel };
    }
    const facts = { parent: itemFacts(deps, actor, parent), child: itemFacts(deps, actor, child) };
    authorize(
      actor,
      'nesting',
      'add',
      facts,
      facts.parent.isOwner
        ? `only admins, or owners of both ${parent.name} and ${child.name}, can nest one under the other`
        : `only admins and the owners of ${parent.name} can nest items under it`,
    );
    if (row.assetGroupId) {
      await lockNesting(trx);
      if (row.assetGroupId === parentGroupId)
        throw new AppError('nesting_cycle', `a group cannot be nested under itself ('${parent.name}')`);
      if (await groupReaches(trx, row.assetGroupId, parentGroupId, now))
        throw await cycleError(trx, parent, child, now);
    }
    const asset = toAsset(
      await insertAsset(trx, {
        id: newId('ast'),
        groupId: parentGroupId,
        ...row,
        expiresAt,
        createdAt: now,
        createdBy: actor.id,
      }),
    );
    return {
      result: asset,
      events: [
        {
          type: 'asset.added',
          actorId: actor.id,
          subjects: assetSubjects(asset),
          data: { accessLevel: asset.accessLevel, expiresAt: asset.expiresAt },
        },
      ],
    };
  });
}

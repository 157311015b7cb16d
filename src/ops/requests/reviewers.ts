import type { IndexReader } from '../../access/index-reader.js';
import type { ReviewerStage } from '../../domain/request-config.js';
import { insertReviewers } from '../../store/requests.js';
import { ownersOf } from '../shared/ownership.js';
import type { Tx } from '../shared/deps.js';
import { activeAdminIds, activeUserIds } from '../../store/users.js';

// Who reviews a stage, decided once when the stage starts and stored: an `all` stage then means exactly the
// people it meant at that moment, whoever joins or leaves the owner group later.

export interface ItemOwners {
  ownerUserIds: string[];
  ownerGroupId: string | null;
}

/**
 * The active users a stage names: the item's owners (named owners and effective members of the owner group),
 * active admins, named users and effective members of named groups; never the requester or the target. When
 * nobody is left (say the only owner asked for themself), active admins review, so no request is stuck.
 */
export async function resolveStageReviewers(
  trx: Tx,
  index: IndexReader,
  stage: ReviewerStage,
  item: ItemOwners,
  excluded: string[],
  now: Date,
): Promise<string[]> {
  const ids = new Set<string>(stage.reviewers.userIds);
  if (stage.reviewers.owners) ownersOf(index, item, now).forEach((u) => ids.add(u));
  if (stage.reviewers.admins) (await activeAdminIds(trx)).forEach((u) => ids.add(u));
  for (const groupId of stage.reviewers.groupIds)
    for (const m of index.members({ groupId }, now.getTime())) ids.add(m.userId);
  const eligible = (ids: Iterable<string>) => [...ids].filter((u) => !excluded.includes(u));
  const reviewers = await activeUserIds(trx, eligible(ids));
  if (reviewers.length > 0) return reviewers.sort();
  return eligible(await activeAdminIds(trx)).sort();
}

/** Starts stage `stageIndex` of an item: resolves and stores its reviewers, and returns them to notify. */
export async function startStage(
  trx: Tx,
  index: IndexReader,
  item: { id: string; requestId: string; stages: ReviewerStage[]; owners: ItemOwners },
  stageIndex: number,
  excluded: string[],
  now: Date,
): Promise<string[]> {
  const stage = item.stages[stageIndex];
  if (!stage) return [];
  const reviewers = await resolveStageReviewers(trx, index, stage, item.owners, excluded, now);
  await insertReviewers(trx, item, stageIndex, reviewers);
  return reviewers;
}

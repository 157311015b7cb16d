import type { ReviewerSpec, ReviewSettings } from '../../domain/access-reviews/campaign.js';
import { parentsByChild, upwardPaths, type UpwardPath } from '../../domain/access-reviews/upward-paths.js';
import {
  insertOwnerCandidates,
  insertReviewPaths,
  insertScopeItems,
  liveEdgesIntoItems,
  liveGroupEdges,
  ownerGroupsOfItems,
  type EdgeIntoItem,
  type NewReviewPath,
} from '../../store/access-review-scope.js';
import {
  insertBlocks,
  insertReviewEdges,
  insertReviewSources,
  numberRuns,
  type NewReviewSource,
} from '../../store/access-review-blocks.js';
import {
  analyzeSnapshot,
  assignOwnReviewers,
  directRowCounts,
  insertDirectRows,
  insertItemReviewers,
  summarizeSnapshot,
  type PrimaryReviewers,
} from '../../store/access-review-snapshot.js';
import { materializeOwnRows } from '../../store/access-review-virtual-rows.js';
import { activeAdminIds } from '../../store/users.js';
import type { OpsDeps, Tx } from '../shared/deps.js';

// Taking a campaign's snapshot inside its creating transaction: the items in scope, each item's reviewers, the
// nesting paths into them and the blocks of users they pass access to, the rows given by grants on the items,
// and reviewers of their own for the rows whose user reviews their item. Rows and blocks are written by the
// store set-based; only the group graph (groups and their edges, never memberships) is walked here.

const PATH_BATCH = 5000;

const earlier = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/**
 * The nesting into the campaign's items: one path per (edge into an item, group whose members reach the edge's
 * parent), shown on rows, and each parent's sources, its block is made of. Returns the edges.
 */
async function insertPaths(trx: Tx, reviewId: string, now: Date): Promise<EdgeIntoItem[]> {
  const into = await liveEdgesIntoItems(trx, reviewId, now);
  if (into.length === 0) return into;
  const parents = parentsByChild(await liveGroupEdges(trx, now));
  const above = new Map<string, Map<string, UpwardPath>>();
  let batch: NewReviewPath[] = [];
  let sources: NewReviewSource[] = [];
  let pathNo = 0;
  for (const e of into) {
    let up = above.get(e.parentGroupId);
    if (!up) {
      above.set(e.parentGroupId, (up = upwardPaths(parents, e.parentGroupId)));
      let rank = 0;
      for (const [fromGroupId, p] of up)
        sources.push({
          parentGroupId: e.parentGroupId,
          fromGroupId,
          depth: p.groupIds.length,
          rank: rank++,
          endsAt: p.endsAt === null ? null : new Date(p.endsAt),
        });
    }
    for (const [fromGroupId, p] of up) {
      const endsAt = earlier(p.endsAt, e.endsAt?.getTime() ?? null);
      batch.push({
        pathNo: ++pathNo,
        edgeId: e.id,
        itemId: e.itemId,
        accessLevel: e.accessLevel,
        parentGroupId: e.parentGroupId,
        fromGroupId,
        groupIds: e.itemIsGroup ? [...p.groupIds, e.itemId] : p.groupIds,
        endsAt: endsAt === null ? null : new Date(endsAt),
      });
      if (batch.length >= PATH_BATCH) {
        await insertReviewPaths(trx, reviewId, batch);
        batch = [];
      }
    }
    if (sources.length >= PATH_BATCH) {
      await insertReviewSources(trx, reviewId, sources);
      sources = [];
    }
  }
  await insertReviewPaths(trx, reviewId, batch);
  await insertReviewSources(trx, reviewId, sources);
  return into;
}

/** Where rows' reviewers start from: each item's owners now (named, and its owner group's members), or a list. */
async function primaryReviewers(
  deps: Pick<OpsDeps, 'index'>,
  trx: Tx,
  reviewId: string,
  spec: ReviewerSpec,
  now: Date,
): Promise<PrimaryReviewers> {
  if (spec.type === 'admins') return { perItem: false, userIds: await activeAdminIds(trx) };
  if (spec.type === 'users') return { perItem: false, userIds: spec.userIds };
  const members = (await ownerGroupsOfItems(trx, reviewId)).flatMap((groupId) =>
    deps.index.members({ groupId }, now.getTime()).map((m) => ({ groupId, userId: m.userId })),
  );
  await insertOwnerCandidates(trx, reviewId, members);
  return { perItem: true };
}

export async function takeSnapshot(
  deps: Pick<OpsDeps, 'index'>,
  trx: Tx,
  reviewId: string,
  s: ReviewSettings,
  now: Date,
): Promise<void> {
  await insertScopeItems(trx, reviewId, s.scope);
  const primary = await primaryReviewers(deps, trx, reviewId, s.reviewers, now);
  const fallback = s.reviewers.fallbackUserIds.length
    ? s.reviewers.fallbackUserIds
    : await activeAdminIds(trx);
  await insertItemReviewers(trx, reviewId, primary, fallback);
  const edges = await insertPaths(trx, reviewId, now);
  await analyzeSnapshot(trx, 'sources');
  await insertBlocks(trx, reviewId, now, s.deadline);
  await insertReviewEdges(trx, reviewId, edges, s.deadline);
  await analyzeSnapshot(trx, 'blocks');
  await numberRuns(trx, reviewId, await directRowCounts(trx, reviewId, now));
  await insertDirectRows(trx, reviewId, now, s.deadline, s.allowSelfReview);
  if (!s.allowSelfReview) await materializeOwnRows(trx, reviewId);
  await assignOwnReviewers(trx, reviewId, fallback);
  await summarizeSnapshot(trx, reviewId);
  await analyzeSnapshot(trx, 'rows');
}

import type { Kysely, Transaction } from 'kysely';
import { canonicalStages, type ReviewerStage } from '../domain/request-config.js';
import {
  effectiveStatus,
  type AccessRequest,
  type ItemStatus,
  type RequestItem,
  type RequestStatus,
} from '../domain/requests.js';
import type { Database, RequestItemRow, RequestReviewerRow, RequestRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Reading requests back whole: a request with its items and each item's current stage. Statuses already
// account for lapsing, like grants do for expiry.

function toItem(r: RequestItemRow, reviewers: RequestReviewerRow[], lapsed: boolean): RequestItem {
  const stages = canonicalStages(r.reviewer_stages as ReviewerStage[]);
  const status: ItemStatus = lapsed && r.status === 'pending' ? 'expired' : (r.status as ItemStatus);
  const stage = stages[r.stage_index];
  const current = reviewers.filter((x) => x.stage_index === r.stage_index);
  return {
    id: r.id,
    groupId: r.group_id,
    resourceId: r.resource_id,
    accessLevel: r.access_level,
    status,
    grantId: r.grant_id,
    autoApprove: r.auto_approve,
    reviewerStages: stages,
    stageIndex: r.stage_index,
    currentStage:
      status === 'pending' && stage
        ? {
            index: r.stage_index,
            operator: stage.operator,
            reviewerIds: current.map((x) => x.user_id).sort(),
            approvedBy: current
              .filter((x) => x.approved_at !== null)
              .map((x) => x.user_id)
              .sort(),
          }
        : null,
    decidedAt: r.decided_at?.toISOString() ?? null,
    decidedBy: r.decided_by,
    comment: r.comment,
    approvals: reviewers
      .filter((x) => x.approved_at !== null)
      .sort((a, b) => a.approved_at!.getTime() - b.approved_at!.getTime() || a.stage_index - b.stage_index)
      .map((x) => ({
        stageIndex: x.stage_index,
        userId: x.user_id,
        at: new Date(x.approved_at!).toISOString(),
        comment: x.comment,
      })),
  };
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

/** Assembles requests with their items and reviewers: two queries for a whole page. */
export async function assembleRequests(db: Db, rows: RequestRow[], now: Date): Promise<AccessRequest[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [items, reviewers] = await Promise.all([
    db.selectFrom('request_items').selectAll().where('request_id', 'in', ids).orderBy('position').execute(),
    db.selectFrom('request_reviewers').selectAll().where('request_id', 'in', ids).execute(),
  ]);
  const itemsOf = groupBy(items, (i) => i.request_id);
  const reviewersOf = groupBy(reviewers, (x) => x.item_id);
  return rows.map((r) => {
    const status = effectiveStatus(r.status as RequestStatus, r.expires_at, now);
    const lapsed = status === 'expired';
    return {
      id: r.id,
      requesterId: r.requester_id,
      targetUserId: r.target_user_id,
      status,
      reason: r.reason,
      durationMinutes: r.duration_minutes,
      extensionOf: r.extension_of,
      createdAt: r.created_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
      decidedAt: (r.decided_at ?? (lapsed ? r.expires_at : null))?.toISOString() ?? null,
      canceledBy: r.canceled_by,
      items: (itemsOf.get(r.id) ?? []).map((i) => toItem(i, reviewersOf.get(i.id) ?? [], lapsed)),
    };
  });
}

export async function findRequest(
  db: Db,
  id: string,
  now: Date,
  lock = false,
): Promise<AccessRequest | undefined> {
  let q = db.selectFrom('requests').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? (await assembleRequests(db, [row], now))[0] : undefined;
}

/** Whether the user is or was a reviewer of any stage of the request (what lets them see it). */
/** Whether `userId` is a reviewer of some request item still waiting for a decision. */
export async function reviewsAPendingItem(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('request_reviewers as rr')
    .innerJoin('request_items as ri', 'ri.id', 'rr.item_id')
    .select('rr.item_id')
    .where('rr.user_id', '=', userId)
    .where('ri.status', '=', 'pending')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function isReviewerOf(db: Db, requestId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('request_reviewers')
    .select('item_id')
    .where('request_id', '=', requestId)
    .where('user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

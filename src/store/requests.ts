import type { Kysely, Transaction } from 'kysely';
import type { ReviewerStage } from '../domain/request-config.js';
import type { ItemStatus, RequestStatus } from '../domain/requests.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Writing the requests ledger: a request, its items (each with a snapshot of its stages) and the reviewers of
// each item's stages. Reads are in request-reads.ts.

export interface NewRequest {
  id: string;
  requesterId: string;
  targetUserId: string;
  reason: string | null;
  durationMinutes: number;
  extensionOf: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertRequest(db: Db, r: NewRequest): Promise<void> {
  await db
    .insertInto('requests')
    .values({
      id: r.id,
      requester_id: r.requesterId,
      target_user_id: r.targetUserId,
      reason: r.reason,
      duration_minutes: r.durationMinutes,
      extension_of: r.extensionOf,
      status: 'pending',
      created_at: r.createdAt,
      expires_at: r.expiresAt,
    })
    .execute();
}

export interface NewRequestItem {
  id: string;
  requestId: string;
  position: number;
  target: { groupId: string } | { resourceId: string; accessLevel: string };
  configPriority: number;
  autoApprove: boolean;
  reviewerStages: ReviewerStage[];
}

export async function insertRequestItem(db: Db, i: NewRequestItem): Promise<void> {
  const group = 'groupId' in i.target ? i.target : null;
  const resource = 'resourceId' in i.target ? i.target : null;
  await db
    .insertInto('request_items')
    .values({
      id: i.id,
      request_id: i.requestId,
      position: i.position,
      group_id: group?.groupId ?? null,
      resource_id: resource?.resourceId ?? null,
      access_level: resource?.accessLevel ?? null,
      config_priority: i.configPriority,
      auto_approve: i.autoApprove,
      reviewer_stages: JSON.stringify(i.reviewerStages),
      status: 'pending',
    })
    .execute();
}

export async function insertReviewers(
  db: Db,
  item: { id: string; requestId: string },
  stageIndex: number,
  userIds: string[],
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto('request_reviewers')
    .values(
      userIds.map((user_id) => ({
        item_id: item.id,
        request_id: item.requestId,
        stage_index: stageIndex,
        user_id,
      })),
    )
    .execute();
}

export async function recordApproval(
  db: Db,
  itemId: string,
  stageIndex: number,
  userId: string,
  at: Date,
  comment: string | null,
): Promise<void> {
  await db
    .updateTable('request_reviewers')
    .set({ approved_at: at, comment })
    .where('item_id', '=', itemId)
    .where('stage_index', '=', stageIndex)
    .where('user_id', '=', userId)
    .execute();
}

export async function updateItem(
  db: Db,
  id: string,
  set: {
    status?: ItemStatus;
    stageIndex?: number;
    grantId?: string;
    decidedAt?: Date;
    decidedBy?: string | null;
    comment?: string | null;
  },
): Promise<void> {
  await db
    .updateTable('request_items')
    .set({
      ...(set.status !== undefined ? { status: set.status } : {}),
      ...(set.stageIndex !== undefined ? { stage_index: set.stageIndex } : {}),
      ...(set.grantId !== undefined ? { grant_id: set.grantId } : {}),
      ...(set.decidedAt !== undefined ? { decided_at: set.decidedAt } : {}),
      ...(set.decidedBy !== undefined ? { decided_by: set.decidedBy } : {}),
      ...(set.comment !== undefined ? { comment: set.comment } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Ends every still-pending item of a request with the request-level outcome (canceled, expired). */
export async function closePendingItems(
  db: Db,
  requestId: string,
  status: ItemStatus,
  at: Date,
  by: string | null,
) {
  await db
    .updateTable('request_items')
    .set({ status, decided_at: at, decided_by: by })
    .where('request_id', '=', requestId)
    .where('status', '=', 'pending')
    .execute();
}

export async function setRequestStatus(
  db: Db,
  id: string,
  status: RequestStatus,
  decidedAt: Date | null,
  canceledBy: string | null = null,
): Promise<void> {
  await db
    .updateTable('requests')
    .set({ status, decided_at: decidedAt, ...(canceledBy ? { canceled_by: canceledBy } : {}) })
    .where('id', '=', id)
    .execute();
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { AccessRequest, RequestStatus } from '../domain/requests.js';
import { assembleRequests } from './request-reads.js';
import type { Database, RequestRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Listing requests: filters whose statuses agree with the ones shown (lapsing is derived at read time).

export interface RequestFilter {
  requesterId?: string | undefined;
  targetUserId?: string | undefined;
  status?: RequestStatus | undefined;
  /** Pending requests with an item whose current stage this user can still approve. */
  reviewableBy?: string | undefined;
  /** Restricts to requests by or for this user, those they review, and those on these items. */
  visibleTo?: { userId: string; itemIds: string[] } | undefined;
  afterId?: string | undefined;
  limit: number;
}

/** The SQL twin of effectiveStatus(). */
function statusPredicate(status: RequestStatus, now: Date) {
  if (status === 'pending') return sql<boolean>`r.status = 'pending' and r.expires_at > ${now}`;
  if (status === 'expired')
    return sql<boolean>`(r.status = 'expired' or (r.status = 'pending' and r.expires_at <= ${now}))`;
  return sql<boolean>`r.status = ${status}`;
}

const reviewable = (userId: string) => sql<boolean>`exists (
  select 1 from request_reviewers rr join request_items ri on ri.id = rr.item_id
  where rr.request_id = r.id and rr.user_id = ${userId} and rr.approved_at is null
    and ri.status = 'pending' and rr.stage_index = ri.stage_index)`;

function visible(userId: string, itemIds: string[]) {
  const named = JSON.stringify([{ reviewers: { userIds: [userId] } }]);
  const reviewer = sql<boolean>`(exists (select 1 from request_reviewers rr where rr.request_id = r.id and rr.user_id = ${userId})
    or exists (select 1 from request_items ri where ri.request_id = r.id and ri.reviewer_stages @> ${named}::jsonb))`;
  if (itemIds.length === 0)
    return sql<boolean>`(r.requester_id = ${userId} or r.target_user_id = ${userId} or ${reviewer})`;
  const items = sql.join(itemIds);
  return sql<boolean>`(r.requester_id = ${userId} or r.target_user_id = ${userId} or ${reviewer} or exists (
    select 1 from request_items ri where ri.request_id = r.id
      and (ri.group_id in (${items}) or ri.resource_id in (${items}))))`;
}

export async function listRequests(db: Db, f: RequestFilter, now: Date): Promise<AccessRequest[]> {
  let q = db.selectFrom('requests as r').selectAll('r').orderBy('r.id').limit(f.limit);
  if (f.requesterId) q = q.where('r.requester_id', '=', f.requesterId);
  if (f.targetUserId) q = q.where('r.target_user_id', '=', f.targetUserId);
  if (f.status) q = q.where(statusPredicate(f.status, now));
  if (f.reviewableBy) q = q.where(statusPredicate('pending', now)).where(reviewable(f.reviewableBy));
  if (f.visibleTo) q = q.where(visible(f.visibleTo.userId, f.visibleTo.itemIds));
  if (f.afterId) q = q.where('r.id', '>', f.afterId);
  const rows: RequestRow[] = await q.execute();
  return assembleRequests(db, rows, now);
}

/**
 * Pending requests past their deadline, locked; rows another transaction holds are skipped, so concurrent
 * sweeps share the work instead of waiting on each other.
 */
export async function lapsedRequestRows(db: Db, now: Date, limit: number): Promise<RequestRow[]> {
  return db
    .selectFrom('requests')
    .selectAll()
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** When the next pending request lapses (possibly already past); null when none is pending. */
export async function earliestRequestExpiry(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('requests')
    .select('expires_at')
    .where('status', '=', 'pending')
    .orderBy('expires_at')
    .limit(1)
    .executeTakeFirst();
  return row?.expires_at ?? null;
}

/**
 * The pending request, if any, in which `targetUserId` is still waiting for one of `targets` (an item of it
 * undecided, the request not lapsed). Callers hold lockRequestsFor(targetUserId), so two submissions for the
 * same person cannot both find none.
 */
export async function findWaitingRequest(
  db: Db,
  targetUserId: string,
  targets: ({ groupId: string } | { resourceId: string; accessLevel: string })[],
  now: Date,
): Promise<{ requestId: string; position: number } | undefined> {
  if (targets.length === 0) return undefined;
  const same = sql.join(
    targets.map((t) =>
      'groupId' in t
        ? sql`ri.group_id = ${t.groupId}`
        : sql`(ri.resource_id = ${t.resourceId} and ri.access_level = ${t.accessLevel})`,
    ),
    sql` or `,
  );
  const row = await sql<{
    request_id: string;
    group_id: string | null;
    resource_id: string | null;
    access_level: string | null;
  }>`
    select ri.request_id, ri.group_id, ri.resource_id, ri.access_level
    from request_items ri join requests r on r.id = ri.request_id
    where r.target_user_id = ${targetUserId} and ${statusPredicate('pending', now)} and ri.status = 'pending'
      and (${same})
    order by r.created_at limit 1`.execute(db);
  const hit = row.rows[0];
  if (!hit) return undefined;
  const position = targets.findIndex((t) =>
    'groupId' in t
      ? t.groupId === hit.group_id
      : t.resourceId === hit.resource_id && t.accessLevel === hit.access_level,
  );
  return { requestId: hit.request_id, position };
}

export interface WaitingRequestItem {
  requestId: string;
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  requestedAt: Date;
  /** The current stage's reviewers who have not approved yet. */
  reviewerIds: string[];
}

/** `userId`'s request items on these groups and resources still waiting for a decision. */
export async function waitingRequestItems(
  db: Db,
  userId: string,
  itemIds: string[],
  now: Date,
): Promise<WaitingRequestItem[]> {
  if (itemIds.length === 0) return [];
  const ids = sql.join(itemIds);
  const { rows } = await sql<{
    request_id: string;
    group_id: string | null;
    resource_id: string | null;
    access_level: string | null;
    created_at: Date;
    reviewer_ids: string[] | null;
  }>`
    select ri.request_id, ri.group_id, ri.resource_id, ri.access_level, r.created_at,
      (select array_agg(rr.user_id order by rr.user_id) from request_reviewers rr
        where rr.item_id = ri.id and rr.stage_index = ri.stage_index and rr.approved_at is null) as reviewer_ids
    from request_items ri join requests r on r.id = ri.request_id
    where r.target_user_id = ${userId} and ${statusPredicate('pending', now)} and ri.status = 'pending'
      and (ri.group_id in (${ids}) or ri.resource_id in (${ids}))
    order by r.created_at`.execute(db);
  return rows.map((r) => ({
    requestId: r.request_id,
    groupId: r.group_id,
    resourceId: r.resource_id,
    accessLevel: r.access_level,
    requestedAt: new Date(r.created_at),
    reviewerIds: r.reviewer_ids ?? [],
  }));
}

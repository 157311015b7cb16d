import { sql, type Kysely, type Transaction } from 'kysely';
import type { GrantSource } from '../domain/access-facts.js';
import { EXPIRED_END_REASON, grantStatus, type Grant, type GrantStatus } from '../domain/grants.js';
import type { Database, GrantRow } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export const toGrant = (r: GrantRow, now: Date): Grant => ({
  id: r.id,
  userId: r.user_id,
  groupId: r.group_id,
  resourceId: r.resource_id,
  accessLevel: r.access_level,
  source: r.source as GrantSource,
  reason: r.reason,
  requestId: r.request_id,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  startsAt: r.starts_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  endedAt: r.ended_at?.toISOString() ?? null,
  endedBy: r.ended_by,
  endReason: r.end_reason,
  status: grantStatus(
    { startsAt: r.starts_at, expiresAt: r.expires_at, endedAt: r.ended_at, endReason: r.end_reason },
    now,
  ),
});

export interface NewGrant {
  id: string;
  userId: string;
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  source: GrantSource;
  reason: string | null;
  requestId: string | null;
  createdBy: string | null;
  createdAt: Date;
  startsAt: Date;
  expiresAt: Date | null;
  /** On-call grants: the schedule whose shift this is. */
  onCallScheduleId?: string | null;
}

export async function insertGrant(db: Db, g: NewGrant): Promise<GrantRow> {
  return db
    .insertInto('grants')
    .values({
      id: g.id,
      user_id: g.userId,
      group_id: g.groupId,
      resource_id: g.resourceId,
      access_level: g.accessLevel,
      source: g.source,
      reason: g.reason,
      request_id: g.requestId,
      created_by: g.createdBy,
      created_at: g.createdAt,
      starts_at: g.startsAt,
      expires_at: g.expiresAt,
      on_call_schedule_id: g.onCallScheduleId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findGrantRow(db: Db, id: string, lock = false): Promise<GrantRow | undefined> {
  let q = db.selectFrom('grants').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** One array parameter whatever the number of ids: a close may end a hundred thousand grants at once. */
export async function grantRowsByIds(db: Db, ids: string[]): Promise<GrantRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('grants')
    .selectAll()
    .where(sql<boolean>`id = any(${sql.val(ids)}::text[])`)
    .execute();
}

export async function endGrantRow(
  db: Db,
  id: string,
  at: Date,
  by: string | null,
  reason: string,
): Promise<GrantRow> {
  return db
    .updateTable('grants')
    .set({ ended_at: at, ended_by: by, end_reason: reason })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The SQL twin of an active-or-scheduled grant at `now`: not ended, not past its expiry. */
const liveAt = (now: Date) =>
  sql<boolean>`(ended_at is null or ended_at > ${now}) and (expires_at is null or expires_at > ${now})`;

/**
 * endGrantRow for many grants at once, each only if it is still live: a grant that has ended or expired
 * meanwhile is left as it is (and not returned), so nothing is ended twice. Identity-provider grants are the
 * provider's to end.
 */
export async function endLiveGrants(
  db: Db,
  ids: string[],
  at: Date,
  by: string | null,
  reason: string,
): Promise<GrantRow[]> {
  if (ids.length === 0) return [];
  return db
    .updateTable('grants')
    .set({ ended_at: at, ended_by: by, end_reason: reason })
    .where(sql<boolean>`id = any(${sql.val(ids)}::text[])`)
    .where(liveAt(at))
    .where('source', '<>', 'idp')
    .returningAll()
    .execute();
}

/** Brings live grants' ends forward to the dates given; a grant that already ends by then is left as it is. */
export async function shortenLiveGrants(
  db: Db,
  changes: { id: string; until: Date }[],
  now: Date,
): Promise<(GrantRow & { previous_expires_at: Date | null })[]> {
  if (changes.length === 0) return [];
  const result = await sql<GrantRow & { previous_expires_at: Date | null }>`
    update grants g set expires_at = v.until
    from unnest(${sql.val(changes.map((c) => c.id))}::text[], ${sql.val(changes.map((c) => c.until))}::timestamptz[])
      as v(id, until)
    join grants o on o.id = v.id
    where g.id = v.id and v.until > ${now} and (g.ended_at is null or g.ended_at > ${now})
      and (g.expires_at is null or g.expires_at > v.until) and g.source <> 'idp'
    returning g.*, o.expires_at as previous_expires_at`.execute(db);
  return result.rows;
}

/** Grants on an item that have not ended: what deleting the item must end. */
export async function liveGrantIdsOnItem(db: Db, itemId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('grants')
    .select('id')
    .where((eb) => eb.or([eb('group_id', '=', itemId), eb('resource_id', '=', itemId)]))
    .where('ended_at', 'is', null)
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export interface GrantFilter {
  userId?: string | undefined;
  groupId?: string | undefined;
  resourceId?: string | undefined;
  source?: string | undefined;
  status?: GrantStatus | undefined;
  /** Restricts to grants held by this user or on these items (what a non-auditor may see). */
  visibleTo?: { userId: string; itemIds: string[] } | undefined;
  afterId?: string | undefined;
  limit: number;
}

/** The SQL twin of grantStatus(), so that filtering by status agrees with the status shown. */
function statusPredicate(status: GrantStatus, now: Date) {
  switch (status) {
    case 'revoked':
      return sql<boolean>`ended_at is not null and ended_at <= ${now} and coalesce(end_reason, '') <> ${EXPIRED_END_REASON}`;
    case 'expired':
      return sql<boolean>`((ended_at is not null and ended_at <= ${now} and end_reason = ${EXPIRED_END_REASON}) or ((ended_at is null or ended_at > ${now}) and expires_at <= ${now}))`;
    case 'scheduled':
      return sql<boolean>`(ended_at is null or ended_at > ${now}) and (expires_at is null or expires_at > ${now}) and starts_at > ${now}`;
    case 'active':
      return sql<boolean>`(ended_at is null or ended_at > ${now}) and (expires_at is null or expires_at > ${now}) and starts_at <= ${now}`;
  }
}

export async function listGrants(db: Db, f: GrantFilter, now: Date): Promise<Grant[]> {
  let q = db.selectFrom('grants').selectAll().orderBy('id').limit(f.limit);
  if (f.userId) q = q.where('user_id', '=', f.userId);
  if (f.groupId) q = q.where('group_id', '=', f.groupId);
  if (f.resourceId) q = q.where('resource_id', '=', f.resourceId);
  if (f.source) q = q.where('source', '=', f.source);
  if (f.status) q = q.where(statusPredicate(f.status, now));
  if (f.afterId) q = q.where('id', '>', f.afterId);
  if (f.visibleTo) {
    const { userId, itemIds } = f.visibleTo;
    q = q.where((eb) =>
      eb.or([
        eb('user_id', '=', userId),
        ...(itemIds.length ? [eb('group_id', 'in', itemIds), eb('resource_id', 'in', itemIds)] : []),
      ]),
    );
  }
  return (await q.execute()).map((r) => toGrant(r, now));
}

import { sql, type Kysely, type Transaction } from 'kysely';
import {
  activationStatus,
  EXPIRED,
  isReviewOverdue,
  overdueCutoff,
  type Activation,
  type ReviewOutcome,
  type ReviewStatus,
} from '../domain/break-glass.js';
import type { ActivationRow, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// The activations ledger. An activation is read together with its grant: a grant ended elsewhere (revoked,
// its group deleted) ends the activation too, so the two ledgers always agree.

export interface NewActivation {
  id: string;
  groupId: string;
  userId: string;
  reason: string;
  activatedAt: Date;
  expiresAt: Date;
  grantId: string;
}

export async function insertActivation(db: Db, a: NewActivation): Promise<void> {
  await db
    .insertInto('break_glass_activations')
    .values({
      id: a.id,
      group_id: a.groupId,
      user_id: a.userId,
      reason: a.reason,
      activated_at: a.activatedAt,
      expires_at: a.expiresAt,
      grant_id: a.grantId,
    })
    .execute();
}

type ActivationRecord = ActivationRow & {
  grant_ended_at: Date | null;
  grant_ended_by: string | null;
  grant_end_reason: string | null;
};

const withGrant = (db: Db) =>
  db
    .selectFrom('break_glass_activations as a')
    .innerJoin('grants as g', 'g.id', 'a.grant_id')
    .selectAll('a')
    .select([
      'g.ended_at as grant_ended_at',
      'g.ended_by as grant_ended_by',
      'g.end_reason as grant_end_reason',
    ]);

export function toActivation(r: ActivationRecord, now: Date): Activation {
  // The grant's own end counts only when it cut the window short; an end at or after expiry is the expiry.
  const grantCut = r.grant_ended_at !== null && r.grant_ended_at < r.expires_at;
  const ended = r.ended_at
    ? { at: r.ended_at, by: r.ended_by, reason: r.end_reason }
    : grantCut
      ? { at: r.grant_ended_at!, by: r.grant_ended_by, reason: r.grant_end_reason }
      : null;
  const status = activationStatus({ expiresAt: r.expires_at, endedAt: ended?.at ?? null }, now);
  const reviewStatus = r.review_status as ReviewStatus;
  return {
    id: r.id,
    groupId: r.group_id,
    userId: r.user_id,
    reason: r.reason,
    activatedAt: r.activated_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    endedAt: (ended?.at ?? (status === 'expired' ? r.expires_at : null))?.toISOString() ?? null,
    endedBy: ended?.by ?? null,
    endReason: ended?.reason ?? (status === 'expired' ? EXPIRED : null),
    grantId: r.grant_id,
    status,
    review: {
      status: reviewStatus,
      reviewedBy: r.reviewed_by,
      reviewedAt: r.reviewed_at?.toISOString() ?? null,
      comment: r.review_comment,
      overdue: isReviewOverdue({ reviewStatus, activatedAt: r.activated_at }, now),
    },
  };
}

/** The SQL twin of activationStatus() === 'active', so that filtering agrees with the status shown. */
const activeNow = (now: Date) =>
  sql<boolean>`a.ended_at is null and a.expires_at > ${now} and (g.ended_at is null or g.ended_at > ${now})`;

export async function findActivation(
  db: Db,
  id: string,
  now: Date,
  lock = false,
): Promise<Activation | undefined> {
  let q = withGrant(db).where('a.id', '=', id);
  if (lock) q = q.forUpdate('a');
  const row = await q.executeTakeFirst();
  return row && toActivation(row, now);
}

/** The user's active activations on the group (at most one, barring races the caller's lock prevents). */
export async function activeActivations(
  db: Db,
  groupId: string,
  userId: string,
  now: Date,
): Promise<Activation[]> {
  const rows = await withGrant(db)
    .where('a.group_id', '=', groupId)
    .where('a.user_id', '=', userId)
    .where(activeNow(now))
    .forUpdate('a')
    .execute();
  return rows.map((r) => toActivation(r, now));
}

export async function endActivationRow(
  db: Db,
  id: string,
  at: Date,
  by: string,
  reason: string,
): Promise<void> {
  await db
    .updateTable('break_glass_activations')
    .set({ ended_at: at, ended_by: by, end_reason: reason })
    .where('id', '=', id)
    .execute();
}

export async function reviewActivationRow(
  db: Db,
  id: string,
  r: { outcome: ReviewOutcome; by: string; at: Date; comment: string },
): Promise<void> {
  await db
    .updateTable('break_glass_activations')
    .set({ review_status: r.outcome, reviewed_by: r.by, reviewed_at: r.at, review_comment: r.comment })
    .where('id', '=', id)
    .execute();
}

export interface ActivationFilter {
  groupId?: string | undefined;
  userId?: string | undefined;
  active?: boolean | undefined;
  review?: ReviewStatus | 'overdue' | undefined;
  /** Restricts to the user's own activations and those on these groups (what a non-auditor may see). */
  visibleTo?: { userId: string; groupIds: string[] } | undefined;
  afterId?: string | undefined;
  limit: number;
}

export async function listActivations(db: Db, f: ActivationFilter, now: Date): Promise<Activation[]> {
  let q = withGrant(db).orderBy('a.id').limit(f.limit);
  if (f.groupId) q = q.where('a.group_id', '=', f.groupId);
  if (f.userId) q = q.where('a.user_id', '=', f.userId);
  if (f.active !== undefined) q = q.where(f.active ? activeNow(now) : sql<boolean>`not (${activeNow(now)})`);
  if (f.review === 'overdue')
    q = q.where('a.review_status', '=', 'pending').where('a.activated_at', '<', overdueCutoff(now));
  else if (f.review) q = q.where('a.review_status', '=', f.review);
  if (f.afterId) q = q.where('a.id', '>', f.afterId);
  if (f.visibleTo) {
    const { userId, groupIds } = f.visibleTo;
    q = q.where((eb) =>
      eb.or([eb('a.user_id', '=', userId), ...(groupIds.length ? [eb('a.group_id', 'in', groupIds)] : [])]),
    );
  }
  return (await q.execute()).map((r) => toActivation(r, now));
}

/** The activations whose grants are among `grantIds`. */
export async function activationIdsOfGrants(db: Db, grantIds: string[]): Promise<string[]> {
  if (grantIds.length === 0) return [];
  const rows = await db
    .selectFrom('break_glass_activations')
    .select('id')
    .where('grant_id', 'in', grantIds)
    .execute();
  return rows.map((r) => r.id);
}

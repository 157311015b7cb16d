import { sql, type Kysely, type Transaction } from 'kysely';
import type { ReviewReminderRule } from '../domain/access-reviews/reminders.js';
import type { Database } from './schema.js';
import type { AccessReviewRow } from './schema-access-reviews.js';

type Db = Kysely<Database> | Transaction<Database>;

// What the time engine does for campaigns: close them at their deadline, remind reviewers before it. Each "lock"
// takes due campaigns FOR UPDATE SKIP LOCKED, so replicas split the work and never do it twice.

export async function earliestOpenDeadline(db: Db): Promise<Date | null> {
  const row = await db
    .selectFrom('access_reviews')
    .select((eb) => eb.fn.min('deadline').as('at'))
    .where('status', '=', 'open')
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/** One open campaign past its deadline, locked; undefined when none is left that another process does not hold. */
export async function lockDueReview(
  trx: Transaction<Database>,
  now: Date,
): Promise<AccessReviewRow | undefined> {
  return trx
    .selectFrom('access_reviews')
    .selectAll()
    .where('status', '=', 'open')
    .where('deadline', '<=', now)
    .orderBy('deadline')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** The SQL twin of reviewReminderApplies() (src/domain/access-reviews/reminders.ts), for reminders not yet sent. */
const remindable = (rule: ReviewReminderRule, now: Date) => {
  const lead = sql`make_interval(secs => ${rule.leadMs / 1000})`;
  return sql<boolean>`r.status = 'open' and r.deadline > ${now} and r.created_at < r.deadline - ${lead}
    and not exists (select 1 from access_review_reminders m where m.review_id = r.id and m.kind = ${rule.kind})`;
};

export async function earliestReviewReminder(
  db: Db,
  rule: ReviewReminderRule,
  now: Date,
): Promise<Date | null> {
  const row = await db
    .selectFrom('access_reviews as r')
    .select('r.deadline')
    .where(remindable(rule, now))
    .orderBy('r.deadline')
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.deadline.getTime() - rule.leadMs) : null;
}

export async function lockDueReviewReminders(
  trx: Transaction<Database>,
  rule: ReviewReminderRule,
  now: Date,
  limit: number,
): Promise<AccessReviewRow[]> {
  return trx
    .selectFrom('access_reviews as r')
    .selectAll('r')
    .where(remindable(rule, now))
    .where('r.deadline', '<=', new Date(now.getTime() + rule.leadMs))
    .orderBy('r.deadline')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function recordReviewReminders(
  trx: Transaction<Database>,
  reviewIds: string[],
  kind: string,
  now: Date,
): Promise<Set<string>> {
  if (reviewIds.length === 0) return new Set();
  const rows = await trx
    .insertInto('access_review_reminders')
    .values(reviewIds.map((id) => ({ review_id: id, kind, sent_at: now })))
    .onConflict((oc) => oc.columns(['review_id', 'kind']).doNothing())
    .returning('review_id')
    .execute();
  return new Set(rows.map((r) => r.review_id));
}

/**
 * Who is told of a campaign's undecided rows, with how many: each reviewer with rows that still need a decision,
 * and whoever those rows are delegated to now.
 */
export async function undecidedByReviewer(
  db: Db,
  reviewId: string,
  now: Date,
): Promise<{ userId: string; undecided: number }[]> {
  const result = await sql<{ user_id: string; undecided: number }>`
    select v.reviewer_id as user_id, (v.total - v.decided)::int as undecided from access_review_reviewers v
    where v.review_id = ${reviewId} and v.total > v.decided
    union all
    select d.to_user_id, (v.total - v.decided)::int from access_review_reviewers v
    join access_review_delegations d on d.review_id = v.review_id and d.from_user_id = v.reviewer_id
    where v.review_id = ${reviewId} and v.total > v.decided and d.until > ${now}`.execute(db);
  const totals = new Map<string, number>();
  for (const r of result.rows) totals.set(r.user_id, (totals.get(r.user_id) ?? 0) + Number(r.undecided));
  return [...totals].map(([userId, undecided]) => ({ userId, undecided }));
}

import { reviewReminderAt, type ReviewReminderRule } from '../../domain/access-reviews/reminders.js';
import {
  lockDueReviewReminders,
  recordReviewReminders,
  undecidedByReviewer,
} from '../../store/due-access-reviews.js';
import { enqueueNotifications } from '../../store/outbox.js';
import { activeUserIds } from '../../store/users.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { AccessReviewRow } from '../../store/schema-access-reviews.js';

/** The notice kind reviewers are reminded with (notification channels may carry or skip it). */
export const REMINDER_KIND = 'access_review.reminder';

/**
 * Queues one rule's due reminders (up to `limit` campaigns) to every reviewer with undecided rows, and to whom
 * those rows are delegated. Recorded per campaign and kind in the same transaction as the notices; the unique key
 * and SKIP LOCKED make each reminder happen once across processes. Notices, not changes: no audit event.
 */
export async function sendReviewReminders(
  deps: OpsDeps,
  rule: ReviewReminderRule,
  limit = 100,
  now = deps.now(),
): Promise<{ id: string; dueAt: Date }[]> {
  return runInTransaction(deps, async (trx) => {
    const due = await lockDueReviewReminders(trx, rule, now, limit);
    const fresh = await recordReviewReminders(
      trx,
      due.map((r) => r.id),
      rule.kind,
      now,
    );
    const toSend = due.filter((r) => fresh.has(r.id));
    for (const review of toSend) await remind(trx, review, rule.kind, now);
    return {
      result: toSend.map((r) => ({ id: r.id, dueAt: reviewReminderAt(rule, r.deadline) })),
      events: [],
    };
  });
}

/** The notice kind reviewers are told of a new campaign with: what they have to decide, and by when. */
export const STARTED_KIND = 'access_review.started';

/** Tells every active reviewer of a campaign just started how many rows wait for them (the creator's transaction). */
export async function noticeReviewStarted(trx: Tx, review: AccessReviewRow, now: Date): Promise<void> {
  await noticeReviewers(trx, review, STARTED_KIND, {}, now);
}

async function remind(trx: Tx, review: AccessReviewRow, kind: string, now: Date): Promise<void> {
  await noticeReviewers(trx, review, REMINDER_KIND, { reminder: kind }, now);
}

async function noticeReviewers(
  trx: Tx,
  review: AccessReviewRow,
  noticeKind: string,
  extra: Record<string, string>,
  now: Date,
): Promise<void> {
  const counts = await undecidedByReviewer(trx, review.id, now);
  const active = new Set(
    await activeUserIds(
      trx,
      counts.map((c) => c.userId),
    ),
  );
  for (const c of counts.filter((x) => active.has(x.userId)))
    await enqueueNotifications(
      trx,
      noticeKind,
      [c.userId],
      {
        accessReview: { id: review.id, name: review.name },
        deadline: review.deadline.toISOString(),
        undecided: c.undecided,
        ...extra,
      },
      now,
    );
}

import { REVIEW_REMINDER_RULES } from '../domain/access-reviews/reminders.js';
import { closeDueReviews } from '../ops/access-reviews/close-review.js';
import { nextDeadlineAt, nextReviewReminderAt } from '../ops/access-reviews/due.js';
import { sendReviewReminders } from '../ops/access-reviews/send-reminders.js';
import type { DueSource } from './due-sources.js';

// Access review campaigns in the time engine: each closes at its deadline, its decisions applied (exactly once
// across processes: the campaign row is claimed with SKIP LOCKED and its status re-checked), and reviewers with
// undecided rows are reminded 7 days, 1 day and 1 hour before it.

const reviewStarted = (type: string) => type === 'access_review.created';

export const accessReviewDeadlineSource: DueSource = {
  name: 'access-review-deadline',
  nextDueAt: (deps) => nextDeadlineAt(deps),
  processDue: async (deps, now, limit) => {
    const items = await closeDueReviews(deps, limit, now);
    return { count: items.length, items };
  },
  wakesOn: reviewStarted,
};

/** As late as grant reminders may be (REMINDER_SPACING_MS): a reminder a day ahead is not worth a scan a second. */
const REVIEW_REMINDER_SPACING_MS = 30_000;

export const accessReviewReminderSources: DueSource[] = REVIEW_REMINDER_RULES.map((rule) => ({
  name: `access-review-reminder:${rule.kind}`,
  nextDueAt: (deps, now) => nextReviewReminderAt(deps, rule, now),
  processDue: async (deps, now, limit) => {
    const items = await sendReviewReminders(deps, rule, limit, now);
    return { count: items.length, items };
  },
  wakesOn: reviewStarted,
  spacingMs: REVIEW_REMINDER_SPACING_MS,
}));

export const accessReviewSources: DueSource[] = [accessReviewDeadlineSource, ...accessReviewReminderSources];

import type { ReviewReminderRule } from '../../domain/access-reviews/reminders.js';
import { earliestOpenDeadline, earliestReviewReminder } from '../../store/due-access-reviews.js';
import type { OpsDeps } from '../shared/deps.js';

// When the time engine next has work on campaigns: a deadline to close at, a reminder to send.

export const nextDeadlineAt = (deps: Pick<OpsDeps, 'db'>) => earliestOpenDeadline(deps.db);
export const nextReviewReminderAt = (deps: Pick<OpsDeps, 'db'>, rule: ReviewReminderRule, now: Date) =>
  earliestReviewReminder(deps.db, rule, now);

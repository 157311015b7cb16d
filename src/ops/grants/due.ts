import type { ReminderRule } from '../../domain/reminders.js';
import { earliestExpiry, earliestReminder, earliestStart } from '../../store/due-grants.js';
import type { OpsDeps } from '../shared/deps.js';

// When the time engine next has work on grants: an expiry to record, a start to record, a reminder to send.

export const nextExpiryAt = (deps: Pick<OpsDeps, 'db'>) => earliestExpiry(deps.db);
export const nextStartAt = (deps: Pick<OpsDeps, 'db'>) => earliestStart(deps.db);
export const nextReminderAt = (deps: Pick<OpsDeps, 'db'>, rule: ReminderRule, now: Date) =>
  earliestReminder(deps.db, rule, now);

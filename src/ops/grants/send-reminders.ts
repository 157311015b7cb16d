import { reminderAt, type ReminderRule } from '../../domain/reminders.js';
import { lockDueReminders, recordReminders } from '../../store/due-grants.js';
import type { OpsDeps } from '../shared/deps.js';
import type { ProcessedItem } from './expire.js';
import { queueHolderNotices } from './notices.js';
import { runInTransaction } from '../shared/transaction.js';

/**
 * Queues one rule's due reminders (up to `limit`) to the holders. The reminder is recorded in
 * `grant_reminders` in the same transaction as its outbox row; the unique key and SKIP LOCKED make each
 * reminder happen once, however many processes run this. Reminders are notices, not changes: no audit event.
 */
export async function sendGrantReminders(
  deps: OpsDeps,
  rule: ReminderRule,
  limit = 500,
  now = deps.now(),
): Promise<ProcessedItem[]> {
  return runInTransaction(deps, async (trx) => {
    const due = await lockDueReminders(trx, rule, now, limit);
    const fresh = await recordReminders(
      trx,
      due.map((g) => g.id),
      rule.kind,
      now,
    );
    const toSend = due.filter((g) => fresh.has(g.id));
    await queueHolderNotices(trx, 'grant.expiring', toSend, now, { reminder: rule.kind });
    return {
      result: toSend.map((g) => ({ id: g.id, dueAt: reminderAt(rule, g.expires_at!) })),
      events: [],
    };
  });
}

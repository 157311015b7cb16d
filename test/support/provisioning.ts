import type { Harness } from './harness.js';

// Waiting on the provisioning engine from tests: whether it has planned an item since a moment, and applied
// everything it planned for it.

/** The item was planned after `at` and nothing is left to apply for it. */
export async function settledAfter(h: Harness, itemId: string, at: Date): Promise<boolean> {
  const db = h.latch.store.db;
  const link = await db
    .selectFrom('remote_links')
    .select('planned_at')
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  const due = await db
    .selectFrom('provisioned_accounts')
    .select('user_id')
    .where('item_id', '=', itemId)
    .where('next_attempt_at', 'is not', null)
    .execute();
  return !!link?.planned_at && link.planned_at > at && due.length === 0;
}

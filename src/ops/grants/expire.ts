import { EXPIRED } from '../../domain/break-glass.js';
import { activationIdsOfGrants, findActivation } from '../../store/break-glass.js';
import { lockDueExpiries, markExpired } from '../../store/due-grants.js';
import type { NewEvent } from '../../store/events.js';
import { findGroup } from '../../store/groups.js';
import type { GrantRow } from '../../store/schema.js';
import { queueBreakGlassNotice } from '../break-glass/index.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { grantSubjects, queueHolderNotices } from './notices.js';
import { runInTransaction } from '../shared/transaction.js';

export interface ProcessedItem {
  id: string;
  /** When the work fell due (an expiry, a start, a reminder time). */
  dueAt: Date;
}

/** Break-glass windows that ran out are news to the group's owners, admins and channels, like an end by hand. */
async function queueBreakGlassExpiries(deps: OpsDeps, trx: Tx, rows: GrantRow[], now: Date) {
  const ids = rows.filter((r) => r.source === 'break_glass').map((r) => r.id);
  if (ids.length === 0) return;
  for (const id of await activationIdsOfGrants(trx, ids)) {
    const activation = await findActivation(trx, id, now);
    const group = activation && (await findGroup(trx, activation.groupId));
    if (activation && group)
      await queueBreakGlassNotice(trx, deps.index, 'break_glass.ended', group, activation, now, {
        endReason: EXPIRED,
        endedAt: activation.expiresAt,
      });
  }
}

/**
 * Records up to `limit` due expiries: each grant ends at its `expires_at` with reason `expired`, and its
 * `grant.expired` event is dated then, however late this runs (after downtime, too). Due rows are taken
 * FOR UPDATE SKIP LOCKED and re-checked, so processes running this at once never record one expiry twice.
 */
export async function expireDueGrants(
  deps: OpsDeps,
  limit = 500,
  now = deps.now(),
): Promise<ProcessedItem[]> {
  return runInTransaction(deps, async (trx) => {
    const due = await lockDueExpiries(trx, now, limit);
    const expired = await markExpired(
      trx,
      due.map((r) => r.id),
    );
    const events: NewEvent[] = expired.map((g) => ({
      type: 'grant.expired',
      actorId: null,
      subjects: grantSubjects(g),
      data: { source: g.source, expiresAt: g.expires_at!.toISOString() },
      at: g.expires_at!,
    }));
    await queueHolderNotices(trx, 'grant.expired', expired, now);
    await queueBreakGlassExpiries(deps, trx, expired, now);
    return { result: expired.map((g) => ({ id: g.id, dueAt: g.expires_at! })), events };
  });
}

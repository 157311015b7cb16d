import type { NewEvent } from '../../store/events.js';
import { lapsedRequestRows } from '../../store/request-queries.js';
import { findRequest } from '../../store/request-reads.js';
import { closePendingItems, setRequestStatus } from '../../store/requests.js';
import type { OpsDeps } from '../shared/deps.js';
import { requestSubjects } from './notices.js';
import { runInTransaction } from '../shared/transaction.js';
import { earliestRequestLapse } from '../../store/due-requests.js';

/**
 * One batch: records the lapse of up to `limit` pending requests past their deadline (status `expired`, each
 * with a `request.expired` event dated at the deadline) and returns them with that deadline. Reads already show
 * them expired; this makes it durable and audited. Rows another process holds are skipped, so concurrent runs
 * never expire a request twice.
 */
export async function expireDueRequests(
  deps: OpsDeps,
  limit = 200,
  now = deps.now(),
): Promise<{ id: string; dueAt: Date }[]> {
  return runInTransaction(deps, async (trx) => {
    const rows = await lapsedRequestRows(trx, now, limit);
    const events: NewEvent[] = [];
    for (const row of rows) {
      await closePendingItems(trx, row.id, 'expired', row.expires_at, null);
      await setRequestStatus(trx, row.id, 'expired', row.expires_at);
      const r = (await findRequest(trx, row.id, now))!;
      events.push({
        type: 'request.expired',
        actorId: null,
        subjects: requestSubjects(r),
        data: { createdAt: r.createdAt, expiresAt: r.expiresAt },
        at: row.expires_at,
      });
    }
    return { result: rows.map((r) => ({ id: r.id, dueAt: r.expires_at })), events };
  });
}

/** Expires every pending request past its deadline, batch by batch; returns how many it expired. */
export async function expireRequests(deps: OpsDeps, batch = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await expireDueRequests(deps, batch);
    total += done.length;
    if (done.length < batch) return total;
  }
}

/** When the next pending request lapses; null when none is pending. */
export const nextLapseAt = (deps: Pick<OpsDeps, 'db'>) => earliestRequestLapse(deps.db);

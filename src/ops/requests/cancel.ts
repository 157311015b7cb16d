import type { AccessRequest } from '../../domain/requests.js';
import type { Actor } from '../../domain/users.js';
import { findRequest } from '../../store/request-reads.js';
import { closePendingItems, setRequestStatus } from '../../store/requests.js';
import type { OpsDeps } from '../shared/deps.js';
import { requestSubjects } from './notices.js';
import { assertPending, visibleRequest } from './visibility.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';

/**
 * Withdraws a pending request: the requester or the target only. Items still waiting end as `canceled`; items
 * already granted keep their grants (revoking those is DELETE /grants/{id}).
 */
export async function cancelRequest(deps: OpsDeps, actor: Actor, id: string): Promise<AccessRequest> {
  return runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const r = await visibleRequest(trx, deps, actor, id, now, true);
    const facts = {
      requesterId: r.requesterId,
      targetUserId: r.targetUserId,
      isReviewer: false,
      ownsAnItem: false,
    };
    authorize(
      actor,
      'request',
      'cancel',
      facts,
      'only the requester or the person the request is for can cancel it',
    );
    assertPending(r);
    await closePendingItems(trx, id, 'canceled', now, actor.id);
    await setRequestStatus(trx, id, 'canceled', now, actor.id);
    const result = (await findRequest(trx, id, now))!;
    return {
      result,
      events: [{ type: 'request.canceled', actorId: actor.id, subjects: requestSubjects(result), data: {} }],
    };
  });
}

import { deriveStatus, parseDenyComment, type AccessRequest } from '../../domain/requests.js';
import type { Actor } from '../../domain/users.js';
import { findRequest } from '../../store/request-reads.js';
import { setRequestStatus, updateItem } from '../../store/requests.js';
import type { OpsDeps } from '../shared/deps.js';
import { queueDecisionNotice, requestSubjects } from './notices.js';
import { itemsDecidedBy, lockForReview } from './visibility.js';
import { runInTransaction } from '../shared/transaction.js';

/**
 * Denies, as the caller, every pending item whose current stage they review, with a required comment. Locks
 * the request row and re-checks it first, like approving.
 */
export async function denyRequest(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  input: { comment?: string | undefined },
): Promise<AccessRequest> {
  const comment = parseDenyComment(input.comment);
  return runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const r = await lockForReview(trx, deps, actor, id, now);
    const mine = await itemsDecidedBy(trx, deps, actor, r, now);
    for (const item of mine)
      await updateItem(trx, item.id, { status: 'denied', decidedAt: now, decidedBy: actor.id, comment });

    const status = deriveStatus((await findRequest(trx, id, now))!.items);
    if (status !== 'pending') await setRequestStatus(trx, id, status, now);
    const result = (await findRequest(trx, id, now))!;
    await queueDecisionNotice(trx, 'request.denied', result, actor.id, now, { comment });
    return {
      result,
      events: [
        {
          type: 'request.denied',
          actorId: actor.id,
          subjects: requestSubjects(result),
          data: { comment, status: result.status, items: mine.map((i) => i.id) },
        },
      ],
    };
  });
}

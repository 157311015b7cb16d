import { endReasonFrom, type Activation } from '../../domain/break-glass.js';
import { conflict } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findActivation } from '../../store/break-glass.js';

import { queueBreakGlassNotice } from './notices.js';
import type { OpsDeps } from '../shared/deps.js';
import { endActivationAndGrant } from './end-activation.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';
import { lockVisibleActivation } from './visible-activation.js';

/** Ends an activation now (the holder, the group's owners, admins): its grant ends with it, so access stops. */
export async function endBreakGlass(
  deps: OpsDeps,
  actor: Actor,
  activationId: string,
  reason?: string,
): Promise<Activation> {
  return runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const { activation, group, facts } = await lockVisibleActivation(trx, deps, actor, activationId, now);
    authorize(
      actor,
      'activation',
      'end',
      facts,
      "only the holder, the group's owners and admins can end a break-glass activation",
    );
    if (activation.status !== 'active')
      throw conflict(`break-glass activation ${activationId} has already ended (${activation.endReason})`);

    const endReason = endReasonFrom(reason);
    const events = await endActivationAndGrant(trx, activation, now, actor.id, endReason);
    const ended = (await findActivation(trx, activationId, now))!;
    if (group)
      await queueBreakGlassNotice(trx, deps.index, 'break_glass.ended', group, ended, now, {
        endReason,
        endedBy: actor.id,
        endedAt: ended.endedAt,
      });
    return { result: ended, events };
  });
}

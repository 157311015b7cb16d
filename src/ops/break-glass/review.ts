import { parseReviewComment, type Activation, type ReviewOutcome } from '../../domain/break-glass.js';
import { AppError, conflict } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findActivation, reviewActivationRow } from '../../store/break-glass.js';

import { activationSubjects, queueBreakGlassNotice } from './notices.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';
import { lockVisibleActivation } from './visible-activation.js';

/** Records the after-the-fact review of an activation: once, by an owner or admin who is not the activator. */
export async function reviewBreakGlass(
  deps: OpsDeps,
  actor: Actor,
  activationId: string,
  input: { outcome: ReviewOutcome; comment: string },
): Promise<Activation> {
  return runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const { activation, group, facts } = await lockVisibleActivation(trx, deps, actor, activationId, now);
    if (actor.id === activation.userId)
      throw new AppError('self_review_forbidden', 'nobody reviews their own break-glass activation');
    authorize(
      actor,
      'activation',
      'review',
      facts,
      "only admins and the group's owners can review break-glass activations",
    );
    if (activation.review.status !== 'pending')
      throw conflict(
        `break-glass activation ${activationId} was already reviewed (${activation.review.status})`,
      );
    const comment = parseReviewComment(input.comment);

    await reviewActivationRow(trx, activationId, { outcome: input.outcome, by: actor.id, at: now, comment });
    const reviewed = (await findActivation(trx, activationId, now))!;
    if (group)
      await queueBreakGlassNotice(trx, deps.index, 'break_glass.reviewed', group, reviewed, now, {
        review: reviewed.review,
      });
    return {
      result: reviewed,
      events: [
        {
          type: 'break_glass.reviewed',
          actorId: actor.id,
          subjects: activationSubjects(reviewed),
          data: { outcome: input.outcome, comment },
        },
      ],
    };
  });
}

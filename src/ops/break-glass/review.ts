import {
  parseReviewComment,
  reviewRefusal,
  type Activation,
  type ReviewOutcome,
} from '../../domain/break-glass.js';
import { AppError, conflict, forbidden, notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findActivation, reviewActivationRow } from '../../store/break-glass.js';
import { findGroup } from '../../store/groups.js';
import { activationSubjects, queueBreakGlassNotice } from './notices.js';
import type { OpsDeps } from '../shared/deps.js';
import { relationTo } from '../shared/ownership.js';
import { runInTransaction } from '../shared/transaction.js';

/** Records the after-the-fact review of an activation: once, by an owner or admin who is not the activator. */
export async function reviewBreakGlass(
  deps: OpsDeps,
  actor: Actor,
  activationId: string,
  input: { outcome: ReviewOutcome; comment: string },
): Promise<Activation> {
  return runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const activation = await findActivation(trx, activationId, now, true);
    if (!activation) throw notFound('break-glass activation', activationId);
    const group = await findGroup(trx, activation.groupId);
    const refusal = reviewRefusal(
      actor,
      activation.userId,
      group ? relationTo(deps.index, actor, group, now) : { isOwner: false },
    );
    if (refusal === 'hidden') throw notFound('break-glass activation', activationId);
    if (refusal === 'self_review')
      throw new AppError('self_review_forbidden', 'nobody reviews their own break-glass activation');
    if (refusal) throw forbidden("only admins and the group's owners can review break-glass activations");
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

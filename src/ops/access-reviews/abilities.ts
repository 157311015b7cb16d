import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import type { ReviewRowWithPath } from '../../store/access-review-rows.js';
import type { ReviewAccess } from './visibility.js';

// What the caller may do with a campaign and each of its rows, from the policy, sent with them so the web app
// asks nothing of its own: whose rows the caller acts for (their own, and those handed to them now).

export interface ReviewCaller {
  actingFor: string[];
  abilities: { close: boolean; readAllRows: boolean; delegateOwn: boolean; delegateAny: boolean };
}

export function reviewCaller(
  actor: Actor,
  access: Pick<ReviewAccess, 'review' | 'facts' | 'actingFor'>,
): ReviewCaller {
  const open = access.review.status === 'open';
  return {
    actingFor: access.actingFor,
    abilities: {
      close: open && can(actor, 'accessReview', 'close', access.facts),
      readAllRows: can(actor, 'accessReview', 'readAllRows', access.facts),
      delegateOwn: open && can(actor, 'accessReview', 'delegateOwn', access.facts),
      delegateAny: open && can(actor, 'accessReview', 'delegateAny', access.facts),
    },
  };
}

/** Whether the caller is among the row's reviewers, in person or for someone who handed their rows over. */
export const reviewsRow = (access: Pick<ReviewAccess, 'actingFor'>, reviewerIds: readonly string[]) =>
  reviewerIds.some((r) => access.actingFor.includes(r));

export function rowAbilities(
  actor: Actor,
  access: Pick<ReviewAccess, 'review' | 'actingFor'>,
  row: Pick<ReviewRowWithPath, 'user_id'>,
  reviewerIds: readonly string[],
): { decide: boolean } {
  return {
    decide:
      access.review.status === 'open' &&
      can(actor, 'accessReviewRow', 'decide', {
        userId: row.user_id,
        isReviewer: reviewsRow(access, reviewerIds),
        allowSelfReview: access.review.allow_self_review,
      }),
  };
}

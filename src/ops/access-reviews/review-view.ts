import type { AccessReview } from '../../domain/access-reviews/campaign.js';
import { restingEffect, type Decision } from '../../domain/access-reviews/decisions.js';
import { toAccessReview } from '../../store/access-reviews.js';
import type { ReviewRowWithPath } from '../../store/access-review-rows.js';
import type { AccessReviewRow, DelegationRow } from '../../store/schema-access-reviews.js';
import type { ReviewerProgress } from '../../domain/access-reviews/campaign.js';
import type { ReviewCaller } from './abilities.js';

// Campaigns and rows as the API shows them. A row's id is its number within the campaign: rows are only ever
// named under their campaign's path.

export interface DelegationView {
  fromUserId: string;
  toUserId: string;
  until: string;
  createdBy: string;
  createdAt: string;
}

export type AccessReviewView = AccessReview & { delegations: DelegationView[] } & ReviewCaller;

export const delegationView = (d: DelegationRow): DelegationView => ({
  fromUserId: d.from_user_id,
  toUserId: d.to_user_id,
  until: d.until.toISOString(),
  createdBy: d.created_by,
  createdAt: d.created_at.toISOString(),
});

export const reviewView = (
  r: AccessReviewRow,
  byReviewer: ReviewerProgress[],
  delegations: DelegationRow[],
  caller: ReviewCaller,
): AccessReviewView => ({
  ...toAccessReview(r, byReviewer),
  delegations: delegations.map(delegationView),
  ...caller,
});

export interface ReviewRowView {
  id: string;
  userId: string;
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  via: {
    grantId: string | null;
    edge: {
      assetId: string;
      parentGroupId: string;
      childGroupId: string | null;
      resourceId: string | null;
    } | null;
    /** The access index's path: the group the user's grant is on, then down to the item (a resource left out). */
    path: string[];
  };
  reviewerIds: string[];
  needsDecision: boolean;
  accessEndsAt: string | null;
  decision: Decision | null;
  keepUntil: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  effect: string | null;
  abilities: { decide: boolean };
}

export const rowId = (position: number) => String(position);

/** The path of a row given by a grant on the item itself: the group, or nothing for a resource. */
export const rowPath = (r: ReviewRowWithPath): string[] => r.group_ids ?? (r.group_id ? [r.group_id] : []);

/** What closing did with a row: stored when it acted on it, else read from the decision (once closed). */
export const rowEffect = (r: ReviewRowWithPath, closed: boolean): string | null =>
  r.effect ?? (closed ? restingEffect(r.decision as Decision | null, r.needs_decision) : null);

export function rowView(
  r: ReviewRowWithPath,
  reviewerIds: string[],
  abilities: ReviewRowView['abilities'],
  closed: boolean,
): ReviewRowView {
  return {
    id: rowId(r.position),
    userId: r.user_id,
    groupId: r.group_id,
    resourceId: r.resource_id,
    accessLevel: r.access_level,
    via: {
      grantId: r.grant_id,
      edge: r.edge_id
        ? {
            assetId: r.edge_id,
            parentGroupId: r.parent_group_id!,
            childGroupId: r.group_id,
            resourceId: r.resource_id,
          }
        : null,
      path: rowPath(r),
    },
    reviewerIds,
    needsDecision: r.needs_decision,
    accessEndsAt: r.access_ends_at ? new Date(r.access_ends_at).toISOString() : null,
    decision: r.decision as Decision | null,
    keepUntil: r.keep_until ? new Date(r.keep_until).toISOString() : null,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    comment: r.comment,
    effect: rowEffect(r, closed),
    abilities,
  };
}

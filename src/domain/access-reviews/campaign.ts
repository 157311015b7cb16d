import { invalid } from '../errors.js';
import { timestampMs } from '../timestamps.js';

// An access review campaign: what it covers, who reviews, until when. Creation takes a snapshot of who holds
// access to what (one row per user, item, level and what gives it); this file holds the rules of the campaign
// itself, the rows' rules are beside it.

export const REVIEW_STATUSES = ['open', 'closed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEWER_TYPES = ['owners', 'admins', 'users'] as const;
export type ReviewerType = (typeof REVIEWER_TYPES)[number];

export interface ReviewScope {
  groupIds: string[];
  resourceIds: string[];
  /** Every group and resource linked to these connected systems. */
  connectionIds: string[];
  everything: boolean;
}

export interface ReviewerSpec {
  type: ReviewerType;
  /** With type users: the reviewers of every row. */
  userIds: string[];
  /** Who reviews a row nobody else may review (no owner, or only its own user); admins when empty. */
  fallbackUserIds: string[];
}

export interface ReviewerProgress {
  reviewerId: string;
  total: number;
  decided: number;
}

export interface AccessReview {
  id: string;
  name: string;
  status: ReviewStatus;
  createdBy: string;
  createdAt: string;
  deadline: string;
  closedAt: string | null;
  closedBy: string | null;
  scope: ReviewScope;
  reviewers: ReviewerSpec;
  autoRevokeUnreviewed: boolean;
  allowSelfReview: boolean;
  /** Rows listed, including those that need no decision. */
  rowCount: number;
  progress: { total: number; decided: number; byReviewer: ReviewerProgress[] };
  /** What closing did, by kind of effect; null while open. */
  outcome: Record<string, number> | null;
}

export interface ReviewInput {
  name: string;
  scope: Partial<ReviewScope>;
  reviewers: { type: ReviewerType; userIds?: string[] | undefined; fallbackUserIds?: string[] | undefined };
  deadline: string;
  autoRevokeUnreviewed?: boolean | undefined;
  allowSelfReview?: boolean | undefined;
}

export interface ReviewSettings {
  name: string;
  scope: ReviewScope;
  reviewers: ReviewerSpec;
  deadline: Date;
  autoRevokeUnreviewed: boolean;
  allowSelfReview: boolean;
}

const unique = (ids: readonly string[] | undefined) => [...new Set(ids ?? [])];

/** Checks a campaign as asked for; ids are checked against the store by the caller. */
export function parseReviewInput(input: ReviewInput, now: Date): ReviewSettings {
  const name = input.name.trim();
  if (!name) throw invalid('name', 'must not be blank');
  const scope: ReviewScope = {
    groupIds: unique(input.scope.groupIds),
    resourceIds: unique(input.scope.resourceIds),
    connectionIds: unique(input.scope.connectionIds),
    everything: input.scope.everything === true,
  };
  if (!scope.everything && !scope.groupIds.length && !scope.resourceIds.length && !scope.connectionIds.length)
    throw invalid('scope', 'name groups, resources or connections, or set everything');
  const type = input.reviewers.type;
  const userIds = unique(input.reviewers.userIds);
  if (type === 'users' && userIds.length === 0)
    throw invalid('reviewers.userIds', 'name at least one reviewer with type users');
  if (type !== 'users' && userIds.length > 0)
    throw invalid('reviewers.userIds', 'only type users names its reviewers');
  const deadlineMs = timestampMs(input.deadline);
  if (deadlineMs === null) throw invalid('deadline', 'must be an RFC 3339 date-time');
  if (deadlineMs <= now.getTime()) throw invalid('deadline', 'must be in the future');
  return {
    name,
    scope,
    reviewers: { type, userIds, fallbackUserIds: unique(input.reviewers.fallbackUserIds) },
    deadline: new Date(deadlineMs),
    autoRevokeUnreviewed: input.autoRevokeUnreviewed === true,
    allowSelfReview: input.allowSelfReview === true,
  };
}

/**
 * Whether a row needs a decision: access that ends by the deadline on its own is listed but needs none. The
 * snapshot's SQL applies the same rule (src/store/access-review-snapshot.ts); a test holds them together.
 */
export const needsDecision = (accessEndsAt: Date | null, deadline: Date) =>
  accessEndsAt === null || accessEndsAt.getTime() > deadline.getTime();

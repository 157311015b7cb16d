import { AppError, invalid } from './errors.js';
import { MAX_DURATION_MINUTES } from './grants.js';
import type { RequestConfiguration, ReviewerStage } from './request-config.js';

// Access requests: the state machine of a request and its items and stage rules. Pure; callers
// pass the clock, reviewer sets and relations in.

export const REQUEST_STATUSES = [
  'pending',
  'approved',
  'denied',
  'partially_approved',
  'canceled',
  'expired',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const ITEM_STATUSES = ['pending', 'approved', 'denied', 'canceled', 'expired'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** A request nobody decided lapses after this long (LATCH_REQUEST_TTL_MINUTES overrides it). */
export const DEFAULT_REQUEST_TTL_MINUTES = 7 * 24 * 60;
export const MAX_REASON_LENGTH = 1000;
export const MAX_COMMENT_LENGTH = 2000;
export const MAX_ITEMS = 50;

export interface RequestItem {
  id: string;
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  status: ItemStatus;
  grantId: string | null;
  autoApprove: boolean;
  reviewerStages: ReviewerStage[];
  stageIndex: number;
  /** Who may approve the current stage (resolved when it started) and who already did; null once decided. */
  currentStage: {
    index: number;
    operator: 'all' | 'any';
    reviewerIds: string[];
    approvedBy: string[];
  } | null;
  decidedAt: string | null;
  decidedBy: string | null;
  comment: string | null;
  /** Every approval given so far, stage by stage, oldest first. */
  approvals: { stageIndex: number; userId: string; at: string; comment: string | null }[];
}

export interface AccessRequest {
  id: string;
  requesterId: string;
  targetUserId: string;
  status: RequestStatus;
  reason: string | null;
  durationMinutes: number;
  extensionOf: string | null;
  createdAt: string;
  /** When the request lapses if nobody decides it. */
  expiresAt: string;
  decidedAt: string | null;
  canceledBy: string | null;
  items: RequestItem[];
}

export function requestTtlMinutes(env: Record<string, string | undefined>): number {
  const raw = env.LATCH_REQUEST_TTL_MINUTES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_REQUEST_TTL_MINUTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DURATION_MINUTES)
    throw new Error(`LATCH_REQUEST_TTL_MINUTES must be a whole number of minutes, got '${raw}'`);
  return n;
}

/** A request's status follows from its items' while it is open; canceling and lapsing are decided on the request. */
export function deriveStatus(items: readonly { status: ItemStatus }[]): RequestStatus {
  const statuses = new Set(items.map((i) => i.status));
  if (statuses.has('pending')) return 'pending';
  if (statuses.has('canceled')) return 'canceled';
  if (statuses.has('expired')) return 'expired';
  if (statuses.has('approved') && statuses.has('denied')) return 'partially_approved';
  return statuses.has('denied') ? 'denied' : 'approved';
}

/** Lapsing is derived at read time: a pending request past its deadline is already `expired`. */
export function effectiveStatus(stored: RequestStatus, expiresAt: Date, now: Date): RequestStatus {
  return stored === 'pending' && expiresAt.getTime() <= now.getTime() ? 'expired' : stored;
}

/** `any` passes on one approval; `all` needs every reviewer resolved when the stage started. */
export function stagePassed(
  operator: 'all' | 'any',
  reviewerIds: readonly string[],
  approvedBy: readonly string[],
) {
  if (operator === 'any') return approvedBy.length > 0;
  return reviewerIds.every((r) => approvedBy.includes(r));
}

export function parseRequestReason(raw: string | undefined, required: boolean): string | null {
  const reason = raw?.trim() ?? '';
  if (reason.length > MAX_REASON_LENGTH)
    throw invalid('reason', `must be at most ${MAX_REASON_LENGTH} characters`);
  if (required && reason.length === 0)
    throw new AppError('reason_required', 'this request needs a reason: say why you need the access');
  return reason || null;
}

export function parseDenyComment(raw: string | undefined): string {
  const comment = raw?.trim() ?? '';
  if (comment.length === 0) throw invalid('comment', 'denying a request needs a comment');
  if (comment.length > MAX_COMMENT_LENGTH)
    throw invalid('comment', `must be at most ${MAX_COMMENT_LENGTH} characters`);
  return comment;
}

export function parseRequestDuration(raw: number): number {
  if (!Number.isInteger(raw) || raw < 1 || raw > MAX_DURATION_MINUTES)
    throw invalid('durationMinutes', `must be a whole number of minutes from 1 to ${MAX_DURATION_MINUTES}`);
  return raw;
}

/**
 * Throws the contract's refusal when any item cannot be requested for this duration under the entry matched
 * for it: an item not requestable at all (403) wins over a duration above an item's maximum (400). Returns
 * the entries, in order.
 */
export function assertRequestable(
  items: readonly { config: RequestConfiguration | undefined; label: string }[],
  durationMinutes: number,
): RequestConfiguration[] {
  const configs: RequestConfiguration[] = [];
  for (const { config, label } of items) {
    if (!config?.requestable) throw new AppError('not_requestable', `${label} cannot be requested`);
    configs.push(config);
  }
  items.forEach(({ label }, i) => {
    const max = configs[i]!.maxDurationMinutes;
    if (max !== null && durationMinutes > max)
      throw new AppError(
        'duration_exceeds_max',
        `${label} can be requested for at most ${max} minutes (asked for ${durationMinutes})`,
      );
  });
  return configs;
}

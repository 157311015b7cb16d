import { AppError, invalid } from './errors.js';

// Break-glass: a visible override. A bounded reason is required, every activation is reviewed afterwards, and
// its access lasts a fixed window set per group. Pure rules; callers pass the clock in.

export const DEFAULT_DURATION_MINUTES = 720;
export const MIN_DURATION_MINUTES = 5;
export const MAX_DURATION_MINUTES = 1440;
export const MAX_REASON_LENGTH = 1000;
export const MAX_COMMENT_LENGTH = 2000;
/** A pending review older than this is overdue. */
export const REVIEW_OVERDUE_MS = 72 * 60 * 60 * 1000;

export const REVIEW_STATUSES = ['pending', 'justified', 'unjustified'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export type ReviewOutcome = Exclude<ReviewStatus, 'pending'>;
export type ActivationStatus = 'active' | 'ended' | 'expired';

/** How an activation ended when a newer one by the same user on the same group replaced it. */
export const SUPERSEDED = 'superseded';
/** Shown for an activation whose window ran out; derived at read time, never written by a person. */
export const EXPIRED = 'expired';
const RESERVED_END_REASONS = new Set([SUPERSEDED, EXPIRED]);

export interface BreakGlassSettings {
  userIds: string[];
  groupIds: string[];
  durationMinutes: number;
}

export interface Activation {
  id: string;
  groupId: string;
  userId: string;
  reason: string;
  activatedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endedBy: string | null;
  endReason: string | null;
  grantId: string;
  status: ActivationStatus;
  review: {
    status: ReviewStatus;
    reviewedBy: string | null;
    reviewedAt: string | null;
    comment: string | null;
    overdue: boolean;
  };
}

export const defaultSettings = (): BreakGlassSettings => ({
  userIds: [],
  groupIds: [],
  durationMinutes: DEFAULT_DURATION_MINUTES,
});

/** The reason is trimmed; missing or blank is `reason_required`, longer than the bound is a field error. */
export function parseReason(raw: unknown): string {
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (reason.length === 0)
    throw new AppError('reason_required', 'break-glass needs a reason: say what is broken and why');
  if (reason.length > MAX_REASON_LENGTH)
    throw invalid('reason', `must be at most ${MAX_REASON_LENGTH} characters (got ${reason.length})`);
  return reason;
}

export function parseDuration(raw: number | undefined): number {
  if (raw === undefined) return DEFAULT_DURATION_MINUTES;
  if (!Number.isInteger(raw) || raw < MIN_DURATION_MINUTES || raw > MAX_DURATION_MINUTES) {
    throw invalid(
      'durationMinutes',
      `must be a whole number of minutes from ${MIN_DURATION_MINUTES} to ${MAX_DURATION_MINUTES}`,
    );
  }
  return raw;
}

export function parseReviewComment(raw: string): string {
  const comment = raw.trim();
  if (comment.length === 0) throw invalid('comment', 'a review needs a comment');
  if (comment.length > MAX_COMMENT_LENGTH)
    throw invalid('comment', `must be at most ${MAX_COMMENT_LENGTH} characters`);
  return comment;
}

/** A person's end reason must never read as one the system records (expiry, superseding). */
export function endReasonFrom(raw: string | undefined): string {
  const reason = raw?.trim() || 'ended';
  return RESERVED_END_REASONS.has(reason) ? `ended: ${reason}` : reason;
}

/** Ended by someone (or something) wins over running out; an activation that did neither is active. */
export function activationStatus(a: { expiresAt: Date; endedAt: Date | null }, now: Date): ActivationStatus {
  if (a.endedAt && a.endedAt.getTime() <= now.getTime()) return 'ended';
  if (a.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export const isReviewOverdue = (a: { reviewStatus: ReviewStatus; activatedAt: Date }, now: Date) =>
  a.reviewStatus === 'pending' && now.getTime() - a.activatedAt.getTime() > REVIEW_OVERDUE_MS;

export const overdueCutoff = (now: Date) => new Date(now.getTime() - REVIEW_OVERDUE_MS);

/** Eligible: named in the settings, or an effective member of a named group right now. */
export function isBreakGlassUser(
  settings: BreakGlassSettings,
  userId: string,
  isMemberOf: (groupId: string) => boolean,
): boolean {
  return settings.userIds.includes(userId) || settings.groupIds.some(isMemberOf);
}

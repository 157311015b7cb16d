import { invalid } from './errors.js';
import type { GrantSource } from './access-facts.js';
import { LATEST_TIMESTAMP_MS, TIMESTAMP_RANGE } from './timestamps.js';

// The grant ledger's rules: a grant's window, its derived status, and how requested times become a window.

export type GrantStatus = 'scheduled' | 'active' | 'expired' | 'revoked';

export interface Grant {
  id: string;
  userId: string;
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  source: GrantSource;
  reason: string | null;
  requestId: string | null;
  createdBy: string | null;
  createdAt: string;
  startsAt: string;
  expiresAt: string | null;
  endedAt: string | null;
  endedBy: string | null;
  endReason: string | null;
  status: GrantStatus;
}

/** How a grant ended, when it did: the time engine records `expired`; people and rules record the rest. */
export const EXPIRED_END_REASON = 'expired';

/**
 * Status is derived at read time, never stored: an expiry that no job has recorded yet is already `expired`.
 */
export function grantStatus(
  g: { startsAt: Date; expiresAt: Date | null; endedAt: Date | null; endReason: string | null },
  now: Date,
): GrantStatus {
  if (g.endedAt && g.endedAt.getTime() <= now.getTime())
    return g.endReason === EXPIRED_END_REASON ? 'expired' : 'revoked';
  if (g.expiresAt && g.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (g.startsAt.getTime() > now.getTime()) return 'scheduled';
  return 'active';
}

/** The effective end of a grant for access checks: the earlier of its expiry and its end. */
export function grantEnd(expiresAt: Date | null, endedAt: Date | null): Date | null {
  const end = grantEndMs(expiresAt && expiresAt.getTime(), endedAt && endedAt.getTime());
  return end === null ? null : new Date(end);
}

/** grantEnd in epoch milliseconds. */
export function grantEndMs(expiresAt: number | null, endedAt: number | null): number | null {
  if (expiresAt === null) return endedAt;
  if (endedAt === null) return expiresAt;
  return Math.min(expiresAt, endedAt);
}

export const MAX_DURATION_MINUTES = 10 * 365 * 24 * 60;
/** Clock skew tolerated for a `startsAt` a caller computed as "now" on their machine. */
const START_SKEW_MS = 60_000;

export interface WindowInput {
  durationMinutes?: number | null | undefined;
  expiresAt?: string | null | undefined;
  startsAt?: string | undefined;
}

/** Turns a request's duration, expiry and start into a grant window; a window that would be empty is refused. */
export function grantWindow(input: WindowInput, now: Date): { startsAt: Date; expiresAt: Date | null } {
  if (input.durationMinutes != null && input.expiresAt != null) {
    throw invalid('expiresAt', 'give either durationMinutes or expiresAt, not both');
  }
  const startsAt = input.startsAt ? new Date(input.startsAt) : now;
  if (input.startsAt && startsAt.getTime() < now.getTime() - START_SKEW_MS)
    throw invalid('startsAt', 'must not be in the past');
  const effectiveStart = startsAt.getTime() < now.getTime() ? now : startsAt;
  let expiresAt: Date | null = null;
  if (input.durationMinutes != null) {
    if (
      !Number.isInteger(input.durationMinutes) ||
      input.durationMinutes < 1 ||
      input.durationMinutes > MAX_DURATION_MINUTES
    ) {
      throw invalid('durationMinutes', `must be a whole number of minutes from 1 to ${MAX_DURATION_MINUTES}`);
    }
    expiresAt = new Date(effectiveStart.getTime() + input.durationMinutes * 60_000);
    // Every stored time must be one the API can write back (a timestamp, src/domain/timestamps.ts).
    if (expiresAt.getTime() > LATEST_TIMESTAMP_MS)
      throw invalid('durationMinutes', `would end the access outside ${TIMESTAMP_RANGE}`);
  } else if (input.expiresAt != null) {
    expiresAt = new Date(input.expiresAt);
    if (expiresAt.getTime() <= effectiveStart.getTime())
      throw invalid('expiresAt', 'must be after the start of access');
  }
  return { startsAt: effectiveStart, expiresAt };
}

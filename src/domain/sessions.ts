import { randomBytes, timingSafeEqual } from 'node:crypto';

// Browser sessions: an API token is exchanged once for an HttpOnly cookie, so the page never keeps the token.
// The cookie's secret is stored only as a SHA-256 hash (hashToken), like API tokens.

export const SESSION_COOKIE = 'latch_session';
/** A session ends this long after sign-in, however busy it is. */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;
/** ...and earlier when unused for this long (sliding). */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
/** `last_seen_at` moves at most this often, so busy pages do not write on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;

/** 256 random bits, URL- and cookie-safe. Used for the cookie secret and for the CSRF token. */
export const generateSessionSecret = () => randomBytes(32).toString('base64url');

/** What a session is tied to; it is live only while all of it holds. */
export interface SessionState {
  expiresAt: Date;
  lastSeenAt: Date;
  tokenExpiresAt: Date | null;
  tokenRevokedAt: Date | null;
  userStatus: string;
}

/** Epoch ms from which the session no longer authenticates, if nothing else changes. */
export const sessionValidUntil = (s: SessionState) =>
  Math.min(
    s.expiresAt.getTime(),
    s.lastSeenAt.getTime() + SESSION_IDLE_MS,
    s.tokenExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
  );

export const isSessionLive = (s: SessionState, now: Date) =>
  s.tokenRevokedAt === null && s.userStatus === 'active' && now.getTime() < sessionValidUntil(s);

/** Constant-time comparison of two strings of any length (a length mismatch is not hidden, and need not be). */
export function secretsEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

import { isTokenExpired } from './tokens.js';
import type { UserStatus } from './users.js';

// Why a browser sign-in was refused, for the audit log. The caller is told only 401 or 403; the log says which
// case it was and, when the token was a real one, whose it is, so that user sees attempts with their tokens.
// Never the token or any part of it.

export type SignInRefusalReason = 'invalid_token' | 'token_revoked' | 'token_expired' | 'suspended';

export interface SignInRefusal {
  reason: SignInRefusalReason;
  /** The user the token belongs to; null when it is no token of ours. */
  userId: string | null;
}

/**
 * The refusal as the stored token and its user explain it. Checked in the order sign-in checks them; a token
 * that passes every check now (the user re-activated meanwhile, say) is reported as the user's suspension.
 */
export function signInRefusalOf(
  token: { userId: string; revokedAt: string | null; expiresAt: string | null } | undefined,
  user: { id: string; status: UserStatus } | undefined,
  now: Date,
): SignInRefusal {
  if (!token || !user) return { reason: 'invalid_token', userId: null };
  if (token.revokedAt) return { reason: 'token_revoked', userId: user.id };
  if (isTokenExpired(token.expiresAt, now)) return { reason: 'token_expired', userId: user.id };
  return { reason: 'suspended', userId: user.id };
}

import type { User } from '../users.js';
import type { IdentityClaims } from './claims.js';

// Who a single sign-on is for. A user once linked is found by the provider's `sub` alone (an e-mail may change
// at the provider); otherwise by a verified e-mail among live users, which then links them. An unverified
// e-mail never links: anyone may claim any address at many providers.

/** Why a single sign-on was refused, as the audit log records it. Never a code or a token. */
export type OidcRefusalReason =
  | 'no_verified_email'
  | 'suspended'
  | 'deprovisioned'
  | 'creation_disabled'
  | 'linked_to_another_subject'
  | 'state_mismatch'
  | 'provider_error'
  | 'provider_unavailable'
  | 'invalid_id_token';

export type SignInDecision =
  | { kind: 'sign_in'; user: User; link: boolean }
  | { kind: 'create' }
  | { kind: 'refuse'; reason: OidcRefusalReason; userId: string | null };

export interface Candidates {
  /** The user already linked to this `sub`, deprovisioned ones included. */
  bySubject: User | undefined;
  /** The live user with the claimed e-mail, and the `sub` it is linked to, if any. */
  byEmail: { user: User; oidcSubject: string | null } | undefined;
}

export function decideSignIn(
  claims: IdentityClaims,
  found: Candidates,
  createUsers: boolean,
): SignInDecision {
  if (found.bySubject) return admit(found.bySubject, false);
  if (!claims.email || !claims.emailVerified)
    return { kind: 'refuse', reason: 'no_verified_email', userId: null };
  if (found.byEmail) {
    const { user, oidcSubject } = found.byEmail;
    if (oidcSubject !== null && oidcSubject !== claims.subject)
      return { kind: 'refuse', reason: 'linked_to_another_subject', userId: user.id };
    return admit(user, true);
  }
  return createUsers ? { kind: 'create' } : { kind: 'refuse', reason: 'creation_disabled', userId: null };
}

function admit(user: User, link: boolean): SignInDecision {
  if (user.deprovisionedAt !== null) return { kind: 'refuse', reason: 'deprovisioned', userId: user.id };
  if (user.status !== 'active') return { kind: 'refuse', reason: 'suspended', userId: user.id };
  return { kind: 'sign_in', user, link };
}

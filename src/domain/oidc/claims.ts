// What Latch reads of the identity provider's answer. The ID token's claims come first; userinfo only fills the
// claims the ID token left out (providers often keep e-mail and groups out of the ID token). Whatever the
// provider sends is bounded here, before it reaches the store or the audit log.

export interface IdentityClaims {
  /** The provider's stable id for the person (`sub`). */
  subject: string;
  email: string | null;
  /** True only when the provider says the e-mail address was verified. */
  emailVerified: boolean;
  name: string | null;
  /** The configured groups claim's values; [] when it is configured but absent, null when not configured. */
  groups: string[] | null;
}

type Claims = Record<string, unknown>;

const MAX_TEXT = 320;
const MAX_GROUPS = 1000;

const text = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  return t.length > 0 && t.length <= MAX_TEXT ? t : null;
};

/** The claims Latch needs that the ID token does not carry, so userinfo must be asked. */
export function missingFromIdToken(idToken: Claims, groupsClaim: string | null): string[] {
  const wanted = ['email', 'email_verified', 'name', ...(groupsClaim ? [groupsClaim] : [])];
  return wanted.filter((c) => idToken[c] === undefined);
}

function groupsOf(value: unknown): string[] {
  // A single group is sometimes sent as a string rather than a list of one.
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return list
    .slice(0, MAX_GROUPS)
    .filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= MAX_TEXT);
}

export function identityClaims(
  idToken: Claims,
  userinfo: Claims | undefined,
  groupsClaim: string | null,
): IdentityClaims {
  const claim = (name: string) => (idToken[name] !== undefined ? idToken[name] : userinfo?.[name]);
  const verified = claim('email_verified');
  return {
    subject: String(idToken.sub),
    email: text(claim('email')),
    // Some providers send the flag as the string "true".
    emailVerified: verified === true || verified === 'true',
    name: text(claim('name')) ?? text(claim('preferred_username')),
    groups: groupsClaim ? groupsOf(claim(groupsClaim)) : null,
  };
}

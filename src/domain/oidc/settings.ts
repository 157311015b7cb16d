import type { Role } from '../users.js';

// Single sign-on through an OpenID Connect provider, as the operator configured it (LATCH_OIDC_*). Pure data:
// src/config.ts reads and checks it, the identity operations use it.

export interface OidcSettings {
  /** The provider's issuer identifier; discovery reads `{issuer}/.well-known/openid-configuration`. */
  issuer: URL;
  /** Shown on the sign-in page: "Sign in with <providerName>". */
  providerName: string;
  /** The confidential client the web UI signs in through (code flow with PKCE). */
  clientId: string;
  clientSecret: string;
  /** Always includes `openid`. */
  scopes: string[];
  /** `{LATCH_PUBLIC_URL}/api/v1/auth/oidc/callback`, registered at the provider. */
  redirectUri: URL;
  /** The claim listing the user's groups; null when roles are not taken from the provider. */
  groupsClaim: string | null;
  adminGroups: string[];
  auditorGroups: string[];
  /** A first sign-in with a verified e-mail and no matching user creates a member. */
  createUsers: boolean;
  /** The public client `latch login` uses; ID tokens issued to it may be exchanged for an API token. */
  cliClientId: string | null;
}

export const DEFAULT_OIDC_SCOPES = ['openid', 'email', 'profile'];

export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';

/** The role the provider's groups give, strongest first: member when none of the configured groups is held. */
export function roleFromGroups(
  groups: readonly string[],
  settings: Pick<OidcSettings, 'adminGroups' | 'auditorGroups'>,
): Role {
  const held = new Set(groups);
  if (settings.adminGroups.some((g) => held.has(g))) return 'admin';
  if (settings.auditorGroups.some((g) => held.has(g))) return 'auditor';
  return 'member';
}

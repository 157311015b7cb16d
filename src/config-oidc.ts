import { isLoopbackHost } from './domain/cookie-security.js';
import { DEFAULT_OIDC_SCOPES, OIDC_CALLBACK_PATH, type OidcSettings } from './domain/oidc/settings.js';

// LATCH_OIDC_*: single sign-on through an OpenID Connect provider. Unset issuer means no single sign-on; any
// other LATCH_OIDC_* setting without it is a mistake worth stopping for, not something to ignore.

export interface OidcOptions {
  oidcIssuer?: string | undefined;
  oidcClientId?: string | undefined;
  oidcClientSecret?: string | undefined;
  oidcScopes?: string | undefined;
  oidcGroupsClaim?: string | undefined;
  oidcAdminGroups?: string | undefined;
  oidcAuditorGroups?: string | undefined;
  oidcCreateUsers?: string | undefined;
  oidcCliClientId?: string | undefined;
  oidcProviderName?: string | undefined;
}

const VARIABLES: Record<keyof OidcOptions, string> = {
  oidcIssuer: 'LATCH_OIDC_ISSUER',
  oidcClientId: 'LATCH_OIDC_CLIENT_ID',
  oidcClientSecret: 'LATCH_OIDC_CLIENT_SECRET',
  oidcScopes: 'LATCH_OIDC_SCOPES',
  oidcGroupsClaim: 'LATCH_OIDC_GROUPS_CLAIM',
  oidcAdminGroups: 'LATCH_OIDC_ADMIN_GROUPS',
  oidcAuditorGroups: 'LATCH_OIDC_AUDITOR_GROUPS',
  oidcCreateUsers: 'LATCH_OIDC_CREATE_USERS',
  oidcCliClientId: 'LATCH_OIDC_CLI_CLIENT_ID',
  oidcProviderName: 'LATCH_OIDC_PROVIDER_NAME',
};

export class OidcConfigError extends Error {}

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

const BOUNDED = /^[\x21-\x7e]{1,255}$/;

export function loadOidcSettings(
  opts: OidcOptions,
  env: NodeJS.ProcessEnv,
  publicUrl: URL | undefined,
): OidcSettings | undefined {
  const value = (key: keyof OidcOptions) => opts[key] ?? (env[VARIABLES[key]] || undefined);
  const issuerText = value('oidcIssuer');
  if (issuerText === undefined) {
    const stray = (Object.keys(VARIABLES) as (keyof OidcOptions)[]).filter((k) => value(k) !== undefined);
    if (stray.length > 0)
      throw new OidcConfigError(
        `${stray.map((k) => VARIABLES[k]).join(', ')} set without LATCH_OIDC_ISSUER: set the issuer to turn ` +
          'single sign-on on, or unset the others',
      );
    return undefined;
  }
  const issuer = issuerOf(issuerText);
  if (!publicUrl)
    throw new OidcConfigError(
      'single sign-on needs LATCH_PUBLIC_URL: the identity provider sends people back to ' +
        `{LATCH_PUBLIC_URL}${OIDC_CALLBACK_PATH}`,
    );
  const clientId = value('oidcClientId');
  const clientSecret = value('oidcClientSecret');
  if (!clientId || !BOUNDED.test(clientId))
    throw new OidcConfigError('LATCH_OIDC_CLIENT_ID must be set to the client id registered at the provider');
  if (!clientSecret || clientSecret.length > 1024)
    throw new OidcConfigError('LATCH_OIDC_CLIENT_SECRET must be set to the secret of LATCH_OIDC_CLIENT_ID');
  const scopes = value('oidcScopes') === undefined ? DEFAULT_OIDC_SCOPES : value('oidcScopes')!.split(/\s+/);
  const cleanScopes = scopes.filter((s) => s.length > 0);
  if (!cleanScopes.includes('openid') || !cleanScopes.every((s) => BOUNDED.test(s)))
    throw new OidcConfigError(
      `LATCH_OIDC_SCOPES must be space-separated scopes including openid, not '${value('oidcScopes')}'`,
    );
  const groupsClaim = value('oidcGroupsClaim') ?? null;
  if (groupsClaim !== null && !BOUNDED.test(groupsClaim))
    throw new OidcConfigError(`LATCH_OIDC_GROUPS_CLAIM '${groupsClaim}' is not a claim name`);
  const adminGroups = list(value('oidcAdminGroups'));
  const auditorGroups = list(value('oidcAuditorGroups'));
  if (groupsClaim === null && adminGroups.length + auditorGroups.length > 0)
    throw new OidcConfigError(
      'LATCH_OIDC_ADMIN_GROUPS and LATCH_OIDC_AUDITOR_GROUPS need LATCH_OIDC_GROUPS_CLAIM: the claim that lists them',
    );
  const cliClientId = value('oidcCliClientId') ?? null;
  if (cliClientId !== null && !BOUNDED.test(cliClientId))
    throw new OidcConfigError(`LATCH_OIDC_CLI_CLIENT_ID '${cliClientId}' is not a client id`);
  const providerName = (value('oidcProviderName') ?? issuer.hostname).trim();
  if (providerName.length === 0 || providerName.length > 100)
    throw new OidcConfigError('LATCH_OIDC_PROVIDER_NAME must be 1 to 100 characters');
  return {
    issuer,
    providerName,
    clientId,
    clientSecret,
    scopes: cleanScopes,
    redirectUri: new URL(OIDC_CALLBACK_PATH, publicUrl),
    groupsClaim,
    adminGroups,
    auditorGroups,
    createUsers: createUsersOf(value('oidcCreateUsers')),
    cliClientId,
  };
}

function issuerOf(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OidcConfigError(`LATCH_OIDC_ISSUER '${text}' is not a URL (e.g. https://login.example.com)`);
  }
  if (url.username || url.password || url.search || url.hash)
    throw new OidcConfigError('LATCH_OIDC_ISSUER must not carry credentials, a query or a fragment');
  // Plain http lets anyone on the path forge sign-ins; only a provider on this machine may use it.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.host)))
    throw new OidcConfigError(`LATCH_OIDC_ISSUER must be an https:// URL, not '${text}'`);
  return url;
}

function createUsersOf(text: string | undefined): boolean {
  if (text === undefined) return true;
  if (/^(true|1|yes)$/i.test(text)) return true;
  if (/^(false|0|no)$/i.test(text)) return false;
  throw new OidcConfigError(`LATCH_OIDC_CREATE_USERS must be true or false, not '${text}'`);
}

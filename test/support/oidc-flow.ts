import { expect } from 'vitest';
import type { OidcSettings } from '../../src/domain/oidc/settings.js';
import type { Harness } from './harness.js';
import { signInAtProvider, WEB_CLIENT, type TestIdp } from './test-idp.js';

// Single sign-on as a browser goes through it, against Latch in process and the test provider on loopback:
// Latch's login redirect, the provider's login form, and the answer brought back to Latch's callback.

export const OIDC_PUBLIC_URL = 'http://latch.test';
export const OIDC_REDIRECT_URI = `${OIDC_PUBLIC_URL}/api/v1/auth/oidc/callback`;

export const oidcSettingsFor = (idp: TestIdp, over: Partial<OidcSettings> = {}): OidcSettings => ({
  issuer: new URL(idp.issuer),
  providerName: 'Test IdP',
  clientId: WEB_CLIENT.id,
  clientSecret: WEB_CLIENT.secret,
  scopes: ['openid', 'email', 'profile', 'groups'],
  redirectUri: new URL(OIDC_REDIRECT_URI),
  groupsClaim: 'groups',
  adminGroups: ['latch-admins'],
  auditorGroups: ['latch-auditors'],
  createUsers: true,
  cliClientId: 'latch-cli',
  ...over,
});

export const cookieFrom = (res: { headers: Record<string, unknown> }, name: string) => {
  const raw = res.headers['set-cookie'];
  const all = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  const found = all.find((c) => c.startsWith(`${name}=`));
  const value = found && /^[^=]+=([^;]*)/.exec(found)![1];
  return value ? value : undefined;
};

export interface OidcLogin {
  /** The provider's answer, as the browser would bring it to the callback. */
  callback: URL;
  stateCookie: string;
  authorizationUrl: URL;
}

export async function startOidcLogin(h: Harness, returnTo?: string) {
  const query = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
  const res = await h.request('GET', `/api/v1/auth/oidc/login${query}`, { token: null });
  expect(res.status, JSON.stringify(res.body)).toBe(302);
  return {
    authorizationUrl: new URL(String(res.headers.location)),
    stateCookie: cookieFrom(res, 'latch_oidc_login')!,
  };
}

/** Signs `account` (its id or e-mail) in at the provider; `rewrite` may alter the authorization request first. */
export async function oidcLogin(
  h: Harness,
  account: string,
  opts: { returnTo?: string | undefined; rewrite?: (u: URL) => void } = {},
): Promise<OidcLogin> {
  const started = await startOidcLogin(h, opts.returnTo);
  opts.rewrite?.(started.authorizationUrl);
  const callback = await signInAtProvider(started.authorizationUrl.href, account, OIDC_REDIRECT_URI);
  return { ...started, callback };
}

export const oidcCallback = (h: Harness, l: Pick<OidcLogin, 'callback' | 'stateCookie'>) =>
  h.request('GET', `${l.callback.pathname}${l.callback.search}`, {
    token: null,
    headers: { cookie: `latch_oidc_login=${l.stateCookie}` },
  });

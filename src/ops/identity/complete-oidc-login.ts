import * as client from 'openid-client';
import { identityClaims, missingFromIdToken, type IdentityClaims } from '../../domain/oidc/claims.js';
import { secretsEqual } from '../../domain/sessions.js';
import type { OpsDeps } from '../shared/deps.js';
import { providerFailureReason } from './oidc-failure.js';
import { openLoginState, type SpentLoginStates } from './oidc-login-state.js';
import type { IdentityProvider } from './oidc-provider.js';
import { OidcRefusedError } from './oidc-refusal.js';
import { signInWithOidc } from './sign-in-with-oidc.js';
import type { StartedSession } from './start-session.js';

// The provider's answer at the callback: the state must be the one this browser's sealed cookie holds, and
// unspent; then openid-client redeems the code with the PKCE verifier and checks the ID token (signature from
// the provider's keys, issuer, audience, expiry, nonce). Any failure is an OidcRefusedError, so no session
// starts; `cause` keeps the provider's error for the log.

export interface CompletedLogin {
  session: StartedSession;
  returnTo: string;
}

export async function completeOidcLogin(
  deps: OpsDeps,
  provider: IdentityProvider,
  spent: SpentLoginStates,
  answer: { stateCookie: string | undefined; query: URLSearchParams },
): Promise<CompletedLogin> {
  const now = deps.now();
  const stored = openLoginState(deps.keys, answer.stateCookie, now);
  const state = answer.query.get('state');
  if (!stored || !state || !secretsEqual(state, stored.state) || !spent.spend(stored, now))
    throw new OidcRefusedError('state_mismatch');
  if (answer.query.has('error')) throw new OidcRefusedError('provider_error');
  const claims = await verifiedClaims(provider, answer.query, stored);
  const session = await signInWithOidc(deps, provider.settings, claims);
  return { session, returnTo: stored.returnTo };
}

async function verifiedClaims(
  provider: IdentityProvider,
  query: URLSearchParams,
  stored: { state: string; nonce: string; codeVerifier: string },
): Promise<IdentityClaims> {
  const { settings } = provider;
  try {
    const config = await provider.configuration();
    const currentUrl = new URL(settings.redirectUri);
    currentUrl.search = query.toString();
    const tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: stored.codeVerifier,
      expectedState: stored.state,
      expectedNonce: stored.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new OidcRefusedError('invalid_id_token');
    const needUserinfo =
      missingFromIdToken(idToken, settings.groupsClaim).length > 0 &&
      config.serverMetadata().userinfo_endpoint !== undefined;
    const userinfo = needUserinfo
      ? await client.fetchUserInfo(config, tokens.access_token, idToken.sub)
      : undefined;
    return identityClaims(idToken, userinfo, settings.groupsClaim);
  } catch (err) {
    if (err instanceof OidcRefusedError) throw err;
    throw new OidcRefusedError(providerFailureReason(err), null, { cause: err });
  }
}

import * as client from 'openid-client';
import { safeReturnTo } from '../../domain/oidc/return-to.js';
import type { OpsDeps } from '../shared/deps.js';
import { newLoginState, sealLoginState } from './oidc-login-state.js';
import type { IdentityProvider } from './oidc-provider.js';

/**
 * Where to send the browser to sign in (authorization code flow, PKCE S256, state and nonce), and the sealed
 * cookie that lets the callback check the answer. `returnTo` is kept only when it is a path on this origin.
 */
export async function beginOidcLogin(
  deps: Pick<OpsDeps, 'keys' | 'now'>,
  provider: IdentityProvider,
  returnTo: unknown,
): Promise<{ authorizationUrl: URL; stateCookie: string }> {
  const config = await provider.configuration();
  const state = newLoginState(safeReturnTo(returnTo), deps.now());
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: provider.settings.redirectUri.href,
    scope: provider.settings.scopes.join(' '),
    state: state.state,
    nonce: state.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(state.codeVerifier),
    code_challenge_method: 'S256',
  });
  return { authorizationUrl, stateCookie: sealLoginState(deps.keys, state) };
}

import * as client from 'openid-client';
import { identityClaims, missingFromIdToken } from '../../domain/oidc/claims.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { insertNewToken } from './mint-token.js';
import { providerFailureReason } from './oidc-failure.js';
import type { IdentityProvider } from './oidc-provider.js';
import { OidcRefusedError } from './oidc-refusal.js';
import { userForSignIn } from './oidc-user.js';

// `latch login`: an ID token the CLI obtained from the provider for the CLI client is exchanged for an API
// token of 12 hours, for the same user and under the same rules as a browser sign-in. The ID token is the only
// credential. When it leaves out claims Latch needs (many providers keep e-mail and groups for userinfo), the
// access token issued with it may come along to read them; userinfo must then name the same subject.

export const CLI_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
export const CLI_TOKEN_NAME = 'latch login (single sign-on)';

export async function exchangeOidcIdToken(
  deps: OpsDeps,
  provider: IdentityProvider,
  input: { idToken: string; accessToken?: string | undefined },
): Promise<{ token: string; expiresAt: string; id: string; userId: string }> {
  const { settings } = provider;
  let claims;
  try {
    const idToken = await provider.verifyCliIdToken(input.idToken, deps.now());
    const config = await provider.configuration();
    const needUserinfo =
      input.accessToken !== undefined &&
      missingFromIdToken(idToken, settings.groupsClaim).length > 0 &&
      config.serverMetadata().userinfo_endpoint !== undefined;
    const userinfo = needUserinfo
      ? await client.fetchUserInfo(config, input.accessToken!, idToken.sub)
      : undefined;
    claims = identityClaims(idToken, userinfo, settings.groupsClaim);
  } catch (err) {
    const reason =
      err instanceof Error && err.message.startsWith('the ID token')
        ? 'invalid_id_token'
        : providerFailureReason(err);
    throw new OidcRefusedError(reason, null, { cause: err });
  }
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + CLI_TOKEN_TTL_MS);
  return runInTransaction(deps, async (trx) => {
    const { user, events } = await userForSignIn(trx, settings, claims, now);
    const minted = await insertNewToken(
      trx,
      now,
      { userId: user.id, name: CLI_TOKEN_NAME, expiresAt },
      user.id,
    );
    const event = { ...minted.event, data: { ...(minted.event.data as object), via: 'oidc' } };
    return {
      result: {
        token: minted.token.token,
        expiresAt: expiresAt.toISOString(),
        id: minted.token.id,
        userId: user.id,
      },
      events: [...events, event],
    };
  });
}

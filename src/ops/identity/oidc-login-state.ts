import * as client from 'openid-client';
import { open, seal } from '../../keys/secret-box.js';
import type { Keys } from '../../keys/load-keys.js';

// What a single sign-on must remember between sending the browser to the provider and its return: the state, the
// nonce, the PKCE verifier and where to go afterwards. It travels in a cookie sealed under the secret key
// (AES-256-GCM: neither readable nor forgeable in the browser), scoped to the callback path, and it is good for
// one use within ten minutes: a callback spends its state, and a spent state is refused by this process
// until it would have expired anyway. Across processes, the provider's single-use codes stop a replay.

export const LOGIN_STATE_COOKIE = 'latch_oidc_login';
export const LOGIN_STATE_TTL_MS = 10 * 60 * 1000;
const CONTEXT = 'oidc/login_state';

export interface LoginState {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  /** Epoch ms after which the callback is refused. */
  expiresAt: number;
}

export function newLoginState(returnTo: string, now: Date): LoginState {
  return {
    state: client.randomState(),
    nonce: client.randomNonce(),
    codeVerifier: client.randomPKCECodeVerifier(),
    returnTo,
    expiresAt: now.getTime() + LOGIN_STATE_TTL_MS,
  };
}

export const sealLoginState = (keys: Keys, s: LoginState) => seal(keys.secret, JSON.stringify(s), CONTEXT);

/** The state the cookie holds, or undefined when it is missing, altered, from another key, or expired. */
export function openLoginState(keys: Keys, cookie: string | undefined, now: Date): LoginState | undefined {
  if (!cookie || cookie.length > 4096) return undefined;
  let s: Partial<LoginState>;
  try {
    s = JSON.parse(open(keys.secret, cookie, CONTEXT)) as Partial<LoginState>;
  } catch {
    return undefined;
  }
  const complete =
    typeof s.state === 'string' &&
    typeof s.nonce === 'string' &&
    typeof s.codeVerifier === 'string' &&
    typeof s.returnTo === 'string' &&
    typeof s.expiresAt === 'number';
  if (!complete || now.getTime() >= s.expiresAt!) return undefined;
  return s as LoginState;
}

/** States already used by a callback in this process, each kept until it would have expired. */
export class SpentLoginStates {
  private readonly spent = new Map<string, number>();
  /** True the first time a state is spent; false when it was spent before. */
  spend(s: LoginState, now: Date): boolean {
    const at = now.getTime();
    if (this.spent.size > 1000) for (const [k, exp] of this.spent) if (exp <= at) this.spent.delete(k);
    if (this.spent.has(s.state)) return false;
    this.spent.set(s.state, s.expiresAt);
    return true;
  }
}

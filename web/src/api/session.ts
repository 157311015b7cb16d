import { api, ok, setCsrfToken } from './client';
import { ApiError } from './errors';
import type { SessionInfo } from './types';

// Browser sign-in: the token goes to the server once and comes back as an HttpOnly cookie plus the CSRF token
// this page must send with every change. Nothing is written to localStorage.

export async function currentSession(): Promise<SessionInfo | null> {
  try {
    const session = await ok(api.GET('/api/v1/session'));
    setCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 404)) return null;
    throw err;
  }
}

export async function signIn(token: string): Promise<SessionInfo> {
  const session = await ok(api.POST('/api/v1/session', { body: { token } }));
  setCsrfToken(session.csrfToken);
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await api.DELETE('/api/v1/session');
  } finally {
    setCsrfToken(null);
  }
}

/** Whether this browser will keep the session cookie, as the server sees how it was reached. */
export async function cookieTransport() {
  return ok(api.GET('/api/v1/session/transport'));
}

/** How this Latch lets people sign in: single sign-on when configured, and always an API token. */
export async function authMethods() {
  return ok(api.GET('/api/v1/auth/methods'));
}

/** Where single sign-on starts; the server sends the browser on to the identity provider and back to `returnTo`. */
export const oidcLoginUrl = (returnTo: string) =>
  `/api/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`;

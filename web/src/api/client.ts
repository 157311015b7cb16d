import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, networkError, readProblem } from './errors';
import type { paths } from './schema';

// The one API client of the UI. It rides on the HttpOnly session cookie (the API token is sent once, to
// /session, and never kept by the page); every state change carries the session's CSRF token; every failure
// becomes an ApiError whose message is a sentence.

let csrfToken: string | null = null;
const signedOutListeners = new Set<() => void>();

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

/** Called when any call answers 401: the session has ended (expired, revoked or signed out elsewhere). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

const problems: Middleware = {
  async onResponse({ response, schemaPath }) {
    if (response.ok) return undefined;
    const problem = await readProblem(response.clone());
    if (problem.status === 401 && schemaPath !== '/api/v1/session')
      for (const listener of signedOutListeners) listener();
    throw new ApiError(problem);
  },
  onError({ error }) {
    return error instanceof ApiError ? error : networkError();
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf, problems);

/**
 * The body of a successful call. Failures never get here: the middleware has thrown them already, so the
 * only missing data is a 204's.
 */
export async function ok<T>(call: Promise<{ data?: T }>): Promise<T> {
  const { data } = await call;
  return data as T;
}

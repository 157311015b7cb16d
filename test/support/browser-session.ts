/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each test expects */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { startHarness, type Harness } from './harness.js';

// Browser sign-in for integration tests: the session cookie and CSRF token, and requests that carry only them.

export interface Signed {
  cookie: string;
  csrf: string;
  setCookie: string;
  body: any;
}

export function setCookieOf(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const all = Array.isArray(raw) ? raw : raw === undefined ? [] : [String(raw)];
  const found = all.find((c) => String(c).startsWith('latch_session='));
  if (!found) throw new Error(`no latch_session cookie in ${JSON.stringify(raw)}`);
  return String(found);
}

export async function signIn(h: Harness, token: string): Promise<Signed> {
  const res = await h.request('POST', '/api/v1/session', { token: null, body: { token } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const setCookie = setCookieOf(res);
  const cookie = /^latch_session=([^;]*)/.exec(setCookie)![1]!;
  return { cookie, csrf: res.body.csrfToken, setCookie, body: res.body };
}

/** A request carrying only the session cookie (no bearer), plus whatever headers a test adds. */
export const withCookie = (
  h: Harness,
  s: Pick<Signed, 'cookie'>,
  method: string,
  url: string,
  opts: { csrf?: string; origin?: string; body?: unknown } = {},
) =>
  h.request(method, url, {
    token: null,
    body: opts.body,
    headers: {
      cookie: `latch_session=${s.cookie}`,
      ...(opts.csrf !== undefined ? { 'x-csrf-token': opts.csrf } : {}),
      ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
    },
  });

export const eventsAbout = async (h: Harness, type: string, subjectId: string) =>
  (await h.request('GET', `/api/v1/events?type=${type}&subjectId=${subjectId}`)).body.items as any[];

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/**
 * The session tests' harness, started before a file's tests and closed after, with a clock a test can move
 * forward (`setOffset`; back to real time before each test) and the session calls bound to it.
 */
export function sessionKit() {
  let h: Harness;
  let offsetMs = 0;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date(Date.now() + offsetMs) });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    offsetMs = 0;
  });
  return {
    get h() {
      return h;
    },
    setOffset: (ms: number) => {
      offsetMs = ms;
    },
    signIn: (token: string) => signIn(h, token),
    withCookie: (
      s: Pick<Signed, 'cookie'>,
      method: string,
      url: string,
      opts?: Parameters<typeof withCookie>[4],
    ) => withCookie(h, s, method, url, opts),
    events: (type: string, subjectId: string) => eventsAbout(h, type, subjectId),
  };
}

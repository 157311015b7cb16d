/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each test expects */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcSettings } from '../../src/domain/oidc/settings.js';
import { startHarness, uniqueEmail, type Harness } from '../support/harness.js';
import {
  cookieFrom,
  OIDC_PUBLIC_URL as PUBLIC_URL,
  OIDC_REDIRECT_URI as REDIRECT_URI,
  oidcCallback,
  oidcLogin,
  oidcSettingsFor,
  startOidcLogin,
  type OidcLogin,
} from '../support/oidc-flow.js';
import { OTHER_CLIENT, startTestIdp, WEB_CLIENT, type TestIdp } from '../support/test-idp.js';

// Single sign-on end to end: Latch (in process) and a real OpenID Connect provider on loopback. The browser's
// part is played by following redirects with the cookies each side set.

let idp: TestIdp;
let h: Harness;

const settings = (over: Partial<OidcSettings> = {}) => oidcSettingsFor(idp, over);
const startLogin = (returnTo?: string, h2 = h) => startOidcLogin(h2, returnTo);
const login = (
  account: string,
  opts: { returnTo?: string; rewrite?: (u: URL) => void; harness?: Harness } = {},
) => oidcLogin(opts.harness ?? h, account, opts);
const callback = (l: Pick<OidcLogin, 'callback' | 'stateCookie'>, h2 = h) => oidcCallback(h2, l);

async function signedInAs(res: { headers: Record<string, unknown> }, h2 = h) {
  const session = cookieFrom(res, 'latch_session');
  expect(session, 'a session cookie').toBeDefined();
  const me = await h2.request('GET', '/api/v1/me', {
    token: null,
    headers: { cookie: `latch_session=${session}` },
  });
  expect(me.status).toBe(200);
  return me.body;
}

const refusedWith = (res: { status: number; headers: Record<string, unknown> }, reason: string) => {
  expect(res.status).toBe(303);
  expect(String(res.headers.location)).toBe(`/?signInError=${reason}`);
  expect(cookieFrom(res, 'latch_session')).toBeUndefined();
};

const account = (over: { emailVerified?: boolean; groups?: string[]; email?: string } = {}) =>
  idp.addAccount({
    id: `sub-${Math.random().toString(36).slice(2)}`,
    email: over.email ?? uniqueEmail('sso'),
    emailVerified: over.emailVerified ?? true,
    name: 'Sso Person',
    groups: over.groups ?? [],
  });

const refusals = async (reason: string) =>
  ((await h.request('GET', '/api/v1/events?type=session.refused')).body.items as any[]).filter(
    (e) => e.data.method === 'oidc' && e.data.reason === reason,
  );

beforeAll(async () => {
  idp = await startTestIdp();
  idp.configure(PUBLIC_URL);
  h = await startHarness({ publicUrl: new URL(PUBLIC_URL), oidc: settings() });
});
afterAll(async () => {
  await h?.close();
  await idp?.close();
});

describe('single sign-on', () => {
  it('lists the ways to sign in', async () => {
    const res = await h.request('GET', '/api/v1/auth/methods', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      oidc: {
        enabled: true,
        providerName: 'Test IdP',
        issuer: new URL(idp.issuer).href,
        cliClientId: 'latch-cli',
        scopes: ['openid', 'email', 'profile', 'groups'],
      },
      token: true,
    });
  });

  it('sends the browser to the provider with PKCE S256, state and nonce, keeping them in a sealed cookie', async () => {
    const { authorizationUrl, stateCookie } = await startLogin('/catalog');
    expect(authorizationUrl.origin).toBe(idp.issuer);
    const q = authorizationUrl.searchParams;
    expect(q.get('client_id')).toBe(WEB_CLIENT.id);
    expect(q.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(q.get('nonce')).toMatch(/^[\w-]{20,}$/);
    // Nothing of the state, nonce or where to return is readable in the cookie.
    expect(stateCookie).not.toContain(q.get('state'));
    expect(stateCookie).not.toContain(q.get('nonce'));
    expect(decodeURIComponent(stateCookie)).not.toContain('catalog');
  });

  it('signs a new person in as a member created from the provider, and returns to the page asked for', async () => {
    const a = account();
    const l = await login(a.id, { returnTo: '/catalog?tab=mine' });
    const res = await callback(l);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/catalog?tab=mine');
    const me = await signedInAs(res);
    expect(me).toMatchObject({ email: a.email, name: 'Sso Person', role: 'member', source: 'oidc' });
    const started = (await h.request('GET', `/api/v1/events?type=session.started&subjectId=${me.id}`)).body
      .items;
    expect(started[0].data.method).toBe('oidc');
    const created = (await h.request('GET', `/api/v1/events?type=user.created&subjectId=${me.id}`)).body
      .items;
    expect(created[0].data.source).toBe('oidc');
    // The second sign-in finds the same user by subject.
    const again = await signedInAs(await callback(await login(a.id)));
    expect(again.id).toBe(me.id);
  });

  it('backs the session with a token of its own: not among the user’s tokens, revoked by signing out', async () => {
    const a = account();
    const res = await callback(await login(a.id));
    const me = await signedInAs(res);
    const cookie = `latch_session=${cookieFrom(res, 'latch_session')}`;
    const listed = await h.request('GET', `/api/v1/users/${me.id}/tokens`);
    expect(listed.body.items).toEqual([]);
    const [started] = (await h.request('GET', `/api/v1/events?type=session.started&subjectId=${me.id}`)).body
      .items;
    const tokenId = started.subjects.find((s: { type: string }) => s.type === 'token').id as string;
    const csrf = (await h.request('GET', '/api/v1/session', { token: null, headers: { cookie } })).body
      .csrfToken;
    const out = await h.request('DELETE', '/api/v1/session', {
      token: null,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(204);
    const [ended] = (await h.request('GET', `/api/v1/events?type=session.ended&subjectId=${me.id}`)).body
      .items;
    expect(ended.data).toMatchObject({ reason: 'signed_out', revokedToken: true });
    expect(ended.subjects).toContainEqual({ type: 'token', id: tokenId });
    expect((await h.request('GET', '/api/v1/me', { token: null, headers: { cookie } })).status).toBe(401);
  });

  it('links an existing user by verified e-mail, case-insensitively, then finds them by subject', async () => {
    const local = await h.newUser('member');
    const a = account({ email: local.user.email.toUpperCase() });
    const me = await signedInAs(await callback(await login(a.id)));
    expect(me.id).toBe(local.user.id);
    a.email = uniqueEmail('changed');
    const again = await signedInAs(await callback(await login(a.id)));
    expect(again.id).toBe(local.user.id);
  });

  it('never links an unverified e-mail to an existing user, nor creates one from it', async () => {
    const local = await h.newUser('member');
    const a = account({ email: local.user.email, emailVerified: false });
    refusedWith(await callback(await login(a.id)), 'no_verified_email');
    expect((await refusals('no_verified_email')).length).toBeGreaterThan(0);
  });

  it('refuses a suspended user', async () => {
    const local = await h.newUser('member');
    await h.request('PATCH', `/api/v1/users/${local.user.id}`, { body: { status: 'suspended' } });
    const a = account({ email: local.user.email });
    refusedWith(await callback(await login(a.id)), 'suspended');
    const refused = await refusals('suspended');
    expect(refused.some((e) => e.subjects.some((s: any) => s.id === local.user.id))).toBe(true);
  });

  it('refuses a deprovisioned user, found by subject, and does not create them again', async () => {
    const a = account();
    const me = await signedInAs(await callback(await login(a.id)));
    // Deprovisioned as the provider's SCIM client would: suspended for good, e-mail released.
    await h.latch.deps.db
      .updateTable('users')
      .set({ status: 'suspended', deprovisioned_at: new Date() })
      .where('id', '=', me.id)
      .execute();
    refusedWith(await callback(await login(a.id)), 'deprovisioned');
    const refused = await refusals('deprovisioned');
    expect(refused.some((e) => e.subjects.some((s: any) => s.id === me.id))).toBe(true);
  });

  it('makes admins and auditors from the groups claim, and demotes when the group is gone', async () => {
    const a = account({ groups: ['latch-admins'] });
    const first = await signedInAs(await callback(await login(a.id)));
    expect(first.role).toBe('admin');
    a.groups = ['latch-auditors'];
    expect((await signedInAs(await callback(await login(a.id)))).role).toBe('auditor');
    a.groups = [];
    expect((await signedInAs(await callback(await login(a.id)))).role).toBe('member');
    const updates = (await h.request('GET', `/api/v1/events?type=user.updated&subjectId=${first.id}`)).body
      .items;
    expect(updates.map((e: any) => e.data.changes.role?.to)).toEqual(
      expect.arrayContaining(['auditor', 'member']),
    );
  });

  it('refuses a first sign-in when creating users is off', async () => {
    const off = await startHarness({
      publicUrl: new URL(PUBLIC_URL),
      oidc: settings({ createUsers: false }),
    });
    try {
      const a = account();
      refusedWith(await callback(await login(a.id, { harness: off }), off), 'creation_disabled');
      const local = await off.newUser('member');
      const b = account({ email: local.user.email });
      expect((await signedInAs(await callback(await login(b.id, { harness: off }), off), off)).id).toBe(
        local.user.id,
      );
    } finally {
      await off.close();
    }
  });

  it('refuses a tampered state, a missing state cookie and a replayed answer', async () => {
    const a = account();
    const l = await login(a.id);
    const tampered = new URL(l.callback);
    tampered.searchParams.set('state', 'x'.repeat(43));
    refusedWith(await callback({ ...l, callback: tampered }), 'state_mismatch');
    refusedWith(
      await h.request('GET', `${l.callback.pathname}${l.callback.search}`, { token: null }),
      'state_mismatch',
    );
    // A cookie from another sign-in does not fit this answer either.
    const other = await startLogin();
    refusedWith(await callback({ callback: l.callback, stateCookie: other.stateCookie }), 'state_mismatch');

    const fresh = await login(a.id);
    await signedInAs(await callback(fresh));
    refusedWith(await callback(fresh), 'state_mismatch');
    expect((await refusals('state_mismatch')).length).toBeGreaterThan(0);
  });

  it('refuses a replayed code even with a fresh state', async () => {
    const a = account();
    const first = await login(a.id);
    await signedInAs(await callback(first));
    // The same code brought back under a new, valid login state: the provider refuses it (and PKCE differs).
    const second = await startLogin();
    const replay = new URL(first.callback);
    replay.searchParams.set('state', second.authorizationUrl.searchParams.get('state')!);
    refusedWith(await callback({ callback: replay, stateCookie: second.stateCookie }), 'provider_error');
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const a = account();
    const l = await login(a.id, { rewrite: (u) => u.searchParams.set('nonce', 'n'.repeat(43)) });
    refusedWith(await callback(l), 'invalid_id_token');
  });

  it.each([
    ['another audience', (c: any) => ({ ...c, aud: OTHER_CLIENT.id })],
    ['another issuer', (c: any) => ({ ...c, iss: 'https://evil.example' })],
    ['an expired ID token', (c: any) => ({ ...c, iat: c.iat - 7200, exp: c.iat - 3600 })],
    ['a changed subject', (c: any) => ({ ...c, sub: 'someone-else' })],
  ])('refuses %s', async (_what, tamper) => {
    const a = account();
    const l = await login(a.id);
    idp.tamperIdTokens = tamper;
    try {
      const res = await callback(l);
      expect(res.status).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/\?signInError=/);
      expect(cookieFrom(res, 'latch_session')).toBeUndefined();
    } finally {
      idp.tamperIdTokens = undefined;
    }
  });

  it('refuses an ID token the provider did not sign', async () => {
    const a = account();
    const l = await login(a.id);
    // Rewritten and signed with a key the provider never published.
    const { signIdToken } = idp;
    idp.signIdToken = (claims) => signIdToken(claims, { foreignKey: true });
    idp.tamperIdTokens = (c) => c;
    try {
      refusedWith(await callback(l), 'invalid_id_token');
    } finally {
      idp.tamperIdTokens = undefined;
      idp.signIdToken = signIdToken;
    }
  });

  it('refuses the provider reporting an error', async () => {
    const { stateCookie, authorizationUrl } = await startLogin();
    const state = authorizationUrl.searchParams.get('state')!;
    const res = await h.request('GET', `/api/v1/auth/oidc/callback?error=access_denied&state=${state}`, {
      token: null,
      headers: { cookie: `latch_oidc_login=${stateCookie}` },
    });
    refusedWith(res, 'provider_error');
  });

  it.each([
    '//evil.example/',
    'https://evil.example/',
    '/\\evil.example',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    'http:evil.example',
    '/\t/evil.example',
  ])('returns to / rather than %j', async (returnTo) => {
    const a = account();
    const res = await callback(await login(a.id, { returnTo }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('sends the browser back to the sign-in page, never a 5xx, when the provider cannot be reached', async () => {
    const gone = await startTestIdp();
    gone.configure(PUBLIC_URL);
    const a = gone.addAccount({
      id: 'gone-1',
      email: uniqueEmail('gone'),
      emailVerified: true,
      name: 'Gone',
    });
    const lonely = await startHarness({ publicUrl: new URL(PUBLIC_URL), oidc: oidcSettingsFor(gone) });
    try {
      const l = await oidcLogin(lonely, a.id);
      await gone.close();
      refusedWith(await oidcCallback(lonely, l), 'provider_unavailable');
      const again = await startHarness({ publicUrl: new URL(PUBLIC_URL), oidc: oidcSettingsFor(gone) });
      try {
        const res = await again.request('GET', '/api/v1/auth/oidc/login', { token: null });
        refusedWith(res, 'provider_unavailable');
      } finally {
        await again.close();
      }
    } finally {
      await lonely.close();
    }
  });

  it('is 404 where single sign-on is not configured', async () => {
    const plain = await startHarness();
    try {
      expect((await plain.request('GET', '/api/v1/auth/methods', { token: null })).body).toEqual({
        oidc: null,
        token: true,
      });
      expect((await plain.request('GET', '/api/v1/auth/oidc/login', { token: null })).status).toBe(404);
      expect(
        (await plain.request('GET', '/api/v1/auth/oidc/callback?code=x&state=y', { token: null })).status,
      ).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('exchanging an ID token from the CLI client for an API token', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const idTokenFor = (a: { id: string; email: string }, over: Record<string, unknown> = {}) =>
    idp.signIdToken({
      iss: idp.issuer,
      aud: 'latch-cli',
      sub: a.id,
      email: a.email,
      email_verified: true,
      name: 'Cli Person',
      iat: now(),
      exp: now() + 600,
      ...over,
    });
  const exchange = (idToken: string) =>
    h.request('POST', '/api/v1/auth/oidc/exchange', { token: null, body: { idToken } });

  it('gives a 12-hour API token for the same user a browser sign-in would find', async () => {
    const local = await h.newUser('member');
    const a = account({ email: local.user.email });
    const res = await exchange(await idTokenFor(a));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.token).toMatch(/^latch_/);
    const hours = (Date.parse(res.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const me = await h.request('GET', '/api/v1/me', { token: res.body.token });
    expect(me.body.id).toBe(local.user.id);
    const created = (await h.request('GET', `/api/v1/events?type=token.created&subjectId=${local.user.id}`))
      .body.items;
    expect(created.some((e: any) => e.data.via === 'oidc')).toBe(true);
    // The token revokes itself by the id the exchange gave (latch logout).
    expect(res.body.userId).toBe(local.user.id);
    const revoked = await h.request('DELETE', `/api/v1/users/${res.body.userId}/tokens/${res.body.id}`, {
      token: res.body.token,
    });
    expect(revoked.status).toBe(200);
    expect((await h.request('GET', '/api/v1/me', { token: res.body.token })).status).toBe(401);
  });

  it.each([
    ['issued to another client', { aud: OTHER_CLIENT.id }],
    ['from another issuer', { iss: 'https://evil.example' }],
    ['expired', { iat: now() - 7200, exp: now() - 3600 }],
  ])('refuses an ID token %s', async (_what, over) => {
    const a = account();
    const res = await exchange(await idTokenFor(a, over));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  it('refuses an ID token the provider did not sign, and one that is no JWT', async () => {
    const a = account();
    const forged = await idp.signIdToken(
      {
        iss: idp.issuer,
        aud: 'latch-cli',
        sub: a.id,
        email: a.email,
        email_verified: true,
        iat: now(),
        exp: now() + 600,
      },
      { foreignKey: true },
    );
    expect((await exchange(forged)).status).toBe(401);
    expect((await exchange('not-a-jwt')).status).toBe(401);
  });

  it('refuses a suspended user and an unverified e-mail, with the reason on record', async () => {
    const local = await h.newUser('member');
    await h.request('PATCH', `/api/v1/users/${local.user.id}`, { body: { status: 'suspended' } });
    const res = await exchange(await idTokenFor(account({ email: local.user.email })));
    expect(res.status).toBe(403);
    const unverified = await exchange(await idTokenFor(account(), { email_verified: false }));
    expect(unverified.status).toBe(403);
    const refused = (await h.request('GET', '/api/v1/events?type=session.refused')).body.items as any[];
    expect(refused.some((e) => e.data.via === 'exchange' && e.data.reason === 'suspended')).toBe(true);
    expect(JSON.stringify(refused)).not.toContain('eyJ');
  });

  it('validates the body', async () => {
    expect((await h.request('POST', '/api/v1/auth/oidc/exchange', { token: null, body: {} })).status).toBe(
      400,
    );
  });
});

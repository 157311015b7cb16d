/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each test expects */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, sessionKit } from '../support/browser-session.js';
import type { Caller, Harness } from '../support/harness.js';

// Browser sessions through the real app: sign-in with a token, then the cookie alone, with CSRF and Origin
// checks on changes. The clock is shifted where lifetimes matter.

const kit = sessionKit();
const { signIn, withCookie, events, setOffset } = kit;
let h: Harness;
beforeAll(() => {
  h = kit.h;
});

const tokensOf = async (caller: Caller) =>
  (await h.request('GET', `/api/v1/users/${caller.user.id}/tokens`)).body.items as { name: string }[];

describe('signing in', () => {
  it('sets an HttpOnly, Secure, SameSite=Strict cookie and stores only its hash', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    const attrs = s.setCookie.split(';').map((a) => a.trim().toLowerCase());
    expect(attrs).toEqual(
      expect.arrayContaining(['httponly', 'secure', 'samesite=strict', 'path=/', `max-age=${12 * 3600}`]),
    );
    expect(s.cookie).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    expect(s.body).toMatchObject({ user: { id: member.user.id, email: member.user.email } });
    expect(s.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.csrf).not.toBe(s.cookie);
    const expiresIn = Date.parse(s.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(12 * HOUR - MINUTE);
    expect(expiresIn).toBeLessThanOrEqual(12 * HOUR);

    const rows = await h.latch.deps.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', member.user.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.secret_hash).toBe(createHash('sha256').update(s.cookie).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(s.cookie);
  });

  it('refuses a wrong or revoked token with 401 and a suspended user with 403, setting no cookie', async () => {
    const wrong = await h.request('POST', '/api/v1/session', { token: null, body: { token: 'latch_nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('unauthenticated');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const member = await h.newUser();
    await h.request('PATCH', `/api/v1/users/${member.user.id}`, { body: { status: 'suspended' } });
    // Suspension revoked the user's token.
    const revoked = await h.request('POST', '/api/v1/session', {
      token: null,
      body: { token: member.token },
    });
    expect(revoked.status).toBe(401);
    // Suspended as an older version did, leaving its tokens unrevoked: a valid token, refused for the user.
    const other = await h.newUser();
    await h.latch.store.db
      .updateTable('users')
      .set({ status: 'suspended' })
      .where('id', '=', other.user.id)
      .execute();
    const suspended = await h.request('POST', '/api/v1/session', {
      token: null,
      body: { token: other.token },
    });
    expect(suspended.status).toBe(403);
    expect(suspended.headers['set-cookie']).toBeUndefined();

    const bad = await h.request('POST', '/api/v1/session', { token: null, body: { token: '' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('never outlives a token that expires sooner', async () => {
    const member = await h.newUser();
    const expiresAt = new Date(Date.now() + HOUR).toISOString();
    const minted = await h.request('POST', `/api/v1/users/${member.user.id}/tokens`, {
      body: { name: 'short', expiresAt },
    });
    const s = await signIn(minted.body.token);
    expect(Date.parse(s.body.expiresAt)).toBe(Date.parse(expiresAt));
    const maxAge = Number(/Max-Age=(\d+)/i.exec(s.setCookie)![1]);
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3600);
    setOffset(50 * MINUTE);
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(200);
    setOffset(HOUR + 1000);
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('writes session.started and session.ended events', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    const [started] = await events('session.started', member.user.id);
    expect(started).toMatchObject({ actorId: member.user.id, data: { expiresAt: s.body.expiresAt } });
    const sessionId = started.subjects.find((x: any) => x.type === 'session').id;
    expect(started.subjects).toEqual(expect.arrayContaining([{ type: 'user', id: member.user.id }]));
    expect(started.subjects.map((x: any) => x.type)).toContain('token');

    expect((await withCookie(s, 'DELETE', '/api/v1/session', { csrf: s.csrf })).status).toBe(204);
    const ended = await events('session.ended', sessionId);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ actorId: member.user.id, data: { reason: 'signed_out' } });
  });
});

describe('the cookie as credentials', () => {
  it('answers GET /session and GET /me with the cookie alone', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    const session = await withCookie(s, 'GET', '/api/v1/session');
    expect(session.status).toBe(200);
    const me = await withCookie(s, 'GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ ...member.user, abilities: expect.any(Object) });
    // The session's user is /me's, abilities included, as the sign-in answered it.
    expect(session.body).toEqual({ user: me.body, csrfToken: s.csrf, expiresAt: s.body.expiresAt });
    expect(s.body.user).toEqual(me.body);
  });

  it('refuses a change without the right X-CSRF-Token and changes nothing', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    const url = `/api/v1/users/${member.user.id}/tokens`;
    for (const csrf of [undefined, 'wrong', `${s.csrf}x`, s.cookie]) {
      const res = await withCookie(s, 'POST', url, {
        body: { name: 'via-cookie' },
        ...(csrf ? { csrf } : {}),
      });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('csrf_failed');
    }
    expect((await tokensOf(member)).map((t) => t.name)).not.toContain('via-cookie');

    const ok = await withCookie(s, 'POST', url, { body: { name: 'via-cookie' }, csrf: s.csrf });
    expect(ok.status).toBe(201);
    expect((await tokensOf(member)).map((t) => t.name)).toContain('via-cookie');
  });

  it('refuses cookie-authenticated changes from another origin, even with the CSRF token', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    const url = `/api/v1/users/${member.user.id}/tokens`;
    for (const origin of ['https://evil.example', 'http://localhost:8081', 'null']) {
      const res = await withCookie(s, 'POST', url, { body: { name: 'cross' }, csrf: s.csrf, origin });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('csrf_failed');
    }
    expect((await tokensOf(member)).map((t) => t.name)).not.toContain('cross');
    // The server's own origin (injected requests arrive for localhost:80) is fine.
    const same = await withCookie(s, 'POST', url, {
      body: { name: 'same' },
      csrf: s.csrf,
      origin: 'http://localhost',
    });
    expect(same.status).toBe(201);
    // Reads are not state changes.
    expect((await withCookie(s, 'GET', '/api/v1/me', { origin: 'https://evil.example' })).status).toBe(200);
    // Nor may another site sign this browser in.
    const foreignSignIn = await h.request('POST', '/api/v1/session', {
      token: null,
      body: { token: member.token },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreignSignIn.status).toBe(403);
    expect(foreignSignIn.body.code).toBe('csrf_failed');
  });

  it('lets a bearer token win: no CSRF header needed, and the cookie is ignored', async () => {
    const member = await h.newUser();
    const other = await h.newUser();
    const s = await signIn(other.token);
    const res = await h.request('POST', `/api/v1/users/${member.user.id}/tokens`, {
      token: member.token,
      body: { name: 'bearer' },
      headers: { cookie: `latch_session=${s.cookie}` },
    });
    expect(res.status).toBe(201);
    const me = await h.request('GET', '/api/v1/me', {
      token: member.token,
      headers: { cookie: `latch_session=${s.cookie}` },
    });
    expect(me.body.id).toBe(member.user.id);
    // A bearer-authenticated call has no browser session to describe.
    expect((await h.request('GET', '/api/v1/session', { token: member.token })).status).toBe(401);
  });

  it('answers garbage cookies with 401, never 500', async () => {
    for (const cookie of [
      'latch_session=garbage',
      'latch_session=',
      `latch_session=${'a'.repeat(5000)}`,
      'latch_session=%zz%',
      'latch_session="quoted"; other=1',
      'latch_session',
      '=; ;;',
    ]) {
      const res = await h.request('GET', '/api/v1/me', { token: null, headers: { cookie } });
      expect(res.status, cookie).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    }
    const out = await h.request('DELETE', '/api/v1/session', {
      token: null,
      headers: { cookie: 'latch_session=garbage' },
    });
    expect(out.status).toBe(204);
  });
});

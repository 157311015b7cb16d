import { beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE, sessionKit, setCookieOf } from '../support/browser-session.js';
import type { Harness } from '../support/harness.js';

// How a browser session ends: sign-out, token revocation, suspension, idle timeout and maximum age. The
// clock is shifted to test lifetimes.

const kit = sessionKit();
const { signIn, withCookie, setOffset } = kit;
let h: Harness;
beforeAll(() => {
  h = kit.h;
});

describe('how a session ends', () => {
  it('signs out: 204, the cookie is cleared and no longer works', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    // Signing out is a change: without the CSRF token it is refused and the session lives on.
    const refused = await withCookie(s, 'DELETE', '/api/v1/session');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('csrf_failed');
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(200);

    const out = await withCookie(s, 'DELETE', '/api/v1/session', { csrf: s.csrf });
    expect(out.status).toBe(204);
    const cleared = setCookieOf(out);
    expect(cleared).toMatch(/^latch_session=;/);
    expect(cleared).toMatch(/Max-Age=0/i);
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await withCookie(s, 'GET', '/api/v1/session')).status).toBe(401);
    const rows = await h.latch.deps.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', member.user.id)
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('ends when the token it was started with is revoked', async () => {
    const member = await h.newUser();
    const minted = await h.request('POST', `/api/v1/users/${member.user.id}/tokens`, {
      body: { name: 'web' },
    });
    const s = await signIn(minted.body.token);
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(200);
    await h.request('DELETE', `/api/v1/users/${member.user.id}/tokens/${minted.body.id}`);
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('ends for good when the user is suspended', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(200);
    await h.request('PATCH', `/api/v1/users/${member.user.id}`, { body: { status: 'suspended' } });
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(401);
    // Re-activating the user brings back neither the old cookie nor the token it came from.
    await h.request('PATCH', `/api/v1/users/${member.user.id}`, { body: { status: 'active' } });
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await h.as(member)('GET', '/api/v1/me')).status).toBe(401);
  });

  it('ends after two idle hours, and use keeps it going', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    setOffset(90 * MINUTE);
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(200);
    setOffset(180 * MINUTE); // 3 h after sign-in, 1.5 h after the last use
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(200);
    setOffset(300 * MINUTE + 1000); // 2 h and a second after the last use
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(401);
  });

  it('records use at most once a minute', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    const lastSeen = async () =>
      (
        await h.latch.deps.db
          .selectFrom('sessions')
          .select('last_seen_at')
          .where('user_id', '=', member.user.id)
          .executeTakeFirstOrThrow()
      ).last_seen_at.getTime();
    const first = await lastSeen();
    setOffset(30_000);
    await withCookie(s, 'GET', '/api/v1/me');
    expect(await lastSeen()).toBe(first);
    setOffset(61_000);
    await withCookie(s, 'GET', '/api/v1/me');
    expect(await lastSeen()).toBeGreaterThanOrEqual(first + 61_000);
  });

  it('ends twelve hours after sign-in however busy it is', async () => {
    const member = await h.newUser();
    const s = await signIn(member.token);
    for (let at = HOUR; at < 12 * HOUR; at += HOUR) {
      setOffset(at);
      expect((await withCookie(s, 'GET', '/api/v1/me')).status, `after ${at / HOUR} h`).toBe(200);
    }
    setOffset(12 * HOUR + 1000);
    expect((await withCookie(s, 'GET', '/api/v1/me')).status).toBe(401);
  });
});

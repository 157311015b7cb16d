import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, uniqueEmail, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('authentication', () => {
  it('refuses a missing, malformed or wrong token with 401 problem+json', async () => {
    for (const token of [null, 'latch_not-a-real-token']) {
      const res = await h.request('GET', '/api/v1/me', { token });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        status: 401,
        code: 'unauthenticated',
        type: expect.any(String),
        title: expect.any(String),
      });
    }
    const basic = await h.request('GET', '/api/v1/me', {
      token: null,
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    });
    expect(basic.status).toBe(401);
  });

  it('answers /me for a valid token', async () => {
    const me = await h.request('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'admin@example.test', role: 'admin', status: 'active' });
  });

  it('serves health and the OpenAPI document without a token', async () => {
    expect((await h.request('GET', '/healthz', { token: null })).status).toBe(200);
    expect((await h.request('GET', '/readyz', { token: null })).status).toBe(200);
    const doc = await h.request('GET', '/api/openapi.json', { token: null });
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/users',
        '/api/v1/users/{id}/tokens',
        '/api/v1/events/verify',
        '/api/v1/events/checkpoints',
      ]),
    );
  });
});

describe('users', () => {
  it('creates a member by default and rejects duplicate e-mail case-insensitively with 409', async () => {
    const email = uniqueEmail('dup');
    const created = await h.request('POST', '/api/v1/users', { body: { email, name: 'Dup' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email,
      name: 'Dup',
      role: 'member',
      status: 'active',
      id: expect.stringMatching(/^usr_/),
    });
    const again = await h.request('POST', '/api/v1/users', {
      body: { email: email.toUpperCase(), name: 'Dup 2' },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
  });

  it('gives 403 to a member calling an admin endpoint and 404 for unknown ids', async () => {
    const member = await h.newUser('member');
    const api = h.as(member);
    expect((await api('POST', '/api/v1/users', { email: uniqueEmail(), name: 'x' })).body.code).toBe(
      'forbidden',
    );
    expect((await api('GET', '/api/v1/users')).status).toBe(403);
    expect((await api('PATCH', `/api/v1/users/${member.user.id}`, { role: 'admin' })).status).toBe(403);
    expect((await h.request('GET', '/api/v1/users/usr_nope')).status).toBe(404);
    expect((await h.request('GET', '/api/v1/users/usr_nope')).body.code).toBe('not_found');
    expect((await h.request('PATCH', '/api/v1/users/usr_nope', { body: { name: 'x' } })).status).toBe(404);
    // A member may look another user up by id (names in requests and lists), but not list or search them.
    expect((await api('GET', `/api/v1/users/${h.admin.user.id}`)).body.email).toBe(h.admin.user.email);
    expect((await api('GET', `/api/v1/users/${member.user.id}`)).status).toBe(200);
  });

  it('validates input with field errors and rejects unknown fields', async () => {
    const cases: unknown[] = [
      { email: 'not-an-email', name: 'x' },
      { email: uniqueEmail(), name: '' },
      { email: uniqueEmail(), name: '   ' },
      { email: uniqueEmail(), name: 'x', role: 'root' },
      { email: uniqueEmail(), name: 'x', extra: true },
      { email: uniqueEmail(), name: 'x'.repeat(201) },
      { email: uniqueEmail(), name: 42 },
      { email: uniqueEmail(), name: 'nul\u0000byte' },
      [],
      'text',
    ];
    for (const body of cases) {
      const res = await h.request('POST', '/api/v1/users', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    const malformed = await h.request('POST', '/api/v1/users', {
      rawBody: '{"email": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('validation_failed');
    const tooBig = await h.request('POST', '/api/v1/users', {
      rawBody: JSON.stringify({ email: 'a@b.c', name: 'x'.repeat(300_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(tooBig.status).toBe(413);
  });

  it('lists with a query and cursor pagination', async () => {
    const tag = `pg-${Date.now()}`;
    for (let i = 0; i < 5; i++)
      await h.request('POST', '/api/v1/users', {
        body: { email: `${tag}-${i}@example.test`, name: `Paged ${i}` },
      });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { email: string }[]; nextCursor: string | null } } = await h.request(
        'GET',
        `/api/v1/users?query=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((u) => u.email));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${tag}-${i}@example.test`));
    expect((await h.request('GET', '/api/v1/users?limit=501')).status).toBe(400);
  });

  it('suspends a user, whose token then stops working, and refuses to demote the last admin', async () => {
    const member = await h.newUser('member');
    expect((await h.as(member)('GET', '/api/v1/me')).status).toBe(200);
    const patched = await h.request('PATCH', `/api/v1/users/${member.user.id}`, {
      body: { status: 'suspended' },
    });
    expect(patched.body.status).toBe('suspended');
    // A suspended user's tokens answer 401, like a token that no longer works (the API contract).
    expect((await h.as(member)('GET', '/api/v1/me')).status).toBe(401);
    // Suspension revoked it: re-activation does not revive it.
    await h.request('PATCH', `/api/v1/users/${member.user.id}`, { body: { status: 'active' } });
    expect((await h.as(member)('GET', '/api/v1/me')).status).toBe(401);
    const admins = await h.request('GET', '/api/v1/users?limit=500');
    const activeAdmins = admins.body.items.filter(
      (u: { role: string; status: string }) => u.role === 'admin' && u.status === 'active',
    );
    if (activeAdmins.length === 1) {
      const demote = await h.request('PATCH', `/api/v1/users/${h.admin.user.id}`, {
        body: { role: 'member' },
      });
      expect(demote.status).toBe(409);
    }
  });
});

describe('tokens', () => {
  it('mints a token shown once, stored only as a hash, lists it without the secret and revokes it', async () => {
    const member = await h.newUser('member');
    const minted = await h.as(member)('POST', `/api/v1/users/${member.user.id}/tokens`, { name: 'laptop' });
    expect(minted.status).toBe(201);
    expect(minted.body.token).toMatch(/^latch_/);
    const secret: string = minted.body.token;
    expect((await h.request('GET', '/api/v1/me', { token: secret })).body.id).toBe(member.user.id);

    const rows = await h.latch.store.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', minted.body.id)
      .execute();
    expect(JSON.stringify(rows)).not.toContain(secret);

    const list = await h.as(member)('GET', `/api/v1/users/${member.user.id}/tokens`);
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(minted.body.id);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const revoked = await h.as(member)('DELETE', `/api/v1/users/${member.user.id}/tokens/${minted.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await h.request('GET', '/api/v1/me', { token: secret })).status).toBe(401);
  });

  it('lets admins mint for anyone and members only for themselves', async () => {
    const a = await h.newUser('member');
    const b = await h.newUser('member');
    expect((await h.as(a)('POST', `/api/v1/users/${b.user.id}/tokens`, { name: 'x' })).status).toBe(404);
    expect((await h.as(a)('GET', `/api/v1/users/${b.user.id}/tokens`)).status).toBe(404);
    expect(
      (await h.request('POST', `/api/v1/users/${b.user.id}/tokens`, { body: { name: 'by admin' } })).status,
    ).toBe(201);
    expect(
      (await h.request('POST', '/api/v1/users/usr_missing/tokens', { body: { name: 'x' } })).status,
    ).toBe(404);
    expect((await h.request('DELETE', `/api/v1/users/${b.user.id}/tokens/tok_missing`)).status).toBe(404);
  });

  it('rejects an expiry in the past and stops accepting a token once it expires', async () => {
    const member = await h.newUser('member');
    const past = await h.as(member)('POST', `/api/v1/users/${member.user.id}/tokens`, {
      name: 'old',
      expiresAt: '2000-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    const soon = new Date(Date.now() + 1500).toISOString();
    const minted = await h.as(member)('POST', `/api/v1/users/${member.user.id}/tokens`, {
      name: 'short',
      expiresAt: soon,
    });
    expect(minted.status).toBe(201);
    expect((await h.request('GET', '/api/v1/me', { token: minted.body.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, Date.parse(soon) - Date.now() + 20));
    // The cache may hold the resolution briefly, but never past the token's own expiry.
    expect((await h.request('GET', '/api/v1/me', { token: minted.body.token })).status).toBe(401);
  });
});

describe('when a token was last used', () => {
  it('is recorded on use (at most once a minute) and shown in the token list', async () => {
    const u = await h.newUser();
    const list = async () =>
      (await h.request('GET', `/api/v1/users/${u.user.id}/tokens`)).body.items as {
        lastUsedAt: string | null;
      }[];
    expect((await list())[0]!.lastUsedAt).toBeNull();
    const before = Date.now();
    expect((await h.as(u)('GET', '/api/v1/me')).status).toBe(200);
    await expect.poll(async () => (await list())[0]!.lastUsedAt).not.toBeNull();
    const first = (await list())[0]!.lastUsedAt!;
    expect(Date.parse(first)).toBeGreaterThanOrEqual(before - 1000);
    // A second use within the minute writes nothing.
    await h.as(u)('GET', '/api/v1/me');
    await new Promise((r) => setTimeout(r, 200));
    expect((await list())[0]!.lastUsedAt).toBe(first);
  });
});

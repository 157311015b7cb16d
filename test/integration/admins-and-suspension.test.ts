import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../src/ops/identity/bootstrap-admin.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit } from '../support/requests.js';

// Who can still manage Latch, and what a suspension takes away: admins demoting each other at once, bootstrap
// with no active admin left, suspended users' tokens, and reviewers who lost the standing that made them one.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const patch = (caller: Caller, id: string, body: unknown) =>
  h.as(caller)('PATCH', `/api/v1/users/${id}`, body);

describe('admins', () => {
  it('never end up with no active admin when two suspend each other at once', async () => {
    const a = await h.newUser('admin');
    const b = await h.newUser('admin');
    // Only a and b stay admins.
    expect((await patch(a, h.admin.user.id, { role: 'member' })).status).toBe(200);
    const [ab, ba] = await Promise.all([
      patch(a, b.user.id, { status: 'suspended' }),
      patch(b, a.user.id, { status: 'suspended' }),
    ]);
    expect([ab.status, ba.status].sort()).toEqual([200, 403]);
    const survivor = ab.status === 200 ? a : b;
    expect((await h.as(survivor)('GET', '/api/v1/users?limit=500')).status).toBe(200);
    const admins = (await h.as(survivor)('GET', '/api/v1/users?limit=500')).body.items.filter(
      (u: { role: string; status: string }) => u.role === 'admin' && u.status === 'active',
    );
    expect(admins.map((u: { id: string }) => u.id)).toEqual([survivor.user.id]);
    // Restore the harness admin for the tests that follow.
    expect((await patch(survivor, h.admin.user.id, { role: 'admin' })).status).toBe(200);
  });

  it('makes the bootstrap user an active admin again when no active admin is left', async () => {
    const db = h.latch.store.db;
    const before = await db
      .selectFrom('users')
      .select(['id', 'status'])
      .where('role', '=', 'admin')
      .execute();
    await db.updateTable('users').set({ status: 'suspended' }).where('role', '=', 'admin').execute();
    const deps = { db, now: () => new Date(), keys: h.latch.deps.keys };
    const result = await bootstrapAdmin(deps, 'admin@example.test', `latch_restore_${'r'.repeat(40)}`);
    expect(result).toMatchObject({ created: true, restored: true, email: 'admin@example.test' });
    const admins = await db
      .selectFrom('users')
      .select('email')
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .execute();
    expect(admins.map((u) => u.email)).toEqual(['admin@example.test']);
    // A second start finds an active admin and does nothing.
    expect(await bootstrapAdmin(deps, 'admin@example.test')).toEqual({ created: false });
    for (const u of before)
      await db.updateTable('users').set({ status: u.status }).where('id', '=', u.id).execute();
  });
});

describe('a suspended user', () => {
  it('is refused with 401, has every token revoked, and is not let back in by old tokens on re-activation', async () => {
    const u = await h.newUser();
    expect((await h.as(u)('GET', '/api/v1/me')).status).toBe(200);
    const suspended = await h.request('PATCH', `/api/v1/users/${u.user.id}`, {
      body: { status: 'suspended' },
    });
    expect(suspended.status).toBe(200);
    expect((await h.as(u)('GET', '/api/v1/me')).status).toBe(401);
    const tokens = await h.request('GET', `/api/v1/users/${u.user.id}/tokens`);
    expect(tokens.body.items.every((t: { revokedAt: string | null }) => t.revokedAt !== null)).toBe(true);
    const events = await h.request('GET', `/api/v1/events?type=user.suspended&subjectId=${u.user.id}`);
    expect(events.body.items[0].data.revokedTokens).toBe(1);
    await h.request('PATCH', `/api/v1/users/${u.user.id}`, { body: { status: 'active' } });
    expect((await h.as(u)('GET', '/api/v1/me')).status).toBe(401);
    const fresh = await h.request('POST', `/api/v1/users/${u.user.id}/tokens`, { body: { name: 'new' } });
    expect((await h.request('GET', '/api/v1/me', { token: fresh.body.token })).status).toBe(200);
  });
});

describe('a reviewer', () => {
  it('who stopped being an owner after the stage started cannot approve it any more', async () => {
    const kit = requestKit(h);
    const owner = await h.newUser();
    const requester = await h.newUser();
    const g = await kit.group({ ownerUserIds: [owner.user.id] });
    await kit.configure(`groups/${g.id}`, [entry()]);
    const r = await kit.asked(requester, { items: [{ groupId: g.id }] });
    expect(r.items[0]!.currentStage?.reviewerIds).toContain(owner.user.id);
    await h.request('PATCH', `/api/v1/groups/${g.id}`, { body: { ownerUserIds: [] } });
    const approve = await kit.approve(owner, r.id);
    expect(approve.status).toBe(403);
    expect(approve.body.detail).toContain('no longer review');
    expect((await kit.check(requester.user.id, `groupId=${g.id}`)).allowed).toBe(false);
  });
});

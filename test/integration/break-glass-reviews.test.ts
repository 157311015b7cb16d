import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import type { Activation } from '../support/api-types.js';
import { breakGlassKit } from '../support/break-glass-kit.js';
import type { Caller } from '../support/harness.js';

// Break-glass end to end through the HTTP API: reviews, listings, the notification outbox, and concurrent
// activations.

const k = breakGlassKit();
const { group, nest, grant, configure, activate, activated, allowed, events, getActivation, list } = k;

describe('reviews', () => {
  it('records one review by an k.owner or admin, with a required comment', async () => {
    const g = await group({ ownerUserIds: [k.owner.user.id] });
    await configure(g.id, { userIds: [k.alice.user.id] });
    const a = await activated(k.alice, g.id);
    const review = (caller: Caller, body: unknown) =>
      k.h.as(caller)<Activation>('POST', `/api/v1/break-glass/activations/${a.id}/review`, body);
    for (const body of [
      { outcome: 'justified' },
      { outcome: 'justified', comment: '' },
      { outcome: 'justified', comment: '   ' },
      { outcome: 'justified', comment: 'x'.repeat(2001) },
      { outcome: 'fine', comment: 'ok' },
    ]) {
      const res = await review(k.owner, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect((res.body as unknown as { code: string }).code).toBe('validation_failed');
    }
    expect((await review(k.outsider, { outcome: 'justified', comment: 'ok' })).status).toBe(404);
    expect((await review(k.auditor, { outcome: 'justified', comment: 'ok' })).status).toBe(403);
    const done = await review(k.owner, { outcome: 'justified', comment: '  real outage, INC-42  ' });
    expect(done.status).toBe(200);
    expect(done.body.review).toMatchObject({
      status: 'justified',
      reviewedBy: k.owner.user.id,
      comment: 'real outage, INC-42',
    });
    expect(done.body.review.reviewedAt).not.toBeNull();
    const twice = await review(k.h.admin, { outcome: 'unjustified', comment: 'no' });
    expect(twice.status).toBe(409);
    expect((twice.body as unknown as { code: string }).code).toBe('conflict');
    expect((await events('break_glass.reviewed', a.id)).map((e) => e.data)).toEqual([
      { outcome: 'justified', comment: 'real outage, INC-42' },
    ]);
  });

  it('never lets the activator review their own activation, even an admin or an owner', async () => {
    const secondAdmin = await k.h.newUser('admin');
    const g = await group({ ownerUserIds: [k.owner.user.id] });
    await configure(g.id, { userIds: [k.alice.user.id, k.owner.user.id, k.h.admin.user.id] });
    for (const activator of [k.h.admin, k.owner, k.alice]) {
      const a = await activated(activator, g.id);
      const self = await k.h.as(activator)('POST', `/api/v1/break-glass/activations/${a.id}/review`, {
        outcome: 'justified',
        comment: 'trust me',
      });
      expect(self.status).toBe(403);
      expect(self.body.code).toBe('self_review_forbidden');
      const other = await k.h.as(secondAdmin)<Activation>(
        'POST',
        `/api/v1/break-glass/activations/${a.id}/review`,
        { outcome: 'unjustified', comment: 'no incident' },
      );
      expect(other.status).toBe(200);
      expect(other.body.review.status).toBe('unjustified');
    }
  });
});

describe('listing', () => {
  it('filters by group, user, activity and review (with overdue); shows each caller what they may see; pages', async () => {
    const g = await group({ ownerUserIds: [k.owner.user.id] });
    const other = await group();
    const bob = await k.h.newUser();
    await configure(g.id, { userIds: [k.alice.user.id, bob.user.id] });
    await configure(other.id, { userIds: [k.alice.user.id] });
    const old = await activated(k.alice, g.id);
    const fresh = await activated(bob, g.id);
    const elsewhere = await activated(k.alice, other.id);
    await k.h.latch.store.db
      .updateTable('break_glass_activations')
      .set({ activated_at: new Date(Date.now() - 73 * 3600_000) })
      .where('id', '=', old.id)
      .execute();
    const ids = (items: Activation[]) => items.map((a) => a.id);

    expect(ids(await list(`groupId=${g.id}&review=overdue`))).toEqual([old.id]);
    expect((await getActivation(old.id)).review.overdue).toBe(true);
    expect(ids(await list(`groupId=${g.id}&review=pending`))).toEqual([old.id, fresh.id]);
    expect(ids(await list(`userId=${k.alice.user.id}&active=true`))).toEqual(
      expect.arrayContaining([old.id, elsewhere.id]),
    );
    expect(ids(await list(`groupId=${g.id}&userId=${bob.user.id}`))).toEqual([fresh.id]);
    await k.h.request('POST', `/api/v1/break-glass/activations/${old.id}/review`, {
      body: { outcome: 'justified', comment: 'late but fine' },
    });
    expect(ids(await list(`groupId=${g.id}&review=overdue`))).toEqual([]);
    expect(ids(await list(`groupId=${g.id}&review=justified`))).toEqual([old.id]);

    expect(ids(await list('', k.alice)).sort()).toEqual(expect.arrayContaining([old.id, elsewhere.id]));
    expect(ids(await list('', k.alice))).not.toContain(fresh.id);
    expect(ids(await list(`groupId=${g.id}`, k.owner))).toEqual([old.id, fresh.id]);
    expect(ids(await list(`groupId=${other.id}`, k.owner))).toEqual([]);
    expect(ids(await list(`groupId=${g.id}`, k.outsider))).toEqual([]);
    expect(ids(await list(`groupId=${g.id}`, k.auditor))).toEqual([old.id, fresh.id]);
    expect((await k.h.as(k.outsider)('GET', `/api/v1/break-glass/activations/${old.id}`)).status).toBe(404);
    expect((await k.h.as(k.owner)('GET', `/api/v1/break-glass/activations/${old.id}`)).status).toBe(200);
    expect((await k.h.as(bob)('GET', `/api/v1/break-glass/activations/${fresh.id}`)).status).toBe(200);
    expect((await k.h.request('GET', '/api/v1/break-glass/activations?review=never')).status).toBe(400);

    const first = (await k.h.request('GET', `/api/v1/break-glass/activations?groupId=${g.id}&limit=1`)).body;
    expect(ids(first.items)).toEqual([old.id]);
    const second = (
      await k.h.request(
        'GET',
        `/api/v1/break-glass/activations?groupId=${g.id}&limit=1&cursor=${first.nextCursor}`,
      )
    ).body;
    expect(ids(second.items)).toEqual([fresh.id]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('notifications', () => {
  it('queues one outbox row per k.owner and active admin in the same transaction as the change', async () => {
    const ownersGroup = await group();
    const [ownerGroupMember, nestedOwner, suspendedAdmin] = await Promise.all([
      k.h.newUser(),
      k.h.newUser(),
      k.h.newUser('admin'),
    ]);
    const sub = await group();
    await nest(ownersGroup.id, { groupId: sub.id });
    await grant(ownersGroup.id, ownerGroupMember.user.id);
    await grant(ownersGroup.id, nestedOwner.user.id);
    await k.h.request('PATCH', `/api/v1/users/${suspendedAdmin.user.id}`, { body: { status: 'suspended' } });
    const g = await group({ ownerUserIds: [k.owner.user.id], ownerGroupId: ownersGroup.id });
    await configure(g.id, { userIds: [k.alice.user.id] });
    const users = (await k.h.request('GET', '/api/v1/users?limit=500')).body.items as {
      id: string;
      role: string;
      status: string;
    }[];
    const admins = users.filter((u) => u.role === 'admin' && u.status === 'active').map((u) => u.id);
    const expected = [
      ...new Set([k.owner.user.id, ownerGroupMember.user.id, nestedOwner.user.id, ...admins]),
    ].sort();
    expect(admins).not.toContain(suspendedAdmin.user.id);

    const rowsFor = async (kind: string, activationId: string) =>
      (
        (await k.h.request('GET', `/api/v1/notifications?kind=${kind}&limit=500`)).body.items as {
          recipientUserId: string;
          status: string;
          attempts: number;
          payload: Record<string, unknown>;
        }[]
      ).filter((n) => n.payload.activationId === activationId);
    await activate(k.outsider, g.id);
    const a = await activated(k.alice, g.id, 'db on fire');
    const rows = await rowsFor('break_glass.activated', a.id);
    expect(rows.map((r) => r.recipientUserId).sort()).toEqual(expected);
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(rows[0]!.payload).toMatchObject({
      activationId: a.id,
      group: { id: g.id, name: g.name },
      user: { id: k.alice.user.id, email: k.alice.user.email },
      reason: 'db on fire',
      expiresAt: a.expiresAt,
    });
    const pending = (await k.h.request('GET', '/api/v1/notifications?status=pending&limit=1')).body;
    expect(pending.items).toHaveLength(1);
    expect(pending.nextCursor).not.toBeNull();
    expect((await k.h.as(k.owner)('GET', '/api/v1/notifications')).status).toBe(403);
    expect((await k.h.request('GET', '/api/v1/notifications?status=nope')).status).toBe(400);

    await k.h.request('POST', `/api/v1/break-glass/activations/${a.id}/review`, {
      body: { outcome: 'justified', comment: 'ok' },
    });
    await k.h.request('POST', `/api/v1/break-glass/activations/${a.id}/end`, { body: { reason: 'fixed' } });
    expect((await rowsFor('break_glass.reviewed', a.id)).map((r) => r.recipientUserId).sort()).toEqual(
      expected,
    );
    const endedRows = await rowsFor('break_glass.ended', a.id);
    expect(endedRows.map((r) => r.recipientUserId).sort()).toEqual(expected);
    expect(endedRows[0]!.payload).toMatchObject({ endReason: 'fixed' });
    // The refused attempt queued nothing.
    const outbox = await k.h.latch.store.db.selectFrom('outbox').select('payload').execute();
    expect(outbox.every((r) => (r.payload as { user: { id: string } }).user.id !== k.outsider.user.id)).toBe(
      true,
    );
  });
});

describe('concurrency', () => {
  it('leaves exactly one active activation after 50 simultaneous activations by one user, with a sound audit chain', async () => {
    const g = await group();
    await configure(g.id, { userIds: [k.alice.user.id] });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => activate(k.alice, g.id, { reason: `attempt ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const all = await list(`groupId=${g.id}`);
    expect(all).toHaveLength(50);
    expect(all.filter((a) => a.status === 'active')).toHaveLength(1);
    expect(all.filter((a) => a.endReason === 'superseded')).toHaveLength(49);
    expect((await list(`groupId=${g.id}&active=true`)).length).toBe(1);
    expect(
      (await k.h.request('GET', `/api/v1/grants?groupId=${g.id}&status=active`)).body.items,
    ).toHaveLength(1);
    expect((await allowed(k.alice.user.id, `groupId=${g.id}`)).via).toHaveLength(1);
    expect(await verifyAuditLog(k.h.latch.deps)).toMatchObject({ ok: true });
  });

  it('lets 50 different users activate at once', async () => {
    const g = await group();
    const users = await Promise.all(Array.from({ length: 50 }, () => k.h.newUser()));
    await configure(g.id, { userIds: users.map((u) => u.user.id) });
    const results = await Promise.all(users.map((u) => activate(u, g.id)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(await list(`groupId=${g.id}&active=true`)).toHaveLength(50);
    const checks = await k.h.request('POST', '/api/v1/access/check', {
      body: { checks: users.map((u) => ({ userId: u.user.id, groupId: g.id })) },
    });
    expect(checks.body.results.every((r: { allowed: boolean }) => r.allowed)).toBe(true);
    expect(await verifyAuditLog(k.h.latch.deps)).toMatchObject({ ok: true });
  });
});

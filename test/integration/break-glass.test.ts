import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/ops/verify-audit-log.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// Break-glass end to end through the HTTP API: settings, activation, superseding, ending, reviews, listings,
// the notification outbox, and concurrent activations.

let h: Harness;
let alice: Caller;
let owner: Caller;
let outsider: Caller;
let auditor: Caller;
beforeAll(async () => {
  h = await startHarness();
  [alice, owner, outsider, auditor] = await Promise.all([
    h.newUser(),
    h.newUser(),
    h.newUser(),
    h.newUser('auditor'),
  ]);
});
afterAll(() => h.close());

interface Activation {
  id: string;
  groupId: string;
  userId: string;
  reason: string;
  activatedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
  grantId: string;
  status: string;
  review: {
    status: string;
    reviewedBy: string | null;
    reviewedAt: string | null;
    comment: string | null;
    overdue: boolean;
  };
}

let counter = 0;
async function group(extra: Record<string, unknown> = {}) {
  const res = await h.request('POST', '/api/v1/groups', {
    body: { name: `bg-${Date.now()}-${counter++}`, ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; name: string };
}
async function nest(parent: string, asset: Record<string, unknown>) {
  const res = await h.request('POST', `/api/v1/groups/${parent}/assets`, { body: asset });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}
async function grant(groupId: string, userId: string) {
  const res = await h.request('POST', `/api/v1/groups/${groupId}/members`, { body: { userId } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}
async function configure(groupId: string, body: Record<string, unknown>) {
  const res = await h.request('PUT', `/api/v1/groups/${groupId}/break-glass`, { body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}
const activate = (caller: Caller, groupId: string, body: unknown = { reason: 'prod is down' }) =>
  h.as(caller)<Activation>('POST', `/api/v1/groups/${groupId}/break-glass/activations`, body);
async function activated(caller: Caller, groupId: string, reason = 'prod is down') {
  const res = await activate(caller, groupId, { reason });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const allowed = async (userId: string, query: string) =>
  (await h.request('GET', `/api/v1/access/check?userId=${userId}&${query}`)).body as {
    allowed: boolean;
    via: { grantId: string; source: string }[];
  };
const events = async (type: string, subjectId: string) =>
  (await h.request('GET', `/api/v1/events?type=${type}&subjectId=${subjectId}&limit=500`)).body.items as {
    actorId: string;
    subjects: { type: string; id: string }[];
    data: Record<string, unknown>;
  }[];
const getActivation = async (id: string) =>
  (await h.request<Activation>('GET', `/api/v1/break-glass/activations/${id}`)).body;
const list = async (query: string, caller?: Caller) =>
  (
    await h.request(
      'GET',
      `/api/v1/break-glass/activations?limit=500&${query}`,
      caller ? { token: caller.token } : {},
    )
  ).body.items as Activation[];

describe('settings', () => {
  it('reads defaults for a new group; 404 for unknown groups; resources have no break-glass', async () => {
    const g = await group();
    const res = await h.as(alice)('GET', `/api/v1/groups/${g.id}/break-glass`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userIds: [], groupIds: [], durationMinutes: 720 });
    expect((await h.request('GET', '/api/v1/groups/grp_missing/break-glass')).status).toBe(404);
    expect(
      (await h.request('PUT', '/api/v1/groups/grp_missing/break-glass', { body: { userIds: [] } })).status,
    ).toBe(404);
    expect((await activate(alice, 'grp_missing')).status).toBe(404);
    const r = await h.request('POST', '/api/v1/resources', {
      body: { name: `bg-res-${counter++}`, type: 'db' },
    });
    expect((await h.request('GET', `/api/v1/resources/${r.body.id}/break-glass`)).status).toBe(404);
    expect(
      (await h.request('PUT', `/api/v1/resources/${r.body.id}/break-glass`, { body: { userIds: [] } }))
        .status,
    ).toBe(404);
  });

  it('lets admins, named owners and owner-group members configure; others get 403', async () => {
    const owners = await group();
    const ownerGroupMember = await h.newUser();
    await grant(owners.id, ownerGroupMember.user.id);
    const g = await group({ ownerUserIds: [owner.user.id], ownerGroupId: owners.id });
    const put = (caller: Caller, body: Record<string, unknown>) =>
      h.as(caller)('PUT', `/api/v1/groups/${g.id}/break-glass`, body);
    expect((await put(h.admin, { userIds: [alice.user.id] })).status).toBe(200);
    const byOwner = await put(owner, {
      userIds: [alice.user.id, alice.user.id],
      groupIds: [owners.id],
      durationMinutes: 60,
    });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toEqual({ userIds: [alice.user.id], groupIds: [owners.id], durationMinutes: 60 });
    expect((await put(ownerGroupMember, { userIds: [], durationMinutes: 90 })).status).toBe(200);
    for (const other of [alice, outsider, auditor]) {
      const res = await put(other, { userIds: [other.user.id] });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await h.request('GET', `/api/v1/groups/${g.id}/break-glass`)).body).toEqual({
      userIds: [],
      groupIds: [],
      durationMinutes: 90,
    });
  });

  it('validates the duration bounds, the ids and the body', async () => {
    const g = await group();
    const put = (body: unknown) => h.request('PUT', `/api/v1/groups/${g.id}/break-glass`, { body });
    for (const durationMinutes of [4, 1441, 0, -5, 60.5]) {
      const res = await put({ userIds: [], durationMinutes });
      expect(res.status, String(durationMinutes)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await put({ userIds: [], durationMinutes: 5 })).status).toBe(200);
    expect((await put({ userIds: [], durationMinutes: 1440 })).status).toBe(200);
    const unknownUser = await put({ userIds: ['usr_nobody'] });
    expect(unknownUser.status).toBe(400);
    expect(unknownUser.body.detail).toContain('usr_nobody');
    const unknownGroup = await put({ userIds: [], groupIds: ['grp_nobody'] });
    expect(unknownGroup.status).toBe(400);
    expect(unknownGroup.body.detail).toContain('grp_nobody');
    expect((await put({ groupIds: [] })).status).toBe(400);
    expect((await put({ userIds: [], extra: 1 })).status).toBe(400);
    expect((await h.request('GET', `/api/v1/groups/${g.id}/break-glass`)).body.durationMinutes).toBe(1440);
  });

  it('writes break_glass.configured with before and after, only when something changed', async () => {
    const g = await group();
    await configure(g.id, { userIds: [alice.user.id], durationMinutes: 30 });
    await configure(g.id, { userIds: [alice.user.id], durationMinutes: 30 });
    await configure(g.id, { userIds: [owner.user.id] });
    const configured = await events('break_glass.configured', g.id);
    expect(configured.map((e) => e.data)).toEqual([
      {
        before: { userIds: [], groupIds: [], durationMinutes: 720 },
        after: { userIds: [alice.user.id], groupIds: [], durationMinutes: 30 },
      },
      {
        before: { userIds: [alice.user.id], groupIds: [], durationMinutes: 30 },
        after: { userIds: [owner.user.id], groupIds: [], durationMinutes: 720 },
      },
    ]);
    expect(configured[0]!.actorId).toBe(h.admin.user.id);
  });
});

describe('activation', () => {
  it('gives a named user access the moment the 201 is sent, to the group and everything nested under it', async () => {
    const g = await group();
    const child = await group();
    const grandchild = await group();
    const r = await h.request('POST', '/api/v1/resources', {
      body: { name: `bg-db-${counter++}`, type: 'postgres', accessLevels: ['read', 'admin'] },
    });
    await nest(g.id, { groupId: child.id });
    await nest(child.id, { groupId: grandchild.id });
    await nest(grandchild.id, { resourceId: r.body.id, accessLevel: 'admin' });
    await configure(g.id, { userIds: [alice.user.id], durationMinutes: 60 });
    expect((await allowed(alice.user.id, `groupId=${g.id}`)).allowed).toBe(false);

    const a = await activated(alice, g.id, '  INC-42: primary is down  ');
    for (const query of [
      `groupId=${g.id}`,
      `groupId=${child.id}`,
      `groupId=${grandchild.id}`,
      `resourceId=${r.body.id}&accessLevel=admin`,
    ]) {
      const res = await allowed(alice.user.id, query);
      expect(res.allowed, query).toBe(true);
      expect(res.via).toEqual([expect.objectContaining({ grantId: a.grantId, source: 'break_glass' })]);
    }
    expect(a).toMatchObject({
      groupId: g.id,
      userId: alice.user.id,
      reason: 'INC-42: primary is down',
      endedAt: null,
      endReason: null,
      status: 'active',
      review: { status: 'pending', reviewedBy: null, reviewedAt: null, comment: null, overdue: false },
    });
    expect(Date.parse(a.expiresAt) - Date.parse(a.activatedAt)).toBe(60 * 60_000);
    const g2 = (await h.request('GET', `/api/v1/grants/${a.grantId}`)).body;
    expect(g2).toMatchObject({
      source: 'break_glass',
      userId: alice.user.id,
      groupId: g.id,
      status: 'active',
      expiresAt: a.expiresAt,
      reason: a.reason,
    });
    expect(await getActivation(a.id)).toEqual(a);
    const [event] = await events('break_glass.activated', a.id);
    expect(event!.actorId).toBe(alice.user.id);
    expect(event!.subjects).toEqual(
      expect.arrayContaining([
        { type: 'grant', id: a.grantId },
        { type: 'group', id: g.id },
      ]),
    );
    expect(event!.data).toMatchObject({ reason: a.reason, grantId: a.grantId, expiresAt: a.expiresAt });
    expect((await events('grant.created', a.grantId)).map((e) => e.data.source)).toEqual(['break_glass']);
  });

  it('lets every effective member of a break-glass group activate, including members only through nesting', async () => {
    const oncall = await group();
    const sre = await group();
    await nest(sre.id, { groupId: oncall.id });
    const [direct, nested, former] = await Promise.all([h.newUser(), h.newUser(), h.newUser()]);
    await grant(oncall.id, direct.user.id);
    await grant(sre.id, nested.user.id);
    const formerGrant = await grant(oncall.id, former.user.id);
    expect((await h.request('DELETE', `/api/v1/grants/${formerGrant.id}`)).status).toBe(200);
    const g = await group();
    await configure(g.id, { userIds: [], groupIds: [oncall.id] });
    expect((await activate(direct, g.id)).status).toBe(201);
    expect((await activate(nested, g.id)).status).toBe(201);
    expect((await allowed(nested.user.id, `groupId=${g.id}`)).allowed).toBe(true);
    const refused = await activate(former, g.id);
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as { code: string }).code).toBe('not_break_glass_user');
  });

  it('answers reason_required for a missing, blank or over-long reason', async () => {
    const g = await group();
    await configure(g.id, { userIds: [alice.user.id] });
    const noBody = await h.request('POST', `/api/v1/groups/${g.id}/break-glass/activations`, {
      token: alice.token,
    });
    for (const [label, res] of [
      ['no body', noBody],
      ['missing', await activate(alice, g.id, {})],
      ['empty', await activate(alice, g.id, { reason: '' })],
      ['blank', await activate(alice, g.id, { reason: ' \n\t ' })],
      ['1001 chars', await activate(alice, g.id, { reason: 'x'.repeat(1001) })],
      ['5000 chars', await activate(alice, g.id, { reason: 'x'.repeat(5000) })],
    ] as const) {
      expect(res.status, label).toBe(400);
      expect((res.body as unknown as { code: string }).code, label).toBe('reason_required');
    }
    expect(await list(`groupId=${g.id}`)).toEqual([]);
    expect((await activate(alice, g.id, { reason: ` ${'x'.repeat(1000)} ` })).status).toBe(201);
  });

  it('refuses a user who is not a break-glass user with not_break_glass_user, and audits the attempt', async () => {
    const g = await group({ ownerUserIds: [owner.user.id] });
    await configure(g.id, { userIds: [alice.user.id] });
    for (const caller of [outsider, owner, h.admin]) {
      const res = await activate(caller, g.id, { reason: 'let me in' });
      expect(res.status).toBe(403);
      expect((res.body as unknown as { code: string }).code).toBe('not_break_glass_user');
    }
    const denied = await events('break_glass.denied', g.id);
    expect(denied.map((e) => e.actorId)).toEqual([outsider.user.id, owner.user.id, h.admin.user.id]);
    expect(denied[0]!.data).toMatchObject({ reason: 'let me in' });
    expect((await h.request('GET', `/api/v1/grants?groupId=${g.id}`)).body.items).toEqual([]);
    expect(await list(`groupId=${g.id}`)).toEqual([]);
    expect((await events('break_glass.activated', g.id)).length).toBe(0);
    expect((await verifyAuditLog(h.latch.store.db)).ok).toBe(true);
  });
});

describe('activating again while active', () => {
  it('supersedes the earlier activation and its grant; access continues through the new one', async () => {
    const g = await group();
    const child = await group();
    await nest(g.id, { groupId: child.id });
    await configure(g.id, { userIds: [alice.user.id] });
    const first = await activated(alice, g.id, 'first look');
    const second = await activated(alice, g.id, 'still broken');
    const old = await getActivation(first.id);
    expect(old).toMatchObject({ status: 'ended', endReason: 'superseded', endedBy: alice.user.id });
    expect(old.endedAt).not.toBeNull();
    expect((await h.request('GET', `/api/v1/grants/${first.grantId}`)).body).toMatchObject({
      status: 'revoked',
      endReason: 'superseded',
    });
    for (const query of [`groupId=${g.id}`, `groupId=${child.id}`]) {
      const res = await allowed(alice.user.id, query);
      expect(res.allowed).toBe(true);
      expect(res.via.map((p) => p.grantId)).toEqual([second.grantId]);
    }
    expect((await list(`groupId=${g.id}`)).map((a) => a.id)).toEqual([first.id, second.id]);
    expect((await list(`groupId=${g.id}&active=true`)).map((a) => a.id)).toEqual([second.id]);
    expect((await list(`groupId=${g.id}&active=false`)).map((a) => a.id)).toEqual([first.id]);
    const ended = await events('break_glass.ended', first.id);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.subjects).toContainEqual({ type: 'grant', id: first.grantId });
    expect((await events('break_glass.activated', second.id))[0]!.data.superseded).toEqual([first.id]);
  });
});

describe('ending', () => {
  it('lets the holder, the owners and admins end an activation; access stops at once; a second end is 409', async () => {
    const g = await group({ ownerUserIds: [owner.user.id] });
    const child = await group();
    await nest(g.id, { groupId: child.id });
    const bob = await h.newUser();
    await configure(g.id, { userIds: [alice.user.id, bob.user.id] });
    const end = (caller: Caller, id: string, body?: unknown) =>
      h.as(caller)<Activation>('POST', `/api/v1/break-glass/activations/${id}/end`, body);

    const a = await activated(alice, g.id);
    expect((await end(outsider, a.id)).status).toBe(404);
    expect((await end(auditor, a.id)).status).toBe(403);
    expect((await end(bob, a.id)).status).toBe(404);
    const byHolder = await h.request<Activation>('POST', `/api/v1/break-glass/activations/${a.id}/end`, {
      token: alice.token,
    });
    expect(byHolder.status).toBe(200);
    expect(byHolder.body).toMatchObject({ status: 'ended', endReason: 'ended', endedBy: alice.user.id });
    expect((await allowed(alice.user.id, `groupId=${g.id}`)).allowed).toBe(false);
    expect((await allowed(alice.user.id, `groupId=${child.id}`)).allowed).toBe(false);
    expect((await h.request('GET', `/api/v1/grants/${a.grantId}`)).body.status).toBe('revoked');
    const again = await end(alice, a.id, {});
    expect(again.status).toBe(409);
    expect((again.body as unknown as { code: string }).code).toBe('conflict');

    const b = await activated(alice, g.id);
    const byOwner = await end(owner, b.id, { reason: 'incident closed' });
    expect(byOwner.body).toMatchObject({
      status: 'ended',
      endReason: 'incident closed',
      endedBy: owner.user.id,
    });
    const c = await activated(bob, g.id);
    expect((await end(h.admin, c.id, { reason: 'superseded' })).body.endReason).toBe('ended: superseded');
    expect((await allowed(bob.user.id, `groupId=${g.id}`)).allowed).toBe(false);
    expect((await end(h.admin, 'bga_missing')).status).toBe(404);
    expect((await events('break_glass.ended', b.id)).map((e) => e.data.endReason)).toEqual([
      'incident closed',
    ]);
    expect((await events('grant.revoked', b.grantId)).length).toBe(1);
  });
});

describe('reviews', () => {
  it('records one review by an owner or admin, with a required comment', async () => {
    const g = await group({ ownerUserIds: [owner.user.id] });
    await configure(g.id, { userIds: [alice.user.id] });
    const a = await activated(alice, g.id);
    const review = (caller: Caller, body: unknown) =>
      h.as(caller)<Activation>('POST', `/api/v1/break-glass/activations/${a.id}/review`, body);
    for (const body of [
      { outcome: 'justified' },
      { outcome: 'justified', comment: '' },
      { outcome: 'justified', comment: '   ' },
      { outcome: 'justified', comment: 'x'.repeat(2001) },
      { outcome: 'fine', comment: 'ok' },
    ]) {
      const res = await review(owner, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect((res.body as unknown as { code: string }).code).toBe('validation_failed');
    }
    expect((await review(outsider, { outcome: 'justified', comment: 'ok' })).status).toBe(404);
    expect((await review(auditor, { outcome: 'justified', comment: 'ok' })).status).toBe(403);
    const done = await review(owner, { outcome: 'justified', comment: '  real outage, INC-42  ' });
    expect(done.status).toBe(200);
    expect(done.body.review).toMatchObject({
      status: 'justified',
      reviewedBy: owner.user.id,
      comment: 'real outage, INC-42',
    });
    expect(done.body.review.reviewedAt).not.toBeNull();
    const twice = await review(h.admin, { outcome: 'unjustified', comment: 'no' });
    expect(twice.status).toBe(409);
    expect((twice.body as unknown as { code: string }).code).toBe('conflict');
    expect((await events('break_glass.reviewed', a.id)).map((e) => e.data)).toEqual([
      { outcome: 'justified', comment: 'real outage, INC-42' },
    ]);
  });

  it('never lets the activator review their own activation, even an admin or an owner', async () => {
    const secondAdmin = await h.newUser('admin');
    const g = await group({ ownerUserIds: [owner.user.id] });
    await configure(g.id, { userIds: [alice.user.id, owner.user.id, h.admin.user.id] });
    for (const activator of [h.admin, owner, alice]) {
      const a = await activated(activator, g.id);
      const self = await h.as(activator)('POST', `/api/v1/break-glass/activations/${a.id}/review`, {
        outcome: 'justified',
        comment: 'trust me',
      });
      expect(self.status).toBe(403);
      expect(self.body.code).toBe('self_review_forbidden');
      const other = await h.as(secondAdmin)<Activation>(
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
    const g = await group({ ownerUserIds: [owner.user.id] });
    const other = await group();
    const bob = await h.newUser();
    await configure(g.id, { userIds: [alice.user.id, bob.user.id] });
    await configure(other.id, { userIds: [alice.user.id] });
    const old = await activated(alice, g.id);
    const fresh = await activated(bob, g.id);
    const elsewhere = await activated(alice, other.id);
    await h.latch.store.db
      .updateTable('break_glass_activations')
      .set({ activated_at: new Date(Date.now() - 73 * 3600_000) })
      .where('id', '=', old.id)
      .execute();
    const ids = (items: Activation[]) => items.map((a) => a.id);

    expect(ids(await list(`groupId=${g.id}&review=overdue`))).toEqual([old.id]);
    expect((await getActivation(old.id)).review.overdue).toBe(true);
    expect(ids(await list(`groupId=${g.id}&review=pending`))).toEqual([old.id, fresh.id]);
    expect(ids(await list(`userId=${alice.user.id}&active=true`))).toEqual(
      expect.arrayContaining([old.id, elsewhere.id]),
    );
    expect(ids(await list(`groupId=${g.id}&userId=${bob.user.id}`))).toEqual([fresh.id]);
    await h.request('POST', `/api/v1/break-glass/activations/${old.id}/review`, {
      body: { outcome: 'justified', comment: 'late but fine' },
    });
    expect(ids(await list(`groupId=${g.id}&review=overdue`))).toEqual([]);
    expect(ids(await list(`groupId=${g.id}&review=justified`))).toEqual([old.id]);

    expect(ids(await list('', alice)).sort()).toEqual(expect.arrayContaining([old.id, elsewhere.id]));
    expect(ids(await list('', alice))).not.toContain(fresh.id);
    expect(ids(await list(`groupId=${g.id}`, owner))).toEqual([old.id, fresh.id]);
    expect(ids(await list(`groupId=${other.id}`, owner))).toEqual([]);
    expect(ids(await list(`groupId=${g.id}`, outsider))).toEqual([]);
    expect(ids(await list(`groupId=${g.id}`, auditor))).toEqual([old.id, fresh.id]);
    expect((await h.as(outsider)('GET', `/api/v1/break-glass/activations/${old.id}`)).status).toBe(404);
    expect((await h.as(owner)('GET', `/api/v1/break-glass/activations/${old.id}`)).status).toBe(200);
    expect((await h.as(bob)('GET', `/api/v1/break-glass/activations/${fresh.id}`)).status).toBe(200);
    expect((await h.request('GET', '/api/v1/break-glass/activations?review=never')).status).toBe(400);

    const first = (await h.request('GET', `/api/v1/break-glass/activations?groupId=${g.id}&limit=1`)).body;
    expect(ids(first.items)).toEqual([old.id]);
    const second = (
      await h.request(
        'GET',
        `/api/v1/break-glass/activations?groupId=${g.id}&limit=1&cursor=${first.nextCursor}`,
      )
    ).body;
    expect(ids(second.items)).toEqual([fresh.id]);
    expect(second.nextCursor).toBeNull();
  });
});

describe('notifications', () => {
  it('queues one outbox row per owner and active admin in the same transaction as the change', async () => {
    const ownersGroup = await group();
    const [ownerGroupMember, nestedOwner, suspendedAdmin] = await Promise.all([
      h.newUser(),
      h.newUser(),
      h.newUser('admin'),
    ]);
    const sub = await group();
    await nest(ownersGroup.id, { groupId: sub.id });
    await grant(ownersGroup.id, ownerGroupMember.user.id);
    await grant(ownersGroup.id, nestedOwner.user.id);
    await h.request('PATCH', `/api/v1/users/${suspendedAdmin.user.id}`, { body: { status: 'suspended' } });
    const g = await group({ ownerUserIds: [owner.user.id], ownerGroupId: ownersGroup.id });
    await configure(g.id, { userIds: [alice.user.id] });
    const users = (await h.request('GET', '/api/v1/users?limit=500')).body.items as {
      id: string;
      role: string;
      status: string;
    }[];
    const admins = users.filter((u) => u.role === 'admin' && u.status === 'active').map((u) => u.id);
    const expected = [
      ...new Set([owner.user.id, ownerGroupMember.user.id, nestedOwner.user.id, ...admins]),
    ].sort();
    expect(admins).not.toContain(suspendedAdmin.user.id);

    const rowsFor = async (kind: string, activationId: string) =>
      (
        (await h.request('GET', `/api/v1/notifications?kind=${kind}&limit=500`)).body.items as {
          recipientUserId: string;
          status: string;
          attempts: number;
          payload: Record<string, unknown>;
        }[]
      ).filter((n) => n.payload.activationId === activationId);
    await activate(outsider, g.id);
    const a = await activated(alice, g.id, 'db on fire');
    const rows = await rowsFor('break_glass.activated', a.id);
    expect(rows.map((r) => r.recipientUserId).sort()).toEqual(expected);
    expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(rows[0]!.payload).toMatchObject({
      activationId: a.id,
      group: { id: g.id, name: g.name },
      user: { id: alice.user.id, email: alice.user.email },
      reason: 'db on fire',
      expiresAt: a.expiresAt,
    });
    const pending = (await h.request('GET', '/api/v1/notifications?status=pending&limit=1')).body;
    expect(pending.items).toHaveLength(1);
    expect(pending.nextCursor).not.toBeNull();
    expect((await h.as(owner)('GET', '/api/v1/notifications')).status).toBe(403);
    expect((await h.request('GET', '/api/v1/notifications?status=nope')).status).toBe(400);

    await h.request('POST', `/api/v1/break-glass/activations/${a.id}/review`, {
      body: { outcome: 'justified', comment: 'ok' },
    });
    await h.request('POST', `/api/v1/break-glass/activations/${a.id}/end`, { body: { reason: 'fixed' } });
    expect((await rowsFor('break_glass.reviewed', a.id)).map((r) => r.recipientUserId).sort()).toEqual(
      expected,
    );
    const endedRows = await rowsFor('break_glass.ended', a.id);
    expect(endedRows.map((r) => r.recipientUserId).sort()).toEqual(expected);
    expect(endedRows[0]!.payload).toMatchObject({ endReason: 'fixed' });
    // The refused attempt queued nothing.
    const outbox = await h.latch.store.db.selectFrom('outbox').select('payload').execute();
    expect(outbox.every((r) => (r.payload as { user: { id: string } }).user.id !== outsider.user.id)).toBe(
      true,
    );
  });
});

describe('concurrency', () => {
  it('leaves exactly one active activation after 50 simultaneous activations by one user, with a sound audit chain', async () => {
    const g = await group();
    await configure(g.id, { userIds: [alice.user.id] });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => activate(alice, g.id, { reason: `attempt ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const all = await list(`groupId=${g.id}`);
    expect(all).toHaveLength(50);
    expect(all.filter((a) => a.status === 'active')).toHaveLength(1);
    expect(all.filter((a) => a.endReason === 'superseded')).toHaveLength(49);
    expect((await list(`groupId=${g.id}&active=true`)).length).toBe(1);
    expect((await h.request('GET', `/api/v1/grants?groupId=${g.id}&status=active`)).body.items).toHaveLength(
      1,
    );
    expect((await allowed(alice.user.id, `groupId=${g.id}`)).via).toHaveLength(1);
    expect(await verifyAuditLog(h.latch.store.db)).toMatchObject({ ok: true });
  });

  it('lets 50 different users activate at once', async () => {
    const g = await group();
    const users = await Promise.all(Array.from({ length: 50 }, () => h.newUser()));
    await configure(g.id, { userIds: users.map((u) => u.user.id) });
    const results = await Promise.all(users.map((u) => activate(u, g.id)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(await list(`groupId=${g.id}&active=true`)).toHaveLength(50);
    const checks = await h.request('POST', '/api/v1/access/check', {
      body: { checks: users.map((u) => ({ userId: u.user.id, groupId: g.id })) },
    });
    expect(checks.body.results.every((r: { allowed: boolean }) => r.allowed)).toBe(true);
    expect(await verifyAuditLog(h.latch.store.db)).toMatchObject({ ok: true });
  });
});

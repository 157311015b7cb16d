import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequest } from '../../src/ops/requests/create.js';
import { expireRequests } from '../../src/ops/requests/expire.js';
import { earliestRequestExpiry } from '../../src/store/request-queries.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit, type AccessRequest } from '../support/requests.js';

// A request over time: when granted access starts, lapsing after the TTL (at read time and recorded by the
// op), extending a requested grant, and listing requests.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let alice: Caller;
let bob: Caller;
let reviewer: Caller;
let owner: Caller;
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [alice, bob, reviewer, owner] = await Promise.all([h.newUser(), h.newUser(), h.newUser(), h.newUser()]);
});
afterAll(() => h.close());

const reviewed = (over = {}) =>
  entry({ reviewerStages: [{ operator: 'any', reviewers: { userIds: [reviewer.user.id] } }], ...over });
const auto = (over = {}) =>
  entry({ autoApprove: true, reviewerStages: [], recommendedDurationMinutes: null, ...over });
const DAY = 24 * 60 * 60_000;

describe('the clock of a granted item', () => {
  it('starts at approval, not at the request', async () => {
    const g = await kit.group();
    await kit.configure(`groups/${g.id}`, [reviewed()]);
    const r = await kit.asked(alice, { items: [{ groupId: g.id }], durationMinutes: 30 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const before = Date.now();
    const approved = (await kit.approve(reviewer, r.id)).body as AccessRequest;
    const grant = await kit.grantRow(approved.items[0]!.grantId!);
    expect(Date.parse(grant.startsAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(grant.startsAt) - Date.parse(r.createdAt)).toBeGreaterThanOrEqual(1200);
    expect(Date.parse(grant.expiresAt!) - Date.parse(grant.startsAt)).toBe(30 * 60_000);
    const check = await kit.check(alice.user.id, `groupId=${g.id}`);
    expect(check.allowed).toBe(true);
    expect(Math.abs(Date.parse(check.expiresAt!) - (before + 30 * 60_000))).toBeLessThan(5_000);
  });
});

describe('lapsing', () => {
  async function stale(ageMs: number, ttlMinutes?: number) {
    const g = await kit.group();
    await kit.configure(`groups/${g.id}`, [reviewed()]);
    const past = new Date(Date.now() - ageMs);
    const deps = {
      ...h.latch.deps,
      now: () => past,
      ...(ttlMinutes ? { requestTtlMinutes: ttlMinutes } : {}),
    };
    return createRequest(
      deps,
      { id: alice.user.id, role: 'member' },
      { items: [{ groupId: g.id }], durationMinutes: 60 },
    );
  }

  it('shows a pending request older than 7 days as expired at read time, and refuses to act on it', async () => {
    const old = await stale(7 * DAY + 60_000);
    const young = await stale(7 * DAY - 60 * 60_000);
    expect(Date.parse(old.expiresAt) - Date.parse(old.createdAt)).toBe(7 * DAY);
    const read = (await kit.get(old.id)).body as AccessRequest;
    expect(read.status).toBe('expired');
    expect(read.items[0]!.status).toBe('expired');
    expect((await kit.get(young.id)).body.status).toBe('pending');
    const expired = (
      (await h.request('GET', '/api/v1/requests?status=expired&limit=500')).body.items as AccessRequest[]
    ).map((r) => r.id);
    expect(expired).toContain(old.id);
    expect(expired).not.toContain(young.id);
    const pending = (
      (await h.request('GET', '/api/v1/requests?status=pending&limit=500')).body.items as AccessRequest[]
    ).map((r) => r.id);
    expect(pending).not.toContain(old.id);
    expect((await kit.approve(reviewer, old.id)).body.code).toBe('request_not_pending');
    expect((await kit.cancel(alice, old.id)).body.code).toBe('request_not_pending');
    const reviewable = (await h.as(reviewer)('GET', '/api/v1/requests?reviewable=true&limit=500')).body
      .items as AccessRequest[];
    expect(reviewable.map((r) => r.id)).toEqual(expect.arrayContaining([young.id]));
    expect(reviewable.map((r) => r.id)).not.toContain(old.id);
  });

  it('records the lapse with the op: one request.expired each, dated at the deadline, and honours the TTL setting', async () => {
    const old = await stale(8 * DAY);
    const short = await stale(10 * 60_000, 5);
    const young = await stale(60_000);
    const due = await earliestRequestExpiry(h.latch.store.db);
    expect(due!.getTime()).toBeLessThanOrEqual(Date.parse(old.expiresAt));
    const count = await expireRequests(h.latch.deps);
    expect(count).toBeGreaterThanOrEqual(2);
    for (const r of [old, short]) {
      const events = await kit.events('request.expired', r.id);
      expect(events).toHaveLength(1);
      expect(events[0]!.createdAt).toBe(r.expiresAt);
      expect(events[0]!.actorId).toBeNull();
      const row = await h.latch.store.db
        .selectFrom('requests')
        .select('status')
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('expired');
    }
    expect(Date.parse(short.expiresAt) - Date.parse(short.createdAt)).toBe(5 * 60_000);
    expect((await kit.get(young.id)).body.status).toBe('pending');
    expect(await expireRequests(h.latch.deps)).toBe(0);
    expect((await earliestRequestExpiry(h.latch.store.db))!.getTime()).toBeGreaterThan(Date.now());
    expect(await kit.events('request.expired', old.id)).toHaveLength(1);
    expect((await h.request('GET', '/api/v1/events/verify')).body.ok).toBe(true);
  });
});

describe('extending a requested grant', () => {
  it('extends at once under an auto-approved configuration: a new grant from now', async () => {
    const g = await kit.group();
    await kit.configure(`groups/${g.id}`, [auto({ maxDurationMinutes: 120 })]);
    const first = await kit.asked(alice, { items: [{ groupId: g.id }], durationMinutes: 30 });
    const grantId = first.items[0]!.grantId!;
    const extend = (caller: Caller, body: unknown) =>
      h.as(caller)('POST', `/api/v1/grants/${grantId}/extend`, body);
    expect((await extend(alice, { durationMinutes: 121 })).body.code).toBe('duration_exceeds_max');
    expect((await extend(bob, { durationMinutes: 60 })).status).toBe(404);
    expect((await extend(h.admin, { durationMinutes: 60 })).status).toBe(403);
    const res = await extend(alice, { durationMinutes: 120, reason: 'more time' });
    expect(res.status).toBe(201);
    const ext = res.body as AccessRequest;
    expect(ext).toMatchObject({
      extensionOf: grantId,
      status: 'approved',
      requesterId: alice.user.id,
      reason: 'more time',
    });
    const grant = await kit.grantRow(ext.items[0]!.grantId!);
    expect(grant).toMatchObject({ source: 'request', requestId: ext.id });
    expect(Date.parse(grant.expiresAt!) - Date.parse(grant.startsAt)).toBe(120 * 60_000);
    const check = await kit.check(alice.user.id, `groupId=${g.id}`);
    expect(check.via).toHaveLength(2);
    expect(check.expiresAt).toBe(grant.expiresAt);
  });

  it('goes through review otherwise, and is refused when the configuration no longer allows it', async () => {
    const r = await kit.resource();
    await kit.configure(`resources/${r.id}`, [auto()]);
    const first = await kit.asked(alice, { items: [{ resourceId: r.id, accessLevel: 'read' }] });
    const grantId = first.items[0]!.grantId!;
    await kit.configure(`resources/${r.id}`, [reviewed({ requireReason: true })]);
    const url = `/api/v1/grants/${grantId}/extend`;
    expect((await h.as(alice)('POST', url, { durationMinutes: 60 })).body.code).toBe('reason_required');
    const pending = (await h.as(alice)('POST', url, { durationMinutes: 60, reason: 'still debugging' }))
      .body as AccessRequest;
    expect(pending).toMatchObject({
      status: 'pending',
      extensionOf: grantId,
      items: [{ resourceId: r.id, accessLevel: 'read', status: 'pending' }],
    });
    const approved = (await kit.approve(reviewer, pending.id)).body as AccessRequest;
    expect(approved.status).toBe('approved');
    expect((await kit.grantRow(approved.items[0]!.grantId!)).requestId).toBe(pending.id);
    await kit.configure(`resources/${r.id}`, [entry({ requestable: false, reviewerStages: [] })]);
    expect((await h.as(alice)('POST', url, { durationMinutes: 60 })).body.code).toBe('not_requestable');
  });

  it('only extends live grants that came from a request', async () => {
    const g = await kit.group();
    await kit.configure(`groups/${g.id}`, [auto()]);
    const direct = await kit.grant(g.id, alice.user.id);
    expect(
      (await h.as(alice)('POST', `/api/v1/grants/${direct.id}/extend`, { durationMinutes: 10 })).status,
    ).toBe(409);
    const req = await kit.asked(alice, { items: [{ groupId: g.id }] });
    const grantId = req.items[0]!.grantId!;
    await h.as(alice)('DELETE', `/api/v1/grants/${grantId}`);
    expect(
      (await h.as(alice)('POST', `/api/v1/grants/${grantId}/extend`, { durationMinutes: 10 })).status,
    ).toBe(409);
    expect(
      (await h.as(alice)('POST', '/api/v1/grants/grt_missing/extend', { durationMinutes: 10 })).status,
    ).toBe(404);
  });
});

describe('items that change under a pending request', () => {
  it('refuses to grant an item deleted since it was requested', async () => {
    const g = await kit.group();
    await kit.configure(`groups/${g.id}`, [reviewed()]);
    const r = await kit.asked(alice, { items: [{ groupId: g.id }] });
    expect((await h.request('DELETE', `/api/v1/groups/${g.id}`)).status).toBe(204);
    const res = await kit.approve(reviewer, r.id);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect((await kit.get(r.id)).body.status).toBe('pending');
    expect((await kit.deny(reviewer, r.id, { comment: 'gone' })).body.status).toBe('denied');
  });
});

describe('listing', () => {
  it('shows others only their own, those they review and those on items they own; filters and pages', async () => {
    const g = await kit.group({ ownerUserIds: [owner.user.id] });
    const g2 = await kit.group({ ownerUserIds: [owner.user.id] });
    await kit.configure(`groups/${g.id}`, [reviewed()]);
    await kit.configure(`groups/${g2.id}`, [reviewed()]);
    const mine = await kit.asked(bob, { items: [{ groupId: g.id }] });
    // Another item: the same one for bob again would be refused while his own request waits.
    const forBob = await kit.asked(h.admin, { items: [{ groupId: g2.id }], targetUserId: bob.user.id });
    const list = async (caller: Caller, query = '') =>
      ((await h.as(caller)('GET', `/api/v1/requests?limit=500&${query}`)).body.items as AccessRequest[]).map(
        (r) => r.id,
      );
    expect(await list(bob)).toEqual(expect.arrayContaining([mine.id, forBob.id]));
    expect(await list(alice)).not.toContain(mine.id);
    expect(await list(owner)).toEqual(expect.arrayContaining([mine.id, forBob.id]));
    expect(await list(reviewer, 'reviewable=true')).toEqual(expect.arrayContaining([mine.id, forBob.id]));
    expect(await list(owner, 'reviewable=true')).not.toContain(mine.id);
    expect(await list(bob, `requesterId=${bob.user.id}`)).toEqual([mine.id]);
    expect(await list(bob, `targetUserId=${bob.user.id}`)).toEqual([mine.id, forBob.id]);
    await kit.approve(reviewer, mine.id);
    expect(await list(reviewer, 'reviewable=true')).not.toContain(mine.id);
    expect(await list(bob, 'status=approved')).toEqual([mine.id]);
    const page1 = (await h.as(bob)('GET', `/api/v1/requests?targetUserId=${bob.user.id}&limit=1`)).body;
    expect(page1.items.map((r: AccessRequest) => r.id)).toEqual([mine.id]);
    const page2 = (
      await h.as(bob)(
        'GET',
        `/api/v1/requests?targetUserId=${bob.user.id}&limit=1&cursor=${page1.nextCursor}`,
      )
    ).body;
    expect(page2.items.map((r: AccessRequest) => r.id)).toEqual([forBob.id]);
    expect(page2.nextCursor).toBeNull();
    expect((await h.request('GET', '/api/v1/requests?status=nope')).status).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit, type AccessRequest, type Entry } from '../support/requests.js';

// Reviewing requests: stages in order, `any` and `all`, every kind of reviewer, nobody reviewing their own
// request, denying with a comment, canceling, decided requests, and what the outbox is asked to deliver.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let alice: Caller;
let rev1: Caller;
let rev2: Caller;
let owner: Caller;
let outsider: Caller;
let auditor: Caller;
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [alice, rev1, rev2, owner, outsider, auditor] = await Promise.all([
    h.newUser(),
    h.newUser(),
    h.newUser(),
    h.newUser(),
    h.newUser(),
    h.newUser('auditor'),
  ]);
});
afterAll(() => h.close());

const stage = (operator: 'all' | 'any', reviewers: Entry['reviewerStages'][number]['reviewers']) => ({
  operator,
  reviewers,
});
/** A group with one default entry reviewed by these stages, and a pending request for it by alice. */
async function pendingWith(stages: Entry['reviewerStages'], as: Caller = alice, extra = {}) {
  const g = await kit.group({ ownerUserIds: [owner.user.id] });
  await kit.configure(`groups/${g.id}`, [entry({ reviewerStages: stages })]);
  const r = await kit.asked(as, { items: [{ groupId: g.id }], ...extra });
  expect(r.status).toBe('pending');
  return { g, r };
}
const reviewersOf = (r: AccessRequest) => r.items[0]!.currentStage!.reviewerIds;

describe('stages', () => {
  it('any: one approval grants; the next reviewer finds it decided', async () => {
    const { g, r } = await pendingWith([stage('any', { userIds: [rev1.user.id, rev2.user.id] })]);
    const res = await kit.approve(rev1, r.id, { comment: 'fine' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('approved');
    expect((await kit.check(alice.user.id, `groupId=${g.id}`)).allowed).toBe(true);
    const late = await kit.approve(rev2, r.id);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('request_not_pending');
    const grant = await kit.grantRow(res.body.items[0].grantId);
    expect(grant).toMatchObject({ source: 'request', requestId: r.id, createdBy: rev1.user.id });
  });

  it('two stages pass in order, with request.stage_approved for the first', async () => {
    const { g, r } = await pendingWith([
      stage('any', { userIds: [rev1.user.id] }),
      stage('any', { userIds: [rev2.user.id] }),
    ]);
    expect(reviewersOf(r)).toEqual([rev1.user.id]);
    const early = await kit.approve(rev2, r.id);
    expect(early.status).toBe(403);
    expect(early.body.code).toBe('forbidden');
    const first = (await kit.approve(rev1, r.id)).body as AccessRequest;
    expect(first.status).toBe('pending');
    expect(first.items[0]).toMatchObject({
      stageIndex: 1,
      currentStage: { index: 1, reviewerIds: [rev2.user.id], approvedBy: [] },
    });
    expect((await kit.check(alice.user.id, `groupId=${g.id}`)).allowed).toBe(false);
    expect(await kit.events('request.stage_approved', r.id)).toHaveLength(1);
    expect((await kit.approve(rev1, r.id)).status).toBe(403);
    expect((await kit.approve(rev2, r.id)).body.status).toBe('approved');
    expect((await kit.check(alice.user.id, `groupId=${g.id}`)).allowed).toBe(true);
    expect(await kit.events('request.approved', r.id)).toHaveLength(1);
  });

  it('all: needs every listed reviewer; approving twice is a conflict', async () => {
    const { r } = await pendingWith([stage('all', { userIds: [rev1.user.id, rev2.user.id] })]);
    const one = await kit.approve(rev1, r.id);
    expect(one.body.status).toBe('pending');
    expect(one.body.items[0].currentStage.approvedBy).toEqual([rev1.user.id]);
    expect((await kit.approve(rev1, r.id)).status).toBe(409);
    expect((await kit.approve(rev2, r.id)).body.status).toBe('approved');
  });

  it('all with owners means every owner at the time the stage started', async () => {
    const owners = await kit.group();
    await kit.grant(owners.id, rev1.user.id);
    const g = await kit.group({ ownerUserIds: [owner.user.id], ownerGroupId: owners.id });
    await kit.configure(`groups/${g.id}`, [entry({ reviewerStages: [stage('all', { owners: true })] })]);
    const r = await kit.asked(alice, { items: [{ groupId: g.id }] });
    expect(reviewersOf(r)).toEqual([owner.user.id, rev1.user.id].sort());
    await kit.grant(owners.id, rev2.user.id);
    expect((await kit.approve(rev2, r.id)).status).toBe(403);
    expect((await kit.approve(owner, r.id)).body.status).toBe('pending');
    expect((await kit.approve(rev1, r.id)).body.status).toBe('approved');
  });
});

describe('who reviews', () => {
  it('resolves owners, admins, users and effective members of groups (nesting included), never the requester', async () => {
    const [reviewers, parent] = await Promise.all([kit.group(), kit.group()]);
    await kit.nest(parent.id, { groupId: reviewers.id });
    await kit.grant(reviewers.id, rev1.user.id);
    await kit.grant(parent.id, rev2.user.id);
    await kit.grant(reviewers.id, alice.user.id);
    const admins = (
      (await h.request('GET', '/api/v1/users?limit=500')).body.items as {
        id: string;
        role: string;
        status: string;
      }[]
    )
      .filter((u) => u.role === 'admin' && u.status === 'active')
      .map((u) => u.id);
    const cases: [Entry['reviewerStages'][number]['reviewers'], string[]][] = [
      [{ owners: true }, [owner.user.id]],
      [{ admins: true }, admins],
      [{ userIds: [outsider.user.id, alice.user.id] }, [outsider.user.id]],
      [{ groupIds: [reviewers.id] }, [rev1.user.id, rev2.user.id]],
    ];
    for (const [spec, expected] of cases) {
      const { r } = await pendingWith([stage('any', spec)]);
      expect(reviewersOf(r), JSON.stringify(spec)).toEqual([...expected].sort());
    }
  });

  it('falls back to admins when nobody else is left to review', async () => {
    const { r } = await pendingWith([stage('any', { owners: true })], owner);
    expect(reviewersOf(r)).toContain(h.admin.user.id);
    expect(reviewersOf(r)).not.toContain(owner.user.id);
  });

  it('refuses self-review by the requester and by the target, even admins', async () => {
    const g = await kit.group({ ownerUserIds: [owner.user.id] });
    await kit.configure(`groups/${g.id}`, [
      entry({ reviewerStages: [stage('any', { admins: true, owners: true })] }),
    ]);
    const r = await kit.asked(h.admin, { items: [{ groupId: g.id }], targetUserId: owner.user.id });
    for (const who of [h.admin, owner]) {
      const res = await kit.approve(who, r.id);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('self_review_forbidden');
      expect((await kit.deny(who, r.id)).body.code).toBe('self_review_forbidden');
    }
    const mine = (await pendingWith([stage('any', { owners: true })])).r;
    expect((await kit.approve(alice, mine.id)).body.code).toBe('self_review_forbidden');
  });

  it('answers 403 to those who can see the request but do not review this stage, 404 to the rest', async () => {
    const { r } = await pendingWith([stage('any', { userIds: [rev1.user.id] })]);
    for (const who of [owner, auditor]) expect((await kit.approve(who, r.id)).status).toBe(403);
    const hidden = await kit.approve(outsider, r.id);
    expect(hidden.status).toBe(404);
    expect((await kit.get(r.id, outsider)).status).toBe(404);
    for (const who of [alice, rev1, owner, auditor]) expect((await kit.get(r.id, who)).status).toBe(200);
  });
});

describe('denying and canceling', () => {
  it('needs a comment to deny; a denied request is decided', async () => {
    const { g, r } = await pendingWith([stage('any', { userIds: [rev1.user.id] })]);
    for (const body of [undefined, {}, { comment: '' }, { comment: '   ' }]) {
      const res = await h.as(rev1)('POST', `/api/v1/requests/${r.id}/deny`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    const denied = await kit.deny(rev1, r.id, { comment: 'not this week' });
    expect(denied.body).toMatchObject({
      status: 'denied',
      items: [{ status: 'denied', comment: 'not this week' }],
    });
    expect((await kit.check(alice.user.id, `groupId=${g.id}`)).allowed).toBe(false);
    expect((await kit.events('request.denied', r.id))[0]!.data).toMatchObject({ comment: 'not this week' });
    for (const act of [kit.approve(rev1, r.id), kit.deny(rev1, r.id), kit.cancel(alice, r.id)])
      expect((await act).body.code).toBe('request_not_pending');
  });

  it('lets the requester or the target cancel while pending; others get 403', async () => {
    const { r } = await pendingWith([stage('any', { userIds: [rev1.user.id] })]);
    for (const who of [rev1, h.admin]) expect((await kit.cancel(who, r.id)).status).toBe(403);
    expect((await kit.cancel(outsider, r.id)).status).toBe(404);
    const canceled = await kit.cancel(alice, r.id);
    expect(canceled.body).toMatchObject({ status: 'canceled', items: [{ status: 'canceled' }] });
    expect(await kit.events('request.canceled', r.id)).toHaveLength(1);
    expect((await kit.approve(rev1, r.id)).body.code).toBe('request_not_pending');
    const forBob = (
      await pendingWith([stage('any', { userIds: [rev1.user.id] })], h.admin, { targetUserId: alice.user.id })
    ).r;
    expect((await kit.cancel(alice, forBob.id)).body.status).toBe('canceled');
  });

  it('derives partially_approved from a mix of approved and denied items', async () => {
    const [a, b] = await Promise.all([kit.group(), kit.group()]);
    await kit.configure(`groups/${a.id}`, [
      entry({ reviewerStages: [stage('any', { userIds: [rev1.user.id] })] }),
    ]);
    await kit.configure(`groups/${b.id}`, [
      entry({ reviewerStages: [stage('any', { userIds: [rev2.user.id] })] }),
    ]);
    const r = await kit.asked(alice, { items: [{ groupId: a.id }, { groupId: b.id }] });
    expect((await kit.approve(rev1, r.id)).body.status).toBe('pending');
    expect((await kit.deny(rev2, r.id)).body.status).toBe('partially_approved');
  });
});

describe('notifications', () => {
  it("queues review requests for the current stage's reviewers, and decisions for the requester and target", async () => {
    const outbox = async (kind: string, requestId: string) =>
      (
        (await h.request('GET', `/api/v1/notifications?kind=${kind}&limit=500`)).body.items as {
          recipientUserId: string;
          payload: { requestId: string };
        }[]
      )
        .filter((n) => n.payload.requestId === requestId)
        .map((n) => n.recipientUserId)
        .sort();
    const { r } = await pendingWith(
      [stage('any', { userIds: [rev1.user.id, rev2.user.id] }), stage('any', { userIds: [owner.user.id] })],
      h.admin,
      { targetUserId: alice.user.id },
    );
    expect(await outbox('request.review_requested', r.id)).toEqual([rev1.user.id, rev2.user.id].sort());
    await kit.approve(rev1, r.id);
    expect(await outbox('request.review_requested', r.id)).toEqual(
      [rev1.user.id, rev2.user.id, owner.user.id].sort(),
    );
    await kit.approve(owner, r.id);
    expect(await outbox('request.approved', r.id)).toEqual([h.admin.user.id, alice.user.id].sort());
    const denied = (await pendingWith([stage('any', { userIds: [rev1.user.id] })])).r;
    await kit.deny(rev1, denied.id);
    expect(await outbox('request.denied', denied.id)).toEqual([alice.user.id]);
  });
});

describe('concurrency', () => {
  it('two reviewers approving at the same moment make one grant and one request.approved (10 rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const { r } = await pendingWith([stage('any', { userIds: [rev1.user.id, rev2.user.id] })]);
      const results = await Promise.all([kit.approve(rev1, r.id), kit.approve(rev2, r.id)]);
      expect(results.map((x) => x.status).sort()).toEqual([200, 409]);
      const grants = await h.latch.store.db
        .selectFrom('grants')
        .select('id')
        .where('request_id', '=', r.id)
        .execute();
      expect(grants).toHaveLength(1);
      expect(await kit.events('request.approved', r.id)).toHaveLength(1);
      expect((await kit.get(r.id)).body.items[0].grantId).toBe(grants[0]!.id);
    }
    expect((await h.request('GET', '/api/v1/events/verify')).body.ok).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLatch, type Latch } from '../../src/main.js';
import { inDays, reviewKit } from '../support/access-reviews.js';
import { startHarness, testKeys, type Harness } from '../support/harness.js';

// The time engine and campaigns: at the deadline a campaign closes by itself, exactly once however many replicas
// run, revoking what was left undecided when it says so; before it, reviewers with undecided rows are reminded.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe('at the deadline, with two replicas on one database', () => {
  let h: Harness;
  let second: Latch;
  const keys = testKeys();
  beforeAll(async () => {
    h = await startHarness({ jobs: true, keys });
    second = await createLatch(h.latch.store, { jobs: true, keys });
  });
  afterAll(async () => {
    await second?.close();
    await h?.close();
  });

  it('closes once and revokes the undecided rows that needed a decision', async () => {
    const kit = reviewKit(h);
    const people = await Promise.all([h.newUser(), h.newUser(), h.newUser()]);
    const groupId = await kit.group(kit.name('deadline'));
    const grants = [];
    for (const p of people) grants.push(await kit.member(groupId, p.user.id));
    const review = await kit.start(null, {
      name: 'closes itself',
      scope: { groupIds: [groupId] },
      reviewers: { type: 'admins' },
      deadline: new Date(Date.now() + 2500).toISOString(),
      autoRevokeUnreviewed: true,
    });
    const rows = await kit.rows(null, review.id);
    const kept = rows.find((r) => r.userId === people[0]!.user.id)!;
    await kit.decide(null, review.id, { rowIds: [kept.id], decision: 'keep' });

    const closed = await eventually(async () => {
      const r = await kit.admin('GET', `/access-reviews/${review.id}`);
      return r.status === 'closed' ? r : undefined;
    });
    expect(closed).toMatchObject({ closedBy: null, outcome: { kept: 1, revoked: 2 } });
    expect(Date.parse(closed.closedAt)).toBeGreaterThanOrEqual(Date.parse(review.deadline));
    // Give the other replica every chance to do it again.
    second.jobs!.poke();
    h.latch.jobs!.poke();
    await sleep(500);
    expect(await kit.events('access_review.closed', review.id)).toHaveLength(1);
    for (const [i, grantId] of grants.entries()) {
      const grant = await kit.admin('GET', `/grants/${grantId}`);
      expect(await kit.events('grant.revoked', grantId)).toHaveLength(i === 0 ? 0 : 1);
      expect(grant.status).toBe(i === 0 ? 'active' : 'revoked');
      if (i > 0) expect(grant).toMatchObject({ endReason: 'access_review', endedBy: null });
    }
    // Both replicas' access indexes follow.
    for (const latch of [h.latch, second])
      await eventually(async () => {
        const res = await latch.app.inject({
          method: 'GET',
          url: `/api/v1/access/check?userId=${people[1]!.user.id}&groupId=${groupId}`,
          headers: { authorization: `Bearer ${h.admin.token}` },
        });
        return res.json().allowed === false ? true : undefined;
      });
    expect((await kit.admin('GET', '/events/verify')).ok).toBe(true);
  });
});

describe('reminders before the deadline, with the clock moved forward', () => {
  let t: Harness;
  let offsetMs = 0;
  beforeAll(async () => {
    t = await startHarness({ jobs: true, now: () => new Date(Date.now() + offsetMs) });
  });
  afterAll(() => t?.close());

  const travel = async (ms: number) => {
    offsetMs = ms;
    t.latch.jobs!.poke();
    await sleep(500);
  };

  it('tells reviewers with undecided rows 7 days, 1 day and 1 hour ahead, once each', async () => {
    const kit = reviewKit(t);
    const [busy, done, holder] = await Promise.all([t.newUser(), t.newUser(), t.newUser()]);
    const busyGroup = await kit.group(kit.name('busy'), [busy.user.id]);
    const doneGroup = await kit.group(kit.name('done'), [done.user.id]);
    for (const g of [busyGroup, doneGroup]) await kit.member(g, holder.user.id);
    const day = 86_400_000;
    const review = await kit.start(null, {
      name: 'quarterly',
      scope: { groupIds: [busyGroup, doneGroup] },
      reviewers: { type: 'owners' },
      deadline: inDays(8),
    });
    const doneRows = await kit.rows(done, review.id);
    await kit.decide(done, review.id, { rowIds: doneRows.map((r) => r.id), decision: 'keep' });
    const reminders = async () =>
      (
        (await kit.admin('GET', '/notifications?kind=access_review.reminder&limit=500')).items as {
          recipientUserId: string;
          payload: { accessReview: { id: string }; reminder: string; undecided: number };
        }[]
      ).filter((n) => n.payload.accessReview.id === review.id);

    await travel(day - 60_000);
    expect(await reminders()).toEqual([]);
    await travel(day + 60_000);
    await eventually(async () => ((await reminders()).length ? true : undefined));
    await travel(7 * day + 60_000);
    await travel(8 * day - 3_540_000);
    await eventually(async () => ((await reminders()).length === 3 ? true : undefined));
    const sent = await reminders();
    expect(sent.map((n) => n.payload.reminder).sort()).toEqual(['due_1d', 'due_1h', 'due_7d']);
    expect(new Set(sent.map((n) => n.recipientUserId))).toEqual(new Set([busy.user.id]));
    expect(sent.every((n) => n.payload.undecided === 1)).toBe(true);

    await travel(8 * day + 60_000);
    const closed = await eventually(async () => {
      const r = await kit.admin('GET', `/access-reviews/${review.id}`);
      return r.status === 'closed' ? r : undefined;
    });
    expect(closed.outcome).toMatchObject({ kept: 1, 'no decision': 1 });
    expect(await reminders()).toHaveLength(3);
  });
});

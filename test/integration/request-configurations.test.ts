import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit, type Entry } from '../support/requests.js';

// Request configurations through the HTTP API: who may read and replace them, every validation rule with its
// field path, the audit event, and the matching rule as requests see it.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let owner: Caller;
let member: Caller;
let auditor: Caller;
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [owner, member, auditor] = await Promise.all([h.newUser(), h.newUser(), h.newUser('auditor')]);
});
afterAll(() => h.close());

const put = (caller: Caller, path: string, body: unknown) =>
  h.as(caller)('PUT', `/api/v1/${path}/request-configurations`, body);

describe('reading and replacing', () => {
  it('starts empty (not requestable), and returns the list in ascending priority', async () => {
    const g = await kit.group();
    expect((await h.as(member)('GET', `/api/v1/groups/${g.id}/request-configurations`)).body).toEqual([]);
    const saved = await kit.configure(`groups/${g.id}`, [
      entry({ priority: 50 }),
      entry({ priority: 5, condition: { groupIds: [g.id] }, autoApprove: true, reviewerStages: [] }),
    ]);
    expect(saved.map((e) => e.priority)).toEqual([5, 50]);
    expect(saved[1]!.reviewerStages).toEqual([
      { operator: 'any', reviewers: { owners: true, admins: false, userIds: [], groupIds: [] } },
    ]);
    const read = await h.as(member)<Entry[]>('GET', `/api/v1/groups/${g.id}/request-configurations`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(saved);
  });

  it('works the same for resources; unknown items are 404', async () => {
    const r = await kit.resource();
    expect((await kit.configure(`resources/${r.id}`, [entry()])).length).toBe(1);
    expect((await h.request('GET', `/api/v1/resources/${r.id}/request-configurations`)).body).toHaveLength(1);
    expect((await h.request('GET', '/api/v1/groups/grp_nope/request-configurations')).status).toBe(404);
    expect((await put(h.admin, 'resources/res_nope', [])).status).toBe(404);
  });

  it('lets admins and owners (named or through the owner group) replace them; others get 403', async () => {
    const owners = await kit.group();
    const viaGroup = await h.newUser();
    await kit.grant(owners.id, viaGroup.user.id);
    const g = await kit.group({ ownerUserIds: [owner.user.id], ownerGroupId: owners.id });
    expect((await put(owner, `groups/${g.id}`, [entry()])).status).toBe(200);
    expect(
      (
        await put(viaGroup, `groups/${g.id}`, [
          entry({ maxDurationMinutes: 30, recommendedDurationMinutes: 15 }),
        ])
      ).status,
    ).toBe(200);
    for (const other of [member, auditor]) {
      const res = await put(other, `groups/${g.id}`, []);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    const listed = (await h.request('GET', `/api/v1/groups/${g.id}/request-configurations`)).body as Entry[];
    expect(listed[0]!.maxDurationMinutes).toBe(30);
  });

  it('writes request_configuration.updated with before and after, and nothing when unchanged', async () => {
    const g = await kit.group();
    await kit.configure(`groups/${g.id}`, [entry()]);
    await kit.configure(`groups/${g.id}`, [entry({ requireReason: true })]);
    await kit.configure(`groups/${g.id}`, [entry({ requireReason: true })]);
    const events = await kit.events('request_configuration.updated', g.id);
    expect(events).toHaveLength(2);
    const last = events[1]!.data as { before: Entry[]; after: Entry[] };
    expect(last.before[0]!.requireReason).toBe(false);
    expect(last.after[0]!.requireReason).toBe(true);
    expect(events[1]!.actorId).toBe(h.admin.user.id);
  });
});

describe('validation', () => {
  let g: { id: string };
  let other: { id: string };
  beforeAll(async () => {
    g = await kit.group();
    other = await kit.group();
  });
  const refused = async (body: unknown, field?: string) => {
    const res = await put(h.admin, `groups/${g.id}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    return res.body as { detail: string };
  };

  it('needs exactly one default', async () => {
    await refused([entry(), entry({ priority: 1 })], 'body.1.condition');
    const none = await refused([entry({ condition: { groupIds: [other.id] } })], 'body');
    expect(none.detail).toMatch(/default/);
  });

  it('refuses duplicate priorities', async () => {
    await refused(
      [entry({ priority: 7 }), entry({ priority: 7, condition: { groupIds: [other.id] } })],
      'body.1.priority',
    );
  });

  it('refuses unknown groups in conditions and reviewers, and unknown users', async () => {
    await refused(
      [entry({ priority: 1, condition: { groupIds: ['grp_missing'] } }), entry()],
      'body.0.condition.groupIds',
    );
    await refused(
      [entry({ reviewerStages: [{ operator: 'any', reviewers: { groupIds: ['grp_missing'] } }] })],
      'body.0.reviewerStages.0.reviewers.groupIds',
    );
    await refused(
      [
        entry({
          reviewerStages: [{ operator: 'all', reviewers: { userIds: [member.user.id, 'usr_missing'] } }],
        }),
      ],
      'body.0.reviewerStages.0.reviewers.userIds',
    );
  });

  it('refuses zero or negative durations and a recommendation above the maximum', async () => {
    await refused([entry({ maxDurationMinutes: 0 })], 'body.0.maxDurationMinutes');
    await refused([entry({ maxDurationMinutes: -10 })], 'body.0.maxDurationMinutes');
    await refused([entry({ recommendedDurationMinutes: 0 })], 'body.0.recommendedDurationMinutes');
    await refused(
      [entry({ maxDurationMinutes: 60, recommendedDurationMinutes: 90 })],
      'body.0.recommendedDurationMinutes',
    );
  });

  it('needs reviewer stages for a requestable entry that is not auto-approved, and reviewers in each stage', async () => {
    await refused([entry({ reviewerStages: [] })], 'body.0.reviewerStages');
    await refused(
      [entry({ reviewerStages: [{ operator: 'any', reviewers: {} }] })],
      'body.0.reviewerStages.0.reviewers',
    );
    await refused(
      [entry({ reviewerStages: [{ operator: 'any', reviewers: { owners: false, userIds: [] } }] })],
      'body.0.reviewerStages.0.reviewers',
    );
  });

  it('bounds the list, the stages and the id lists, and refuses malformed entries', async () => {
    const many = Array.from({ length: 51 }, (_, i) =>
      entry({ priority: i, condition: i ? { groupIds: [other.id] } : null }),
    );
    await refused(many);
    await refused([
      entry({
        reviewerStages: Array.from({ length: 11 }, () => ({ operator: 'any', reviewers: { owners: true } })),
      }),
    ]);
    await refused([entry({ condition: { groupIds: [] }, priority: 1 }), entry()]);
    await refused([{ ...entry(), extra: true }]);
    await refused([{ ...entry(), reviewerStages: [{ operator: 'most', reviewers: { owners: true } }] }]);
    await refused({ items: [entry()] });
    await refused([entry({ maxDurationMinutes: 1.5 })]);
    // Nothing was stored by any refused attempt.
    expect((await h.request('GET', `/api/v1/groups/${g.id}/request-configurations`)).body).toEqual([]);
  });
});

describe('random configurations', () => {
  it('are either stored exactly (sorted by priority) or refused with 400, never a 5xx', async () => {
    const g = await kit.group();
    const ids = fc.constantFrom(g.id, member.user.id, owner.user.id, 'grp_missing', 'usr_missing');
    const minutes = fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 2000 }));
    const reviewers = fc.record(
      {
        owners: fc.boolean(),
        admins: fc.boolean(),
        userIds: fc.array(ids, { maxLength: 3 }),
        groupIds: fc.array(ids, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    );
    const arbEntry = fc.record({
      priority: fc.integer({ min: -1, max: 5 }),
      condition: fc.oneof(fc.constant(null), fc.record({ groupIds: fc.array(ids, { maxLength: 2 }) })),
      requestable: fc.boolean(),
      autoApprove: fc.boolean(),
      maxDurationMinutes: minutes,
      recommendedDurationMinutes: minutes,
      requireReason: fc.boolean(),
      reviewerStages: fc.array(fc.record({ operator: fc.constantFrom('all', 'any'), reviewers }), {
        maxLength: 2,
      }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(arbEntry, { maxLength: 4 }), async (list) => {
        const res = await put(h.admin, `groups/${g.id}`, list);
        expect([200, 400], JSON.stringify(res.body)).toContain(res.status);
        const read = await h.request('GET', `/api/v1/groups/${g.id}/request-configurations`);
        if (res.status === 200) {
          expect(read.body).toEqual(res.body);
          expect((res.body as Entry[]).map((e) => e.priority)).toEqual(
            [...list.map((e) => e.priority)].sort((a, b) => a - b),
          );
        } else expect(res.body.code).toBe('validation_failed');
      }),
      { numRuns: 150 },
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit, type AccessRequest } from '../support/requests.js';

// Asking for access: which configuration entry applies (the target's effective groups, by priority), what can
// be requested, for how long and with what reason, auto-approval, and requests on behalf of someone else.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let alice: Caller;
let bob: Caller;
let owner: Caller;
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [alice, bob, owner] = await Promise.all([h.newUser(), h.newUser(), h.newUser()]);
});
afterAll(() => h.close());

const auto = (over = {}) =>
  entry({ autoApprove: true, reviewerStages: [], recommendedDurationMinutes: null, ...over });
const requestCount = async () =>
  Number(
    (
      await h.latch.store.db
        .selectFrom('requests')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('matching the configuration to the target user', () => {
  let item: { id: string };
  let oncall: { id: string };
  let team: { id: string };
  let teamParent: { id: string };
  beforeAll(async () => {
    [item, oncall, team, teamParent] = await Promise.all([
      kit.group(),
      kit.group(),
      kit.group(),
      kit.group(),
    ]);
    await kit.nest(teamParent.id, { groupId: team.id });
    await kit.configure(`groups/${item.id}`, [
      entry({ priority: 100, requestable: false, reviewerStages: [] }),
      auto({ priority: 20, condition: { groupIds: [team.id] }, maxDurationMinutes: 60 }),
      auto({ priority: 10, condition: { groupIds: [oncall.id] }, maxDurationMinutes: 30 }),
    ]);
  });

  it('takes the first entry in ascending priority whose condition the user meets', async () => {
    const both = await h.newUser();
    await kit.grant(oncall.id, both.user.id);
    await kit.grant(team.id, both.user.id);
    expect((await kit.ask(both, { items: [{ groupId: item.id }], durationMinutes: 45 })).body.code).toBe(
      'duration_exceeds_max',
    );
    expect((await kit.ask(both, { items: [{ groupId: item.id }], durationMinutes: 30 })).status).toBe(201);
  });

  it('counts effective membership through nesting', async () => {
    const nested = await h.newUser();
    await kit.grant(teamParent.id, nested.user.id);
    const r = await kit.asked(nested, { items: [{ groupId: item.id }], durationMinutes: 45 });
    expect(r.status).toBe('approved');
    expect((await kit.ask(nested, { items: [{ groupId: item.id }], durationMinutes: 61 })).body.code).toBe(
      'duration_exceeds_max',
    );
  });

  it('falls back to the default entry, here not requestable', async () => {
    const res = await kit.ask(bob, { items: [{ groupId: item.id }] });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_requestable');
  });

  it("matches on the target's groups, not the requester's", async () => {
    const oncallUser = await h.newUser();
    await kit.grant(oncall.id, oncallUser.user.id);
    const res = await kit.ask(h.admin, { items: [{ groupId: item.id }], targetUserId: bob.user.id });
    expect(res.body.code).toBe('not_requestable');
    const forOncall = await kit.asked(h.admin, {
      items: [{ groupId: item.id }],
      targetUserId: oncallUser.user.id,
      durationMinutes: 30,
    });
    expect(forOncall).toMatchObject({
      status: 'approved',
      requesterId: h.admin.user.id,
      targetUserId: oncallUser.user.id,
    });
  });
});

describe('what can be requested', () => {
  it('refuses items without configuration, and creates nothing when any item is not requestable', async () => {
    const [open, closed] = await Promise.all([kit.group(), kit.group()]);
    await kit.configure(`groups/${open.id}`, [auto()]);
    const before = await requestCount();
    const res = await kit.ask(alice, { items: [{ groupId: open.id }, { groupId: closed.id }] });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_requestable');
    expect(res.body.detail).toContain(closed.name);
    expect(await requestCount()).toBe(before);
    expect((await kit.check(alice.user.id, `groupId=${open.id}`)).allowed).toBe(false);
  });

  it('refuses durations above the maximum and accepts up to it; no maximum means none', async () => {
    const [g, unlimited] = await Promise.all([kit.group(), kit.group()]);
    await kit.configure(`groups/${g.id}`, [
      auto({ maxDurationMinutes: 120, recommendedDurationMinutes: 60 }),
    ]);
    await kit.configure(`groups/${unlimited.id}`, [
      auto({ maxDurationMinutes: null, recommendedDurationMinutes: null }),
    ]);
    const over = await kit.ask(alice, { items: [{ groupId: g.id }], durationMinutes: 121 });
    expect(over.status).toBe(400);
    expect(over.body.code).toBe('duration_exceeds_max');
    expect((await kit.ask(alice, { items: [{ groupId: g.id }], durationMinutes: 120 })).status).toBe(201);
    expect(
      (await kit.ask(alice, { items: [{ groupId: unlimited.id }], durationMinutes: 100_000 })).status,
    ).toBe(201);
  });

  it('needs a reason when an item asks for one', async () => {
    const g = await kit.group();
    await kit.configure(`groups/${g.id}`, [auto({ requireReason: true })]);
    for (const reason of [undefined, '', '   ']) {
      const res = await kit.ask(alice, {
        items: [{ groupId: g.id }],
        ...(reason === undefined ? {} : { reason }),
      });
      expect(res.status, String(reason)).toBe(400);
      expect(res.body.code).toBe('reason_required');
    }
    const ok = await kit.asked(alice, { items: [{ groupId: g.id }], reason: '  ticket 42  ' });
    expect(ok.reason).toBe('ticket 42');
  });

  it('answers 404 for unknown items and 400 for bad bodies and access levels', async () => {
    expect((await kit.ask(alice, { items: [{ groupId: 'grp_missing' }] })).status).toBe(404);
    expect(
      (await kit.ask(alice, { items: [{ resourceId: 'res_missing', accessLevel: 'read' }] })).status,
    ).toBe(404);
    const r = await kit.resource();
    await kit.configure(`resources/${r.id}`, [auto()]);
    const badLevel = await kit.ask(alice, { items: [{ resourceId: r.id, accessLevel: 'root' }] });
    expect(badLevel.status).toBe(400);
    expect(badLevel.body.errors[0].field).toBe('items.0.accessLevel');
    for (const body of [
      { items: [] },
      { items: [{ groupId: r.id }, { groupId: r.id }] },
      { items: [{ resourceId: r.id }] },
      { items: [{ resourceId: r.id, accessLevel: 'read' }], durationMinutes: 0 },
      { items: [{ resourceId: r.id, accessLevel: 'read' }], durationMinutes: -5 },
      { items: [{ resourceId: r.id, accessLevel: 'read' }], targetUserId: 'usr_missing' },
    ]) {
      const res = await kit.ask(alice, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
  });
});

describe('auto-approval', () => {
  it('grants at once (source request, linked to the request) and access checks allow right after 201', async () => {
    const [g, r] = await Promise.all([kit.group(), kit.resource()]);
    await kit.configure(`groups/${g.id}`, [auto()]);
    await kit.configure(`resources/${r.id}`, [auto()]);
    const res = await kit.ask(alice, {
      items: [{ groupId: g.id }, { resourceId: r.id, accessLevel: 'read' }],
      durationMinutes: 90,
      reason: 'deploy',
    });
    expect(res.status).toBe(201);
    expect((await kit.check(alice.user.id, `groupId=${g.id}`)).allowed).toBe(true);
    expect((await kit.check(alice.user.id, `resourceId=${r.id}&accessLevel=read`)).allowed).toBe(true);
    expect((await kit.check(alice.user.id, `resourceId=${r.id}&accessLevel=admin`)).allowed).toBe(false);
    const req = res.body as AccessRequest;
    expect(req).toMatchObject({
      status: 'approved',
      requesterId: alice.user.id,
      targetUserId: alice.user.id,
      durationMinutes: 90,
    });
    expect(req.items.map((i) => i.status)).toEqual(['approved', 'approved']);
    const grant = await kit.grantRow(req.items[0]!.grantId!);
    expect(grant).toMatchObject({
      source: 'request',
      requestId: req.id,
      userId: alice.user.id,
      status: 'active',
    });
    expect(Date.parse(grant.expiresAt!) - Date.parse(grant.startsAt)).toBe(90 * 60_000);
    const created = await kit.events('request.created', req.id);
    expect(created).toHaveLength(1);
    const approved = await kit.events('request.approved', req.id);
    expect(approved).toHaveLength(1);
    for (const i of req.items) expect(approved[0]!.subjects).toContainEqual({ type: 'grant', id: i.grantId });
  });

  it('leaves the items that need review pending in a mixed request', async () => {
    const [a, b] = await Promise.all([kit.group(), kit.group({ ownerUserIds: [owner.user.id] })]);
    await kit.configure(`groups/${a.id}`, [auto()]);
    await kit.configure(`groups/${b.id}`, [entry()]);
    const req = await kit.asked(alice, { items: [{ groupId: a.id }, { groupId: b.id }] });
    expect(req.status).toBe('pending');
    expect(req.items.map((i) => i.status)).toEqual(['approved', 'pending']);
    expect(req.items[1]!.grantId).toBeNull();
    expect((await kit.check(alice.user.id, `groupId=${b.id}`)).allowed).toBe(false);
  });
});

describe('on behalf of someone else', () => {
  it('admins may; owners only for items they own; members may not', async () => {
    const [owned, notOwned] = await Promise.all([kit.group({ ownerUserIds: [owner.user.id] }), kit.group()]);
    for (const g of [owned, notOwned]) await kit.configure(`groups/${g.id}`, [auto()]);
    const byAdmin = await kit.asked(h.admin, {
      items: [{ groupId: notOwned.id }],
      targetUserId: bob.user.id,
    });
    expect(byAdmin).toMatchObject({
      requesterId: h.admin.user.id,
      targetUserId: bob.user.id,
      status: 'approved',
    });
    expect((await kit.check(bob.user.id, `groupId=${notOwned.id}`)).allowed).toBe(true);
    const byOwner = await kit.asked(owner, { items: [{ groupId: owned.id }], targetUserId: bob.user.id });
    expect(byOwner.targetUserId).toBe(bob.user.id);
    const mixed = await kit.ask(owner, {
      items: [{ groupId: owned.id }, { groupId: notOwned.id }],
      targetUserId: bob.user.id,
    });
    expect(mixed.status).toBe(403);
    expect(mixed.body.code).toBe('forbidden');
    const byMember = await kit.ask(alice, { items: [{ groupId: owned.id }], targetUserId: bob.user.id });
    expect(byMember.status).toBe(403);
    expect(byMember.body.code).toBe('forbidden');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant, Group } from '../support/api-types.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

let h: Harness;
let alice: Caller;
let owner: Caller;
beforeAll(async () => {
  h = await startHarness();
  alice = await h.newUser('member');
  owner = await h.newUser('member');
});
afterAll(() => h.close());

let counter = 0;
async function group(extra: Record<string, unknown> = {}) {
  const res = await h.request('POST', '/api/v1/groups', {
    body: { name: `Group ${Date.now()}-${counter++}`, ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Group;
}
async function nest(parent: string, child: string, extra: Record<string, unknown> = {}) {
  const res = await h.request('POST', `/api/v1/groups/${parent}/assets`, {
    body: { groupId: child, ...extra },
  });
  return res;
}
async function grant(groupId: string, userId: string, extra: Record<string, unknown> = {}) {
  const res = await h.request('POST', `/api/v1/groups/${groupId}/members`, { body: { userId, ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Grant;
}
const check = async (userId: string, groupId: string) =>
  (await h.request('GET', `/api/v1/access/check?userId=${userId}&groupId=${groupId}`)).body;

describe('groups and resources', () => {
  it('creates, reads, updates and lists groups with owners; validates owners', async () => {
    const g = await group({ description: 'Prod DB', ownerUserIds: [owner.user.id] });
    expect(g).toMatchObject({ description: 'Prod DB', ownerUserIds: [owner.user.id], ownerGroupId: null });
    expect((await h.request('GET', `/api/v1/groups/${g.id}`, { token: alice.token })).status).toBe(200);
    const renamed = await h.as(owner)('PATCH', `/api/v1/groups/${g.id}`, {
      description: 'Production database',
    });
    expect(renamed.body.description).toBe('Production database');
    expect((await h.as(alice)('PATCH', `/api/v1/groups/${g.id}`, { description: 'x' })).status).toBe(403);
    expect(
      (await h.request('POST', '/api/v1/groups', { body: { name: 'bad', ownerUserIds: ['usr_nobody'] } }))
        .status,
    ).toBe(400);
    expect(
      (await h.request('POST', '/api/v1/groups', { body: { name: 'bad', ownerGroupId: 'grp_nobody' } }))
        .status,
    ).toBe(400);
    expect((await h.as(alice)('POST', '/api/v1/groups', { name: 'mine' })).status).toBe(403);
    const dup = await h.request('POST', '/api/v1/groups', { body: { name: g.name.toUpperCase() } });
    expect(dup.status).toBe(409);
    const listed = await h.request('GET', `/api/v1/groups?query=${encodeURIComponent(g.name)}`);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([g.id]);
    expect((await h.request('GET', '/api/v1/groups/grp_missing')).status).toBe(404);
  });

  it('creates resources with access levels and grants them at a level', async () => {
    const r = await h.request('POST', '/api/v1/resources', {
      body: { name: `db-${counter++}`, type: 'postgres', accessLevels: ['read', 'admin'] },
    });
    expect(r.status).toBe(201);
    expect(r.body.accessLevels).toEqual(['read', 'admin']);
    const dflt = await h.request('POST', '/api/v1/resources', {
      body: { name: `bucket-${counter++}`, type: 's3' },
    });
    expect(dflt.body.accessLevels).toEqual(['member']);
    expect(
      (
        await h.request('POST', `/api/v1/resources/${r.body.id}/members`, {
          body: { userId: alice.user.id, accessLevel: 'write' },
        })
      ).status,
    ).toBe(400);
    const g = await h.request('POST', `/api/v1/resources/${r.body.id}/members`, {
      body: { userId: alice.user.id, accessLevel: 'read' },
    });
    expect(g.status).toBe(201);
    const read = await h.request(
      'GET',
      `/api/v1/access/check?userId=${alice.user.id}&resourceId=${r.body.id}&accessLevel=read`,
    );
    expect(read.body).toMatchObject({
      allowed: true,
      expiresAt: null,
      via: [{ grantId: g.body.id, source: 'direct', groupIds: [] }],
    });
    const admin = await h.request(
      'GET',
      `/api/v1/access/check?userId=${alice.user.id}&resourceId=${r.body.id}&accessLevel=admin`,
    );
    expect(admin.body.allowed).toBe(false);
    const members = await h.request('GET', `/api/v1/resources/${r.body.id}/members`);
    expect(members.body.items).toEqual([
      expect.objectContaining({ userId: alice.user.id, accessLevel: 'read', direct: true }),
    ]);
    expect(
      (await h.request('PATCH', `/api/v1/resources/${r.body.id}`, { body: { accessLevels: ['admin'] } }))
        .status,
    ).toBe(409);
    expect(
      (
        await h.request('PATCH', `/api/v1/resources/${r.body.id}`, {
          body: { accessLevels: ['read', 'write'] },
        })
      ).body.accessLevels,
    ).toEqual(['read', 'write']);
    expect(
      (await h.request('POST', '/api/v1/resources', { body: { name: 'x', type: 't', accessLevels: [] } }))
        .status,
    ).toBe(400);
    expect(
      (
        await h.request('POST', '/api/v1/resources', {
          body: { name: 'y', type: 't', accessLevels: ['a', 'a'] },
        })
      ).status,
    ).toBe(400);
  });
});

describe('grants', () => {
  it('keeps overlapping grants independent: revoking one leaves the other', async () => {
    const g = await group();
    const first = await grant(g.id, alice.user.id, { durationMinutes: 60 });
    const second = await grant(g.id, alice.user.id);
    const both = await check(alice.user.id, g.id);
    expect(both.allowed).toBe(true);
    expect(both.expiresAt).toBeNull();
    expect(both.via.map((p: { grantId: string }) => p.grantId).sort()).toEqual([first.id, second.id].sort());
    const revoked = await h.request('DELETE', `/api/v1/grants/${second.id}`, {
      body: { reason: 'rotation' },
    });
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      endReason: 'rotation',
      endedBy: h.admin.user.id,
    });
    const after = await check(alice.user.id, g.id);
    expect(after.allowed).toBe(true);
    expect(after.via).toHaveLength(1);
    expect(after.expiresAt).toBe(first.expiresAt);
    expect((await h.request('DELETE', `/api/v1/grants/${second.id}`)).status).toBe(409);
    const events = await h.request('GET', `/api/v1/events?subjectId=${second.id}`);
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual([
      'grant.created',
      'grant.revoked',
    ]);
  });

  it('denies from the first millisecond after expiry with no job running', async () => {
    const g = await group();
    const expiresAt = new Date(Date.now() + 1000).toISOString();
    const gr = await grant(g.id, alice.user.id, { expiresAt });
    expect((await check(alice.user.id, g.id)).allowed).toBe(true);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 5));
    expect((await check(alice.user.id, g.id)).allowed).toBe(false);
    const listed = await h.request('GET', `/api/v1/grants?groupId=${g.id}&status=expired`);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([gr.id]);
  });

  it('schedules a grant that starts later', async () => {
    const g = await group();
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const gr = await grant(g.id, alice.user.id, { startsAt, durationMinutes: 30 });
    expect(gr.status).toBe('scheduled');
    expect((await check(alice.user.id, g.id)).allowed).toBe(false);
    const scheduled = await h.request('GET', `/api/v1/grants?userId=${alice.user.id}&status=scheduled`);
    expect(scheduled.body.items.map((x: { id: string }) => x.id)).toContain(gr.id);
  });

  it('lets the holder give access up, and owners and admins end anyone’s; others get 403 or 404', async () => {
    const g = await group({ ownerUserIds: [owner.user.id] });
    const bob = await h.newUser('member');
    const a = await h.as(owner)('POST', `/api/v1/groups/${g.id}/members`, { userId: alice.user.id });
    expect(a.status).toBe(201);
    const b = await grant(g.id, bob.user.id);
    expect((await h.as(alice)('DELETE', `/api/v1/grants/${b.id}`)).status).toBe(404);
    expect(
      (await h.as(alice)('POST', `/api/v1/groups/${g.id}/members`, { userId: alice.user.id })).status,
    ).toBe(403);
    expect((await h.as(alice)('DELETE', `/api/v1/grants/${a.body.id}`)).status).toBe(200);
    expect((await h.as(owner)('DELETE', `/api/v1/grants/${b.id}`)).status).toBe(200);
    expect((await h.request('DELETE', '/api/v1/grants/grt_missing')).status).toBe(404);
  });

  it('gives a suspended user no access, and it returns on reactivation', async () => {
    const g = await group();
    const carol = await h.newUser('member');
    await grant(g.id, carol.user.id);
    await h.request('PATCH', `/api/v1/users/${carol.user.id}`, { body: { status: 'suspended' } });
    expect((await check(carol.user.id, g.id)).allowed).toBe(false);
    await h.request('PATCH', `/api/v1/users/${carol.user.id}`, { body: { status: 'active' } });
    expect((await check(carol.user.id, g.id)).allowed).toBe(true);
  });

  it('rejects contradictory or empty windows', async () => {
    const g = await group();
    const bad = [
      { durationMinutes: 0 },
      { durationMinutes: 5, expiresAt: new Date(Date.now() + 60_000).toISOString() },
      { expiresAt: '2001-01-01T00:00:00Z' },
      { startsAt: '2001-01-01T00:00:00Z' },
    ];
    for (const extra of bad)
      expect(
        (
          await h.request('POST', `/api/v1/groups/${g.id}/members`, {
            body: { userId: alice.user.id, ...extra },
          })
        ).status,
      ).toBe(400);
    expect(
      (await h.request('POST', `/api/v1/groups/${g.id}/members`, { body: { userId: 'usr_nobody' } })).status,
    ).toBe(400);
  });
});

describe('nesting', () => {
  it('reaches an asset ten levels deep and shows the whole path', async () => {
    const chain = [];
    for (let i = 0; i < 10; i++) chain.push(await group());
    for (let i = 0; i < 9; i++) expect((await nest(chain[i]!.id, chain[i + 1]!.id)).status).toBe(201);
    const gr = await grant(chain[0]!.id, alice.user.id);
    const res = await check(alice.user.id, chain[9]!.id);
    expect(res).toMatchObject({ allowed: true, via: [{ grantId: gr.id, groupIds: chain.map((g) => g.id) }] });
    const members = await h.request('GET', `/api/v1/groups/${chain[9]!.id}/members`);
    expect(members.body.items).toEqual([expect.objectContaining({ userId: alice.user.id, direct: false })]);
  });

  it('refuses a cycle with 409 nesting_cycle and changes nothing', async () => {
    const [a, b, c] = [await group(), await group(), await group()];
    await nest(a.id, b.id);
    await nest(b.id, c.id);
    const before = (await h.request('GET', '/api/v1/events?limit=500')).body.items.length;
    const cyc = await nest(c.id, a.id);
    expect(cyc.status).toBe(409);
    expect(cyc.body.code).toBe('nesting_cycle');
    // The loop by names, not ids.
    expect(cyc.body.detail).toBe(
      `nesting '${a.name}' under '${c.name}' would make a loop: '${c.name}' → '${a.name}' → '${b.name}' → '${c.name}', as '${a.name}' already reaches '${c.name}'`,
    );
    const self = await nest(a.id, a.id);
    expect(self.body.code).toBe('nesting_cycle');
    expect(self.body.detail).toContain(`'${a.name}'`);
    expect((await h.request('GET', `/api/v1/groups/${c.id}/assets`)).body.items).toEqual([]);
    expect((await h.request('GET', '/api/v1/events?limit=500')).body.items.length).toBe(before);
  });

  it('gives two paths through a diamond, and keeps access through one when the other is removed', async () => {
    const [top, left, right, bottom] = [await group(), await group(), await group(), await group()];
    const l = (await nest(top.id, left.id)).body;
    await nest(top.id, right.id);
    await nest(left.id, bottom.id);
    await nest(right.id, bottom.id);
    await grant(top.id, alice.user.id);
    const two = await check(alice.user.id, bottom.id);
    expect(two.via.map((p: { groupIds: string[] }) => p.groupIds).sort()).toEqual(
      [
        [top.id, left.id, bottom.id],
        [top.id, right.id, bottom.id],
      ].sort(),
    );
    expect((await h.request('DELETE', `/api/v1/groups/${top.id}/assets/${l.id}`)).status).toBe(204);
    const one = await check(alice.user.id, bottom.id);
    expect(one.allowed).toBe(true);
    expect(one.via.map((p: { groupIds: string[] }) => p.groupIds)).toEqual([[top.id, right.id, bottom.id]]);
  });

  it('reaches resources through nesting at their access level, ending at the earliest expiry on the path', async () => {
    const parent = await group();
    const child = await group();
    const r = (
      await h.request('POST', '/api/v1/resources', {
        body: { name: `svc-${counter++}`, type: 'ssh', accessLevels: ['user', 'root'] },
      })
    ).body;
    const edgeEnd = new Date(Date.now() + 7_200_000).toISOString();
    await nest(parent.id, child.id, { expiresAt: edgeEnd });
    expect(
      (
        await h.request('POST', `/api/v1/groups/${child.id}/assets`, {
          body: { resourceId: r.id, accessLevel: 'user' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await h.request('POST', `/api/v1/groups/${child.id}/assets`, {
          body: { resourceId: r.id, accessLevel: 'sudo' },
        })
      ).status,
    ).toBe(400);
    await grant(parent.id, alice.user.id, { durationMinutes: 600 });
    const res = await h.request(
      'GET',
      `/api/v1/access/check?userId=${alice.user.id}&resourceId=${r.id}&accessLevel=user`,
    );
    expect(res.body).toMatchObject({
      allowed: true,
      expiresAt: edgeEnd,
      via: [{ groupIds: [parent.id, child.id] }],
    });
    const root = await h.request(
      'GET',
      `/api/v1/access/check?userId=${alice.user.id}&resourceId=${r.id}&accessLevel=root`,
    );
    expect(root.body.allowed).toBe(false);
    const mine = await h.as(alice)('GET', `/api/v1/users/${alice.user.id}/access`);
    expect(mine.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ resourceId: r.id, accessLevel: 'user', expiresAt: edgeEnd }),
      ]),
    );
  });

  it('ends the grants and edges of a deleted group, and refuses to delete a group that owns items', async () => {
    const parent = await group();
    const doomed = await group();
    await nest(parent.id, doomed.id);
    const gr = await grant(doomed.id, alice.user.id);
    await grant(parent.id, alice.user.id);
    const owned = await group({ ownerGroupId: doomed.id });
    expect((await h.request('DELETE', `/api/v1/groups/${doomed.id}`)).status).toBe(409);
    await h.request('PATCH', `/api/v1/groups/${owned.id}`, { body: { ownerGroupId: null } });
    expect((await h.request('DELETE', `/api/v1/groups/${doomed.id}`)).status).toBe(204);
    expect((await h.request('GET', `/api/v1/groups/${doomed.id}`)).status).toBe(404);
    // A deleted group no longer exists for access questions either.
    expect((await check(alice.user.id, doomed.id)).code).toBe('not_found');
    expect(h.latch.sync.index.isAllowed(alice.user.id, { groupId: doomed.id }, Date.now())).toBe(false);
    expect((await h.request('GET', `/api/v1/grants/${gr.id}`)).body).toMatchObject({
      status: 'revoked',
      endReason: 'group deleted',
    });
  });
});

describe('access answers and who may ask', () => {
  it('answers a batch in order and limits who may check whom', async () => {
    const g = await group({ ownerUserIds: [owner.user.id] });
    const other = await group();
    await grant(g.id, alice.user.id);
    const batch = await h.request('POST', '/api/v1/access/check', {
      body: {
        checks: [
          { userId: alice.user.id, groupId: g.id },
          { userId: alice.user.id, groupId: other.id },
          { userId: owner.user.id, groupId: g.id },
        ],
      },
    });
    expect(batch.body.results.map((r: { allowed: boolean }) => r.allowed)).toEqual([true, false, false]);
    expect(
      (await h.request('POST', '/api/v1/access/check', { body: { checks: [{ userId: alice.user.id }] } }))
        .status,
    ).toBe(400);
    // A member may ask about themself; an owner about their item; nobody else.
    expect(
      (await h.as(alice)('GET', `/api/v1/access/check?userId=${alice.user.id}&groupId=${other.id}`)).status,
    ).toBe(200);
    expect(
      (await h.as(owner)('GET', `/api/v1/access/check?userId=${alice.user.id}&groupId=${g.id}`)).status,
    ).toBe(200);
    expect(
      (await h.as(alice)('GET', `/api/v1/access/check?userId=${owner.user.id}&groupId=${g.id}`)).status,
    ).toBe(403);
    expect((await h.as(alice)('GET', `/api/v1/groups/${g.id}/members`)).status).toBe(403);
    expect((await h.as(owner)('GET', `/api/v1/groups/${g.id}/members`)).status).toBe(200);
    expect((await h.request('GET', `/api/v1/access/check?userId=${alice.user.id}`)).status).toBe(400);
  });

  it('makes effective members of an owner group owners, and shows owners the events of their items', async () => {
    const admins = await group();
    const g = await group({ ownerGroupId: admins.id });
    expect(
      (await h.as(owner)('POST', `/api/v1/groups/${g.id}/members`, { userId: alice.user.id })).status,
    ).toBe(403);
    await grant(admins.id, owner.user.id);
    const granted = await h.as(owner)('POST', `/api/v1/groups/${g.id}/members`, { userId: alice.user.id });
    expect(granted.status).toBe(201);
    const events = await h.as(owner)('GET', `/api/v1/events?subjectId=${g.id}`);
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['group.created', 'grant.created']),
    );
    const grants = await h.as(owner)('GET', `/api/v1/grants?groupId=${g.id}`);
    expect(grants.body.items).toHaveLength(1);
  });
});

describe('access questions naming what does not exist', () => {
  it('answers 404 naming the unknown user, group, resource or level; a batch answers each entry', async () => {
    const g = await group();
    const r = (
      await h.request('POST', '/api/v1/resources', {
        body: { name: `typo-${Date.now()}`, type: 'db', accessLevels: ['read'] },
      })
    ).body;
    const ask = (q: string) => h.request('GET', `/api/v1/access/check?${q}`);
    const cases: [string, string][] = [
      [`userId=usr_nobody&groupId=${g.id}`, "user 'usr_nobody'"],
      [`userId=${alice.user.id}&groupId=grp_nothing`, "group 'grp_nothing'"],
      [`userId=${alice.user.id}&resourceId=res_nothing&accessLevel=read`, "resource 'res_nothing'"],
      [`userId=${alice.user.id}&resourceId=${r.id}&accessLevel=write`, "access level 'write'"],
    ];
    for (const [q, named] of cases) {
      const res = await ask(q);
      expect(res.status, q).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(res.body.detail).toContain(named);
    }
    expect((await ask(`userId=${alice.user.id}&resourceId=${r.id}&accessLevel=read`)).status).toBe(200);
    const batch = await h.request('POST', '/api/v1/access/check', {
      body: {
        checks: [
          { userId: alice.user.id, groupId: g.id },
          { userId: 'usr_nobody', groupId: g.id },
        ],
      },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0]).toEqual({
      allowed: false,
      expiresAt: null,
      via: [],
      propagation: { status: 'not_linked', at: null, detail: null },
    });
    expect(batch.body.results[1]).toMatchObject({ allowed: false, error: { code: 'not_found' } });
    expect((await h.request('GET', '/api/v1/users/usr_nobody/access')).status).toBe(404);
  });

  it('knows a user, group and resource level as soon as they are created', async () => {
    const u = await h.newUser();
    const g = await group();
    expect((await check(u.user.id, g.id)).allowed).toBe(false);
    const r = (
      await h.request('POST', '/api/v1/resources', {
        body: { name: `lv-${Date.now()}`, type: 'db', accessLevels: ['read'] },
      })
    ).body;
    await h.request('PATCH', `/api/v1/resources/${r.id}`, { body: { accessLevels: ['read', 'write'] } });
    const res = await h.request(
      'GET',
      `/api/v1/access/check?userId=${u.user.id}&resourceId=${r.id}&accessLevel=write`,
    );
    expect(res.status).toBe(200);
  });
});

describe('names in messages', () => {
  it('names the group or resource whose name is taken', async () => {
    const g = await group();
    const again = await h.request('POST', '/api/v1/groups', { body: { name: g.name.toUpperCase() } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe(
      `a group named '${g.name.toLowerCase()}' already exists (names are unique in any case)`,
    );
    const r = await h.request('POST', '/api/v1/resources', {
      body: { name: `Res ${Date.now()}`, type: 'db', accessLevels: ['read'] },
    });
    const renamed = await h.request('PATCH', `/api/v1/resources/${r.body.id}`, {
      body: { name: r.body.name },
    });
    expect(renamed.status).toBe(200);
    const other = await h.request('POST', '/api/v1/resources', {
      body: { name: r.body.name, type: 'db', accessLevels: ['read'] },
    });
    expect(other.body.detail).toContain(`a resource named '${r.body.name.toLowerCase()}' already exists`);
  });
});

describe('what a group contains', () => {
  it('lists everything its members reach, transitively, with the chain of groups, and forgets removed edges', async () => {
    const [top, mid, leaf] = [await group(), await group(), await group()];
    const r = await h.request('POST', '/api/v1/resources', {
      body: { name: `Contents db ${Date.now()}`, type: 'db', accessLevels: ['read', 'admin'] },
    });
    await nest(top.id, mid.id);
    const edge = (await nest(mid.id, leaf.id)).body;
    await h.request('POST', `/api/v1/groups/${leaf.id}/assets`, {
      body: { resourceId: r.body.id, accessLevel: 'read' },
    });
    const contents = async () => (await h.request('GET', `/api/v1/groups/${top.id}/contents`)).body.items;
    expect(await contents()).toEqual([
      { groupId: mid.id, resourceId: null, accessLevel: null, via: [top.id] },
      { groupId: leaf.id, resourceId: null, accessLevel: null, via: [top.id, mid.id] },
      { groupId: null, resourceId: r.body.id, accessLevel: 'read', via: [top.id, mid.id, leaf.id] },
    ]);
    await h.request('DELETE', `/api/v1/groups/${mid.id}/assets/${edge.id}`);
    expect(await contents()).toEqual([
      { groupId: mid.id, resourceId: null, accessLevel: null, via: [top.id] },
    ]);
    expect((await h.request('GET', '/api/v1/groups/grp_nope/contents')).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// Nesting through the API: who may join two items, and edges whose expiry has passed.

let h: Harness;
let owner: Caller;
let other: Caller;
let n = 0;
beforeAll(async () => {
  h = await startHarness();
  owner = await h.newUser();
  other = await h.newUser();
});
afterAll(() => h.close());

const group = async (ownerUserIds: string[] = []) =>
  (await h.request('POST', '/api/v1/groups', { body: { name: `nest-${n++}`, ownerUserIds } })).body
    .id as string;
const resource = async (ownerUserIds: string[] = []) =>
  (
    await h.request('POST', '/api/v1/resources', {
      body: { name: `db-${n++}`, type: 'postgres', accessLevels: ['read', 'admin'], ownerUserIds },
    })
  ).body.id as string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('who may nest', () => {
  it("refuses an owner nesting someone else's group, resource or owner group under their own group", async () => {
    const mine = await group([owner.user.id]);
    const foreign = await group([other.user.id]);
    const prod = await resource([other.user.id]);
    const ownerGroupOfProd = await group([other.user.id]);
    await h.request('PATCH', `/api/v1/resources/${prod}`, { body: { ownerGroupId: ownerGroupOfProd } });
    const as = h.as(owner);
    for (const body of [
      { groupId: foreign },
      { resourceId: prod, accessLevel: 'admin' },
      { groupId: ownerGroupOfProd },
    ]) {
      const res = await as('POST', `/api/v1/groups/${mine}/assets`, body);
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    // Adding themself to their own group then gives nothing of the foreign items.
    expect((await as('POST', `/api/v1/groups/${mine}/members`, { userId: owner.user.id })).status).toBe(201);
    const check = await h.request(
      'GET',
      `/api/v1/access/check?userId=${owner.user.id}&resourceId=${prod}&accessLevel=admin`,
    );
    expect(check.body.allowed).toBe(false);
    const owns = await h.as(owner)('GET', `/api/v1/resources/${prod}`);
    expect(owns.body.abilities.update).toBe(false);
  });

  it('refuses the owner of only the child, and lets the owner of both ends nest and remove', async () => {
    const parent = await group([other.user.id]);
    const child = await group([owner.user.id]);
    const as = h.as(owner);
    expect((await as('POST', `/api/v1/groups/${parent}/assets`, { groupId: child })).status).toBe(403);
    const both = await group([owner.user.id]);
    const added = await as('POST', `/api/v1/groups/${both}/assets`, { groupId: child });
    expect(added.status).toBe(201);
    expect(added.body.abilities).toEqual({ remove: true });
    expect((await as('DELETE', `/api/v1/groups/${both}/assets/${added.body.id}`)).status).toBe(204);
  });

  it("refuses the parent's owner removing an edge to an item they do not manage", async () => {
    const parent = await group([owner.user.id]);
    const foreign = await resource([other.user.id]);
    const edge = await h.request('POST', `/api/v1/groups/${parent}/assets`, {
      body: { resourceId: foreign, accessLevel: 'read' },
    });
    const listed = await h.as(owner)('GET', `/api/v1/groups/${parent}/assets`);
    expect(listed.body.items.map((a: { abilities: unknown }) => a.abilities)).toEqual([{ remove: false }]);
    expect((await h.as(owner)('DELETE', `/api/v1/groups/${parent}/assets/${edge.body.id}`)).status).toBe(403);
    expect((await h.as(other)('DELETE', `/api/v1/groups/${parent}/assets/${edge.body.id}`)).status).toBe(403);
    expect((await h.request('DELETE', `/api/v1/groups/${parent}/assets/${edge.body.id}`)).status).toBe(204);
  });
});

describe('an edge whose expiry has passed', () => {
  it('no longer closes a loop: the reverse edge is accepted, later writes work, and a restart loads the state', async () => {
    const g1 = await group();
    const g2 = await group();
    const down = await h.request('POST', `/api/v1/groups/${g1}/assets`, {
      body: { groupId: g2, expiresAt: new Date(Date.now() + 1000).toISOString() },
    });
    expect(down.status).toBe(201);
    expect((await h.request('POST', `/api/v1/groups/${g2}/assets`, { body: { groupId: g1 } })).status).toBe(
      409,
    );
    await sleep(1100);
    const up = await h.request('POST', `/api/v1/groups/${g2}/assets`, { body: { groupId: g1 } });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const member = await h.newUser();
    expect(
      (await h.request('POST', `/api/v1/groups/${g2}/members`, { body: { userId: member.user.id } })).status,
    ).toBe(201);
    const check = () => h.request('GET', `/api/v1/access/check?userId=${member.user.id}&groupId=${g1}`);
    expect((await check()).body.allowed).toBe(true);
    expect(h.latch.sync.index.parkedEdgeIds()).toEqual([]);

    await h.restart();
    expect((await check()).body.allowed).toBe(true);
    expect(h.latch.sync.index.parkedEdgeIds()).toEqual([]);
    expect((await h.request('POST', '/api/v1/groups', { body: { name: `after-${n++}` } })).status).toBe(201);
    // The loop is still refused while the reverse edge is live.
    expect((await h.request('POST', `/api/v1/groups/${g1}/assets`, { body: { groupId: g2 } })).status).toBe(
      409,
    );
  });
});

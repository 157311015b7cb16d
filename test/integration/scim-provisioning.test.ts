/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each test expects */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsAbout, signIn, withCookie } from '../support/browser-session.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry } from '../support/requests.js';

// What SCIM provisioning does to Latch: users pushed in and deactivated, deprovisioned, groups whose memberships
// are the identity provider's, and every change in the audit log with the SCIM token as its actor.

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let h: Harness;
let token: string;
let tokenId: string;
let n = 0;
beforeAll(async () => {
  h = await startHarness();
  const minted = await h.request('POST', '/api/v1/scim-tokens', { body: { name: 'Entra ID' } });
  expect(minted.status, JSON.stringify(minted.body)).toBe(201);
  token = minted.body.token;
  tokenId = minted.body.id;
});
afterAll(() => h.close());

const scim = (method: string, path: string, body?: unknown, as: string | null = token) =>
  h.request(method, `/scim/v2${path}`, {
    token: as,
    ...(body === undefined
      ? {}
      : { rawBody: JSON.stringify(body), headers: { 'content-type': 'application/scim+json' } }),
  });

async function pushUser(extra: Record<string, unknown> = {}) {
  const i = n++;
  const res = await scim('POST', '/Users', {
    schemas: [USER, ENTERPRISE],
    userName: `person${i}@corp.test`,
    externalId: `ext-${i}`,
    name: { givenName: 'Pat', familyName: `Person${i}` },
    emails: [{ value: `person${i}@corp.test`, type: 'work', primary: true }],
    active: true,
    [ENTERPRISE]: { department: 'Platform', manager: { value: 'boss-1' } },
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as any;
}

async function pushGroup(members: string[], name = `scim-group-${n++}`) {
  const res = await scim('POST', '/Groups', {
    schemas: [GROUP],
    displayName: name,
    externalId: `gext-${name}`,
    members: members.map((value) => ({ value })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as any;
}

const check = async (userId: string, groupId: string) =>
  (await h.request('GET', `/api/v1/access/check?userId=${userId}&groupId=${groupId}`)).body
    .allowed as boolean;

async function tokenFor(userId: string): Promise<Caller> {
  const minted = await h.request('POST', `/api/v1/users/${userId}/tokens`, { body: { name: 'laptop' } });
  expect(minted.status).toBe(201);
  return { user: { id: userId } as any, token: minted.body.token };
}

describe('users pushed by the identity provider', () => {
  it('become Latch members of source scim, keeping what the provider sent, with the token as actor', async () => {
    const pushed = await pushUser();
    expect(pushed).toMatchObject({
      userName: expect.stringMatching(/^person\d+@corp\.test$/),
      externalId: expect.stringMatching(/^ext-/),
      name: { givenName: 'Pat' },
      active: true,
      [ENTERPRISE]: { department: 'Platform', manager: { value: 'boss-1' } },
      meta: { resourceType: 'User', location: expect.stringContaining(`/scim/v2/Users/${pushed.id}`) },
    });
    const user = (await h.request('GET', `/api/v1/users/${pushed.id}`)).body;
    expect(user).toMatchObject({ source: 'scim', externalId: pushed.externalId, role: 'member' });
    const [created] = await eventsAbout(h, 'user.created', pushed.id);
    expect(created).toMatchObject({ actorId: tokenId, data: { via: 'scim' } });
  });

  it('refuses a second user with the same userName, in any case, as a uniqueness conflict', async () => {
    const pushed = await pushUser();
    const again = await scim('POST', '/Users', {
      schemas: [USER],
      userName: pushed.userName.toUpperCase(),
      emails: [{ value: `other${n++}@corp.test`, primary: true }],
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
    });
  });

  it('deactivated (Okta’s PATCH): access denied in the same response cycle, session and tokens end', async () => {
    const pushed = await pushUser();
    const group = await h.request('POST', '/api/v1/groups', { body: { name: `prod-${n++}` } });
    await h.request('PUT', `/api/v1/groups/${group.body.id}/break-glass`, { body: { userIds: [pushed.id] } });
    const caller = await tokenFor(pushed.id);
    const activated = await h.as(caller)('POST', `/api/v1/groups/${group.body.id}/break-glass/activations`, {
      reason: 'prod is down',
    });
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    const session = await signIn(h, caller.token);
    expect(await check(pushed.id, group.body.id)).toBe(true);

    const off = await scim('PATCH', `/Users/${pushed.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body.active).toBe(false);
    // The very next answer: no wait, no poll.
    expect(await check(pushed.id, group.body.id)).toBe(false);
    expect((await withCookie(h, session, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await h.as(caller)('GET', '/api/v1/me')).status).toBe(401);
    const [suspended] = await eventsAbout(h, 'user.suspended', pushed.id);
    expect(suspended).toMatchObject({ actorId: tokenId, data: { via: 'scim', revokedTokens: 1 } });

    // Re-activated (Entra ID's shape, a boolean as a string): back, but the old token stays revoked.
    const on = await scim('PATCH', `/Users/${pushed.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(on.body.active).toBe(true);
    expect((await h.as(caller)('GET', '/api/v1/me')).status).toBe(401);
  });

  it('deleted: deprovisioned, grants ended as deprovisioned, history kept, userName free again', async () => {
    const pushed = await pushUser();
    const group = await h.request('POST', '/api/v1/groups', { body: { name: `db-${n++}` } });
    const grant = await h.request('POST', `/api/v1/groups/${group.body.id}/members`, {
      body: { userId: pushed.id },
    });
    expect(await check(pushed.id, group.body.id)).toBe(true);
    expect((await scim('DELETE', `/Users/${pushed.id}`)).status).toBe(204);
    expect(await check(pushed.id, group.body.id)).toBe(false);
    expect((await h.request('GET', `/api/v1/grants/${grant.body.id}`)).body).toMatchObject({
      status: 'revoked',
      endReason: 'deprovisioned',
    });
    expect((await scim('GET', `/Users/${pushed.id}`)).status).toBe(404);
    expect((await h.request('GET', `/api/v1/users/${pushed.id}`)).body).toMatchObject({
      status: 'suspended',
      deprovisionedAt: expect.any(String),
    });
    const found = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${pushed.userName}"`)}`,
    );
    expect(found.body.totalResults).toBe(0);
    const again = await scim('POST', '/Users', { schemas: [USER], userName: pushed.userName });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.id).not.toBe(pushed.id);
    // Kept for history only: no admin brings it back (its e-mail may belong to someone else by now).
    const revive = await h.request('PATCH', `/api/v1/users/${pushed.id}`, { body: { status: 'active' } });
    expect(revive.status).toBe(409);
    const [event] = await eventsAbout(h, 'user.deprovisioned', pushed.id);
    expect(event).toMatchObject({ actorId: tokenId, data: { endedGrants: 1 } });
  });
});

describe('groups pushed by the identity provider', () => {
  it('their members hold access as idp grants; PATCH adds and removes them by value', async () => {
    const [a, b] = [await pushUser(), await pushUser()];
    const group = await pushGroup([a.id]);
    expect(group.members).toEqual([expect.objectContaining({ value: a.id })]);
    expect(await check(a.id, group.id)).toBe(true);
    expect(await check(b.id, group.id)).toBe(false);
    const latchGroup = (await h.request('GET', `/api/v1/groups/${group.id}`)).body;
    expect(latchGroup).toMatchObject({ source: 'scim', externalId: group.externalId });

    const changed = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Add', path: 'members', value: [{ value: b.id }] },
        { op: 'Remove', path: 'members', value: [{ value: a.id }] },
      ],
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.members.map((m: any) => m.value)).toEqual([b.id]);
    expect(await check(a.id, group.id)).toBe(false);
    expect(await check(b.id, group.id)).toBe(true);
    const grants = (await h.request('GET', `/api/v1/grants?groupId=${group.id}&userId=${b.id}`)).body.items;
    expect(grants).toEqual([expect.objectContaining({ source: 'idp', expiresAt: null })]);
    const synced = await eventsAbout(h, 'group.members_synced', group.id);
    expect(synced.map((e) => e.data)).toEqual([
      { via: 'scim', added: [a.id], removed: [] },
      { via: 'scim', added: [b.id], removed: [a.id] },
    ]);
    expect(synced[1].actorId).toBe(tokenId);
  });

  it('are the provider’s to fill: direct adds and ends are 409 managed_by_idp; nesting and requests work', async () => {
    const a = await pushUser();
    const group = await pushGroup([a.id]);
    const outsider = await h.newUser();
    const add = await h.request('POST', `/api/v1/groups/${group.id}/members`, {
      body: { userId: outsider.user.id },
    });
    expect(add.status).toBe(409);
    expect(add.body.code).toBe('managed_by_idp');
    const [grant] = (await h.request('GET', `/api/v1/grants?groupId=${group.id}&userId=${a.id}`)).body.items;
    const end = await h.request('DELETE', `/api/v1/grants/${grant.id}`);
    expect(end.status).toBe(409);
    expect(end.body.code).toBe('managed_by_idp');

    // A Latch group nested in the Okta group: the Okta group's members reach it.
    const child = await h.request('POST', '/api/v1/groups', { body: { name: `child-${n++}` } });
    const nested = await h.request('POST', `/api/v1/groups/${group.id}/assets`, {
      body: { groupId: child.body.id },
    });
    expect(nested.status, JSON.stringify(nested.body)).toBe(201);
    expect(await check(a.id, child.body.id)).toBe(true);
    // Break-glass on it works as on any group.
    await h.request('PUT', `/api/v1/groups/${group.id}/break-glass`, {
      body: { userIds: [outsider.user.id] },
    });
    const glass = await h.as(outsider)('POST', `/api/v1/groups/${group.id}/break-glass/activations`, {
      reason: 'okta group, emergency',
    });
    expect(glass.status, JSON.stringify(glass.body)).toBe(201);
    expect(await check(outsider.user.id, group.id)).toBe(true);
  });

  it('a pushed group decides requests (condition) and has owners, as any group', async () => {
    const a = await pushUser();
    const group = await pushGroup([a.id]);
    const caller = await tokenFor(a.id);
    // Members of the Okta group get the production database on request, approved at once.
    const prod = await h.request('POST', '/api/v1/groups', { body: { name: `prod-db-${n++}` } });
    const config = await h.request('PUT', `/api/v1/groups/${prod.body.id}/request-configurations`, {
      body: [
        entry({ priority: 1, condition: { groupIds: [group.id] }, autoApprove: true, reviewerStages: [] }),
        entry({ priority: 2, requestable: false, reviewerStages: [] }),
      ],
    });
    expect(config.status, JSON.stringify(config.body)).toBe(200);
    const asked = await h.as(caller)('POST', '/api/v1/requests', {
      items: [{ groupId: prod.body.id }],
      durationMinutes: 30,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.status).toBe('approved');
    expect(await check(a.id, prod.body.id)).toBe(true);
    // Owners run it in Latch: an owner configures its break-glass users.
    const owner = await h.newUser();
    const owned = await h.request('PATCH', `/api/v1/groups/${group.id}`, {
      body: { ownerUserIds: [owner.user.id] },
    });
    expect(owned.status, JSON.stringify(owned.body)).toBe(200);
    const bg = await h.as(owner)('PUT', `/api/v1/groups/${group.id}/break-glass`, { userIds: [a.id] });
    expect(bg.status, JSON.stringify(bg.body)).toBe(200);
  });

  it('deleted by the provider: its grants end and its nesting edges go, as an admin’s deletion', async () => {
    const a = await pushUser();
    const group = await pushGroup([a.id]);
    const child = await h.request('POST', '/api/v1/groups', { body: { name: `under-${n++}` } });
    await h.request('POST', `/api/v1/groups/${group.id}/assets`, { body: { groupId: child.body.id } });
    expect(await check(a.id, child.body.id)).toBe(true);
    expect((await scim('DELETE', `/Groups/${group.id}`)).status).toBe(204);
    expect(await check(a.id, child.body.id)).toBe(false);
    expect((await scim('GET', `/Groups/${group.id}`)).status).toBe(404);
    const [deleted] = await eventsAbout(h, 'group.deleted', group.id);
    expect(deleted).toMatchObject({ actorId: tokenId, data: { via: 'scim', endedGrants: 1 } });
    expect(deleted.subjects.filter((s: any) => s.type === 'asset')).toHaveLength(1);
  });

  it('a PATCH adding 5,000 members applies in one transaction and one event', async () => {
    const group = await pushGroup([]);
    const ids: string[] = [];
    for (let i = 0; i < 5000; i += 500) {
      const batch = await Promise.all(
        Array.from({ length: 500 }, (_, j) =>
          scim('POST', '/Users', { schemas: [USER], userName: `bulk${i + j}-${group.id}@corp.test` }),
        ),
      );
      ids.push(...batch.map((r) => r.body.id as string));
    }
    const res = await scim('PATCH', `/Groups/${group.id}?excludedAttributes=members`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
    });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const synced = await eventsAbout(h, 'group.members_synced', group.id);
    expect(synced).toHaveLength(1);
    expect(synced[0].data.added).toHaveLength(5000);
    expect(await check(ids[0]!, group.id)).toBe(true);
    expect(await check(ids[4999]!, group.id)).toBe(true);
    const read = await scim('GET', `/Groups/${group.id}`);
    expect(read.body.members).toHaveLength(5000);
  }, 120_000);

  it('a member that is not a user is refused and nothing changes', async () => {
    const a = await pushUser();
    const group = await pushGroup([a.id]);
    const res = await scim('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'remove', path: `members[value eq "${a.id}"]` },
        { op: 'add', path: 'members', value: [{ value: 'usr_nobody' }] },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidValue');
    expect(await check(a.id, group.id)).toBe(true);
  });
});

describe('who may provision', () => {
  it('SCIM tokens, and admins’ API tokens; not members, not revoked tokens, not without a token', async () => {
    const member = await h.newUser();
    expect((await scim('GET', '/Users', undefined, h.admin.token)).status).toBe(200);
    expect((await scim('GET', '/Users', undefined, member.token)).status).toBe(403);
    expect((await scim('GET', '/Users', undefined, null)).status).toBe(401);
    const minted = await h.request('POST', '/api/v1/scim-tokens', { body: { name: 'old' } });
    expect((await h.request('DELETE', `/api/v1/scim-tokens/${minted.body.id}`)).status).toBe(200);
    const revoked = await scim('GET', '/Users', undefined, minted.body.token);
    expect(revoked.status).toBe(401);
    expect(revoked.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
  });

  it('a SCIM token works only under /scim/v2, and signs no browser in', async () => {
    const api = await h.request('GET', '/api/v1/me', { token });
    expect(api.status).toBe(403);
    expect(api.body.code).toBe('forbidden');
    const session = await h.request('POST', '/api/v1/session', { token: null, body: { token } });
    expect(session.status).toBe(403);
  });
});

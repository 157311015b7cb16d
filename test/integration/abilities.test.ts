import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Activation } from '../support/api-types.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// The abilities the API sends with the signed-in user and with break-glass activations: the web UI shows
// exactly these, so each must be the policy's answer for that caller, and agree with what the server does.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const NONE = {
  createItems: false,
  manageAllItems: false,
  listUsers: false,
  createUsers: false,
  manageUsers: false,
  manageSchedules: false,
  syncSchedules: false,
  manageChannels: false,
  readAuditLog: false,
  verifyAuditLog: false,
  takeBackups: false,
  manageScimTokens: false,
  viewConnections: false,
  manageConnections: false,
  createAccessReviews: false,
};
const ALL = Object.fromEntries(Object.keys(NONE).map((k) => [k, true]));

describe('GET /me abilities', () => {
  it.each([
    ['admin', ALL],
    [
      'auditor',
      {
        ...NONE,
        listUsers: true,
        readAuditLog: true,
        verifyAuditLog: true,
        viewConnections: true,
        createAccessReviews: true,
      },
    ],
    ['member', NONE],
  ] as const)('answers the policy for the %s role', async (role, expected) => {
    const caller = role === 'admin' ? h.admin : await h.newUser(role);
    const me = await h.as(caller)('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: caller.user.id, role });
    expect(me.body.abilities).toEqual(expected);
  });

  it('agrees with what the server allows each role', async () => {
    for (const caller of [h.admin, await h.newUser('auditor'), await h.newUser('member')]) {
      const call = h.as(caller);
      const { abilities } = (await call('GET', '/api/v1/me')).body;
      expect((await call('GET', '/api/v1/users')).status).toBe(abilities.listUsers ? 200 : 403);
      expect((await call('GET', '/api/v1/events/verify')).status).toBe(abilities.verifyAuditLog ? 200 : 403);
      const created = await call('POST', '/api/v1/groups', { name: `abilities-${caller.user.role}` });
      expect(created.status).toBe(abilities.createItems ? 201 : 403);
      const scim = await call('GET', '/api/v1/scim-tokens');
      expect(scim.status).toBe(abilities.manageScimTokens ? 200 : 403);
      expect((await call('GET', '/api/v1/connections')).status).toBe(abilities.viewConnections ? 200 : 403);
      const noSuchConnection = await call('POST', '/api/v1/connections/con_none/sync');
      expect(noSuchConnection.status).toBe(abilities.manageConnections ? 404 : 403);
      const review = await call('POST', '/api/v1/access-reviews', {
        name: `abilities-${caller.user.role}`,
        scope: { everything: true },
        reviewers: { type: 'admins' },
        deadline: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect(review.status).toBe(abilities.createAccessReviews ? 201 : 403);
    }
  });

  it('follows a change of role at once', async () => {
    const member = await h.newUser();
    expect((await h.as(member)('GET', '/api/v1/me')).body.abilities.listUsers).toBe(false);
    await h.request('PATCH', `/api/v1/users/${member.user.id}`, { body: { role: 'auditor' } });
    expect((await h.as(member)('GET', '/api/v1/me')).body.abilities.listUsers).toBe(true);
  });
});

describe('break-glass activation abilities', () => {
  async function activation(holder: Caller, owners: Caller[]) {
    const group = await h.request('POST', '/api/v1/groups', {
      body: { name: `bg-abilities-${holder.user.id}`, ownerUserIds: owners.map((o) => o.user.id) },
    });
    await h.request('PUT', `/api/v1/groups/${group.body.id}/break-glass`, {
      body: { userIds: [holder.user.id] },
    });
    const activated = await h.as(holder)('POST', `/api/v1/groups/${group.body.id}/break-glass/activations`, {
      reason: 'INC-1 database down',
    });
    expect(activated.status).toBe(201);
    return activated.body as Activation;
  }

  it('lets owners and admins review, never the activator, and says so on every read', async () => {
    const [holder, owner, auditor] = [await h.newUser(), await h.newUser(), await h.newUser('auditor')];
    // The holder also owns the group: ending their access is theirs, reviewing it never is.
    const a = await activation(holder, [holder, owner]);
    expect(a.abilities).toEqual({ end: true, review: false });
    const seen = async (caller: Caller) =>
      (await h.as(caller)('GET', `/api/v1/break-glass/activations/${a.id}`)).body.abilities;
    expect(await seen(owner)).toEqual({ end: true, review: true });
    expect(await seen(h.admin)).toEqual({ end: true, review: true });
    expect(await seen(auditor)).toEqual({ end: false, review: false });
    const listed = await h.as(auditor)('GET', '/api/v1/break-glass/activations?review=pending&limit=500');
    expect(listed.body.items.find((x: { id: string }) => x.id === a.id).abilities).toEqual({
      end: false,
      review: false,
    });

    // And the server does what the abilities say.
    const review = (caller: Caller) =>
      h.as(caller)('POST', `/api/v1/break-glass/activations/${a.id}/review`, {
        outcome: 'justified',
        comment: 'incident confirmed',
      });
    expect((await review(holder)).status).toBe(403);
    expect((await review(auditor)).status).toBe(403);
    const reviewed = await review(owner);
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.abilities).toEqual({ end: true, review: true });
  });
});

describe('the nest ability of groups and resources', () => {
  it('allows an edge exactly when both its ends answer nest', async () => {
    const owner = await h.newUser();
    const other = await h.newUser();
    let n = 0;
    const item = async (kind: 'groups' | 'resources', ownerUserIds: string[]) =>
      (
        await h.request('POST', `/api/v1/${kind}`, {
          body: {
            name: `nest-ability-${n++}`,
            ownerUserIds,
            ...(kind === 'resources' ? { type: 'postgres' } : {}),
          },
        })
      ).body.id as string;
    const ownerGroup = await item('groups', [other.user.id]);
    await h.request('POST', `/api/v1/groups/${ownerGroup}/members`, { body: { userId: owner.user.id } });
    const parents = [
      await item('groups', [owner.user.id]),
      await item('groups', [other.user.id]),
      await item('groups', []),
    ];
    // Owned through the owner group, named, and not at all.
    const viaGroup = await item('groups', []);
    await h.request('PATCH', `/api/v1/groups/${viaGroup}`, { body: { ownerGroupId: ownerGroup } });
    const children = [
      { kind: 'groups', id: viaGroup },
      { kind: 'groups', id: await item('groups', [other.user.id]) },
      { kind: 'resources', id: await item('resources', [owner.user.id]) },
      { kind: 'resources', id: await item('resources', [other.user.id]) },
    ] as const;
    for (const caller of [owner, h.admin]) {
      const as = h.as(caller);
      const nest = async (kind: string, id: string) =>
        (await as('GET', `/api/v1/${kind}/${id}`)).body.abilities.nest as boolean;
      for (const parent of parents)
        for (const child of children) {
          const body =
            child.kind === 'groups' ? { groupId: child.id } : { resourceId: child.id, accessLevel: 'member' };
          const expected = (await nest('groups', parent)) && (await nest(child.kind, child.id));
          const added = await as('POST', `/api/v1/groups/${parent}/assets`, body);
          expect(added.status, `${caller.user.role} ${parent} -> ${child.id}`).toBe(expected ? 201 : 403);
          if (expected) await as('DELETE', `/api/v1/groups/${parent}/assets/${added.body.id}`);
        }
    }
    expect((await h.as(owner)('GET', `/api/v1/groups/${viaGroup}`)).body.abilities.nest).toBe(true);
    expect((await h.as(other)('GET', `/api/v1/groups/${viaGroup}`)).body.abilities.nest).toBe(false);
  });
});

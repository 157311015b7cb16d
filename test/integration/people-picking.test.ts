/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit } from '../support/requests.js';

// People are picked by name or e-mail, never by internal id: owners and reviewers search the directory (and
// see name and e-mail only), and every field of the API that means a user takes an e-mail as well as an id.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let owner: Caller;
let member: Caller;
let alice: { id: string; email: string };
let group: { id: string; name: string };
const tag = `${Date.now().toString(36)}`;

async function person(name: string, email: string) {
  const res = await h.request('POST', '/api/v1/users', { body: { name, email } });
  expect(res.status).toBe(201);
  return res.body as { id: string; email: string };
}

beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [owner, member] = await Promise.all([h.newUser(), h.newUser()]);
  alice = await person(`Alice Zy${tag}`, `alice.${tag}@example.test`);
  const suspended = await person(`Alizon Zy${tag}`, `alizon.${tag}@example.test`);
  await h.request('PATCH', `/api/v1/users/${suspended.id}`, { body: { status: 'suspended' } });
  group = await kit.group({ ownerUserIds: [owner.user.id] });
});
afterAll(() => h.close());

const search = (caller: Caller, query: string) =>
  h.as(caller)('GET', `/api/v1/users?query=${encodeURIComponent(query)}`);

describe('searching people', () => {
  it('lets an owner who is not an admin find active people by part of a name, seeing name and e-mail only', async () => {
    const res = await search(owner, `ali`);
    expect(res.status).toBe(200);
    const mine = res.body.items.filter((u: any) => u.email.includes(tag));
    expect(mine).toEqual([{ id: alice.id, name: `Alice Zy${tag}`, email: alice.email }]);
    expect((await search(owner, `ALICE.${tag}`)).body.items.map((u: any) => u.id)).toEqual([alice.id]);
  });

  it('lets a reviewer of a pending request search, and nobody else who runs nothing', async () => {
    const reviewer = await h.newUser();
    const reviewed = await kit.group();
    await kit.configure(`groups/${reviewed.id}`, [
      entry({ reviewerStages: [{ operator: 'any', reviewers: { userIds: [reviewer.user.id] } }] }),
    ]);
    expect((await search(reviewer, `zy${tag}`)).status).toBe(403);
    await kit.asked(member, { items: [{ groupId: reviewed.id }] });
    expect((await search(reviewer, `zy${tag}`)).body.items.map((u: any) => u.id)).toEqual([alice.id]);
    const nobody = await search(await h.newUser(), `zy${tag}`);
    expect(nobody.status).toBe(403);
    expect(nobody.body.detail).toContain('owners and reviewers can search');
  });

  it('asks searchers for at least two characters, so nobody who may only search lists everyone', async () => {
    const res = await search(owner, 'a');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('query');
    expect((await h.as(owner)('GET', '/api/v1/users')).status).toBe(400);
  });

  it('still shows admins and auditors whole accounts, suspended ones included', async () => {
    const admin = await search(h.admin, `zy${tag}`);
    expect(admin.body.items).toHaveLength(2);
    expect(admin.body.items[0]).toHaveProperty('role');
    const auditor = await search(await h.newUser('auditor'), `zy${tag}`);
    expect(auditor.body.items.map((u: any) => u.status).sort()).toEqual(['active', 'suspended']);
  });
});

describe('an e-mail wherever a user is meant', () => {
  it('adds a member, names a break-glass user and an owner by e-mail, in any case', async () => {
    const shouted = alice.email.toUpperCase();
    const added = await h.as(owner)('POST', `/api/v1/groups/${group.id}/members`, { userId: shouted });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.userId).toBe(alice.id);
    const bg = await h.as(owner)('PUT', `/api/v1/groups/${group.id}/break-glass`, { userIds: [alice.email] });
    expect(bg.status, JSON.stringify(bg.body)).toBe(200);
    expect(bg.body.userIds).toEqual([alice.id]);
    const owned = await h.request('POST', '/api/v1/groups', {
      body: { name: `owned-${tag}`, ownerUserIds: [alice.email] },
    });
    expect(owned.body.ownerUserIds).toEqual([alice.id]);
  });

  it('mints a token for a user named by e-mail in the path, and answers checks about them', async () => {
    const minted = await h.request('POST', `/api/v1/users/${encodeURIComponent(alice.email)}/tokens`, {
      body: { name: 'by-email' },
    });
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    const card = await h.as(member)('GET', `/api/v1/users/${encodeURIComponent(alice.email)}`);
    expect(card.body.id).toBe(alice.id);
    const check = await h.request(
      'GET',
      `/api/v1/access/check?userId=${encodeURIComponent(alice.email)}&groupId=${group.id}`,
    );
    expect(check.body.allowed).toBe(true);
    const batch = await h.request('POST', '/api/v1/access/check', {
      body: { checks: [{ userId: alice.email, groupId: group.id }] },
    });
    expect(batch.body.results[0].allowed).toBe(true);
  });

  it('asks for someone else by e-mail', async () => {
    const reviewed = await kit.group({ ownerUserIds: [owner.user.id] });
    await kit.configure(`groups/${reviewed.id}`, [entry()]);
    const asked = await h.as(owner)('POST', '/api/v1/requests', {
      items: [{ groupId: reviewed.id }],
      durationMinutes: 60,
      targetUserId: alice.email,
    });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.targetUserId).toBe(alice.id);
  });

  it('refuses an e-mail nobody has, naming it', async () => {
    const res = await h.as(owner)('POST', `/api/v1/groups/${group.id}/members`, {
      userId: `nobody.${tag}@example.test`,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.detail).toContain(`nobody.${tag}@example.test`);
  });
});

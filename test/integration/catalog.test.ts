import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../support/api-types.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit } from '../support/requests.js';

// The catalog: every live item for every signed-in user, with the caller's own access and open actions.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let alice: Caller;
let bob: Caller;
let tag: string;
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [alice, bob] = await Promise.all([h.newUser(), h.newUser()]);
  tag = `cat${Date.now()}`;
});
afterAll(() => h.close());

const catalog = async (caller: Caller, query: string) => {
  const res = await h.as(caller)('GET', `/api/v1/catalog?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: CatalogEntry[]; nextCursor: string | null };
};

describe('catalog', () => {
  it('lists groups and resources by name, case-insensitively searched, with access and actions for the caller', async () => {
    const oncall = await kit.group({ name: `${tag}-oncall` });
    const held = await kit.group({ name: `${tag}-B-held`, description: 'held' });
    const glass = await kit.group({ name: `${tag}-c-glass` });
    const res = await kit.resource({ name: `${tag}-A-db` });
    const deleted = await kit.group({ name: `${tag}-deleted` });
    expect((await h.request('DELETE', `/api/v1/groups/${deleted.id}`)).status).toBe(204);
    await kit.grant(held.id, alice.user.id);
    await kit.grant(oncall.id, alice.user.id);
    expect(
      (
        await h.request('PUT', `/api/v1/groups/${glass.id}/break-glass`, {
          body: { userIds: [], groupIds: [oncall.id] },
        })
      ).status,
    ).toBe(200);
    await kit.configure(`groups/${glass.id}`, [
      entry({
        priority: 1,
        condition: { groupIds: [oncall.id] },
        autoApprove: true,
        reviewerStages: [],
        maxDurationMinutes: 30,
        recommendedDurationMinutes: null,
      }),
      entry({ requestable: false, reviewerStages: [] }),
    ]);
    await kit.configure(`resources/${res.id}`, [entry({ requireReason: true })]);
    const grant = await h.request('POST', `/api/v1/resources/${res.id}/members`, {
      body: { userId: alice.user.id, accessLevel: 'read', durationMinutes: 60 },
    });
    expect(grant.status).toBe(201);

    const mine = await catalog(alice, `query=${tag.toUpperCase()}`);
    expect(mine.items.map((i) => i.name)).toEqual([
      `${tag}-A-db`,
      `${tag}-B-held`,
      `${tag}-c-glass`,
      `${tag}-oncall`,
    ]);
    const byName = Object.fromEntries(mine.items.map((i) => [i.id, i]));
    expect(byName[res.id]).toMatchObject({
      type: 'resource',
      hasAccess: true,
      accessExpiresAt: grant.body.expiresAt,
      actions: { request: true, breakGlass: false },
      requestTerms: { requireReason: true, autoApprove: false },
    });
    expect(byName[res.id]!.accessLevels).toEqual([
      { accessLevel: 'read', hasAccess: true, accessExpiresAt: grant.body.expiresAt },
      { accessLevel: 'admin', hasAccess: false, accessExpiresAt: null },
    ]);
    expect(byName[held.id]).toMatchObject({
      type: 'group',
      description: 'held',
      hasAccess: true,
      accessExpiresAt: null,
      actions: { request: false, breakGlass: false },
      requestTerms: null,
    });
    expect(byName[glass.id]).toMatchObject({
      hasAccess: false,
      actions: { request: true, breakGlass: true },
      requestTerms: { maxDurationMinutes: 30, autoApprove: true },
    });

    const theirs = Object.fromEntries((await catalog(bob, `query=${tag}`)).items.map((i) => [i.id, i]));
    expect(theirs[held.id]!.hasAccess).toBe(false);
    expect(theirs[glass.id]!.actions).toEqual({ request: false, breakGlass: false });
    expect(theirs[res.id]!.actions.request).toBe(true);
  });

  it('pages with a cursor across both kinds and refuses a forged cursor', async () => {
    const names = [`${tag}-p1`, `${tag}-P2`, `${tag}-p3`];
    await kit.group({ name: names[0] });
    await kit.resource({ name: names[1] });
    await kit.group({ name: names[2] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: CatalogEntry[]; nextCursor: string | null } = await catalog(
        alice,
        `query=${tag}-p&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(names);
    expect((await h.as(alice)('GET', '/api/v1/catalog?cursor=garbage')).status).toBe(400);
    expect((await h.as(alice)('GET', '/api/v1/catalog?limit=0')).status).toBe(400);
  });
});

describe('where the caller stands', () => {
  it("shows the caller's own waiting requests with whom they wait for, and no one else's", async () => {
    const owner = await h.newUser();
    const item = await kit.group({ name: `${tag}-waiting`, ownerUserIds: [owner.user.id] });
    const db = await kit.resource({ name: `${tag}-waiting-db`, ownerUserIds: [owner.user.id] });
    await kit.configure(`groups/${item.id}`, [entry()]);
    await kit.configure(`resources/${db.id}`, [entry()]);
    const asked = await kit.asked(alice, {
      items: [{ groupId: item.id }, { resourceId: db.id, accessLevel: 'read' }],
    });
    const mine = (await catalog(alice, `query=${tag}-waiting`)).items;
    expect(mine.find((e) => e.id === item.id)!.waiting).toEqual([
      { requestId: asked.id, accessLevel: null, requestedAt: asked.createdAt, reviewerIds: [owner.user.id] },
    ]);
    expect(mine.find((e) => e.id === db.id)!.waiting).toMatchObject([
      { requestId: asked.id, accessLevel: 'read' },
    ]);
    const bobs = (await catalog(bob, `query=${tag}-waiting`)).items;
    expect(bobs.every((e) => e.waiting.length === 0)).toBe(true);
    await kit.cancel(alice, asked.id);
    expect((await catalog(alice, `query=${tag}-waiting`)).items.every((e) => e.waiting.length === 0)).toBe(
      true,
    );
  });

  it("shows the caller's active break-glass activation on a group until it ends", async () => {
    const item = await kit.group({ name: `${tag}-glass-active` });
    await h.request('PUT', `/api/v1/groups/${item.id}/break-glass`, { body: { userIds: [alice.user.id] } });
    const act = await h.as(alice)('POST', `/api/v1/groups/${item.id}/break-glass/activations`, {
      reason: 'INC-1',
    });
    const entryOf = async (c: Caller) => (await catalog(c, `query=${tag}-glass-active`)).items[0]!;
    expect((await entryOf(alice)).breakGlassActivation).toEqual({
      id: act.body.id,
      expiresAt: act.body.expiresAt,
    });
    expect((await entryOf(bob)).breakGlassActivation).toBeNull();
    await h.as(alice)('POST', `/api/v1/break-glass/activations/${act.body.id}/end`, {});
    expect((await entryOf(alice)).breakGlassActivation).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit } from '../support/requests.js';

// The same access for the same person is asked for once at a time: a second request while one waits is
// refused with 409 request_pending pointing at the waiting one, also when two arrive at once.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let owner: Caller;
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  owner = await h.newUser();
});
afterAll(() => h.close());

async function reviewedItems() {
  const group = await kit.group({ ownerUserIds: [owner.user.id] });
  const resource = await kit.resource({ ownerUserIds: [owner.user.id] });
  await kit.configure(`groups/${group.id}`, [entry()]);
  await kit.configure(`resources/${resource.id}`, [entry()]);
  return { group, resource };
}

describe('a second request for access already waiting', () => {
  it('is refused with request_pending naming the item and pointing at the waiting request', async () => {
    const { group } = await reviewedItems();
    const alice = await h.newUser();
    const first = await kit.asked(alice, { items: [{ groupId: group.id }] });
    const again = await kit.ask(alice, { items: [{ groupId: group.id }] });
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body).toMatchObject({ code: 'request_pending', requestId: first.id });
    expect(again.body.detail).toContain(`group '${group.name}'`);
  });

  it('is refused when any item of a multi-item request is already waiting, and nothing is created', async () => {
    const { group, resource } = await reviewedItems();
    const alice = await h.newUser();
    const first = await kit.asked(alice, {
      items: [{ resourceId: resource.id, accessLevel: 'read' }],
    });
    const before = (await h.as(alice)('GET', `/api/v1/requests?requesterId=${alice.user.id}`)).body.items
      .length;
    const both = await kit.ask(alice, {
      items: [{ groupId: group.id }, { resourceId: resource.id, accessLevel: 'read' }],
    });
    expect(both.body).toMatchObject({ code: 'request_pending', requestId: first.id });
    expect(
      (await h.as(alice)('GET', `/api/v1/requests?requesterId=${alice.user.id}`)).body.items.length,
    ).toBe(before);
    // Another level of the same resource is other access: it may be asked for.
    expect(
      (await kit.ask(alice, { items: [{ resourceId: resource.id, accessLevel: 'admin' }] })).status,
    ).toBe(201);
  });

  it('counts per person: someone else may ask for the same item, and an owner asking for alice is refused', async () => {
    const { group } = await reviewedItems();
    const [alice, bob] = [await h.newUser(), await h.newUser()];
    const first = await kit.asked(alice, { items: [{ groupId: group.id }] });
    expect((await kit.ask(bob, { items: [{ groupId: group.id }] })).status).toBe(201);
    const forAlice = await h.as(owner)('POST', '/api/v1/requests', {
      items: [{ groupId: group.id }],
      durationMinutes: 60,
      targetUserId: alice.user.id,
    });
    expect(forAlice.body).toMatchObject({ code: 'request_pending', requestId: first.id });
  });

  it('may be asked again once the waiting one is cancelled, denied or decided', async () => {
    const { group } = await reviewedItems();
    const alice = await h.newUser();
    const first = await kit.asked(alice, { items: [{ groupId: group.id }] });
    expect((await kit.cancel(alice, first.id)).status).toBe(200);
    const second = await kit.asked(alice, { items: [{ groupId: group.id }] });
    expect((await kit.deny(owner, second.id)).status).toBe(200);
    const third = await kit.asked(alice, { items: [{ groupId: group.id }] });
    expect(third.status).toBe('pending');
  });

  it('lets exactly one of many simultaneous identical requests through', async () => {
    const { group } = await reviewedItems();
    const alice = await h.newUser();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => kit.ask(alice, { items: [{ groupId: group.id }] })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const created = answers.find((a) => a.status === 201)!.body.id;
    for (const a of answers.filter((x) => x.status !== 201))
      expect(a.body).toMatchObject({ status: 409, code: 'request_pending', requestId: created });
  });
});

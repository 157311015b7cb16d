/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOW_LOOPBACK, startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit } from '../support/requests.js';

// The in-app inbox: what waits for each person, from the state itself (so it works with no channel set up),
// with an unread count kept per person; and break-glass activations say truthfully what went out.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let owner: Caller;
let bea: Caller;
beforeAll(async () => {
  h = await startHarness({ outboundAllow: ALLOW_LOOPBACK });
  kit = requestKit(h);
  [owner, bea] = await Promise.all([h.newUser(), h.newUser()]);
});
afterAll(() => h.close());

const inbox = async (c: Caller) => {
  const res = await h.as(c)('GET', '/api/v1/inbox');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: any[]; unreadCount: number; seenThrough: string | null };
};
async function breakGlassGroup() {
  const g = await kit.group({ ownerUserIds: [owner.user.id] });
  await h.request('PUT', `/api/v1/groups/${g.id}/break-glass`, { body: { userIds: [bea.user.id] } });
  return g;
}
const activate = async (groupId: string, reason: string) => {
  const res = await h.as(bea)('POST', `/api/v1/groups/${groupId}/break-glass/activations`, { reason });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

describe('the inbox', () => {
  it("shows an owner a break-glass activation to review, unread until read, and not the activator's own", async () => {
    const g = await breakGlassGroup();
    await h.as(owner)('POST', '/api/v1/inbox/read', {});
    expect((await inbox(owner)).unreadCount).toBe(0);
    const a = await activate(g.id, 'INC-4411 pager');
    const mine = await inbox(owner);
    expect(mine.items.find((i) => i.id === a.id)).toMatchObject({
      kind: 'break_glass.review',
      userId: bea.user.id,
      items: [{ groupId: g.id, resourceId: null, accessLevel: null }],
      reason: 'INC-4411 pager',
      unread: true,
      overdue: false,
    });
    expect(mine.unreadCount).toBe(1);
    expect((await inbox(bea)).items.some((i) => i.id === a.id)).toBe(false);

    expect((await h.as(owner)('POST', '/api/v1/inbox/read', {})).status).toBe(204);
    const read = await inbox(owner);
    expect(read.unreadCount).toBe(0);
    expect(read.items.find((i) => i.id === a.id)!.unread).toBe(false);
    // Reviewed, it leaves the inbox.
    await h.as(owner)('POST', `/api/v1/break-glass/activations/${a.id}/review`, {
      outcome: 'justified',
      comment: 'pager was real',
    });
    expect((await inbox(owner)).items.some((i) => i.id === a.id)).toBe(false);
  });

  it('shows a reviewer the requests they may decide now, until decided', async () => {
    const g = await kit.group({ ownerUserIds: [owner.user.id] });
    await kit.configure(`groups/${g.id}`, [entry()]);
    const asked = await kit.asked(bea, { items: [{ groupId: g.id }], reason: 'quarter close' });
    const item = (await inbox(owner)).items.find((i) => i.id === asked.id);
    expect(item).toMatchObject({
      kind: 'request.decide',
      userId: bea.user.id,
      reason: 'quarter close',
      unread: true,
    });
    expect(item.due).toBe(asked.expiresAt);
    await kit.approve(owner, asked.id);
    expect((await inbox(owner)).items.some((i) => i.id === asked.id)).toBe(false);
  });

  it('shows access that ends within a day, and not access that ends later', async () => {
    const soon = await kit.group();
    const later = await kit.group();
    const holder = await h.newUser();
    const grant = (groupId: string, durationMinutes: number) =>
      h.request('POST', `/api/v1/groups/${groupId}/members`, {
        body: { userId: holder.user.id, durationMinutes },
      });
    await grant(soon.id, 60);
    await grant(later.id, 3 * 24 * 60);
    const items = (await inbox(holder)).items.filter((i) => i.kind === 'access.expiring');
    expect(items.map((i) => i.id)).toEqual([soon.id]);
  });

  it('keeps the reading mark per person and refuses one in the future', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const res = await h.as(bea)('POST', '/api/v1/inbox/read', { through: future });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});

describe('what went out about a break-glass activation', () => {
  it('says nothing was e-mailed on a fresh install, and records it in the event', async () => {
    const g = await breakGlassGroup();
    const a = await activate(g.id, 'INC-1');
    // The group's owner and the admin see it to review.
    expect(a.deliveries).toMatchObject({ shownInLatch: 2, emailed: 0, channels: [] });
    const events = (await h.request('GET', `/api/v1/events?type=break_glass.activated&subjectId=${a.id}`))
      .body;
    expect(events.items[0].data.deliveries).toEqual({ shownInLatch: 2, emailed: 0, channels: [] });
    expect(events.items[0].data).not.toHaveProperty('notified');
  });

  it('counts e-mail only once an enabled e-mail channel carries activations, and names the chat channels', async () => {
    const email = await h.request('POST', '/api/v1/notification-channels', {
      body: {
        name: `mail-${Date.now()}`,
        type: 'email',
        config: { host: '127.0.0.1', port: 2525, secure: false, from: 'latch@example.test' },
        events: ['break_glass.activated'],
      },
    });
    expect(email.status, JSON.stringify(email.body)).toBe(201);
    const hook = await h.request('POST', '/api/v1/notification-channels', {
      body: {
        name: `ops-alerts-${Date.now()}`,
        type: 'webhook',
        config: { url: 'http://127.0.0.1:9/hook', secrets: ['a-signing-secret-of-32-characters-x'] },
        events: ['break_glass.activated'],
      },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const g = await breakGlassGroup();
    await h.request('PUT', `/api/v1/groups/${g.id}/notification-channels`, {
      body: { channelIds: [hook.body.id] },
    });
    const a = await activate(g.id, 'INC-2');
    // E-mailed to each owner and admin (the activator is not one); posted to the group's channel.
    expect(a.deliveries).toMatchObject({ shownInLatch: 2, emailed: 2, channels: [hook.body.name] });
    expect(a.deliveries.summary).toBe(
      `Shown in Latch to 2 people; e-mailed to 2 people; posted to ${hook.body.name}.`,
    );
    await h.request('DELETE', `/api/v1/notification-channels/${email.body.id}`);
    await h.request('DELETE', `/api/v1/notification-channels/${hook.body.id}`);
  });
});

describe('what went out about a new request', () => {
  it('records that its reviewers see it in Latch, and that nothing was e-mailed without a channel for it', async () => {
    const g = await kit.group({ ownerUserIds: [owner.user.id] });
    await kit.configure(`groups/${g.id}`, [entry()]);
    const asked = await kit.asked(bea, { items: [{ groupId: g.id }] });
    const events = (await h.request('GET', `/api/v1/events?type=request.created&subjectId=${asked.id}`)).body;
    expect(events.items[0].data.reviewerDeliveries).toEqual({ shownInLatch: 1, emailed: 0, channels: [] });
    expect(events.items[0].data).not.toHaveProperty('reviewersNotified');
  });
});

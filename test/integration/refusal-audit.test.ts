/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each test expects */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/tokens.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// Refusals in the audit log: a change the policy refused is `authorization.refused`, a refused browser sign-in is
// `session.refused`; at most one event per key and minute, carrying how many refusals it stands for. The clock
// moves ten minutes ahead before each test, so every test starts with every window closed. Events are dated by
// the wall clock, so `since` filters use it.

const MINUTE = 60_000;
let offsetMs = 0;
let h: Harness;
let owner: Caller;
let member: Caller;
let bystander: Caller;
beforeAll(async () => {
  h = await startHarness({ now: () => new Date(Date.now() + offsetMs) });
  [owner, member, bystander] = await Promise.all([h.newUser(), h.newUser(), h.newUser()]);
});
afterAll(() => h.close());
beforeEach(() => {
  offsetMs += 10 * MINUTE;
});

let counter = 0;
const group = async (extra: Record<string, unknown> = {}) => {
  const res = await h.request('POST', '/api/v1/groups', {
    body: { name: `refusals-${counter++}`, ownerUserIds: [owner.user.id], ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; description: string };
};
const eventsOf = async (type: string, query = '', caller?: Caller) => {
  const res = await h.request('GET', `/api/v1/events?type=${type}&limit=500&${query}`, {
    token: (caller ?? h.admin).token,
  });
  expect(res.status).toBe(200);
  return res.body.items as any[];
};

describe('authorization.refused', () => {
  it("records a member's refused change on an owner's group, for the owner to see, and changes nothing", async () => {
    const g = await group({ description: 'before' });
    const refused = await h.as(member)('PATCH', `/api/v1/groups/${g.id}`, { description: 'mine now' });
    expect(refused.status).toBe(403);
    expect((await h.request('GET', `/api/v1/groups/${g.id}`)).body.description).toBe('before');
    expect((await eventsOf('group.updated', `subjectId=${g.id}`)).length).toBe(0);

    const [event, ...more] = await eventsOf('authorization.refused', `subjectId=${g.id}`);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actorId: member.user.id,
      subjects: [{ type: 'group', id: g.id }],
      data: { method: 'PATCH', route: 'PATCH /groups/:id', code: 'forbidden', count: 1 },
    });
    // The owner sees attempts on their item, the one who tried sees their own; nobody else does.
    const seenBy = async (caller: Caller) =>
      (await eventsOf('authorization.refused', `subjectId=${g.id}`, caller)).map((e) => e.id);
    expect(await seenBy(owner)).toEqual([event.id]);
    expect(await seenBy(member)).toEqual([event.id]);
    expect(await seenBy(bystander)).toEqual([]);
  });

  it('writes one event per actor, route and code a minute, then one that counts the refusals held back', async () => {
    const g = await group();
    const other = await group();
    const patch = (caller: Caller, id = g.id) =>
      h.as(caller)('PATCH', `/api/v1/groups/${id}`, { description: `try ${counter++}` });
    for (let i = 0; i < 4; i++) expect((await patch(member)).status).toBe(403);
    const refusedOn = async (id: string) =>
      (await eventsOf('authorization.refused', `subjectId=${id}`)).map((e) => [e.actorId, e.data.count]);
    expect(await refusedOn(g.id)).toEqual([[member.user.id, 1]]);

    // Another actor is another key; another group is the same route, so it counts in the same window.
    expect((await patch(bystander)).status).toBe(403);
    expect((await patch(member, other.id)).status).toBe(403);
    expect(await refusedOn(g.id)).toEqual([
      [member.user.id, 1],
      [bystander.user.id, 1],
    ]);
    expect(await refusedOn(other.id)).toEqual([]);

    offsetMs += MINUTE;
    expect((await patch(member, other.id)).status).toBe(403);
    const [next] = await eventsOf('authorization.refused', `subjectId=${other.id}`);
    expect(next.data).toMatchObject({ count: 5, route: 'PATCH /groups/:id' });
    // It stands for the refusals since the first one held back, a minute ago on the service's clock.
    expect(Date.parse(next.data.since)).toBeLessThan(Date.now() + offsetMs - MINUTE);
  });

  it('records the refusals the contract names, with the ids from the path', async () => {
    const g = await group();
    const activator = await h.newUser();
    const bg = await h.request('PUT', `/api/v1/groups/${g.id}/break-glass`, {
      body: { userIds: [activator.user.id] },
    });
    expect(bg.status).toBe(200);
    const denied = await h.as(member)('POST', `/api/v1/groups/${g.id}/break-glass/activations`, {
      reason: 'let me in',
    });
    expect(denied.body.code).toBe('not_break_glass_user');
    const activation = await h.as(activator)('POST', `/api/v1/groups/${g.id}/break-glass/activations`, {
      reason: 'outage',
    });
    expect(activation.status).toBe(201);
    const self = await h.as(activator)(
      'POST',
      `/api/v1/break-glass/activations/${activation.body.id}/review`,
      {
        outcome: 'justified',
        comment: 'trust me',
      },
    );
    expect(self.body.code).toBe('self_review_forbidden');

    expect(
      (await eventsOf('authorization.refused', `actorId=${member.user.id}&subjectId=${g.id}`))[0],
    ).toMatchObject({
      subjects: [{ type: 'group', id: g.id }],
      data: { route: 'POST /groups/:id/break-glass/activations', code: 'not_break_glass_user' },
    });
    expect(
      (await eventsOf('authorization.refused', `subjectId=${activation.body.id}`)).map((e) => e.data),
    ).toEqual([
      expect.objectContaining({
        route: 'POST /break-glass/activations/:id/review',
        code: 'self_review_forbidden',
      }),
    ]);
  });

  it('leaves out refused reads, hidden objects and the unauthenticated', async () => {
    const g = await group();
    const grant = await h.request('POST', `/api/v1/groups/${g.id}/members`, {
      body: { userId: owner.user.id },
    });
    expect(grant.status).toBe(201);
    expect((await h.as(member)('GET', `/api/v1/groups/${g.id}/members`)).status).toBe(403);
    expect((await h.as(member)('DELETE', `/api/v1/grants/${grant.body.id}`)).status).toBe(404);
    const anonymous = await h.request('PATCH', `/api/v1/groups/${g.id}`, {
      token: null,
      body: { name: 'x' },
    });
    expect(anonymous.status).toBe(401);
    expect(await eventsOf('authorization.refused', `subjectId=${g.id}`)).toEqual([]);
    expect(await eventsOf('authorization.refused', `subjectId=${grant.body.id}`)).toEqual([]);
  });
});

describe('session.refused', () => {
  const signIn = (token: string, remoteAddress = '127.0.0.1') =>
    h.latch.app.inject({ method: 'POST', url: '/api/v1/session', payload: { token }, remoteAddress });
  /** Nothing of the token: not itself, not its hash, not any 8 characters of it. */
  const expectNoPartOf = (token: string, events: unknown[]) => {
    const text = JSON.stringify(events);
    expect(text).not.toContain(hashToken(token));
    for (let i = 0; i + 8 <= token.length; i++) expect(text).not.toContain(token.slice(i, i + 8));
  };

  it('records a bad token with its source address and no user, once a minute per address', async () => {
    const since = new Date().toISOString();
    const tokens = ['latch_wrong_token_one_abcdefghijk', 'latch_wrong_token_two_lmnopqrstuv'];
    for (const token of [...tokens, ...tokens]) expect((await signIn(token)).statusCode).toBe(401);
    expect((await signIn(tokens[0]!, '10.1.2.3')).statusCode).toBe(401);
    const refused = await eventsOf('session.refused', `since=${since}`);
    expect(refused.map((e) => [e.actorId, e.subjects, e.data.reason, e.data.address, e.data.count])).toEqual([
      [null, [], 'invalid_token', '127.0.0.1', 1],
      [null, [], 'invalid_token', '10.1.2.3', 1],
    ]);
    for (const token of tokens) expectNoPartOf(token, refused);

    offsetMs += MINUTE;
    expect((await signIn(tokens[1]!)).statusCode).toBe(401);
    const [, , last] = await eventsOf('session.refused', `since=${since}`);
    expect(last.data).toMatchObject({ reason: 'invalid_token', address: '127.0.0.1', count: 4 });
    expectNoPartOf(tokens[1]!, [last]);
  });

  it('names the user of a real token refused, for them to see: suspended, revoked or expired', async () => {
    const since = new Date().toISOString();
    const [suspended, revoked, expiring] = await Promise.all([h.newUser(), h.newUser(), h.newUser()]);
    // Suspended as an older version did, without revoking the user's tokens: the token is valid, the user not.
    await h.latch.store.db
      .updateTable('users')
      .set({ status: 'suspended' })
      .where('id', '=', suspended.user.id)
      .execute();
    const tokens = (await h.request('GET', `/api/v1/users/${revoked.user.id}/tokens`)).body.items;
    await h.request('DELETE', `/api/v1/users/${revoked.user.id}/tokens/${tokens[0].id}`);
    const short = await h.request('POST', `/api/v1/users/${expiring.user.id}/tokens`, {
      body: { name: 'short', expiresAt: new Date(Date.now() + offsetMs + MINUTE).toISOString() },
    });
    expect(short.status).toBe(201);
    offsetMs += 2 * MINUTE;

    expect((await signIn(suspended.token)).statusCode).toBe(403);
    expect((await signIn(revoked.token)).statusCode).toBe(401);
    expect((await signIn(short.body.token)).statusCode).toBe(401);
    const refused = await eventsOf('session.refused', `since=${since}`);
    expect(refused.map((e) => [e.subjects, e.data.reason])).toEqual([
      [[{ type: 'user', id: suspended.user.id }], 'suspended'],
      [[{ type: 'user', id: revoked.user.id }], 'token_revoked'],
      [[{ type: 'user', id: expiring.user.id }], 'token_expired'],
    ]);
    for (const token of [suspended.token, revoked.token, short.body.token]) expectNoPartOf(token, refused);
    const fresh = await h.request('POST', `/api/v1/users/${revoked.user.id}/tokens`, {
      body: { name: 'new' },
    });
    const mine = await eventsOf('session.refused', '', { ...revoked, token: fresh.body.token });
    expect(mine.map((e) => e.data.reason)).toEqual(['token_revoked']);
  });

  it('records nothing for a sign-in that works or a body that is not one', async () => {
    const since = new Date().toISOString();
    expect((await signIn(member.token)).statusCode).toBe(200);
    const empty = await h.request('POST', '/api/v1/session', { token: null, body: { token: '' } });
    expect(empty.status).toBe(400);
    expect(await eventsOf('session.refused', `since=${since}`)).toEqual([]);
  });
});

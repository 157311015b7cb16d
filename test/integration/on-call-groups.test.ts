import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit } from '../support/requests.js';

// A group whose members come from an on-call schedule is a group like any other: it names break-glass users,
// meets request-configuration conditions, owns items, and nests. Here the on-call person is whoever the
// builtin rotation has on call right now.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let onCall: Caller;
let offCall: Caller;
let onCallGroup: { id: string; name: string };
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [onCall, offCall] = await Promise.all([h.newUser(), h.newUser()]);
  const schedule = await h.request('POST', '/api/v1/on-call-schedules', {
    body: {
      name: `primary-${Date.now()}`,
      provider: 'builtin',
      config: {
        timezone: 'UTC',
        layers: [
          // Began a minute ago with ten-hour shifts: the first in line is on call now.
          {
            start: new Date(Date.now() - 60_000).toISOString(),
            shiftMinutes: 600,
            userIds: [onCall.user.id, offCall.user.id],
          },
        ],
      },
    },
  });
  expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
  onCallGroup = await kit.group({ name: `On-call-${Date.now()}` });
  const set = await h.request('PUT', `/api/v1/groups/${onCallGroup.id}/on-call-schedules`, {
    body: { scheduleIds: [schedule.body.id] },
  });
  expect(set.status).toBe(200);
});
afterAll(() => h.close());

describe('on-call groups everywhere groups go', () => {
  it('has exactly the person on call as member, through an on_call grant', async () => {
    const members = await h.request('GET', `/api/v1/groups/${onCallGroup.id}/members`);
    expect(members.body.items.map((m: { userId: string }) => m.userId)).toEqual([onCall.user.id]);
    const check = await kit.check(onCall.user.id, `groupId=${onCallGroup.id}`);
    expect(check.via[0]?.source).toBe('on_call');
  });

  it('makes its members break-glass users of another group', async () => {
    const target = await kit.group();
    const put = await h.request('PUT', `/api/v1/groups/${target.id}/break-glass`, {
      body: { userIds: [], groupIds: [onCallGroup.id] },
    });
    expect(put.status).toBe(200);
    const ok = await h.as(onCall)('POST', `/api/v1/groups/${target.id}/break-glass/activations`, {
      reason: 'paged',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const refused = await h.as(offCall)('POST', `/api/v1/groups/${target.id}/break-glass/activations`, {
      reason: 'curious',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('not_break_glass_user');
  });

  it('meets request-configuration conditions: auto-approved for on-call people only', async () => {
    const breakglass = await kit.group();
    const target = await kit.group();
    await kit.nest(breakglass.id, { groupId: target.id });
    await kit.configure(`groups/${breakglass.id}`, [
      entry({
        priority: 1,
        condition: { groupIds: [onCallGroup.id] },
        autoApprove: true,
        reviewerStages: [],
      }),
      entry({ priority: 100, condition: null, requestable: false, reviewerStages: [] }),
    ]);
    const mine = await kit.ask(onCall, {
      items: [{ groupId: breakglass.id }],
      durationMinutes: 60,
      reason: 'incident',
    });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect(mine.body.status).toBe('approved');
    expect((await kit.check(onCall.user.id, `groupId=${target.id}`)).allowed).toBe(true);
    const theirs = await kit.ask(offCall, {
      items: [{ groupId: breakglass.id }],
      durationMinutes: 60,
      reason: 'x',
    });
    expect(theirs.body.code).toBe('not_requestable');
  });

  it('owns items and nests like any group', async () => {
    const owned = await kit.group({ ownerGroupId: onCallGroup.id });
    const member = await h.newUser();
    const byOnCall = await h.as(onCall)('POST', `/api/v1/groups/${owned.id}/members`, {
      userId: member.user.id,
    });
    expect(byOnCall.status, JSON.stringify(byOnCall.body)).toBe(201);
    const byOther = await h.as(offCall)('POST', `/api/v1/groups/${owned.id}/members`, {
      userId: member.user.id,
    });
    expect(byOther.status).toBe(403);

    const parent = await kit.group();
    await kit.nest(onCallGroup.id, { groupId: parent.id });
    const check = await kit.check(onCall.user.id, `groupId=${parent.id}`);
    expect(check.allowed).toBe(true);
    expect(check.via[0]).toEqual(
      expect.objectContaining({ source: 'on_call', groupIds: [onCallGroup.id, parent.id] }),
    );
    expect((await kit.check(offCall.user.id, `groupId=${parent.id}`)).allowed).toBe(false);
  });
});

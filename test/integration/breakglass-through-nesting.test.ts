import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit } from '../support/requests.js';

// The recipe: emergency access to `Target` for whoever is on call, built from plain parts. Group
// `Breakglass-target` holds `Target` as an asset; its configuration auto-approves on-call users for up to
// 12 hours and refuses everyone else, while `Target` keeps its everyday configuration with owner approval.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let oncallUser: Caller;
let offCall: Caller;
let targetOwner: Caller;
let target: { id: string; name: string };
let breakglass: { id: string; name: string };
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [oncallUser, offCall, targetOwner] = await Promise.all([h.newUser(), h.newUser(), h.newUser()]);
  const suffix = Date.now();
  target = await kit.group({ name: `Target-${suffix}`, ownerUserIds: [targetOwner.user.id] });
  breakglass = await kit.group({ name: `Breakglass-target-${suffix}` });
  const oncall = await kit.group({ name: `On-call-${suffix}` });
  await kit.grant(oncall.id, oncallUser.user.id);
  await kit.nest(breakglass.id, { groupId: target.id });
  await kit.configure(`groups/${breakglass.id}`, [
    entry({
      priority: 1,
      condition: { groupIds: [oncall.id] },
      requestable: true,
      autoApprove: true,
      maxDurationMinutes: 720,
      recommendedDurationMinutes: 60,
      reviewerStages: [],
    }),
    entry({ priority: 100, condition: null, requestable: false, reviewerStages: [] }),
  ]);
  await kit.configure(`groups/${target.id}`, [
    entry({
      condition: null,
      autoApprove: false,
      reviewerStages: [{ operator: 'any', reviewers: { owners: true } }],
    }),
  ]);
});
afterAll(() => h.close());

describe('break-glass through nesting', () => {
  it('grants an on-call user Breakglass-target at once, and with it Target through the nesting path', async () => {
    const res = await kit.ask(oncallUser, {
      items: [{ groupId: breakglass.id }],
      durationMinutes: 720,
      reason: 'pager: db down',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('approved');
    const check = await kit.check(oncallUser.user.id, `groupId=${target.id}`);
    expect(check.allowed).toBe(true);
    expect(check.via).toEqual([
      expect.objectContaining({
        grantId: res.body.items[0].grantId,
        source: 'request',
        groupIds: [breakglass.id, target.id],
      }),
    ]);
  });

  it('refuses anyone not on call', async () => {
    const res = await kit.ask(offCall, { items: [{ groupId: breakglass.id }], durationMinutes: 60 });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_requestable');
    expect((await kit.check(offCall.user.id, `groupId=${target.id}`)).allowed).toBe(false);
  });

  it('keeps the everyday path to Target behind owner approval', async () => {
    const res = await kit.ask(offCall, { items: [{ groupId: target.id }], durationMinutes: 60 });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('pending');
    expect((await kit.check(offCall.user.id, `groupId=${target.id}`)).allowed).toBe(false);
    const approved = await kit.approve(targetOwner, res.body.id);
    expect(approved.body.status).toBe('approved');
    const check = await kit.check(offCall.user.id, `groupId=${target.id}`);
    expect(check.allowed).toBe(true);
    expect(check.via.map((p) => p.groupIds)).toEqual([[target.id]]);
  });
});

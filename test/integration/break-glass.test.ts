import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import type { Activation } from '../support/api-types.js';
import { breakGlassKit } from '../support/break-glass-kit.js';
import type { Caller } from '../support/harness.js';

// Break-glass end to end through the HTTP API: settings, activation, superseding and ending.

const k = breakGlassKit();
const { group, nest, grant, configure, activate, activated, allowed, events, getActivation, list } = k;
let counter = 0;

describe('settings', () => {
  it('reads defaults for a new group; 404 for unknown groups; resources have no break-glass', async () => {
    const g = await group();
    const res = await k.h.as(k.alice)('GET', `/api/v1/groups/${g.id}/break-glass`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userIds: [], groupIds: [], durationMinutes: 720 });
    expect((await k.h.request('GET', '/api/v1/groups/grp_missing/break-glass')).status).toBe(404);
    expect(
      (await k.h.request('PUT', '/api/v1/groups/grp_missing/break-glass', { body: { userIds: [] } })).status,
    ).toBe(404);
    expect((await activate(k.alice, 'grp_missing')).status).toBe(404);
    const r = await k.h.request('POST', '/api/v1/resources', {
      body: { name: `bg-res-${counter++}`, type: 'db' },
    });
    expect((await k.h.request('GET', `/api/v1/resources/${r.body.id}/break-glass`)).status).toBe(404);
    expect(
      (await k.h.request('PUT', `/api/v1/resources/${r.body.id}/break-glass`, { body: { userIds: [] } }))
        .status,
    ).toBe(404);
  });

  it('lets admins, named owners and owner-group members configure; others get 403', async () => {
    const owners = await group();
    const ownerGroupMember = await k.h.newUser();
    await grant(owners.id, ownerGroupMember.user.id);
    const g = await group({ ownerUserIds: [k.owner.user.id], ownerGroupId: owners.id });
    const put = (caller: Caller, body: Record<string, unknown>) =>
      k.h.as(caller)('PUT', `/api/v1/groups/${g.id}/break-glass`, body);
    expect((await put(k.h.admin, { userIds: [k.alice.user.id] })).status).toBe(200);
    const byOwner = await put(k.owner, {
      userIds: [k.alice.user.id, k.alice.user.id],
      groupIds: [owners.id],
      durationMinutes: 60,
    });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toEqual({ userIds: [k.alice.user.id], groupIds: [owners.id], durationMinutes: 60 });
    expect((await put(ownerGroupMember, { userIds: [], durationMinutes: 90 })).status).toBe(200);
    for (const other of [k.alice, k.outsider, k.auditor]) {
      const res = await put(other, { userIds: [other.user.id] });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await k.h.request('GET', `/api/v1/groups/${g.id}/break-glass`)).body).toEqual({
      userIds: [],
      groupIds: [],
      durationMinutes: 90,
    });
  });

  it('validates the duration bounds, the ids and the body', async () => {
    const g = await group();
    const put = (body: unknown) => k.h.request('PUT', `/api/v1/groups/${g.id}/break-glass`, { body });
    for (const durationMinutes of [4, 1441, 0, -5, 60.5]) {
      const res = await put({ userIds: [], durationMinutes });
      expect(res.status, String(durationMinutes)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await put({ userIds: [], durationMinutes: 5 })).status).toBe(200);
    expect((await put({ userIds: [], durationMinutes: 1440 })).status).toBe(200);
    const unknownUser = await put({ userIds: ['usr_nobody'] });
    expect(unknownUser.status).toBe(400);
    expect(unknownUser.body.detail).toContain('usr_nobody');
    const unknownGroup = await put({ userIds: [], groupIds: ['grp_nobody'] });
    expect(unknownGroup.status).toBe(400);
    expect(unknownGroup.body.detail).toContain('grp_nobody');
    expect((await put({ groupIds: [] })).status).toBe(400);
    expect((await put({ userIds: [], extra: 1 })).status).toBe(400);
    expect((await k.h.request('GET', `/api/v1/groups/${g.id}/break-glass`)).body.durationMinutes).toBe(1440);
  });

  it('writes break_glass.configured with before and after, only when something changed', async () => {
    const g = await group();
    await configure(g.id, { userIds: [k.alice.user.id], durationMinutes: 30 });
    await configure(g.id, { userIds: [k.alice.user.id], durationMinutes: 30 });
    await configure(g.id, { userIds: [k.owner.user.id] });
    const configured = await events('break_glass.configured', g.id);
    expect(configured.map((e) => e.data)).toEqual([
      {
        before: { userIds: [], groupIds: [], durationMinutes: 720 },
        after: { userIds: [k.alice.user.id], groupIds: [], durationMinutes: 30 },
      },
      {
        before: { userIds: [k.alice.user.id], groupIds: [], durationMinutes: 30 },
        after: { userIds: [k.owner.user.id], groupIds: [], durationMinutes: 720 },
      },
    ]);
    expect(configured[0]!.actorId).toBe(k.h.admin.user.id);
  });
});

describe('activation', () => {
  it('gives a named user access the moment the 201 is sent, to the group and everything nested under it', async () => {
    const g = await group();
    const child = await group();
    const grandchild = await group();
    const r = await k.h.request('POST', '/api/v1/resources', {
      body: { name: `bg-db-${counter++}`, type: 'postgres', accessLevels: ['read', 'admin'] },
    });
    await nest(g.id, { groupId: child.id });
    await nest(child.id, { groupId: grandchild.id });
    await nest(grandchild.id, { resourceId: r.body.id, accessLevel: 'admin' });
    await configure(g.id, { userIds: [k.alice.user.id], durationMinutes: 60 });
    expect((await allowed(k.alice.user.id, `groupId=${g.id}`)).allowed).toBe(false);

    const a = await activated(k.alice, g.id, '  INC-42: primary is down  ');
    for (const query of [
      `groupId=${g.id}`,
      `groupId=${child.id}`,
      `groupId=${grandchild.id}`,
      `resourceId=${r.body.id}&accessLevel=admin`,
    ]) {
      const res = await allowed(k.alice.user.id, query);
      expect(res.allowed, query).toBe(true);
      expect(res.via).toEqual([expect.objectContaining({ grantId: a.grantId, source: 'break_glass' })]);
    }
    expect(a).toMatchObject({
      groupId: g.id,
      userId: k.alice.user.id,
      reason: 'INC-42: primary is down',
      endedAt: null,
      endReason: null,
      status: 'active',
      review: { status: 'pending', reviewedBy: null, reviewedAt: null, comment: null, overdue: false },
    });
    expect(Date.parse(a.expiresAt) - Date.parse(a.activatedAt)).toBe(60 * 60_000);
    const g2 = (await k.h.request('GET', `/api/v1/grants/${a.grantId}`)).body;
    expect(g2).toMatchObject({
      source: 'break_glass',
      userId: k.alice.user.id,
      groupId: g.id,
      status: 'active',
      expiresAt: a.expiresAt,
      reason: a.reason,
    });
    // Read by an admin: the same activation, which the admin (unlike its holder) may review.
    expect(a.abilities).toEqual({ end: true, review: false });
    // What went out is told in the answer to the activation only: the admin sees it to review in Latch.
    const { deliveries, ...activation } = a as typeof a & { deliveries: unknown };
    expect(deliveries).toEqual({
      shownInLatch: 1,
      emailed: 0,
      channels: [],
      summary: 'Shown in Latch to 1 person; not e-mailed (no e-mail channel is set up for it).',
    });
    expect(await getActivation(a.id)).toEqual({ ...activation, abilities: { end: true, review: true } });
    const [event] = await events('break_glass.activated', a.id);
    expect(event!.actorId).toBe(k.alice.user.id);
    expect(event!.subjects).toEqual(
      expect.arrayContaining([
        { type: 'grant', id: a.grantId },
        { type: 'group', id: g.id },
      ]),
    );
    expect(event!.data).toMatchObject({ reason: a.reason, grantId: a.grantId, expiresAt: a.expiresAt });
    expect((await events('grant.created', a.grantId)).map((e) => e.data.source)).toEqual(['break_glass']);
  });

  it('lets every effective member of a break-glass group activate, including members only through nesting', async () => {
    const oncall = await group();
    const sre = await group();
    await nest(sre.id, { groupId: oncall.id });
    const [direct, nested, former] = await Promise.all([k.h.newUser(), k.h.newUser(), k.h.newUser()]);
    await grant(oncall.id, direct.user.id);
    await grant(sre.id, nested.user.id);
    const formerGrant = await grant(oncall.id, former.user.id);
    expect((await k.h.request('DELETE', `/api/v1/grants/${formerGrant.id}`)).status).toBe(200);
    const g = await group();
    await configure(g.id, { userIds: [], groupIds: [oncall.id] });
    expect((await activate(direct, g.id)).status).toBe(201);
    expect((await activate(nested, g.id)).status).toBe(201);
    expect((await allowed(nested.user.id, `groupId=${g.id}`)).allowed).toBe(true);
    const refused = await activate(former, g.id);
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as { code: string }).code).toBe('not_break_glass_user');
  });

  it('answers reason_required for a missing or blank reason', async () => {
    const g = await group();
    await configure(g.id, { userIds: [k.alice.user.id] });
    const noBody = await k.h.request('POST', `/api/v1/groups/${g.id}/break-glass/activations`, {
      token: k.alice.token,
    });
    for (const [label, res] of [
      ['no body', noBody],
      ['missing', await activate(k.alice, g.id, {})],
      ['empty', await activate(k.alice, g.id, { reason: '' })],
      ['blank', await activate(k.alice, g.id, { reason: ' \n\t ' })],
    ] as const) {
      expect(res.status, label).toBe(400);
      expect((res.body as unknown as { code: string }).code, label).toBe('reason_required');
    }
    expect(await list(`groupId=${g.id}`)).toEqual([]);
    expect((await activate(k.alice, g.id, { reason: ` ${'x'.repeat(1000)} ` })).status).toBe(201);
  });

  it('refuses an over-long reason as validation_failed naming reason, and one over the body limit as 413', async () => {
    const g = await group();
    await configure(g.id, { userIds: [k.alice.user.id] });
    for (const length of [1001, 5000, 260_000]) {
      const res = await activate(k.alice, g.id, { reason: 'x'.repeat(length) });
      const body = res.body as unknown as { code: string; errors: { field: string }[] };
      expect(res.status, String(length)).toBe(400);
      expect(body.code, String(length)).toBe('validation_failed');
      expect(body.errors.map((e) => e.field)).toEqual(['reason']);
    }
    const tooBig = await activate(k.alice, g.id, { reason: 'x'.repeat(270_000) });
    expect(tooBig.status).toBe(413);
    expect((tooBig.body as unknown as { code: string }).code).toBe('payload_too_large');
    expect(await list(`groupId=${g.id}`)).toEqual([]);
  });

  it('refuses a user who is not a break-glass user with not_break_glass_user, and audits the attempt', async () => {
    const g = await group({ ownerUserIds: [k.owner.user.id] });
    await configure(g.id, { userIds: [k.alice.user.id] });
    for (const caller of [k.outsider, k.owner, k.h.admin]) {
      const res = await activate(caller, g.id, { reason: 'let me in' });
      expect(res.status).toBe(403);
      expect((res.body as unknown as { code: string }).code).toBe('not_break_glass_user');
    }
    const denied = await events('break_glass.denied', g.id);
    expect(denied.map((e) => e.actorId)).toEqual([k.outsider.user.id, k.owner.user.id, k.h.admin.user.id]);
    expect(denied[0]!.data).toMatchObject({ reason: 'let me in' });
    expect((await k.h.request('GET', `/api/v1/grants?groupId=${g.id}`)).body.items).toEqual([]);
    expect(await list(`groupId=${g.id}`)).toEqual([]);
    expect((await events('break_glass.activated', g.id)).length).toBe(0);
    expect((await verifyAuditLog(k.h.latch.deps)).ok).toBe(true);
  });
});

describe('activating again while active', () => {
  it('supersedes the earlier activation and its grant; access continues through the new one', async () => {
    const g = await group();
    const child = await group();
    await nest(g.id, { groupId: child.id });
    await configure(g.id, { userIds: [k.alice.user.id] });
    const first = await activated(k.alice, g.id, 'first look');
    const second = await activated(k.alice, g.id, 'still broken');
    const old = await getActivation(first.id);
    expect(old).toMatchObject({ status: 'ended', endReason: 'superseded', endedBy: k.alice.user.id });
    expect(old.endedAt).not.toBeNull();
    expect((await k.h.request('GET', `/api/v1/grants/${first.grantId}`)).body).toMatchObject({
      status: 'revoked',
      endReason: 'superseded',
    });
    for (const query of [`groupId=${g.id}`, `groupId=${child.id}`]) {
      const res = await allowed(k.alice.user.id, query);
      expect(res.allowed).toBe(true);
      expect(res.via.map((p) => p.grantId)).toEqual([second.grantId]);
    }
    expect((await list(`groupId=${g.id}`)).map((a) => a.id)).toEqual([first.id, second.id]);
    expect((await list(`groupId=${g.id}&active=true`)).map((a) => a.id)).toEqual([second.id]);
    expect((await list(`groupId=${g.id}&active=false`)).map((a) => a.id)).toEqual([first.id]);
    const ended = await events('break_glass.ended', first.id);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.subjects).toContainEqual({ type: 'grant', id: first.grantId });
    expect((await events('break_glass.activated', second.id))[0]!.data.superseded).toEqual([first.id]);
  });
});

describe('ending', () => {
  it('lets the holder, the owners and admins end an activation; access stops at once; a second end is 409', async () => {
    const g = await group({ ownerUserIds: [k.owner.user.id] });
    const child = await group();
    await nest(g.id, { groupId: child.id });
    const bob = await k.h.newUser();
    await configure(g.id, { userIds: [k.alice.user.id, bob.user.id] });
    const end = (caller: Caller, id: string, body?: unknown) =>
      k.h.as(caller)<Activation>('POST', `/api/v1/break-glass/activations/${id}/end`, body);

    const a = await activated(k.alice, g.id);
    expect((await end(k.outsider, a.id)).status).toBe(404);
    expect((await end(k.auditor, a.id)).status).toBe(403);
    expect((await end(bob, a.id)).status).toBe(404);
    const byHolder = await k.h.request<Activation>('POST', `/api/v1/break-glass/activations/${a.id}/end`, {
      token: k.alice.token,
    });
    expect(byHolder.status).toBe(200);
    expect(byHolder.body).toMatchObject({ status: 'ended', endReason: 'ended', endedBy: k.alice.user.id });
    expect((await allowed(k.alice.user.id, `groupId=${g.id}`)).allowed).toBe(false);
    expect((await allowed(k.alice.user.id, `groupId=${child.id}`)).allowed).toBe(false);
    expect((await k.h.request('GET', `/api/v1/grants/${a.grantId}`)).body.status).toBe('revoked');
    const again = await end(k.alice, a.id, {});
    expect(again.status).toBe(409);
    expect((again.body as unknown as { code: string }).code).toBe('conflict');

    const b = await activated(k.alice, g.id);
    const byOwner = await end(k.owner, b.id, { reason: 'incident closed' });
    expect(byOwner.body).toMatchObject({
      status: 'ended',
      endReason: 'incident closed',
      endedBy: k.owner.user.id,
    });
    const c = await activated(bob, g.id);
    expect((await end(k.h.admin, c.id, { reason: 'superseded' })).body.endReason).toBe('ended: superseded');
    expect((await allowed(bob.user.id, `groupId=${g.id}`)).allowed).toBe(false);
    expect((await end(k.h.admin, 'bga_missing')).status).toBe(404);
    expect((await events('break_glass.ended', b.id)).map((e) => e.data.endReason)).toEqual([
      'incident closed',
    ]);
    expect((await events('grant.revoked', b.grantId)).length).toBe(1);
  });
});

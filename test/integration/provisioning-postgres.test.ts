/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each call expects */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgAvailable } from '../support/pg-cluster.js';
import { startPgTarget, type PgTarget } from '../support/pg-target.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { provisioningCalls, settledAfter } from '../support/provisioning.js';
import { freePort } from '../support/processes.js';

// Access that Latch grants lands in a real PostgreSQL 15 cluster (started here): a group linked to a role gives
// its effective members `GRANT role TO account`; the end of the last path gives REVOKE and ends the account's
// open sessions; members Latch does not explain are drift, reported or revoked. Applied after commit by the
// provisioning engine, from its outbox.

let h: Harness;
let target: PgTarget;
let connectionId: string;
const { api, localPart, eventually, person, linkedGroup, role } = provisioningCalls({
  h: () => h,
  target: () => target,
  connectionId: () => connectionId,
  prefix: 'latch',
});

const grant = (groupId: string, userId: string, extra: Record<string, unknown> = {}) =>
  api<{ id: string }>('POST', `/groups/${groupId}/members`, { userId, ...extra }, 201);

async function eventsOf(type: string): Promise<any[]> {
  const res = await api<{ items: any[] }>('GET', `/events?type=${type}&limit=500`, undefined, 200);
  return res.items;
}

beforeAll(async () => {
  if (!pgAvailable()) return;
  [h, target] = await Promise.all([startHarness({ jobs: true }), startPgTarget()]);
  const created = await api(
    'POST',
    '/connections',
    {
      name: 'prod cluster',
      kind: 'postgres',
      config: target.config,
      secrets: target.secrets,
      mode: 'report',
      accountRule: { type: 'emailLocalPart' },
    },
    201,
  );
  connectionId = created.id;
}, 120_000);

afterAll(async () => {
  await h?.close();
  await target?.stop();
});

describe.skipIf(!pgAvailable())('provisioning into PostgreSQL', () => {
  it('keeps the password sealed: never in the row in clear, a response or an event', async () => {
    const shown = await api('GET', `/connections/${connectionId}`, undefined, 200);
    expect(shown).toMatchObject({ kind: 'postgres', mode: 'report', status: expect.any(String) });
    expect(JSON.stringify(shown)).not.toContain(target.secrets.password);
    const row = await h.latch.store.db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', connectionId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(target.secrets.password);
    expect(row.sealed_secrets.length).toBeGreaterThan(20);
    expect(JSON.stringify(await eventsOf('connection.created'))).not.toContain(target.secrets.password);
    expect(JSON.stringify(await api('GET', '/connections', undefined, 200))).not.toContain(
      target.secrets.password,
    );
  });

  it('tests the connection and lists the roles access can be linked to', async () => {
    expect(await api('POST', `/connections/${connectionId}/test`, undefined, 200)).toMatchObject({
      ok: true,
    });
    await target.role('latch_listed');
    const items = await api<{ items: any[] }>(
      'GET',
      `/connections/${connectionId}/remote-items`,
      undefined,
      200,
    );
    expect(items.items).toContainEqual({
      remoteId: 'latch_listed',
      name: 'latch_listed',
      kind: 'role',
      linkedItemId: null,
    });
    expect((await api('GET', `/connections/${connectionId}`, undefined, 200)).status).toBe('ok');
  });

  it('gives the role on break-glass at once, and at its end revokes it and ends the open session', async () => {
    const alice = await person();
    const g = await linkedGroup();
    await api('PUT', `/groups/${g.id}/break-glass`, { userIds: [alice.user.id] }, 200);
    const activation = await h.as(alice)('POST', `/api/v1/groups/${g.id}/break-glass/activations`, {
      reason: 'prod is down',
    });
    expect(activation.status).toBe(201);
    await eventually(() => target.isMember(g.role, localPart(alice)), 2_000);
    const session = await target.sessionWithRole(localPart(alice), g.role);

    // Recorded once the target has answered.
    await eventually(async () => (await propagation(g.id, alice)).status === 'synced');
    const members = await api('GET', `/groups/${g.id}/members`, undefined, 200);
    expect(members.items[0].propagation).toMatchObject({ status: 'synced', detail: null });
    const check = await api('GET', `/access/check?userId=${alice.user.id}&groupId=${g.id}`, undefined, 200);
    expect(check).toMatchObject({ allowed: true, propagation: { status: 'synced' } });

    await h.as(alice)('POST', `/api/v1/break-glass/activations/${activation.body.id}/end`, {});
    await eventually(async () => !(await target.isMember(g.role, localPart(alice))), 2_000);
    await eventually(async () => !(await target.alive(session)), 2_000);
    // The event is written once the target has answered: wait for it.
    const ofRole = async (type: string) => (await eventsOf(type)).filter((e) => e.data.remoteId === g.role);
    await eventually(async () => (await ofRole('provisioning.revoked')).length > 0);
    const granted = await ofRole('provisioning.granted');
    const revoked = await ofRole('provisioning.revoked');
    expect(granted).toHaveLength(1);
    expect(revoked).toHaveLength(1);
    expect(revoked[0].data).toMatchObject({ account: localPart(alice), sessionsEnded: true });
  });

  it('revokes at expiry, ending the session opened before it', async () => {
    const bob = await person();
    const g = await linkedGroup();
    await grant(g.id, bob.user.id, { expiresAt: new Date(Date.now() + 1_500).toISOString() });
    await eventually(() => target.isMember(g.role, localPart(bob)));
    const session = await target.sessionWithRole(localPart(bob), g.role);
    await eventually(async () => !(await target.isMember(g.role, localPart(bob))), 5_000);
    await eventually(async () => !(await target.alive(session)));
  });

  it('keeps the role while any path remains: a direct grant outlives a break-glass', async () => {
    const carol = await person();
    const g = await linkedGroup();
    const direct = await grant(g.id, carol.user.id);
    await api('PUT', `/groups/${g.id}/break-glass`, { userIds: [carol.user.id] }, 200);
    const bg = await h.as(carol)('POST', `/api/v1/groups/${g.id}/break-glass/activations`, {
      reason: 'both',
    });
    expect(bg.status).toBe(201);
    await eventually(() => target.isMember(g.role, localPart(carol)));
    const endedAt = new Date();
    await h.as(carol)('POST', `/api/v1/break-glass/activations/${bg.body.id}/end`, {});
    await eventually(() => settledAfter(h, g.id, endedAt));
    expect(await target.isMember(g.role, localPart(carol))).toBe(true);
    await api('DELETE', `/grants/${direct.id}`, undefined, 200);
    await eventually(async () => !(await target.isMember(g.role, localPart(carol))));
  });

  it('gives the role through nesting: a member of a group holding the linked group', async () => {
    const dan = await person();
    const g = await linkedGroup();
    const parent = await api('POST', '/groups', { name: `parent-${g.role}` }, 201);
    await api('POST', `/groups/${parent.id}/assets`, { groupId: g.id }, 201);
    await grant(parent.id, dan.user.id);
    await eventually(() => target.isMember(g.role, localPart(dan)));
    await target.sessionWithRole(localPart(dan), g.role);
  });

  it('reports a user without an account as no_account, and grants once the account exists', async () => {
    const erin = await h.newUser();
    const g = await linkedGroup();
    await grant(g.id, erin.user.id);
    await eventually(async () => (await propagation(g.id, erin)).status === 'no_account');
    expect((await propagation(g.id, erin)).detail).toContain(localPart(erin));
    await target.account(localPart(erin));
    await api('POST', `/connections/${connectionId}/sync`, undefined, 202);
    await eventually(() => target.isMember(g.role, localPart(erin)));
    // The target changes first; Latch records it right after.
    await eventually(async () => (await propagation(g.id, erin)).status === 'synced');
  });

  it('reports an out-of-band GRANT as drift, and revokes it in enforce mode', async () => {
    const frank = await person();
    const g = await linkedGroup();
    await target.sql(`grant ${g.role} to "${localPart(frank)}"`);
    await api('POST', `/connections/${connectionId}/sync`, undefined, 202);
    const drift = async () =>
      (await api<{ items: any[] }>('GET', `/connections/${connectionId}/drift`)).items;
    await eventually(async () => (await drift()).some((d) => d.remoteId === g.role));
    expect((await drift()).find((d) => d.remoteId === g.role)).toMatchObject({
      remoteAccount: localPart(frank),
      userId: frank.user.id,
    });
    expect((await eventsOf('drift.detected')).some((e) => e.data.remoteId === g.role)).toBe(true);
    expect(await target.isMember(g.role, localPart(frank))).toBe(true);

    await api('PATCH', `/connections/${connectionId}`, { mode: 'enforce' }, 200);
    try {
      await api('POST', `/connections/${connectionId}/sync`, undefined, 202);
      await eventually(async () => !(await target.isMember(g.role, localPart(frank))));
      await eventually(async () => !(await drift()).some((d) => d.remoteId === g.role));
      const reverted = (await eventsOf('drift.reverted')).filter((e) => e.data.remoteId === g.role);
      expect(reverted).toHaveLength(1);
      expect(reverted[0].data.remoteAccount).toBe(localPart(frank));
    } finally {
      await api('PATCH', `/connections/${connectionId}`, { mode: 'report' }, 200);
    }
  });

  it('adopts the members a role already has when an existing group is first linked with adoptMembers', async () => {
    const [hana, ivan, joe] = [await person(), await person(), await person()];
    const remoteId = await role();
    await target.sql(`grant ${remoteId} to "${localPart(hana)}", "${localPart(ivan)}"`);
    await target.account('latch_nobody_known');
    await target.sql(`grant ${remoteId} to latch_nobody_known`);
    const g = await api<{ id: string }>('POST', '/groups', { name: `latch-adopt-${remoteId}` }, 201);
    // Ivan is a member already: his access needs no grant of its own. Joe is not in the role.
    await grant(g.id, ivan.user.id);
    const before = (await eventsOf('grant.created')).length;
    await api('PATCH', `/groups/${g.id}`, { remote: { connectionId, remoteId, adoptMembers: true } }, 200);

    const members = await api<{ items: any[] }>('GET', `/groups/${g.id}/members`, undefined, 200);
    const direct = (id: string) => members.items.filter((m) => m.userId === id && m.direct);
    expect(direct(hana.user.id)).toHaveLength(1);
    expect(direct(hana.user.id)[0]).toMatchObject({ expiresAt: null });
    expect(direct(ivan.user.id)).toHaveLength(1);
    expect(direct(joe.user.id)).toHaveLength(0);
    const created = (await eventsOf('grant.created')).slice(before);
    expect(created.map((e) => e.subjects.find((x: any) => x.type === 'user').id)).toEqual([hana.user.id]);
    await eventually(async () => (await propagation(g.id, hana)).status === 'synced');

    // What maps to nobody stays drift; the adopted are explained.
    await api('POST', `/connections/${connectionId}/sync`, undefined, 202);
    const drift = async () =>
      (await api<{ items: any[] }>('GET', `/connections/${connectionId}/drift`)).items.filter(
        (d) => d.remoteId === remoteId,
      );
    await eventually(async () => (await drift()).length > 0);
    expect((await drift()).map((d) => d.remoteAccount)).toEqual(['latch_nobody_known']);
    // Adopting is for a new link only.
    const again = await h.request('PATCH', `/api/v1/groups/${g.id}`, {
      body: { remote: { connectionId, remoteId, adoptMembers: true } },
    });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'validation_failed' });
  });

  it('takes every account out when an item is unlinked, and closes its drift', async () => {
    const gina = await person();
    const other = await person();
    const g = await linkedGroup();
    await grant(g.id, gina.user.id);
    await eventually(() => target.isMember(g.role, localPart(gina)));
    await target.sql(`grant ${g.role} to "${localPart(other)}"`);
    await api('POST', `/connections/${connectionId}/sync`, undefined, 202);
    const drift = async () =>
      (await api<{ items: any[] }>('GET', `/connections/${connectionId}/drift`)).items.filter(
        (d) => d.remoteId === g.role,
      );
    await eventually(async () => (await drift()).length === 1);

    const unlinked = await api('PATCH', `/groups/${g.id}`, { remote: null }, 200);
    expect(unlinked.remote).toBeNull();
    await eventually(async () => !(await target.isMember(g.role, localPart(gina))));
    expect(await drift()).toEqual([]);
    // Someone else's membership is not Latch's to take out once the item is unlinked.
    expect(await target.isMember(g.role, localPart(other))).toBe(true);
    const check = await api('GET', `/access/check?userId=${gina.user.id}&groupId=${g.id}`, undefined, 200);
    expect(check).toMatchObject({ allowed: true, propagation: { status: 'not_linked' } });
  });

  it('marks a connection with nothing linked as failing when its target cannot be reached', async () => {
    const closed = await api(
      'POST',
      '/connections',
      {
        name: 'gone cluster',
        kind: 'postgres',
        config: { ...target.config, port: await freePort() },
        secrets: target.secrets,
        mode: 'report',
      },
      201,
    );
    await api('POST', `/connections/${closed.id}/sync`, undefined, 202);
    await eventually(async () => (await api('GET', `/connections/${closed.id}`)).status === 'error');
    expect((await api('GET', `/connections/${closed.id}`)).lastError).toMatch(/connection refused/);
    await api('DELETE', `/connections/${closed.id}`, undefined, 204);
  });

  it('refuses to delete a connection with linked items', async () => {
    const res = await h.request('DELETE', `/api/v1/connections/${connectionId}`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
  });
});

async function propagation(groupId: string, c: Caller) {
  const check = await api('GET', `/access/check?userId=${c.user.id}&groupId=${groupId}`, undefined, 200);
  return check.propagation as { status: string; detail: string | null };
}

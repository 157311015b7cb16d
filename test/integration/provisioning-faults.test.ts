/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each call expects */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLatch, type Latch } from '../../src/main.js';
import { pgAvailable } from '../support/pg-cluster.js';
import { startPgTarget, type PgTarget } from '../support/pg-target.js';
import { startHarness, testKeys, type Harness } from '../support/harness.js';
import { provisioningCalls } from '../support/provisioning.js';

// The provisioning engine under faults: a target down when access ends, a Latch that stopped between the
// commit and the remote change, and two replicas on one database, each remote change applied once.

const FAST_RETRY = { retry: { baseMs: 100, capMs: 500 } };
let h: Harness;
let target: PgTarget;
let connectionId: string;
const keys = testKeys();

const calls = provisioningCalls({
  h: () => h,
  target: () => target,
  connectionId: () => connectionId,
  prefix: 'fault',
});
const { api, localPart, eventually, person, linkedGroup } = calls;
const eventsOf = async (type: string, remoteId: string): Promise<any[]> =>
  (await api('GET', `/events?type=${type}&limit=500`, undefined, 200)).items.filter(
    (e: any) => e.data.remoteId === remoteId,
  );

beforeAll(async () => {
  if (!pgAvailable()) return;
  [h, target] = await Promise.all([
    startHarness({ jobs: true, keys, provisioningOptions: FAST_RETRY }),
    startPgTarget(),
  ]);
  connectionId = (
    await api(
      'POST',
      '/connections',
      {
        name: 'faulty cluster',
        kind: 'postgres',
        config: target.config,
        secrets: target.secrets,
        mode: 'report',
        accountRule: { type: 'emailLocalPart' },
      },
      201,
    )
  ).id;
}, 120_000);

afterAll(async () => {
  await h?.close();
  await target?.stop();
});

describe.skipIf(!pgAvailable())('provisioning faults', () => {
  it('revokes as soon as a target that was down at the expiry is back, recording the failure first', async () => {
    const alice = await person();
    const g = await linkedGroup();
    await api(
      'POST',
      `/groups/${g.id}/members`,
      {
        userId: alice.user.id,
        expiresAt: new Date(Date.now() + 1_500).toISOString(),
      },
      201,
    );
    await eventually(() => target.isMember(g.role, localPart(alice)));
    target.cluster.pause();
    try {
      await eventually(async () => (await eventsOf('provisioning.failed', g.role)).length > 0);
      const failed = await eventsOf('provisioning.failed', g.role);
      expect(failed[0].data).toMatchObject({ action: 'remove', account: localPart(alice), retrying: true });
      const check = await api('GET', `/access/check?userId=${alice.user.id}&groupId=${g.id}`, undefined, 200);
      expect(check).toMatchObject({ allowed: false, propagation: { status: 'failed' } });
    } finally {
      target.cluster.resume();
    }
    await eventually(async () => !(await target.isMember(g.role, localPart(alice))));
    await eventually(async () => (await eventsOf('provisioning.revoked', g.role)).length === 1);
    const [failed] = await eventsOf('provisioning.failed', g.role);
    const [revoked] = await eventsOf('provisioning.revoked', g.role);
    expect(revoked.seq).toBeGreaterThan(failed.seq);
  });

  it('refuses to delete a connection while the accounts of an unlinked item are still being taken out', async () => {
    const own = await api(
      'POST',
      '/connections',
      {
        name: 'second route',
        kind: 'postgres',
        config: target.config,
        secrets: target.secrets,
        mode: 'report',
        accountRule: { type: 'emailLocalPart' },
      },
      201,
    );
    const kim = await person();
    const role = await calls.role();
    const g = await api('POST', '/groups', { name: `faults-${role}` }, 201);
    await api('PATCH', `/groups/${g.id}`, { remote: { connectionId: own.id, remoteId: role } }, 200);
    await api('POST', `/groups/${g.id}/members`, { userId: kim.user.id }, 201);
    await eventually(() => target.isMember(role, localPart(kim)));
    target.cluster.pause();
    try {
      await api('PATCH', `/groups/${g.id}`, { remote: null }, 200);
      const refused = await h.request('DELETE', `/api/v1/connections/${own.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/still taking 1 account out/);
    } finally {
      target.cluster.resume();
    }
    await eventually(async () => !(await target.isMember(role, localPart(kim))));
    await eventually(async () => (await h.request('DELETE', `/api/v1/connections/${own.id}`)).status === 204);
  });

  it('applies after a restart what was committed while no engine ran', async () => {
    const bob = await person();
    const g = await linkedGroup();
    // The grant commits in a Latch whose engine is not running: as if it died right after the commit.
    await h.restart({ jobs: false, keys });
    await api('POST', `/groups/${g.id}/members`, { userId: bob.user.id }, 201);
    expect(await target.isMember(g.role, localPart(bob))).toBe(false);
    await h.restart({ jobs: true, keys, provisioningOptions: FAST_RETRY });
    await eventually(() => target.isMember(g.role, localPart(bob)));
  });

  it('keeps applying to other connections while one target hangs', async () => {
    // A SCIM service that accepts connections and never answers.
    const hung = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const stuck = await api(
        'POST',
        '/connections',
        {
          name: 'hung app',
          kind: 'scim',
          config: { baseUrl: `http://127.0.0.1:${(hung.address() as AddressInfo).port}/scim/v2` },
          secrets: { bearerToken: 'hung-app-token' },
          mode: 'report',
        },
        201,
      );
      // Its sync hangs from now on; a grant for it would too.
      await api('POST', `/connections/${stuck.id}/sync`, undefined, 202);
      const hana = await person();
      const g = await linkedGroup();
      const t0 = Date.now();
      await api('POST', `/groups/${g.id}/members`, { userId: hana.user.id }, 201);
      await eventually(() => target.isMember(g.role, localPart(hana)), 3_000);
      expect(Date.now() - t0).toBeLessThan(3_000);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });

  it('takes a suspended user out at once', async () => {
    const ivy = await person();
    const g = await linkedGroup();
    await api('POST', `/groups/${g.id}/members`, { userId: ivy.user.id }, 201);
    await eventually(() => target.isMember(g.role, localPart(ivy)));
    const session = await target.sessionWithRole(localPart(ivy), g.role);
    await api('PATCH', `/users/${ivy.user.id}`, { status: 'suspended' }, 200);
    await eventually(async () => !(await target.isMember(g.role, localPart(ivy))));
    await eventually(async () => !(await target.alive(session)));
  });

  it('applies each remote change once with two replicas on one database', async () => {
    const second: Latch = await createLatch(h.latch.store, {
      jobs: true,
      keys,
      provisioningOptions: FAST_RETRY,
    });
    try {
      const g = await linkedGroup();
      const people = await Promise.all(Array.from({ length: 20 }, () => person()));
      const grants = [];
      for (const p of people)
        grants.push(await api('POST', `/groups/${g.id}/members`, { userId: p.user.id }, 201));
      for (const p of people) await eventually(() => target.isMember(g.role, localPart(p)));
      await eventually(async () => (await eventsOf('provisioning.granted', g.role)).length >= people.length);
      for (const gr of grants) await api('DELETE', `/grants/${gr.id}`, undefined, 200);
      for (const p of people) await eventually(async () => !(await target.isMember(g.role, localPart(p))));
      await eventually(async () => (await eventsOf('provisioning.revoked', g.role)).length >= people.length);
      const granted = (await eventsOf('provisioning.granted', g.role)).map((e) => e.data.account);
      const revoked = (await eventsOf('provisioning.revoked', g.role)).map((e) => e.data.account);
      expect(granted.sort()).toEqual(people.map(localPart).sort());
      expect(revoked.sort()).toEqual(people.map(localPart).sort());
    } finally {
      await second.close();
    }
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- SCIM and API bodies are whatever each test expects */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// Access that Latch grants lands in a SCIM 2.0 service provider (a SaaS app): here another Latch's own
// /scim/v2, listening on loopback, stands for the app. A linked group's members are added to the app's group
// with PATCH and removed the same way; accounts are the app's users, found by userName.

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

let h: Harness;
let app: Harness;
let appToken: string;
let connectionId: string;

const api = async (method: string, url: string, body?: unknown, status?: number): Promise<any> => {
  const res = await h.request(method, `/api/v1${url}`, body === undefined ? {} : { body });
  if (status !== undefined) expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
};
/** The app's own data, over its SCIM API. */
const scim = async (method: string, path: string, body?: unknown) => {
  const res = await app.request(method, `/scim/v2${path}`, {
    token: appToken,
    ...(body === undefined
      ? {}
      : { rawBody: JSON.stringify(body), headers: { 'content-type': 'application/scim+json' } }),
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body as any;
};
const eventually = (fn: () => Promise<boolean>, timeout = 5_000) =>
  expect.poll(fn, { timeout, interval: 20 }).toBe(true);
const appMembers = async (groupId: string): Promise<string[]> =>
  ((await scim('GET', `/Groups/${groupId}`)).members ?? []).map((m: any) => m.value);

/** A Latch user with an account in the app (same userName as the e-mail): the app's user id. */
async function personInApp(): Promise<{ caller: Caller; appUserId: string }> {
  const caller = await h.newUser();
  const pushed = await scim('POST', '/Users', { schemas: [USER], userName: caller.user.email });
  return { caller, appUserId: pushed.id };
}

beforeAll(async () => {
  [h, app] = await Promise.all([startHarness({ jobs: true }), startHarness()]);
  appToken = (await app.request('POST', '/api/v1/scim-tokens', { body: { name: 'latch' } })).body.token;
  await app.latch.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.latch.app.server.address() as AddressInfo;
  connectionId = (
    await api(
      'POST',
      '/connections',
      {
        name: 'saas app',
        kind: 'scim',
        config: { baseUrl: `http://127.0.0.1:${port}/scim/v2` },
        secrets: { bearerToken: appToken },
        mode: 'report',
      },
      201,
    )
  ).id;
}, 60_000);

afterAll(async () => {
  await h?.close();
  await app?.close();
});

describe('provisioning into a SCIM service provider', () => {
  it('adds a member to the app’s group at the grant, and removes them at revocation', async () => {
    const { caller, appUserId } = await personInApp();
    const appGroup = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'app-admins',
      members: [],
    });
    const g = await api('POST', '/groups', { name: 'saas-admins' }, 201);
    await api('PATCH', `/groups/${g.id}`, { remote: { connectionId, remoteId: appGroup.id } }, 200);

    const grant = await api('POST', `/groups/${g.id}/members`, { userId: caller.user.id }, 201);
    await eventually(async () => (await appMembers(appGroup.id)).includes(appUserId));
    // Recorded once the app has answered.
    await eventually(async () => {
      const members = await api('GET', `/groups/${g.id}/members`, undefined, 200);
      return members.items[0].propagation.status === 'synced';
    });

    await api('DELETE', `/grants/${grant.id}`, undefined, 200);
    await eventually(async () => !(await appMembers(appGroup.id)).includes(appUserId));
  });

  it('says no_account for a user the app does not know, and adopts members on import', async () => {
    const stranger = await h.newUser();
    const { caller: known, appUserId } = await personInApp();
    const appGroup = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'app-billing',
      members: [{ value: appUserId }],
    });
    const imported = await api(
      'POST',
      `/connections/${connectionId}/import`,
      { remoteIds: [appGroup.id], adoptMembers: true },
      201,
    );
    const g = imported.items[0];
    expect(g.remote).toMatchObject({ connectionId, remoteId: appGroup.id, remoteName: 'app-billing' });
    // The app's member became a standing grant in Latch, already in place there.
    const check = await api('GET', `/access/check?userId=${known.user.id}&groupId=${g.id}`, undefined, 200);
    expect(check).toMatchObject({ allowed: true, propagation: { status: 'synced' } });

    await api('POST', `/groups/${g.id}/members`, { userId: stranger.user.id }, 201);
    await eventually(async () => {
      const c = await api('GET', `/access/check?userId=${stranger.user.id}&groupId=${g.id}`, undefined, 200);
      return c.propagation.status === 'no_account';
    });
    expect(await appMembers(appGroup.id)).toEqual([appUserId]);
  });

  it('creates the user in the app first when the connection creates users', async () => {
    const shown = await api('GET', `/connections/${connectionId}`, undefined, 200);
    await api(
      'PATCH',
      `/connections/${connectionId}`,
      { config: { ...shown.config, createUsers: true } },
      200,
    );
    try {
      const newcomer = await h.newUser();
      const appGroup = await scim('POST', '/Groups', {
        schemas: [GROUP],
        displayName: 'app-new',
        members: [],
      });
      const g = await api('POST', '/groups', { name: 'saas-new' }, 201);
      await api('PATCH', `/groups/${g.id}`, { remote: { connectionId, remoteId: appGroup.id } }, 200);
      await api('POST', `/groups/${g.id}/members`, { userId: newcomer.user.id }, 201);
      const userInApp = async () =>
        (await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${newcomer.user.email}"`)}`))
          .Resources as any[];
      await eventually(async () => (await userInApp()).length === 1);
      const [made] = await userInApp();
      await eventually(async () => (await appMembers(appGroup.id)).includes(made.id));
    } finally {
      await api(
        'PATCH',
        `/connections/${connectionId}`,
        { config: { ...shown.config, createUsers: false } },
        200,
      );
    }
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each call expects */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { freePort } from '../support/processes.js';
import { settledAfter } from '../support/provisioning.js';
import {
  GROUPS,
  PEOPLE,
  SERVICE_DN,
  SERVICE_PASSWORD,
  groups,
  slapdAvailable,
  startSlapd,
  users,
  type Slapd,
} from '../support/slapd.js';

// Access that Latch grants lands in a real OpenLDAP directory (Debian's slapd, started here with a throwaway
// config, bound as a service account that may only write group membership): the same scenarios on a
// groupOfNames (member DNs) and a posixGroup (memberUid), accounts found by their e-mail.

let h: Harness;
let slapd: Slapd;
let connectionId: string;
const people: Record<'alice' | 'bob', string> = { alice: '', bob: '' };

const api = async (method: string, url: string, body?: unknown, status?: number): Promise<any> => {
  const res = await h.request(method, `/api/v1${url}`, body === undefined ? {} : { body });
  if (status !== undefined) expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
};
const eventually = (fn: () => Promise<boolean>, timeout = 5_000) =>
  expect.poll(fn, { timeout, interval: 20 }).toBe(true);

/** Whether the person is in the LDAP group, as the directory itself says. */
async function inGroup(groupDn: string, who: 'alice' | 'bob'): Promise<boolean> {
  const c = await slapd.admin();
  try {
    const { searchEntries } = await c.search(groupDn, { scope: 'base', attributes: ['member', 'memberUid'] });
    const entry = searchEntries[0]!;
    const values = [entry.member ?? [], entry.memberUid ?? []].flat().map(String);
    return values.some((v) => v.toLowerCase() === users[who].dn.toLowerCase() || v === users[who].uid);
  } finally {
    await c.unbind();
  }
}

async function addOutOfBand(groupDn: string, who: 'alice' | 'bob', posix: boolean): Promise<void> {
  const { Attribute, Change } = await import('ldapts');
  const c = await slapd.admin();
  try {
    const type = posix ? 'memberUid' : 'member';
    const value = posix ? users[who].uid : users[who].dn;
    await c.modify(
      groupDn,
      new Change({ operation: 'add', modification: new Attribute({ type, values: [value] }) }),
    );
  } finally {
    await c.unbind();
  }
}

beforeAll(async () => {
  if (!slapdAvailable()) return;
  [h, slapd] = await Promise.all([startHarness({ jobs: true }), startSlapd(await freePort())]);
  for (const who of ['alice', 'bob'] as const)
    people[who] = (await api('POST', '/users', { email: users[who].mail, name: who }, 201)).id;
  const created = await api(
    'POST',
    '/connections',
    {
      name: 'directory',
      kind: 'ldap',
      config: { url: slapd.url, bindDn: SERVICE_DN, userBaseDn: PEOPLE, groupBaseDn: GROUPS },
      secrets: { bindPassword: SERVICE_PASSWORD },
      mode: 'report',
    },
    201,
  );
  connectionId = created.id;
}, 120_000);

afterAll(async () => {
  await h?.close();
  await slapd?.stop();
});

describe.skipIf(!slapdAvailable())('provisioning into LDAP', () => {
  it('tests the directory and lists its groups', async () => {
    expect(await api('POST', `/connections/${connectionId}/test`, undefined, 200)).toMatchObject({
      ok: true,
    });
    const items = (await api('GET', `/connections/${connectionId}/remote-items`, undefined, 200)).items;
    expect(items.map((i: any) => i.remoteId)).toEqual(
      expect.arrayContaining([groups.prodAdmins, groups.deployers]),
    );
  });

  describe.each([
    ['groupOfNames', groups.prodAdmins, false],
    ['posixGroup', groups.deployers, true],
  ] as const)('on a %s', (_kind, groupDn, posix) => {
    let groupId: string;

    beforeAll(async () => {
      const g = await api('POST', '/groups', { name: `ldap-${_kind}` }, 201);
      groupId = g.id;
      await api('PATCH', `/groups/${groupId}`, { remote: { connectionId, remoteId: groupDn } }, 200);
    });

    it('adds a member at the grant and removes them at expiry', async () => {
      await api(
        'POST',
        `/groups/${groupId}/members`,
        {
          userId: people.alice,
          expiresAt: new Date(Date.now() + 1_500).toISOString(),
        },
        201,
      );
      await eventually(() => inGroup(groupDn, 'alice'));
      await eventually(async () => !(await inGroup(groupDn, 'alice')));
    });

    it('keeps a member while any path remains: nesting, then a direct grant', async () => {
      const parent = await api('POST', '/groups', { name: `ldap-parent-${_kind}` }, 201);
      await api('POST', `/groups/${parent.id}/assets`, { groupId }, 201);
      const viaParent = await api('POST', `/groups/${parent.id}/members`, { userId: people.alice }, 201);
      await eventually(() => inGroup(groupDn, 'alice'));
      const direct = await api('POST', `/groups/${groupId}/members`, { userId: people.alice }, 201);
      const endedAt = new Date();
      await api('DELETE', `/grants/${viaParent.id}`, undefined, 200);
      await eventually(() => settledAfter(h, groupId, endedAt));
      expect(await inGroup(groupDn, 'alice')).toBe(true);
      await api('DELETE', `/grants/${direct.id}`, undefined, 200);
      await eventually(async () => !(await inGroup(groupDn, 'alice')));
    });

    it('reports a member added out of band, and removes them in enforce mode', async () => {
      await addOutOfBand(groupDn, 'bob', posix);
      await api('POST', `/connections/${connectionId}/sync`, undefined, 202);
      const open = async () =>
        (await api('GET', `/connections/${connectionId}/drift`)).items.filter(
          (d: any) => d.remoteId === groupDn,
        );
      await eventually(async () => (await open()).length === 1);
      expect((await open())[0]).toMatchObject({ remoteAccount: users.bob.mail, userId: people.bob });
      await api('PATCH', `/connections/${connectionId}`, { mode: 'enforce' }, 200);
      try {
        await api('POST', `/connections/${connectionId}/sync`, undefined, 202);
        await eventually(async () => !(await inGroup(groupDn, 'bob')));
        await eventually(async () => (await open()).length === 0);
      } finally {
        await api('PATCH', `/connections/${connectionId}`, { mode: 'report' }, 200);
      }
    });
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callApi, processFixture, runCli, stopProcess, type LatchProcess } from '../support/processes.js';

// Connected systems from the command line against a real server. The target is the server's own SCIM service
// (on loopback, which the server calls only when allowed): connect to it with a secret from a file, list, test,
// link a group to a remote group by names, sync, read the drift, and see the errors an operator would.

const ADMIN_TOKEN = `latch_e2e_connections_${'d'.repeat(40)}`;
const ENV = {
  LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test',
  LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
  LATCH_OUTBOUND_ALLOW: '127.0.0.1',
};
const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const fx = processFixture();
afterAll(() => fx.cleanup());

async function scim(p: LatchProcess, token: string, path: string, body: unknown) {
  const res = await fetch(`${p.url}/scim/v2${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBe(201);
  return (await res.json()) as { id: string };
}

describe('latch connections, link and unlink', () => {
  it('connects a SCIM target, links a group to a remote group by names, syncs and lists drift', async () => {
    const dir = fx.tempDir('latch-e2e-connections-');
    const p = await fx.serve(dir, ENV);
    const env = { LATCH_URL: p.url, LATCH_TOKEN: ADMIN_TOKEN };
    const outputs: string[] = [];
    const cli = async (args: string[], extraEnv: Record<string, string> = {}) => {
      const r = await runCli(args, { ...env, ...extraEnv });
      outputs.push(r.stdout, r.stderr);
      return r;
    };

    // The target: a SCIM token, one user and a group holding them, which Latch has no reason for.
    const minted = await callApi(p, ADMIN_TOKEN, 'POST', '/scim-tokens', { name: 'self' });
    expect(minted.status).toBe(201);
    const scimToken = minted.body.token as string;
    const drifter = await scim(p, scimToken, '/Users', {
      schemas: [SCIM_USER],
      userName: 'drifter@example.test',
      emails: [{ value: 'drifter@example.test', primary: true }],
      active: true,
    });
    await scim(p, scimToken, '/Groups', {
      schemas: [SCIM_GROUP],
      displayName: 'app-admins',
      members: [{ value: drifter.id }],
    });
    const group = (await callApi(p, ADMIN_TOKEN, 'POST', '/groups', { name: 'db-admins' })).body as {
      id: string;
    };

    // create: the secret comes from a file and is printed nowhere.
    const secretFile = join(dir, 'scim-token');
    writeFileSync(secretFile, `${scimToken}\n`, { mode: 0o600 });
    const baseUrl = `${p.url}/scim/v2`;
    const created = await cli([
      'connections',
      'create',
      '--name',
      'self-scim',
      '--kind',
      'scim',
      '--base-url',
      baseUrl,
      '--secret-file',
      secretFile,
      '--account-rule',
      'email',
      '--sync-minutes',
      '2h',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const connection = JSON.parse(created.stdout) as Record<string, unknown>;
    expect(connection).toMatchObject({
      name: 'self-scim',
      kind: 'scim',
      mode: 'report',
      syncMinutes: 120,
      accountRule: { type: 'email' },
      config: { baseUrl },
    });
    expect(connection).not.toHaveProperty('secrets');

    // The same name again, the secret from the environment: the API's conflict, exit 1.
    const again = await cli(
      ['connections', 'create', '--name', 'SELF-SCIM', '--kind', 'scim', '--base-url', baseUrl],
      { LATCH_CONNECTION_SECRET: scimToken },
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/latch: a connection named 'SELF-SCIM' already exists \(409 conflict\)/);

    // Usage errors, before anything is sent: no secret, a setting of another kind, a missing setting.
    const noSecret = await cli([
      'connections',
      'create',
      '--name',
      'x',
      '--kind',
      'scim',
      '--base-url',
      baseUrl,
    ]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('--secret-file');
    const stray = await cli([
      'connections',
      'create',
      '--name',
      'x',
      '--kind',
      'scim',
      '--base-url',
      baseUrl,
      '--host',
      'db.internal',
      '--secret-file',
      secretFile,
    ]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--host is a setting of postgres connections, not scim');
    const missing = await cli(['connections', 'create', '--name', 'x', '--kind', 'postgres', '--host', 'db']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('a postgres connection needs --database, --user');

    // A connection to nothing: created, but its test fails with exit 1.
    const dead = await cli(
      [
        'connections',
        'create',
        '--name',
        'dead-scim',
        '--kind',
        'scim',
        '--base-url',
        'http://127.0.0.1:9/scim/v2',
        '--account-rule',
        'template:{localPart}_admin',
      ],
      { LATCH_CONNECTION_SECRET: scimToken },
    );
    expect(dead.code, dead.stderr).toBe(0);
    expect(dead.stdout).toContain('created scim connection dead-scim');

    const list = await cli(['connections', 'list']);
    expect(list.code, list.stderr).toBe(0);
    const header = list.stdout.split('\n')[0]!;
    for (const column of ['NAME', 'KIND', 'MODE', 'STATUS', 'LASTSYNCAT', 'LASTERROR'])
      expect(header).toContain(column);
    expect(list.stdout).toMatch(/self-scim\s+scim\s+report/);
    expect(list.stdout).toMatch(/dead-scim\s+scim\s+report/);
    const listed = JSON.parse((await cli(['connections', 'list', '--json'])).stdout) as {
      name: string;
      accountRule: unknown;
    }[];
    expect(listed.map((c) => c.name).sort()).toEqual(['dead-scim', 'self-scim']);
    expect(listed.find((c) => c.name === 'dead-scim')!.accountRule).toEqual({
      type: 'template',
      template: '{localPart}_admin',
    });

    const test = await cli(['connections', 'test', 'self-scim']);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toMatch(/^self-scim: ok: Reached the SCIM service/);
    const failing = await cli(['connections', 'test', 'dead-scim', '--json']);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout)).toMatchObject({ ok: false, detail: expect.any(String) });

    const remote = await cli(['connections', 'remote-items', 'self-scim']);
    expect(remote.code, remote.stderr).toBe(0);
    expect(remote.stdout).toContain('app-admins');

    // link by names: the group, the connection and the remote group.
    const link = await cli(['link', 'db-admins', 'self-scim', 'app-admins']);
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout).toContain("linked db-admins to group 'app-admins'");
    const linked = await callApi(p, ADMIN_TOKEN, 'GET', `/groups/${group.id}`);
    expect(linked.body.remote).toMatchObject({ connectionId: connection.id, remoteName: 'app-admins' });
    // Adopting members is for a first link; asked on the link it already has, the server says so.
    const adopt = await cli(['link', 'db-admins', 'self-scim', 'app-admins', '--adopt-members']);
    expect(adopt.code).toBe(1);
    expect(adopt.stderr).toContain('is for a new link');
    const unknownRemote = await cli(['link', 'db-admins', 'self-scim', 'no-such-group']);
    expect(unknownRemote.code).toBe(1);
    expect(unknownRemote.stderr).toContain("no remote item 'no-such-group' in self-scim");

    const requested = await cli(['connections', 'sync', 'self-scim']);
    expect(requested.code, requested.stderr).toBe(0);
    expect(requested.stdout).toContain('sync of self-scim requested');
    const synced = await cli(['connections', 'sync', 'self-scim', '--wait', '--timeout', '60']);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toMatch(/sync of self-scim finished: ok, 1 linked item\(s\), 1 open drift/);

    // The drifter is in the remote group, but not in db-admins: open drift, in report mode left in place.
    const drift = await cli(['connections', 'drift', 'self-scim']);
    expect(drift.code, drift.stderr).toBe(0);
    expect(drift.stdout).toContain('drifter@example.test');
    const driftJson = JSON.parse((await cli(['connections', 'drift', 'self-scim', '--json'])).stdout) as {
      remoteAccount: string;
      userId: string | null;
    }[];
    expect(driftJson).toEqual([
      expect.objectContaining({ remoteAccount: 'drifter@example.test', userId: expect.any(String) }),
    ]);
    expect((await cli(['connections', 'drift', 'dead-scim'])).stdout).toContain('no open drift in dead-scim');

    // Errors: an unknown connection name, clearly, with exit 1.
    for (const args of [
      ['connections', 'test', 'nope'],
      ['connections', 'drift', 'nope'],
      ['link', 'db-admins', 'nope', 'app-admins'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain("latch: no connection named 'nope'");
    }

    const unlink = await cli(['unlink', 'db-admins']);
    expect(unlink.code, unlink.stderr).toBe(0);
    expect(unlink.stdout).toContain("unlinked db-admins from 'app-admins' in self-scim");
    expect((await callApi(p, ADMIN_TOKEN, 'GET', `/groups/${group.id}`)).body.remote).toBeNull();
    expect((await cli(['unlink', 'db-admins'])).stdout).toContain('db-admins is not linked');

    for (const out of outputs) expect(out).not.toContain(scimToken);
    await stopProcess(p);
  }, 180_000);
});

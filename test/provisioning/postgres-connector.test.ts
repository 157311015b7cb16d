import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetError, type Connector } from '../../src/provisioning/connector.js';
import { postgresConnector, type PostgresConfig } from '../../src/provisioning/connectors/postgres.js';
import { pgAvailable, startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { freePort } from '../support/processes.js';

// The PostgreSQL connector against a real PostgreSQL 15 cluster, logged in as a non-superuser with
// CREATEROLE and pg_signal_backend, as the README asks of a real deployment. Accounts connect as themselves
// (password authentication) to show what a grant and a revocation actually let them do.

const PROVISIONER_PASSWORD = 'prov-Pa55word-9f3c1e';
const PASSWORDS: Record<string, string> = { alice: 'alice-pw-1', bob: 'bob-pw-2' };
const WEIRD_ROLE = 'we"ird role';
const HOSTILE = 'x"; DROP ROLE alice; --';

let cluster: PgCluster;
let admin: pg.Client;
let config: PostgresConfig;
let connector: Connector;
const opened: { end(): Promise<void> }[] = [];

const q = (name: string) => pg.escapeIdentifier(name);
const lit = (text: string) => pg.escapeLiteral(text);

/** A client with an error listener: the tests end sessions and stop the server under it on purpose. */
async function connectAs(user: string, password = PASSWORDS[user] ?? ''): Promise<pg.Client> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: cluster.port,
    database: 'postgres',
    user,
    password,
  });
  client.on('error', () => {});
  await client.connect();
  opened.push({ end: () => client.end().catch(() => {}) });
  return client;
}

function connect(overrides: Partial<PostgresConfig> = {}, password = PROVISIONER_PASSWORD): Connector {
  const c = postgresConnector({ ...config, ...overrides }, { password }, { connectTimeoutMs: 2_000 });
  opened.push({ end: () => c.close() });
  return c;
}

async function failure(promise: Promise<unknown>): Promise<TargetError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TargetError);
  return err as TargetError;
}

async function roleNames(): Promise<string[]> {
  const { rows } = await admin.query<{ n: string }>('select rolname::text as n from pg_roles');
  return rows.map((r) => r.n);
}

async function isMember(role: string, account: string): Promise<boolean> {
  const { rows } = await admin.query<{ m: boolean }>(
    `select exists (select 1 from pg_auth_members am join pg_roles r on r.oid = am.roleid
       join pg_roles m on m.oid = am.member where r.rolname::text = $1 and m.rolname::text = $2) as m`,
    [role, account],
  );
  return rows[0]!.m;
}

/** A session of `user` that did SET ROLE and read the table through it. */
async function sessionWithRole(user: string, role = 'prod_read'): Promise<pg.Client> {
  const s = await connectAs(user);
  await s.query(`set role ${q(role)}`);
  expect((await s.query('select v from secrets')).rows).toEqual([{ v: 's3cret' }]);
  return s;
}

beforeAll(async () => {
  if (!pgAvailable()) return;
  cluster = startPgCluster(await freePort());
  // initdb trusts everyone: the accounts (and the provisioner) must prove their password instead.
  writeFileSync(
    join(cluster.dir, 'data', 'pg_hba.conf'),
    'host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
  );
  admin = new pg.Client({ connectionString: cluster.url });
  admin.on('error', () => {});
  await admin.connect();
  await admin.query('select pg_reload_conf()');
  await admin.query(
    `create role latch_provisioner login createrole password ${lit(PROVISIONER_PASSWORD)};
     grant pg_signal_backend to latch_provisioner;
     create role alice login password ${lit(PASSWORDS.alice!)};
     create role bob login password ${lit(PASSWORDS.bob!)};
     create role root_like login superuser password 'root-pw';
     create role sneaky login createrole password 'sneaky-pw';
     grant postgres to sneaky;
     create role no_signal login createrole password 'no-signal-pw';
     create role plain login password 'plain-pw';
     create table secrets (v text); insert into secrets values ('s3cret');
     -- Made by the provisioner, so it holds ADMIN OPTION on them on PostgreSQL 16+ as well.
     set role latch_provisioner;
     create role prod_read nologin;
     create role ${q(WEIRD_ROLE)} nologin;
     create role ${q('r'.repeat(63))} nologin;
     reset role;
     grant select on secrets to prod_read, ${q(WEIRD_ROLE)};`,
  );
  config = {
    host: '127.0.0.1',
    port: cluster.port,
    database: 'postgres',
    user: 'latch_provisioner',
    sslmode: 'disable',
  };
  connector = connect();
}, 120_000);

afterAll(async () => {
  for (const o of opened) await o.end();
  await admin?.end().catch(() => {});
  cluster?.stop();
});

describe.skipIf(!pgAvailable())('PostgreSQL connector', () => {
  it('lists group roles only, and tests the login role for least privilege', async () => {
    const items = await connector.remoteItems();
    const ids = items.map((i) => i.remoteId);
    expect(ids).toContain('prod_read');
    expect(ids).toContain(WEIRD_ROLE);
    expect(items.find((i) => i.remoteId === 'prod_read')).toEqual({
      remoteId: 'prod_read',
      name: 'prod_read',
      kind: 'role',
    });
    for (const absent of ['alice', 'bob', 'latch_provisioner', 'postgres', 'pg_signal_backend'])
      expect(ids).not.toContain(absent);
    expect(ids.filter((id) => id.startsWith('pg_'))).toEqual([]);

    const result = await connector.test();
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/PostgreSQL 15\.\d+.*latch_provisioner.*CREATEROLE.*pg_signal_backend/);
    expect(result.detail).not.toContain(PROVISIONER_PASSWORD);
  });

  it('refuses a superuser login, or one that can become a superuser', async () => {
    const su = await connect({ user: 'root_like' }, 'root-pw').test();
    expect(su).toMatchObject({ ok: false });
    expect(su.detail).toMatch(/superuser/);
    const via = await connect({ user: 'sneaky' }, 'sneaky-pw').test();
    expect(via).toMatchObject({ ok: false });
    expect(via.detail).toMatch(/can become the superuser role\(s\) postgres/);
  });

  it('names a missing CREATEROLE or pg_signal_backend (needed only when sessions are ended)', async () => {
    const plain = await connect({ user: 'plain' }, 'plain-pw').test();
    expect(plain).toMatchObject({ ok: false });
    expect(plain.detail).toMatch(/lacks CREATEROLE/);
    const noSignal = await connect({ user: 'no_signal' }, 'no-signal-pw').test();
    expect(noSignal).toMatchObject({ ok: false });
    expect(noSignal.detail).toMatch(/not a member of pg_signal_backend/);
    const keepSessions = await connect(
      { user: 'no_signal', terminateSessions: false },
      'no-signal-pw',
    ).test();
    expect(keepSessions.ok).toBe(true);
  });

  it('answers a wrong password or a closed port with ok:false, never a throw or the password', async () => {
    const wrong = 'wrong-Secret-4242';
    const bad = await connect({}, wrong).test();
    expect(bad.ok).toBe(false);
    expect(bad.detail).toMatch(/password authentication failed/);
    expect(bad.detail).not.toContain(wrong);
    const closed = connect({ port: await freePort() });
    const down = await closed.test();
    expect(down.ok).toBe(false);
    expect(down.detail).toMatch(/connection refused/);
    expect(down.detail).not.toContain(PROVISIONER_PASSWORD);
    expect((await failure(closed.remoteItems())).retryable).toBe(true);
    expect((await failure(connect({}, wrong).members('prod_read'))).retryable).toBe(false);
  });

  it('grants a role so the account can SET ROLE and read, idempotently', async () => {
    const before = await connectAs('alice');
    await expect(before.query('set role prod_read')).rejects.toMatchObject({ code: '42501' });
    expect(await connector.accountExists('alice')).toBe(true);
    expect(await connector.accountExists('prod_read')).toBe(false);
    expect(await connector.accountExists('nobody')).toBe(false);

    expect(await connector.addMember('prod_read', 'alice')).toEqual({ changed: true });
    await sessionWithRole('alice');
    expect(await connector.addMember('prod_read', 'alice')).toEqual({ changed: false });
    expect(await connector.members('prod_read')).toEqual(['alice']);
  });

  it('revokes and ends only that account’s sessions, so a SET ROLE done earlier is gone too', async () => {
    await connector.addMember('prod_read', 'bob');
    const alice = await sessionWithRole('alice');
    const bob = await sessionWithRole('bob');

    expect(await connector.removeMember('prod_read', 'alice')).toEqual({ changed: true });
    await expect(alice.query('select v from secrets')).rejects.toThrow();
    const again = await connectAs('alice');
    await expect(again.query('set role prod_read')).rejects.toMatchObject({ code: '42501' });
    expect((await bob.query('select v from secrets')).rows).toEqual([{ v: 's3cret' }]);
    expect((await admin.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    expect(await connector.members('prod_read')).toEqual(['bob']);
    expect(await connector.removeMember('prod_read', 'alice')).toEqual({ changed: false });
    expect(await isMember('prod_read', 'alice')).toBe(false);
  });

  it('grants and revokes for many accounts at once, each answered as a single call would be', async () => {
    await connector.removeMember('prod_read', 'alice');
    await connector.addMember('prod_read', 'bob');
    const added = await connector.addMembers!('prod_read', [
      'alice',
      'bob',
      'nobody',
      'prod_read',
      'latch_provisioner',
    ]);
    expect(added).toEqual(
      expect.arrayContaining([
        { account: 'alice', result: 'changed' },
        { account: 'bob', result: 'unchanged' },
        { account: 'nobody', result: 'no_account' },
        { account: 'prod_read', result: 'refused', reason: expect.stringContaining('group role') as string },
        {
          account: 'latch_provisioner',
          result: 'refused',
          reason: expect.stringContaining('own login role') as string,
        },
      ]),
    );
    expect(added).toHaveLength(5);
    expect(await connector.members('prod_read')).toEqual(['alice', 'bob']);

    const alice = await sessionWithRole('alice');
    const bob = await sessionWithRole('bob');
    const removed = await connector.removeMembers!('prod_read', ['alice', 'bob', 'nobody']);
    expect(removed).toEqual(
      expect.arrayContaining([
        { account: 'alice', result: 'changed' },
        { account: 'bob', result: 'changed' },
        { account: 'nobody', result: 'unchanged' },
      ]),
    );
    expect(await connector.members('prod_read')).toEqual([]);
    await expect(alice.query('select v from secrets')).rejects.toThrow();
    await expect(bob.query('select v from secrets')).rejects.toThrow();
    expect(await connector.removeMembers!('prod_read', ['alice'])).toEqual([
      { account: 'alice', result: 'unchanged' },
    ]);
    await expect(connector.addMembers!('no_such_role', ['alice'])).rejects.toBeInstanceOf(TargetError);
    // As the tests after this one expect it.
    await connector.addMember('prod_read', 'bob');
  });

  it('without terminateSessions, an open SET ROLE session keeps the role (PostgreSQL semantics)', async () => {
    await connector.addMember('prod_read', 'alice');
    const byOption = await sessionWithRole('alice');
    expect(await connector.removeMember('prod_read', 'alice', { terminateSessions: false })).toEqual({
      changed: true,
    });
    // The membership is gone, yet the session that already switched role still reads as prod_read.
    expect(await isMember('prod_read', 'alice')).toBe(false);
    expect((await byOption.query('select v from secrets')).rows).toEqual([{ v: 's3cret' }]);

    const keepSessions = connect({ terminateSessions: false });
    await keepSessions.addMember('prod_read', 'alice');
    const byConfig = await sessionWithRole('alice');
    expect(await keepSessions.removeMember('prod_read', 'alice')).toEqual({ changed: true });
    expect((await byConfig.query('select v from secrets')).rows).toEqual([{ v: 's3cret' }]);
    await byOption.end();
    await byConfig.end();

    // Without pg_signal_backend the revocation happens, and the sessions left open are reported, not hidden.
    await connector.addMember('prod_read', 'alice');
    const open = await sessionWithRole('alice');
    const err = await failure(
      connect({ user: 'no_signal' }, 'no-signal-pw').removeMember('prod_read', 'alice'),
    );
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/pg_signal_backend/);
    expect(await isMember('prod_read', 'alice')).toBe(false);
    await open.end();
  });

  it('refuses unknown names and roles it must never hand out, changing nothing', async () => {
    for (const call of [
      () => connector.addMember('no_such_role', 'alice'),
      () => connector.addMember('prod_read', 'no_such_account'),
      () => connector.members('no_such_role'),
      () => connector.addMember('prod_read', 'latch_provisioner'),
      () => connector.addMember('prod_read', WEIRD_ROLE), // a group role is not an account
    ]) {
      const err = await failure(call());
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/no_such_role|no_such_account|own login role|not an account/);
    }
    // CREATEROLE on 15 could grant these: the connector must not.
    for (const role of ['pg_read_server_files', 'pg_execute_server_program', 'bob', 'postgres']) {
      expect((await failure(connector.addMember(role, 'alice'))).retryable).toBe(false);
      expect(await isMember(role, 'alice')).toBe(false);
    }
    // A name PostgreSQL would truncate into another role's is refused, not granted as that role.
    const long = 'r'.repeat(63);
    expect((await failure(connector.addMember(`${long}x`, 'alice'))).message).toMatch(/63 bytes/);
    expect(await isMember(long, 'alice')).toBe(false);
    expect(await connector.accountExists(`alice${'e'.repeat(70)}`)).toBe(false);
    // Nothing to revoke is the wanted state already.
    expect(await connector.removeMember('no_such_role', 'alice')).toEqual({ changed: false });
    expect(await connector.removeMember('prod_read', 'no_such_account')).toEqual({ changed: false });
  });

  it('quotes identifiers: odd names work and hostile ones do nothing harmful', async () => {
    expect(await connector.addMember(WEIRD_ROLE, 'alice')).toEqual({ changed: true });
    expect(await connector.members(WEIRD_ROLE)).toEqual(['alice']);
    await sessionWithRole('alice', WEIRD_ROLE);
    expect(await connector.removeMember(WEIRD_ROLE, 'alice')).toEqual({ changed: true });
    expect(await connector.members(WEIRD_ROLE)).toEqual([]);

    expect((await failure(connector.addMember('prod_read', HOSTILE))).retryable).toBe(false);
    expect((await failure(connector.addMember(`prod_read" TO alice; --`, 'bob'))).retryable).toBe(false);
    expect(await roleNames()).toEqual(expect.arrayContaining(['alice', 'bob']));

    await admin.query(`create role ${q(HOSTILE)} login`);
    expect(await connector.accountExists(HOSTILE)).toBe(true);
    expect(await connector.addMember('prod_read', HOSTILE)).toEqual({ changed: true });
    expect(await connector.members('prod_read')).toEqual(['bob', HOSTILE].sort());
    expect(await connector.removeMember('prod_read', HOSTILE)).toEqual({ changed: true });
    expect(await roleNames()).toEqual(expect.arrayContaining(['alice', 'bob', HOSTILE]));
    expect(await isMember('prod_read', 'alice')).toBe(false);
  });

  it('survives the target restarting or stopping, and works again without being recreated', async () => {
    await connector.members('prod_read'); // pooled connections open and idle
    cluster.restart();
    expect(await connector.members('prod_read')).toEqual(['bob']);

    await admin.end();
    cluster.pause();
    try {
      for (const call of [
        () => connector.members('prod_read'),
        () => connector.addMember('prod_read', 'alice'),
        () => connector.removeMember('prod_read', 'bob'),
        () => connector.remoteItems(),
      ])
        expect((await failure(call())).retryable).toBe(true);
      const result = await connector.test();
      expect(result.ok).toBe(false);
      expect(result.detail).not.toContain(PROVISIONER_PASSWORD);
    } finally {
      cluster.resume();
    }
    admin = new pg.Client({ connectionString: cluster.url });
    admin.on('error', () => {});
    await admin.connect();
    expect(await connector.addMember('prod_read', 'alice')).toEqual({ changed: true });
    expect(await connector.members('prod_read')).toEqual(['alice', 'bob']);
    expect((await connector.test()).ok).toBe(true);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { startPgCluster, type PgCluster } from './pg-cluster.js';
import { freePort } from './processes.js';

// A PostgreSQL 15 cluster as a connected system: a provisioner login role with CREATEROLE and
// pg_signal_backend (never a superuser, as the README asks), group roles guarding a table, and accounts that
// connect as themselves with a password, to show what a grant and a revocation let them do.

export const PROVISIONER = { user: 'latch_provisioner', password: 'prov-Pa55word-7e2d41' };
const ACCOUNT_PASSWORD = 'acct-pw-31c9';

export interface PgTarget {
  cluster: PgCluster;
  /** The connection's config and secrets as an admin enters them. */
  config: { host: string; port: number; database: string; user: string; sslmode: 'disable' };
  secrets: { password: string };
  /** A login role for an account (idempotent). */
  account(name: string): Promise<void>;
  /** A group role (NOLOGIN) made by the provisioner, allowed to read the guarded table. */
  role(name: string): Promise<void>;
  isMember(role: string, account: string): Promise<boolean>;
  /** Run as the cluster's superuser (an out-of-band change by someone else). */
  sql(text: string): Promise<void>;
  /** A session of `account` that did SET ROLE `role` and read the guarded table through it. */
  sessionWithRole(account: string, role: string): Promise<pg.Client>;
  /** Whether the session still works (false once the server ended it). */
  alive(session: pg.Client): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startPgTarget(): Promise<PgTarget> {
  const cluster = startPgCluster(await freePort());
  writeFileSync(
    join(cluster.dir, 'data', 'pg_hba.conf'),
    'host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n',
  );
  // A pool, so that checks reconnect after the tests stop and start the cluster.
  const admin = new pg.Pool({ connectionString: cluster.url, max: 2 });
  admin.on('error', () => {});
  await admin.query('select pg_reload_conf()');
  const lit = (t: string) => pg.escapeLiteral(t);
  const q = (t: string) => pg.escapeIdentifier(t);
  await admin.query(
    `create role ${PROVISIONER.user} login createrole password ${lit(PROVISIONER.password)};
     grant pg_signal_backend to ${PROVISIONER.user};
     create table guarded (v text); insert into guarded values ('s3cret');`,
  );
  const sessions: pg.Client[] = [];
  return {
    cluster,
    config: {
      host: '127.0.0.1',
      port: cluster.port,
      database: 'postgres',
      user: PROVISIONER.user,
      sslmode: 'disable',
    },
    secrets: { password: PROVISIONER.password },
    async account(name) {
      await admin.query(
        `do $$ begin if not exists (select from pg_roles where rolname = ${lit(name)}) then
           create role ${q(name)} login password ${lit(ACCOUNT_PASSWORD)}; end if; end $$`,
      );
    },
    async role(name) {
      await admin.query(
        `set role ${PROVISIONER.user}; create role ${q(name)} nologin; reset role;
         grant select on guarded to ${q(name)};`,
      );
    },
    async isMember(role, account) {
      const { rows } = await admin.query<{ m: boolean }>(
        `select exists (select 1 from pg_auth_members am join pg_roles r on r.oid = am.roleid
           join pg_roles m on m.oid = am.member where r.rolname = $1 and m.rolname = $2) as m`,
        [role, account],
      );
      return rows[0]!.m;
    },
    async sql(text) {
      await admin.query(text);
    },
    async sessionWithRole(account, role) {
      const s = new pg.Client({
        host: '127.0.0.1',
        port: cluster.port,
        database: 'postgres',
        user: account,
        password: ACCOUNT_PASSWORD,
      });
      s.on('error', () => {});
      await s.connect();
      sessions.push(s);
      await s.query(`set role ${q(role)}`);
      expect((await s.query('select v from guarded')).rows).toEqual([{ v: 's3cret' }]);
      return s;
    },
    async alive(session) {
      return session.query('select 1').then(
        () => true,
        () => false,
      );
    },
    async stop() {
      for (const s of sessions) await s.end().catch(() => {});
      await admin.end().catch(() => {});
      cluster.stop();
    },
  };
}

import type pg from 'pg';

// What the connector reads from the target's catalogs. Names are always passed as parameters and compared as
// text (`rolname::text = $1`), never cast to `name`, which would truncate a long name into another role's.
// Written for PostgreSQL 15; the membership test also reads the SET/INHERIT options that 16 added.

/**
 * The rule for a role Latch may link and grant: a group role (NOLOGIN), not a superuser, not a predefined
 * role (`pg_*`, below FirstNormalObjectId), not the connection's own. A CREATEROLE role on PostgreSQL 15 can
 * grant any non-superuser role, including `pg_read_server_files` and friends, so this is what keeps Latch
 * from handing those out. One definition: listing and granting both use it.
 */
const LINKABLE = `(not r.rolcanlogin and not r.rolsuper and r.rolname !~ '^pg_' and r.oid >= 16384
  and r.rolname <> current_user)`;

/**
 * A membership that gives something: always on 15 (one row per pair); on 16+ a row may carry only ADMIN
 * OPTION (the row a CREATEROLE creator gets), which neither lets the member SET ROLE nor inherit. to_jsonb
 * reads the 16+ columns without failing on 15, where they are absent (null).
 */
const EFFECTIVE = `coalesce((to_jsonb(am)->>'set_option')::boolean or (to_jsonb(am)->>'inherit_option')::boolean, true)`;

export interface RoleRow {
  oid: number;
  name: string;
  canLogin: boolean;
  superuser: boolean;
  /** The connection's own login role (current_user). */
  own: boolean;
  linkable: boolean;
}

export async function findRole(c: pg.PoolClient, name: string): Promise<RoleRow | undefined> {
  const { rows } = await c.query<RoleRow>(
    `select r.oid::int as oid, r.rolname::text as name, r.rolcanlogin as "canLogin", r.rolsuper as superuser,
            r.rolname = current_user as own, ${LINKABLE} as linkable
       from pg_roles r where r.rolname::text = $1`,
    [name],
  );
  return rows[0];
}

export async function linkableRoles(c: pg.PoolClient): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>(
    `select r.rolname::text as name from pg_roles r where ${LINKABLE} order by 1`,
  );
  return rows.map((r) => r.name);
}

/**
 * The login roles that are direct members. Group roles nested in the role are the target's own structure, not
 * accounts, and the connection's own role is never an account Latch manages, so neither is listed.
 */
export async function directMembers(c: pg.PoolClient, roleOid: number): Promise<string[]> {
  const { rows } = await c.query<{ name: string }>(
    `select distinct m.rolname::text as name
       from pg_auth_members am join pg_roles m on m.oid = am.member
      where am.roleid = $1 and m.rolcanlogin and m.rolname <> current_user and ${EFFECTIVE}
      order by 1`,
    [roleOid],
  );
  return rows.map((r) => r.name);
}

export async function isMember(c: pg.PoolClient, roleOid: number, memberOid: number): Promise<boolean> {
  const { rows } = await c.query<{ member: boolean }>(
    `select exists (select 1 from pg_auth_members am
                     where am.roleid = $1 and am.member = $2 and ${EFFECTIVE}) as member`,
    [roleOid, memberOid],
  );
  return rows[0]?.member === true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ends every session logged in as one of the accounts (by oid: `usename` is only the name), other than this
 * one, and waits up to `waitMs` for them to go. Answers how many are still there afterwards. Signalled without
 * pg_terminate_backend's own wait, which checks only every 100 ms: here the check is every few ms.
 */
export async function terminateSessions(
  c: pg.PoolClient,
  accountOids: readonly number[],
  waitMs: number,
): Promise<number> {
  if (accountOids.length === 0) return 0;
  // The sessions are chosen first (OFFSET 0 keeps the subquery apart) and only then signalled: a signal in
  // the WHERE clause could be sent to sessions the other conditions would have left out.
  const { rows } = await c.query<{ pids: number[] | null }>(
    `select array_agg(pid) filter (where signalled) as pids from (
       select t.pid, pg_terminate_backend(t.pid) as signalled from (
         select a.pid from pg_stat_activity a
          where a.usesysid = any($1::oid[]) and a.pid <> pg_backend_pid() offset 0) t) s`,
    [accountOids],
  );
  const pids = rows[0]?.pids ?? [];
  for (const until = Date.now() + waitMs; pids.length > 0;) {
    const left = await c.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where pid = any($1::int[]) and usesysid = any($2::oid[])`,
      [pids, accountOids],
    );
    const n = left.rows[0]?.n ?? 0;
    if (n === 0 || Date.now() >= until) return n;
    await sleep(5);
  }
  return 0;
}

/** The roles of these names that exist (each compared as text). */
export async function findRoles(c: pg.PoolClient, names: readonly string[]): Promise<RoleRow[]> {
  const { rows } = await c.query<RoleRow>(
    `select r.oid::int as oid, r.rolname::text as name, r.rolcanlogin as "canLogin", r.rolsuper as superuser,
            r.rolname = current_user as own, ${LINKABLE} as linkable
       from pg_roles r where r.rolname::text = any($1::text[])`,
    [names],
  );
  return rows;
}

/** Which of the roles `memberOids` are effective members of the role. */
export async function membersAmong(c: pg.PoolClient, roleOid: number, memberOids: readonly number[]) {
  const { rows } = await c.query<{ member: number }>(
    `select distinct am.member::int as member from pg_auth_members am
      where am.roleid = $1 and am.member = any($2::oid[]) and ${EFFECTIVE}`,
    [roleOid, memberOids],
  );
  return new Set(rows.map((r) => r.member));
}

export interface ServerFacts {
  version: string;
  login: string;
  superuser: boolean;
  createRole: boolean;
  canSignal: boolean;
  /** Superuser roles the login role can become by SET ROLE: as good as being one. */
  superuserVia: string | null;
  linkable: number;
}

export async function serverFacts(c: pg.PoolClient): Promise<ServerFacts> {
  const { rows } = await c.query<ServerFacts>(
    `select current_setting('server_version') as version, current_user::text as login,
            r.rolsuper as superuser, r.rolcreaterole as "createRole",
            pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') as "canSignal",
            (select string_agg(s.rolname::text, ', ' order by s.rolname) from pg_roles s
              where s.rolsuper and s.oid <> r.oid and pg_has_role(current_user, s.oid, 'MEMBER')) as "superuserVia",
            (select count(*)::int from pg_roles r where ${LINKABLE}) as linkable
       from pg_roles r where r.rolname = current_user`,
  );
  const facts = rows[0];
  if (!facts) throw new Error('the login role is missing from pg_roles');
  return facts;
}

/** Why a role falls outside LINKABLE, for the refusal message. */
export function whyNotLinkable(role: RoleRow): string {
  if (role.own) return "it is the connection's own login role";
  if (role.superuser) return 'it is a superuser role';
  if (role.canLogin) return 'it is a login role (Latch grants group roles, NOLOGIN)';
  return 'it is a predefined system role';
}

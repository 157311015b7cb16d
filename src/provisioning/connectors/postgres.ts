import pg from 'pg';
import {
  TargetError,
  type ChangeResult,
  type Connector,
  type RemoteItem,
  type RevokeOptions,
  type TestResult,
} from '../connector.js';
import {
  directMembers,
  findRole,
  isMember,
  linkableRoles,
  terminateSessions,
  whyNotLinkable,
  type RoleRow,
} from './postgres-catalog.js';
import { DEFAULT_TERMINATE_SESSIONS, type PostgresConfig, type PostgresSecrets } from './postgres-config.js';
import { checkName, isPossibleName, quote } from './postgres-names.js';
import { openTargetPool, type PostgresConnectorOptions } from './postgres-pool.js';
import { probe } from './postgres-probe.js';
import { batchChanges } from './postgres-batch.js';

export {
  parsePostgresConfig,
  parsePostgresSecrets,
  type PostgresConfig,
  type PostgresSecrets,
  type PostgresSslMode,
} from './postgres-config.js';
export type { PostgresConnectorOptions } from './postgres-pool.js';

// A PostgreSQL cluster as a connected system: Latch items link to group roles (NOLOGIN), accounts are login
// roles, and a grant is `GRANT role TO account`. Every name is resolved in the catalog first, so an unknown or
// ill-suited name is refused before any change, and reaches SQL only through escapeIdentifier.

const SIGNAL_HINT = 'ending sessions needs membership in pg_signal_backend';

export function postgresConnector(
  config: PostgresConfig,
  secrets: PostgresSecrets,
  options: PostgresConnectorOptions = {},
): Connector {
  const target = openTargetPool(config, secrets, options);
  const { where } = target;

  async function role(c: pg.PoolClient, name: string): Promise<RoleRow> {
    const found = await findRole(c, name);
    if (!found) throw new TargetError(`no role ${quote(name)} in PostgreSQL at ${where}`, false);
    return found;
  }

  /** A login role other than the connection's own, or undefined when there is no role of that name. */
  async function account(c: pg.PoolClient, name: string): Promise<RoleRow | undefined> {
    const found = await findRole(c, name);
    if (found?.own)
      throw new TargetError(`${quote(name)} is the connection's own login role, not an account`, false);
    if (found && !found.canLogin)
      throw new TargetError(
        `${quote(name)} is a group role (NOLOGIN) in PostgreSQL at ${where}, not an account`,
        false,
      );
    return found;
  }

  async function endSessions(name: string): Promise<void> {
    const waitMs = Math.min(5_000, Math.floor(target.statementTimeoutMs / 2));
    const left = await target.run(
      `ending the sessions of ${quote(name)}`,
      async (c) => {
        const a = await account(c, name);
        return a ? terminateSessions(c, [a.oid], waitMs) : 0;
      },
      SIGNAL_HINT,
    );
    if (left > 0)
      throw new TargetError(`${left} session(s) of ${quote(name)} did not end within ${waitMs} ms`, true);
  }

  return {
    async test(): Promise<TestResult> {
      try {
        return await target.run('testing the connection', (c) =>
          probe(c, config.terminateSessions ?? DEFAULT_TERMINATE_SESSIONS),
        );
      } catch (err) {
        return { ok: false, detail: target.describe(err, 'testing the connection') };
      }
    },

    async remoteItems(): Promise<RemoteItem[]> {
      const names = await target.run('listing roles', linkableRoles);
      return names.map((name) => ({ remoteId: name, name, kind: 'role' }));
    },

    async members(remoteId: string): Promise<string[]> {
      checkName('role', remoteId);
      return target.run(`listing the members of ${quote(remoteId)}`, async (c) =>
        directMembers(c, (await role(c, remoteId)).oid),
      );
    },

    async accountExists(name: string): Promise<boolean> {
      if (!isPossibleName(name)) return false;
      return target.run(
        `looking up ${quote(name)}`,
        async (c) => (await findRole(c, name))?.canLogin === true,
      );
    },

    async addMember(remoteId: string, name: string): Promise<ChangeResult> {
      checkName('role', remoteId);
      checkName('account', name);
      return target.run(`granting ${quote(remoteId)} to ${quote(name)}`, async (c) => {
        const r = await role(c, remoteId);
        if (!r.linkable)
          throw new TargetError(`Latch does not grant role ${quote(remoteId)}: ${whyNotLinkable(r)}`, false);
        const a = await account(c, name);
        if (!a) throw new TargetError(`no login role ${quote(name)} in PostgreSQL at ${where}`, false);
        if (await isMember(c, r.oid, a.oid)) return { changed: false };
        await c.query(`GRANT ${pg.escapeIdentifier(r.name)} TO ${pg.escapeIdentifier(a.name)}`);
        if (!(await isMember(c, r.oid, a.oid)))
          throw new TargetError(`GRANT ${quote(remoteId)} TO ${quote(name)} had no effect`, false);
        return { changed: true };
      });
    },

    async removeMember(remoteId: string, name: string, opts: RevokeOptions = {}): Promise<ChangeResult> {
      checkName('role', remoteId);
      checkName('account', name);
      const terminate = opts.terminateSessions ?? config.terminateSessions ?? DEFAULT_TERMINATE_SESSIONS;
      const changed = await target.run(`revoking ${quote(remoteId)} from ${quote(name)}`, async (c) => {
        // An unknown role or account holds no membership: already in the wanted state.
        const r = await findRole(c, remoteId);
        const a = await account(c, name);
        if (!r || !a || !(await isMember(c, r.oid, a.oid))) return false;
        await c.query(`REVOKE ${pg.escapeIdentifier(r.name)} FROM ${pg.escapeIdentifier(a.name)}`);
        // On 16+ REVOKE only removes the grants this role made; one by another grantor stays, and must not pass
        // for revoked.
        if (await isMember(c, r.oid, a.oid))
          throw new TargetError(
            `${quote(name)} is still a member of ${quote(remoteId)}: the membership was granted by another role`,
            false,
          );
        return true;
      });
      // Revoking does not reach a session that already did SET ROLE: only ending it does. Done on every call,
      // not only when something changed, so a retry after a crash between the two steps still ends them.
      if (terminate) await endSessions(name);
      return { changed };
    },

    ...batchChanges(target, config.terminateSessions ?? DEFAULT_TERMINATE_SESSIONS),

    close: () => target.close(),
  };
}

import pg from 'pg';
import { TargetError, type MemberChange, type RevokeOptions } from '../connector.js';
import {
  findRole,
  findRoles,
  membersAmong,
  terminateSessions,
  whyNotLinkable,
  type RoleRow,
} from './postgres-catalog.js';
import { checkName, isPossibleName, quote } from './postgres-names.js';
import type { TargetPool } from './postgres-pool.js';

// Granting and revoking a role for many accounts in one statement, as the engine does when many changes are
// due at once (a start after downtime, a new link of a large group). Each account's outcome is what the single
// call would give: an unknown name has no account, a group role or the connection's own is refused, and a
// membership that a REVOKE did not end (granted by another role, on 16+) is refused, not passed for revoked.

const SIGNAL_HINT = 'ending sessions needs membership in pg_signal_backend';

type Sorted = { accounts: RoleRow[]; out: MemberChange[] };

/** The accounts among `names`, and the outcome of those that are none. */
async function sortAccounts(c: pg.PoolClient, names: readonly string[], where: string): Promise<Sorted> {
  const found = new Map((await findRoles(c, names.filter(isPossibleName))).map((r) => [r.name, r]));
  const out: MemberChange[] = [];
  const accounts: RoleRow[] = [];
  for (const account of names) {
    const row = found.get(account);
    if (!row) out.push({ account, result: 'no_account' });
    else if (row.own)
      out.push({
        account,
        result: 'refused',
        reason: `${quote(account)} is the connection's own login role, not an account`,
      });
    else if (!row.canLogin)
      out.push({
        account,
        result: 'refused',
        reason: `${quote(account)} is a group role (NOLOGIN) in PostgreSQL at ${where}, not an account`,
      });
    else accounts.push(row);
  }
  return { accounts, out };
}

const list = (rows: RoleRow[]) => rows.map((r) => pg.escapeIdentifier(r.name)).join(', ');

export function batchChanges(target: TargetPool, terminateByDefault: boolean) {
  const { where } = target;
  return {
    async addMembers(remoteId: string, names: readonly string[]): Promise<MemberChange[]> {
      checkName('role', remoteId);
      return target.run(`granting ${quote(remoteId)} to ${names.length} accounts`, async (c) => {
        const role = await findRole(c, remoteId);
        if (!role) throw new TargetError(`no role ${quote(remoteId)} in PostgreSQL at ${where}`, false);
        if (!role.linkable)
          throw new TargetError(
            `Latch does not grant role ${quote(remoteId)}: ${whyNotLinkable(role)}`,
            false,
          );
        const { accounts, out } = await sortAccounts(c, names, where);
        const before = await membersAmong(
          c,
          role.oid,
          accounts.map((a) => a.oid),
        );
        const fresh = accounts.filter((a) => !before.has(a.oid));
        if (fresh.length > 0) await c.query(`GRANT ${pg.escapeIdentifier(role.name)} TO ${list(fresh)}`);
        const after =
          fresh.length > 0
            ? await membersAmong(
                c,
                role.oid,
                fresh.map((a) => a.oid),
              )
            : new Set();
        for (const a of accounts)
          if (before.has(a.oid)) out.push({ account: a.name, result: 'unchanged' });
          else if (after.has(a.oid)) out.push({ account: a.name, result: 'changed' });
          else
            out.push({
              account: a.name,
              result: 'refused',
              reason: `GRANT ${quote(remoteId)} TO ${quote(a.name)} had no effect`,
            });
        return out;
      });
    },

    async removeMembers(
      remoteId: string,
      names: readonly string[],
      opts: RevokeOptions = {},
    ): Promise<MemberChange[]> {
      checkName('role', remoteId);
      const terminate = opts.terminateSessions ?? terminateByDefault;
      const { out, accounts } = await target.run(
        `revoking ${quote(remoteId)} from ${names.length} accounts`,
        async (c) => {
          const sorted = await sortAccounts(c, names, where);
          // An unknown role holds no membership: every account is already out.
          const role = await findRole(c, remoteId);
          const held = role
            ? await membersAmong(
                c,
                role.oid,
                sorted.accounts.map((a) => a.oid),
              )
            : new Set<number>();
          const gone = sorted.accounts.filter((a) => held.has(a.oid));
          if (role && gone.length > 0)
            await c.query(`REVOKE ${pg.escapeIdentifier(role.name)} FROM ${list(gone)}`);
          const still =
            role && gone.length > 0
              ? await membersAmong(
                  c,
                  role.oid,
                  gone.map((a) => a.oid),
                )
              : new Set();
          for (const a of sorted.accounts)
            if (!held.has(a.oid)) sorted.out.push({ account: a.name, result: 'unchanged' });
            else if (still.has(a.oid))
              sorted.out.push({
                account: a.name,
                result: 'refused',
                reason: `${quote(a.name)} is still a member of ${quote(remoteId)}: the membership was granted by another role`,
              });
            else sorted.out.push({ account: a.name, result: 'changed' });
          // An unknown account has no membership and no session: out already.
          for (const o of sorted.out)
            if (o.result === 'no_account') Object.assign(o, { result: 'unchanged' });
          return sorted;
        },
      );
      // As for one account: sessions are ended on every call, so a retry after a crash still ends them.
      if (terminate && accounts.length > 0) {
        const waitMs = Math.min(5_000, Math.floor(target.statementTimeoutMs / 2));
        const left = await target.run(
          `ending the sessions of ${accounts.length} accounts`,
          (c) =>
            terminateSessions(
              c,
              accounts.map((a) => a.oid),
              waitMs,
            ),
          SIGNAL_HINT,
        );
        if (left > 0) throw new TargetError(`${left} session(s) did not end within ${waitMs} ms`, true);
      }
      return out;
    },
  };
}

import { accountFor, type AccountRule } from '../../domain/connections/account-rule.js';
import type { ParsedSettings } from '../../domain/connections/connector.js';
import type { ConnectionKind, ConnectionMode } from '../../domain/connections/connection.js';
import { hasWork, observedApplied, unexplained } from '../../domain/connections/provisioning-plan.js';
import type { NewEvent } from '../../store/events.js';
import {
  accountOverrides,
  anyConnections,
  findConnectionRow,
  finishSync,
  leaseDueSyncs,
  nextSyncAt,
  recordConnectionStatus,
} from '../../store/connections.js';
import { accountsOfItem, retryStalled, setApplied, toState } from '../../store/provisioned-accounts.js';
import {
  closeDrift,
  closeUnlinkedDrift,
  countOpenDrift,
  insertDrift,
  openDrift,
} from '../../store/provisioning-drift.js';
import { linksOfConnection } from '../../store/remote-links.js';
import { userEmails } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { connectionSettings, kindsOf } from './open-connector.js';

// Reconciliation: what the target holds, read by the provisioning engine, is compared with what Latch wants.
// A wanted account missing there is put back; members Latch does not explain are drift, reported, and in
// `enforce` mode taken out. One replica reconciles a connection at a time (a lease on its sync schedule).

export interface EngineConnection {
  id: string;
  name: string;
  kind: ConnectionKind;
  mode: ConnectionMode;
  /** Changes whenever the settings do, so a cached connector is replaced. */
  version: string;
  settings: ParsedSettings;
  syncMinutes: number;
}

export async function engineConnection(deps: OpsDeps, id: string): Promise<EngineConnection | undefined> {
  const row = await findConnectionRow(deps.db, id);
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ConnectionKind,
    mode: row.mode as ConnectionMode,
    version: `${row.updated_at.getTime()}`,
    settings: connectionSettings(deps, row),
    syncMinutes: row.sync_minutes,
  };
}

/** Leases the connections whose reconciliation is due. */
export async function leaseSyncs(deps: OpsDeps, owner: string, leaseMs: number): Promise<string[]> {
  const now = deps.now();
  const rows = await leaseDueSyncs(deps.db, owner, now, new Date(now.getTime() + leaseMs), 10);
  return rows.map((r) => r.id);
}

export const nextSyncDue = (deps: Pick<OpsDeps, 'db'>) => nextSyncAt(deps.db);

/** Whether any connection exists: a server without one has no provisioning work to look for. */
export const anyConnectionsExist = (deps: Pick<OpsDeps, 'db'>) => anyConnections(deps.db);

/** The remote items linked through a connection, to read their members. */
export async function linkedRemoteItems(deps: OpsDeps, connectionId: string) {
  return (await linksOfConnection(deps.db, connectionId)).map((l) => ({
    remoteId: l.remote_id,
    itemId: l.item_id,
    remoteName: l.remote_name,
  }));
}

export interface DriftToRevert {
  remoteId: string;
  remoteName: string;
  remoteAccount: string;
  userId: string | null;
}

/**
 * Records what the target holds in each linked remote item: accounts Latch put there that are gone are due to
 * go back in; unexplained members become open drift (`drift.detected`), and drift no longer there is closed.
 * Returns the drift to take out when the connection enforces.
 */
export async function recordObservation(
  deps: OpsDeps,
  c: EngineConnection,
  observed: ReadonlyMap<string, readonly string[]>,
): Promise<DriftToRevert[]> {
  const key = kindsOf(deps).accountKey(c.kind);
  const byAccount = await accountsToUsers(deps, c.id, key);
  return runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const events: NewEvent[] = [];
    const toRevert: DriftToRevert[] = [];
    const links = await linksOfConnection(trx, c.id);
    // Drift is about linked items: what was open on an item since unlinked is no longer Latch's to judge.
    await closeUnlinkedDrift(
      trx,
      c.id,
      links.map((l) => l.remote_id),
    );
    for (const link of links) {
      const members = observed.get(link.remote_id);
      if (!members) continue;
      const present = new Set(members.map(key));
      const rows = (await accountsOfItem(trx, link.item_id, true)).filter(
        (r) => r.remote_id === link.remote_id,
      );
      for (const r of rows) {
        if (r.lease_owner !== null && r.lease_until !== null && r.lease_until > now) continue;
        const s = toState(r);
        const applied = observedApplied(s, (a) => present.has(key(a)));
        if (applied !== s.appliedAccount)
          await setApplied(
            trx,
            r.item_id,
            r.user_id,
            applied,
            hasWork({ ...s, appliedAccount: applied }),
            now,
          );
      }
      await retryStalled(trx, link.item_id, now);
      const drift = unexplained(members, rows.map(toState), key);
      const open = new Map(
        (await openDrift(trx, c.id, link.remote_id)).map((d) => [key(d.remoteAccount), d]),
      );
      const fresh = drift.filter((a) => !open.has(key(a)));
      const gone = [...open.values()].filter((d) => !drift.some((a) => key(a) === key(d.remoteAccount)));
      await closeDrift(
        trx,
        c.id,
        link.remote_id,
        gone.map((d) => d.remoteAccount),
      );
      await insertDrift(
        trx,
        c.id,
        fresh.map((a) => ({
          remoteId: link.remote_id,
          remoteAccount: a,
          userId: byAccount.get(key(a)) ?? null,
          detectedAt: now,
        })),
      );
      for (const a of fresh) {
        const userId = byAccount.get(key(a)) ?? null;
        events.push({
          type: 'drift.detected',
          actorId: null,
          subjects: [
            { type: 'connection', id: c.id },
            { type: link.item_type, id: link.item_id },
            ...(userId ? [{ type: 'user', id: userId }] : []),
          ],
          data: { remoteId: link.remote_id, remoteName: link.remote_name, remoteAccount: a, mode: c.mode },
        });
      }
      if (c.mode === 'enforce')
        for (const a of drift)
          toRevert.push({
            remoteId: link.remote_id,
            remoteName: link.remote_name,
            remoteAccount: a,
            userId: byAccount.get(key(a)) ?? null,
          });
    }
    return { result: toRevert, events };
  });
}

/** Closes drift that was taken out of the target, with its event. */
export async function recordDriftReverted(
  deps: OpsDeps,
  c: EngineConnection,
  reverted: readonly DriftToRevert[],
) {
  if (reverted.length === 0) return;
  await runInTransaction(deps, async (trx) => {
    const events: NewEvent[] = [];
    for (const d of reverted) {
      await closeDrift(trx, c.id, d.remoteId, [d.remoteAccount]);
      events.push({
        type: 'drift.reverted',
        actorId: null,
        subjects: [{ type: 'connection', id: c.id }, ...(d.userId ? [{ type: 'user', id: d.userId }] : [])],
        data: { remoteId: d.remoteId, remoteName: d.remoteName, remoteAccount: d.remoteAccount },
      });
    }
    return { result: undefined, events };
  });
}

/** Ends a reconciliation: the connection's status, the next one scheduled, and `connection.synced`. */
export async function finishConnectionSync(
  deps: OpsDeps,
  owner: string,
  c: EngineConnection,
  result: { ok: true; items: number; reverted: number } | { ok: false; error: string },
): Promise<void> {
  await runInTransaction(deps, async (trx) => {
    const now = deps.now();
    const openDriftCount = result.ok ? await countOpenDrift(trx, c.id) : 0;
    await recordConnectionStatus(trx, c.id, {
      ok: result.ok,
      error: result.ok ? null : result.error,
      ...(result.ok ? { syncedAt: now } : {}),
    });
    await finishSync(trx, c.id, owner, new Date(now.getTime() + c.syncMinutes * 60_000));
    const data = result.ok
      ? { name: c.name, ...result, openDrift: openDriftCount }
      : { name: c.name, ok: false };
    return {
      result: undefined,
      events: [
        { type: 'connection.synced', actorId: null, subjects: [{ type: 'connection', id: c.id }], data },
      ],
    };
  });
}

/** Who each account in the target is, by the connection's rule and overrides (for drift that is a known user). */
async function accountsToUsers(deps: OpsDeps, connectionId: string, key: (a: string) => string) {
  const row = await findConnectionRow(deps.db, connectionId);
  const out = new Map<string, string>();
  if (!row) return out;
  const [emails, overrides] = await Promise.all([
    userEmails(deps.db),
    accountOverrides(deps.db, connectionId),
  ]);
  for (const [userId, email] of emails) {
    const account = accountFor(row.account_rule as AccountRule, email, overrides.get(userId));
    if (account !== null) out.set(key(account), userId);
  }
  return out;
}

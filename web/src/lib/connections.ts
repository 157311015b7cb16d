import { api, ok } from '../api/client';
import type { AccountRule, Connection, ConnectionKind, Propagation } from '../api/types';
import { useDirectory } from './directory';
import { useLoad } from './use-load';

// Words for connected systems: what kind of system, how strictly Latch keeps it in step, how it is doing, and
// where one person's access stands in it. Connections are read only by those whose abilities allow it.

export const kindLabel: Record<ConnectionKind, string> = {
  postgres: 'PostgreSQL',
  ldap: 'LDAP directory',
  scim: 'SCIM service',
};

export const modeLabel: Record<Connection['mode'], string> = {
  report: 'Report drift',
  enforce: 'Enforce',
};

export const modeExplained: Record<Connection['mode'], string> = {
  report: 'Members Latch does not explain are listed as drift and left in place.',
  enforce: 'Members Latch does not explain are taken out at the next sync.',
};

export const statusLabel: Record<Connection['status'], string> = {
  ok: 'Working',
  error: 'Failing',
  pending: 'Not synced yet',
};

/** What a remote item is called in its system: a PostgreSQL role, an LDAP or SCIM group. */
export function remoteKindWord(kind: string): string {
  if (kind === 'role') return 'role';
  if (kind === 'posixGroup') return 'POSIX group';
  return 'group';
}

/** The same, from the connection's kind (an item's link does not say). */
export const itemWordFor = (kind: ConnectionKind | undefined) => (kind === 'postgres' ? 'role' : 'group');

/** Where the system is, without its secrets (they are never sent back). */
export function whereText(c: Connection): string {
  const s = (key: string) => (typeof c.config[key] === 'string' ? (c.config[key] as string) : '');
  if (c.kind === 'postgres')
    return `${s('user')}@${s('host')}:${String(c.config.port ?? '')}/${s('database')}`;
  if (c.kind === 'ldap') return s('url');
  return s('baseUrl');
}

export function accountRuleText(rule: AccountRule): string {
  if (rule.type === 'email') return 'their e-mail address';
  if (rule.type === 'emailLocalPart') return 'their e-mail address before the @';
  return `the template ${rule.template ?? ''}`;
}

export const propagationLabel: Record<Propagation['status'], string> = {
  synced: 'in sync',
  pending: 'pending',
  failed: 'failed',
  no_account: 'no account',
  not_linked: 'not linked',
};

/** The connections, for those who may see them (others get none, without asking); `wanted` false skips it. */
export function useConnections(wanted = true) {
  const { viewConnections } = useDirectory().me.abilities;
  const read = viewConnections && wanted;
  return useLoad(async () => (read ? (await ok(api.GET('/api/v1/connections'))).items : []), [read]);
}

/** The groups and resources linked to a connection, as far as the directory knows them. */
export function useLinkedItems(connectionId: string) {
  const dir = useDirectory();
  return [
    ...[...dir.groups.values()].map((g) => ({ ...g, kind: 'group' as const })),
    ...[...dir.resources.values()].map((r) => ({ ...r, kind: 'resource' as const })),
  ]
    .filter((i) => i.remote?.connectionId === connectionId)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Where an item's page is. */
export const itemPath = (item: { id: string; kind: 'group' | 'resource' }) =>
  `/inventory/${item.kind === 'group' ? 'groups' : 'resources'}/${item.id}`;

/**
 * Waits for the provisioning engine to finish a sync of the connection asked for after `before` was read: its
 * last sync, status or error moves. Gives up after `tries` seconds, answering undefined.
 */
export async function nextSyncOutcome(
  before: Connection,
  alive: () => boolean,
  tries = 20,
): Promise<Connection | undefined> {
  const path = { id: before.id };
  for (let i = 0; i < tries && alive(); i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await ok(api.GET('/api/v1/connections/{id}', { params: { path } }));
    if (
      now.lastSyncAt !== before.lastSyncAt ||
      now.status !== before.status ||
      now.lastError !== before.lastError
    )
      return now;
  }
  return undefined;
}

/** One connection, for those who may see it; undefined for others (an item's page names it if it can). */
export function useConnection(id: string | undefined) {
  const { viewConnections } = useDirectory().me.abilities;
  return useLoad(
    async () =>
      viewConnections && id
        ? ok(api.GET('/api/v1/connections/{id}', { params: { path: { id } } }))
        : undefined,
    [id, viewConnections],
  );
}

import type { RemoteLink } from '../../domain/connections/connection.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findConnectionRow } from '../../store/connections.js';
import { accountsOfItem, writeWishes } from '../../store/provisioned-accounts.js';
import { deleteLink, findLink, insertLink, linkOfRemote, toRemoteLink } from '../../store/remote-links.js';
import { closeDrift } from '../../store/provisioning-drift.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { ADMINS_ONLY } from './connection-view.js';
import { withConnector } from './open-connector.js';

// Linking a Latch group or resource to a remote item (admins): from then on its effective members are members
// there. Unlinking takes out every account Latch put there. The remote item is looked up before the
// transaction (a network call), and the link written in the caller's transaction with its item's change.

export interface LinkInput {
  connectionId: string;
  remoteId: string;
  accessLevel?: string | undefined;
}

/** A link as written: a group's has no access level. */
export type LinkToWrite = Omit<RemoteLink, 'accessLevel'> & { accessLevel: string | null };

export interface ItemToLink {
  id: string;
  type: 'group' | 'resource';
  accessLevels?: readonly string[];
}

/** The link to write (null: unlink), the remote item checked in its target. */
export async function resolveLink(
  deps: OpsDeps,
  actor: Actor,
  item: ItemToLink,
  input: LinkInput | null,
): Promise<LinkToWrite | null> {
  authorize(actor, 'connection', 'manage', {}, ADMINS_ONLY);
  if (input === null) return null;
  const row = await findConnectionRow(deps.db, input.connectionId);
  if (!row) throw invalid('remote.connectionId', `no connection '${input.connectionId}'`);
  let accessLevel: string | null = null;
  if (item.type === 'resource') {
    const levels = item.accessLevels ?? [];
    accessLevel = input.accessLevel ?? (levels.length === 1 ? levels[0]! : null);
    if (accessLevel === null)
      throw invalid('remote.accessLevel', `is required: the resource has levels ${levels.join(', ')}`);
    if (!levels.includes(accessLevel))
      throw invalid('remote.accessLevel', `must be one of ${levels.join(', ')}`);
  } else if (input.accessLevel !== undefined) throw invalid('remote.accessLevel', 'is for resources only');
  const items = await withConnector(deps, row, (c) => c.remoteItems());
  const found = items.find((i) => i.remoteId === input.remoteId);
  if (!found) throw notFound(`remote item in '${row.name}'`, input.remoteId);
  return { connectionId: row.id, remoteId: found.remoteId, remoteName: found.name, accessLevel };
}

/**
 * Writes an item's link in the caller's transaction; returns the change for the item's event, or undefined
 * when nothing changed. Refused while accounts of an earlier link are still being taken out.
 */
export async function writeLink(
  trx: Tx,
  item: ItemToLink,
  link: LinkToWrite | null,
  now: Date,
): Promise<{ from: RemoteLink | null; to: RemoteLink | null } | undefined> {
  const current = await findLink(trx, item.id, true);
  const from = current ? toRemoteLink(current) : null;
  if (
    link &&
    current &&
    current.connection_id === link.connectionId &&
    current.remote_id === link.remoteId &&
    current.access_level === link.accessLevel
  )
    return undefined;
  if (!link && !current) return undefined;
  const rows = await accountsOfItem(trx, item.id, true);
  if (current) {
    // Unlinking: every account Latch put there is to be taken out (the rows keep their connection and remote id).
    await writeWishes(
      trx,
      rows
        .filter((r) => r.wanted)
        .map((r) => ({
          itemId: item.id,
          userId: r.user_id,
          connectionId: r.connection_id,
          remoteId: r.remote_id,
          wanted: false,
          account: r.account,
          appliedAccount: r.applied_account,
          status: r.applied_account === null ? 'synced' : 'pending',
          detail: null,
          due: r.applied_account !== null,
        })),
      now,
    );
    await deleteLink(trx, item.id);
    await closeDrift(trx, current.connection_id, current.remote_id);
  }
  if (link) {
    const still = rows.filter((r) => r.applied_account !== null).length;
    if (still > 0)
      throw conflict(
        `Latch is still taking ${still} account${still === 1 ? '' : 's'} out of the item's earlier link; link it again once they are out`,
      );
    const taken = await linkOfRemote(trx, link.connectionId, link.remoteId);
    if (taken)
      throw conflict(
        `the remote item '${link.remoteName}' is already linked to another item (${taken.item_id})`,
      );
    await insertLink(trx, { itemId: item.id, itemType: item.type, ...link }, now);
  }
  const to = link
    ? {
        connectionId: link.connectionId,
        remoteId: link.remoteId,
        remoteName: link.remoteName,
        ...(link.accessLevel ? { accessLevel: link.accessLevel } : {}),
      }
    : null;
  return { from, to };
}

import type { Target } from '../../domain/access-facts.js';
import type { RemoteLink } from '../../domain/connections/connection.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findConnectionRow } from '../../store/connections.js';
import { accountsOfItem, writeWishes } from '../../store/provisioned-accounts.js';
import { deleteLink, findLink, insertLink, linkOfRemote, toRemoteLink } from '../../store/remote-links.js';
import type { NewEvent } from '../../store/events.js';
import { closeDrift } from '../../store/provisioning-drift.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { adoptMembers, type Adoption } from './adopt-members.js';
import { ADMINS_ONLY } from './connection-view.js';
import { kindsOf, withConnector } from './open-connector.js';

// Linking a Latch group or resource to a remote item (admins): from then on its effective members are members
// there. Unlinking takes out every account Latch put there. The remote item is looked up before the
// transaction (a network call), and the link written in the caller's transaction with its item's change.

export interface LinkInput {
  connectionId: string;
  remoteId: string;
  accessLevel?: string | undefined;
  /** On a first link: the remote item's current members become standing direct grants (else they are drift). */
  adoptMembers?: boolean | undefined;
}

/** A link as written: a group's has no access level. */
export type LinkToWrite = Omit<RemoteLink, 'accessLevel'> & {
  accessLevel: string | null;
  adopt?: { actorId: string; adoption: Adoption };
};

export interface ItemToLink {
  id: string;
  type: 'group' | 'resource';
  accessLevels?: readonly string[];
}

/** What writing a link did: the item's change (none when it was already so), and adopted members' grants. */
export interface WrittenLink {
  change?: { from: RemoteLink | null; to: RemoteLink | null };
  events: NewEvent[];
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
  const { found, members } = await withConnector(deps, row, async (c) => {
    const it = (await c.remoteItems()).find((i) => i.remoteId === input.remoteId);
    return { found: it, members: it && input.adoptMembers ? await c.members(it.remoteId) : [] };
  });
  if (!found) throw notFound(`remote item in '${row.name}'`, input.remoteId);
  const link = { connectionId: row.id, remoteId: found.remoteId, remoteName: found.name, accessLevel };
  if (!input.adoptMembers) return link;
  // Members already are: their access needs no grant of its own.
  const target = targetOf(item.id, item.type, accessLevel);
  const skip = new Set(deps.index.members(target, deps.now().getTime()).map((m) => m.userId));
  const key = kindsOf(deps).accountKey(row.kind);
  return {
    ...link,
    adopt: {
      actorId: actor.id,
      adoption: { connection: row, remoteId: found.remoteId, remoteName: found.name, members, key, skip },
    },
  };
}

const targetOf = (id: string, type: ItemToLink['type'], accessLevel: string | null): Target =>
  type === 'group' ? { groupId: id } : { resourceId: id, accessLevel: accessLevel! };

/**
 * Writes an item's link in the caller's transaction; returns the change for the item's event, or undefined
 * when nothing changed. Refused while accounts of an earlier link are still being taken out.
 */
export async function writeLink(
  trx: Tx,
  item: ItemToLink,
  link: LinkToWrite | null,
  now: Date,
): Promise<WrittenLink> {
  const current = await findLink(trx, item.id, true);
  const from = current ? toRemoteLink(current) : null;
  if (
    link &&
    current &&
    current.connection_id === link.connectionId &&
    current.remote_id === link.remoteId &&
    current.access_level === link.accessLevel
  ) {
    if (link.adopt)
      throw invalid(
        'remote.adoptMembers',
        'is for a new link: the item is already linked to that remote item',
      );
    return { events: [] };
  }
  if (!link && !current) return { events: [] };
  const events: NewEvent[] = [];
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
    const { adopt, ...written } = link;
    await insertLink(trx, { itemId: item.id, itemType: item.type, ...written }, now);
    if (adopt)
      events.push(
        ...(await adoptMembers(
          trx,
          adopt.actorId,
          item.id,
          targetOf(item.id, item.type, link.accessLevel),
          adopt.adoption,
          now,
        )),
      );
  }
  const to = link
    ? {
        connectionId: link.connectionId,
        remoteId: link.remoteId,
        remoteName: link.remoteName,
        ...(link.accessLevel ? { accessLevel: link.accessLevel } : {}),
      }
    : null;
  return { change: { from, to }, events };
}

import { conflict, invalid, notFound } from '../../domain/errors.js';
import type { Group } from '../../domain/items.js';
import type { Actor } from '../../domain/users.js';
import type { NewEvent } from '../../store/events.js';
import { findConnectionRow, syncSoon } from '../../store/connections.js';
import { insertLink, linkOfRemote } from '../../store/remote-links.js';
import { groupNameTaken } from '../../store/groups.js';
import { insertGroupWithEvent } from '../items/index.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { accountsByKey, adoptMembers } from './adopt-members.js';
import { ADMINS_ONLY } from './connection-view.js';
import { kindsOf, withConnector } from './open-connector.js';

// Importing remote items (admins): each becomes a Latch group linked to it. Its current members are either
// adopted, as standing direct grants for the users they map to (the members Latch cannot map stay drift), or
// all left as drift: reported, or taken out when the connection enforces.

export const MAX_IMPORT = 100;

export interface ImportInput {
  remoteIds: string[];
  adoptMembers: boolean;
}

export async function importRemoteItems(
  deps: OpsDeps,
  actor: Actor,
  connectionId: string,
  input: ImportInput,
): Promise<Group[]> {
  authorize(actor, 'connection', 'manage', {}, ADMINS_ONLY);
  const remoteIds = [...new Set(input.remoteIds)];
  if (remoteIds.length === 0) throw invalid('remoteIds', 'must name at least one remote item');
  if (remoteIds.length > MAX_IMPORT)
    throw invalid('remoteIds', `must name at most ${MAX_IMPORT} remote items`);
  const row = await findConnectionRow(deps.db, connectionId);
  if (!row) throw notFound('connection', connectionId);
  const key = kindsOf(deps).accountKey(row.kind);
  // The target is read before the transaction: no network call holds a lock.
  const { items, members } = await withConnector(deps, row, async (c) => {
    const all = await c.remoteItems();
    const chosen = remoteIds.map((id, i) => {
      const found = all.find((r) => r.remoteId === id);
      if (!found) throw invalid(`remoteIds[${i}]`, `is not a linkable item in '${row.name}'`);
      return found;
    });
    const held = new Map<string, string[]>();
    if (input.adoptMembers)
      for (const item of chosen) held.set(item.remoteId, await c.members(item.remoteId));
    return { items: chosen, members: held };
  });
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const groups: Group[] = [];
    const events: NewEvent[] = [];
    const known = input.adoptMembers ? await accountsByKey(trx, row, key) : undefined;
    for (const item of items) {
      const taken = await linkOfRemote(trx, connectionId, item.remoteId);
      if (taken) throw conflict(`the remote item '${item.name}' is already linked (to ${taken.item_id})`);
      // The remote name, or with the connection's name when a Latch group already has it.
      const name = (await groupNameTaken(trx, item.name)) ? `${item.name} (${row.name})` : item.name;
      const { group, event } = await insertGroupWithEvent(
        trx,
        actor,
        { name, description: `Imported from ${row.name}` },
        now,
      );
      const link = { connectionId, remoteId: item.remoteId, remoteName: item.name };
      await insertLink(trx, { itemId: group.id, itemType: 'group', accessLevel: null, ...link }, now);
      groups.push({ ...group, remote: link });
      events.push({ ...event, data: { ...event.data, remote: link } });
      events.push(
        ...(await adoptMembers(
          trx,
          actor.id,
          group.id,
          { groupId: group.id },
          {
            connection: row,
            remoteId: item.remoteId,
            remoteName: item.name,
            members: members.get(item.remoteId) ?? [],
            key,
          },
          now,
          known,
        )),
      );
    }
    // Reconciled at once: whatever was not adopted is drift.
    await syncSoon(trx, connectionId, now);
    return { result: groups, events };
  });
}

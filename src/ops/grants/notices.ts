import type { Subject } from '../../domain/audit-chain.js';
import { newId } from '../../store/ids.js';
import type { GrantRow } from '../../store/schema.js';
import type { Tx } from '../shared/deps.js';
import { itemNamesByIds } from '../../store/item-names.js';
import { activeUserIds } from '../../store/users.js';

// What the time engine tells a grant's holder (expiry, reminders), queued in the transaction that records it.

export type GrantNoticeKind = 'grant.expired' | 'grant.expiring';

/** Every event about a grant names the grant, its holder and its item, like grant.created does. */
export const grantSubjects = (
  g: Pick<GrantRow, 'id' | 'user_id' | 'group_id' | 'resource_id'>,
): Subject[] => [
  { type: 'grant', id: g.id },
  { type: 'user', id: g.user_id },
  g.group_id ? { type: 'group', id: g.group_id } : { type: 'resource', id: g.resource_id! },
];

const itemNames = (trx: Tx, rows: GrantRow[]) =>
  itemNamesByIds(
    trx,
    rows.flatMap((r) => (r.group_id ? [r.group_id] : [])),
    rows.flatMap((r) => (r.resource_id ? [r.resource_id] : [])),
  );

/** One notice per grant to its holder, unless the holder is suspended (they have no access to hear about). */
export async function queueHolderNotices(
  trx: Tx,
  kind: GrantNoticeKind,
  rows: GrantRow[],
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const active = new Set(
    await activeUserIds(
      trx,
      rows.map((r) => r.user_id),
    ),
  );
  const names = await itemNames(trx, rows);
  const notices = rows
    .filter((r) => active.has(r.user_id))
    .map((r) => {
      const itemId = r.group_id ?? r.resource_id!;
      const payload = {
        grantId: r.id,
        user: { id: r.user_id },
        item: { type: r.group_id ? 'group' : 'resource', id: itemId, name: names.get(itemId) ?? itemId },
        accessLevel: r.access_level,
        source: r.source,
        startsAt: r.starts_at.toISOString(),
        expiresAt: r.expires_at?.toISOString() ?? null,
        ...extra,
      };
      const id = newId('ntf');
      return {
        id,
        kind,
        recipient_user_id: r.user_id,
        payload: JSON.stringify(payload),
        next_attempt_at: now,
        created_at: now,
      };
    });
  // One statement for the batch: the expiry of 500 grants queues 500 notices without 500 round trips.
  if (notices.length) await trx.insertInto('outbox').values(notices).execute();
  return notices.length;
}

import type { Subject } from '../../domain/audit-chain.js';
import { newId } from '../../store/ids.js';
import type { GrantRow } from '../../store/schema.js';
import type { Tx } from '../shared/deps.js';

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

async function itemNames(trx: Tx, rows: GrantRow[]): Promise<Map<string, string>> {
  const groupIds = [...new Set(rows.flatMap((r) => (r.group_id ? [r.group_id] : [])))];
  const resourceIds = [...new Set(rows.flatMap((r) => (r.resource_id ? [r.resource_id] : [])))];
  const [groups, resources] = await Promise.all([
    groupIds.length
      ? trx.selectFrom('groups').select(['id', 'name']).where('id', 'in', groupIds).execute()
      : [],
    resourceIds.length
      ? trx.selectFrom('resources').select(['id', 'name']).where('id', 'in', resourceIds).execute()
      : [],
  ]);
  return new Map([...groups, ...resources].map((i) => [i.id, i.name]));
}

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
    (
      await trx
        .selectFrom('users')
        .select('id')
        .where('id', 'in', [...new Set(rows.map((r) => r.user_id))])
        .where('status', '=', 'active')
        .execute()
    ).map((u) => u.id),
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

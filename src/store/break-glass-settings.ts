import type { Kysely, Transaction } from 'kysely';
import { defaultSettings, type BreakGlassSettings } from '../domain/break-glass.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Per-group break-glass settings: the window and who may activate. A group without a row has the defaults.

export async function readSettings(db: Db, groupId: string): Promise<BreakGlassSettings> {
  return (await settingsOfGroups(db, [groupId])).get(groupId)!;
}

/** The settings of many groups in two queries (a catalog page), each group's defaults where it has no row. */
export async function settingsOfGroups(db: Db, groupIds: string[]): Promise<Map<string, BreakGlassSettings>> {
  const out = new Map(groupIds.map((id) => [id, defaultSettings()]));
  if (groupIds.length === 0) return out;
  const [rows, members] = await Promise.all([
    db
      .selectFrom('break_glass_settings')
      .select(['group_id', 'duration_minutes'])
      .where('group_id', 'in', groupIds)
      .execute(),
    db
      .selectFrom('break_glass_members')
      .select(['group_id', 'user_id', 'member_group_id'])
      .where('group_id', 'in', groupIds)
      .execute(),
  ]);
  for (const r of rows) out.get(r.group_id)!.durationMinutes = r.duration_minutes;
  for (const m of members) {
    const settings = out.get(m.group_id)!;
    if (m.user_id) settings.userIds.push(m.user_id);
    if (m.member_group_id) settings.groupIds.push(m.member_group_id);
  }
  for (const settings of out.values()) {
    settings.userIds.sort();
    settings.groupIds.sort();
  }
  return out;
}

export async function writeSettings(
  db: Db,
  groupId: string,
  s: BreakGlassSettings,
  by: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('break_glass_settings')
    .values({ group_id: groupId, duration_minutes: s.durationMinutes, updated_at: now, updated_by: by })
    .onConflict((oc) =>
      oc
        .column('group_id')
        .doUpdateSet({ duration_minutes: s.durationMinutes, updated_at: now, updated_by: by }),
    )
    .execute();
  await db.deleteFrom('break_glass_members').where('group_id', '=', groupId).execute();
  const rows = [
    ...s.userIds.map((user_id) => ({ group_id: groupId, user_id, member_group_id: null })),
    ...s.groupIds.map((member_group_id) => ({ group_id: groupId, user_id: null, member_group_id })),
  ];
  if (rows.length) await db.insertInto('break_glass_members').values(rows).execute();
}

import type { Kysely, Transaction } from 'kysely';
import { defaultSettings, type BreakGlassSettings } from '../domain/break-glass.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// Per-group break-glass settings: the window and who may activate. A group without a row has the defaults.

export async function readSettings(db: Db, groupId: string): Promise<BreakGlassSettings> {
  const [row, members] = await Promise.all([
    db
      .selectFrom('break_glass_settings')
      .select('duration_minutes')
      .where('group_id', '=', groupId)
      .executeTakeFirst(),
    db
      .selectFrom('break_glass_members')
      .select(['user_id', 'member_group_id'])
      .where('group_id', '=', groupId)
      .execute(),
  ]);
  const settings = defaultSettings();
  if (row) settings.durationMinutes = row.duration_minutes;
  for (const m of members) {
    if (m.user_id) settings.userIds.push(m.user_id);
    if (m.member_group_id) settings.groupIds.push(m.member_group_id);
  }
  settings.userIds.sort();
  settings.groupIds.sort();
  return settings;
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

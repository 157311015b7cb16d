import type { Kysely, Transaction } from 'kysely';
import type { LiveOnCallGrant } from '../domain/on-call/on-call-grants.js';
import type { Shift, UnmatchedShift } from '../domain/on-call/shifts.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// What a schedule's last good sync found (matched shifts and unmatched ones), which groups follow which
// schedules, and the on-call grants a group holds from a schedule.

export async function replaceShifts(db: Db, scheduleId: string, shifts: Shift[]): Promise<void> {
  await db.deleteFrom('on_call_shifts').where('schedule_id', '=', scheduleId).execute();
  for (let i = 0; i < shifts.length; i += 1000) {
    const chunk = shifts.slice(i, i + 1000);
    await db
      .insertInto('on_call_shifts')
      .values(
        chunk.map((s) => ({
          schedule_id: scheduleId,
          user_id: s.userId,
          starts_at: s.start,
          ends_at: s.end,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export async function readShifts(db: Db, scheduleId: string, from?: Date, until?: Date): Promise<Shift[]> {
  let q = db
    .selectFrom('on_call_shifts')
    .select(['user_id', 'starts_at', 'ends_at'])
    .where('schedule_id', '=', scheduleId)
    .orderBy('starts_at')
    .orderBy('user_id');
  if (from) q = q.where('ends_at', '>', from);
  if (until) q = q.where('starts_at', '<', until);
  return (await q.execute()).map((r) => ({ userId: r.user_id, start: r.starts_at, end: r.ends_at }));
}

export async function replaceUnmatched(db: Db, scheduleId: string, items: UnmatchedShift[]): Promise<void> {
  await db.deleteFrom('on_call_unmatched').where('schedule_id', '=', scheduleId).execute();
  for (let i = 0; i < items.length; i += 1000) {
    await db
      .insertInto('on_call_unmatched')
      .values(
        items.slice(i, i + 1000).map((u, j) => ({
          schedule_id: scheduleId,
          position: i + j,
          label: u.label.slice(0, 1000),
          emails: u.emails.slice(0, 20),
          names: u.names.slice(0, 20),
          starts_at: u.start,
          ends_at: u.end,
        })),
      )
      .execute();
  }
}

export async function readUnmatched(db: Db, scheduleId: string): Promise<UnmatchedShift[]> {
  const rows = await db
    .selectFrom('on_call_unmatched')
    .selectAll()
    .where('schedule_id', '=', scheduleId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    label: r.label,
    emails: r.emails,
    names: r.names,
    start: r.starts_at,
    end: r.ends_at,
  }));
}

export interface GroupScheduleLink {
  groupId: string;
  scheduleId: string;
  graceMinutes: number;
}

export async function linksOfGroup(db: Db, groupId: string): Promise<GroupScheduleLink[]> {
  const rows = await db
    .selectFrom('group_on_call_schedules')
    .selectAll()
    .where('group_id', '=', groupId)
    .orderBy('schedule_id')
    .execute();
  return rows.map((r) => ({ groupId: r.group_id, scheduleId: r.schedule_id, graceMinutes: r.grace_minutes }));
}

export async function linksOfSchedule(db: Db, scheduleId: string): Promise<GroupScheduleLink[]> {
  const rows = await db
    .selectFrom('group_on_call_schedules')
    .selectAll()
    .where('schedule_id', '=', scheduleId)
    .orderBy('group_id')
    .execute();
  return rows.map((r) => ({ groupId: r.group_id, scheduleId: r.schedule_id, graceMinutes: r.grace_minutes }));
}

export async function replaceLinksOfGroup(
  db: Db,
  groupId: string,
  links: GroupScheduleLink[],
): Promise<void> {
  await db.deleteFrom('group_on_call_schedules').where('group_id', '=', groupId).execute();
  if (links.length === 0) return;
  await db
    .insertInto('group_on_call_schedules')
    .values(
      links.map((l) => ({ group_id: groupId, schedule_id: l.scheduleId, grace_minutes: l.graceMinutes })),
    )
    .execute();
}

/** On-call grants of a group from a schedule that can still give access (not ended, not yet expired), locked. */
export async function liveOnCallGrants(
  db: Db,
  groupId: string,
  scheduleId: string,
  now: Date,
): Promise<LiveOnCallGrant[]> {
  const rows = await db
    .selectFrom('grants')
    .select(['id', 'user_id', 'starts_at', 'expires_at', 'created_at'])
    .where('on_call_schedule_id', '=', scheduleId)
    .where('group_id', '=', groupId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    startsAt: r.starts_at,
    expiresAt: r.expires_at!,
    createdAt: r.created_at,
  }));
}

import { notFound } from '../../domain/errors.js';
import { scheduleSeenBy, type ScheduleView } from '../../domain/on-call/schedule-view.js';
import type { UnmatchedShift } from '../../domain/on-call/shifts.js';
import type { Actor } from '../../domain/users.js';
import { findGroup } from '../../store/groups.js';
import { findScheduleRow, listScheduleRows, toSchedule } from '../../store/on-call-schedules.js';
import { linksOfGroup, readUnmatched } from '../../store/on-call-shifts.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';

// Reads of on-call schedules: everyone signed in may see them and who is on call (never their secrets).

export async function listSchedules(
  deps: OpsDeps,
  actor: Actor,
  f: { afterId?: string | undefined; limit: number },
): Promise<ScheduleView[]> {
  return (await listScheduleRows(deps.db, f)).map((r) => scheduleSeenBy(actor, toSchedule(r)));
}

export async function getSchedule(deps: OpsDeps, actor: Actor, id: string): Promise<ScheduleView> {
  const row = await findScheduleRow(deps.db, id);
  if (!row) throw notFound('on-call schedule', id);
  return scheduleSeenBy(actor, toSchedule(row));
}

/** Shifts of the last fetch that matched no user: names and e-mails from the provider, for admins and auditors. */
export async function unmatchedShifts(deps: OpsDeps, actor: Actor, id: string): Promise<UnmatchedShift[]> {
  authorize(actor, 'schedule', 'readUnmatched', {}, 'only admins and auditors can read unmatched shifts');
  if (!(await findScheduleRow(deps.db, id))) throw notFound('on-call schedule', id);
  return readUnmatched(deps.db, id);
}

export async function groupSchedules(
  deps: OpsDeps,
  groupId: string,
): Promise<{ scheduleIds: string[]; graceMinutes: number }> {
  if (!(await findGroup(deps.db, groupId))) throw notFound('group', groupId);
  const links = await linksOfGroup(deps.db, groupId);
  return { scheduleIds: links.map((l) => l.scheduleId), graceMinutes: links[0]?.graceMinutes ?? 0 };
}

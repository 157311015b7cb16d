import { invalid } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import type { NewEvent } from '../../store/events.js';

import { findScheduleRows, requestSyncNow } from '../../store/on-call-schedules.js';
import { linksOfGroup, readShifts, replaceLinksOfGroup } from '../../store/on-call-shifts.js';
import type { OpsDeps } from '../shared/deps.js';
import { reconcileLink } from './reconcile-grants.js';
import { runInTransaction } from '../shared/transaction.js';
import { uniqueIds } from '../shared/unique-ids.js';

import { groupToManage } from '../shared/group-to-manage.js';

export interface GroupOnCall {
  scheduleIds: string[];
  /** Minutes the outgoing person keeps access after each handoff. */
  graceMinutes: number;
}

export const MAX_GRACE_MINUTES = 24 * 60;

/**
 * Replaces the schedules whose on-call people are members of the group (admins and the group's owners). Grants
 * follow at once from the shifts already known; schedules never fetched yet are fetched right away.
 */
export async function setGroupOnCallSchedules(
  deps: OpsDeps,
  actor: Actor,
  groupId: string,
  input: { scheduleIds: string[]; graceMinutes?: number | undefined },
): Promise<GroupOnCall> {
  const now = deps.now();
  const after: GroupOnCall = {
    scheduleIds: uniqueIds(input.scheduleIds).sort(),
    graceMinutes: input.graceMinutes ?? 0,
  };
  if (after.graceMinutes < 0 || after.graceMinutes > MAX_GRACE_MINUTES)
    throw invalid('graceMinutes', `must be between 0 and ${MAX_GRACE_MINUTES}`);
  return runInTransaction(deps, async (trx) => {
    await groupToManage(
      trx,
      deps,
      actor,
      groupId,
      'setOnCallSchedules',
      "only admins and the group's owners can choose its on-call schedules",
    );
    const rows = await findScheduleRows(trx, after.scheduleIds);
    const missing = after.scheduleIds.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw invalid('scheduleIds', `unknown on-call schedules: ${missing.join(', ')}`);
    const beforeLinks = await linksOfGroup(trx, groupId);
    const before: GroupOnCall = {
      scheduleIds: beforeLinks.map((l) => l.scheduleId),
      graceMinutes: beforeLinks[0]?.graceMinutes ?? 0,
    };
    if (JSON.stringify(before) === JSON.stringify(after)) return { result: after, events: [] };
    const links = after.scheduleIds.map((scheduleId) => ({
      groupId,
      scheduleId,
      graceMinutes: after.graceMinutes,
    }));
    await replaceLinksOfGroup(trx, groupId, links);
    const events: NewEvent[] = [
      {
        type: 'group.on_call_schedules_set',
        actorId: actor.id,
        subjects: [
          { type: 'group', id: groupId },
          ...after.scheduleIds.map((id) => ({ type: 'on_call_schedule', id })),
        ],
        data: { before, after },
      },
    ];
    // Dropped schedules end their grants; kept and added ones get grants from their stored shifts.
    for (const old of beforeLinks.filter((l) => !after.scheduleIds.includes(l.scheduleId)))
      events.push(...(await reconcileLink(trx, old, [], now, null)).events);
    for (const link of links) {
      const windowEnd = rows.find((r) => r.id === link.scheduleId)?.window_end ?? null;
      const shifts = await readShifts(trx, link.scheduleId);
      events.push(...(await reconcileLink(trx, link, shifts, now, windowEnd)).events);
    }
    await requestSyncNow(trx, after.scheduleIds, now);
    return { result: after, events };
  });
}
